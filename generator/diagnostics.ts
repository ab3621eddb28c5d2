/**
 * Problems found while reading and generating: collected, never thrown one by
 * one. Each names the file, the Iglu URI and a JSON pointer, and ends with a hint.
 */
import { escapeText } from "@igluc/runtime/validation";
import type { Code, Level } from "./codes.js";

export type { Level } from "./codes.js";

export interface Diagnostic {
  readonly level: Level;
  /** Stable identifier of the kind of problem, from the catalogue (codes.ts; README, "Diagnostic codes"). */
  readonly code: Code;
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
  /** The file concerned, as given on the command line (relative when it was). */
  readonly file?: string;
  /** The schema's Iglu URI, when known. */
  readonly uri?: string;
  /** JSON pointer into the schema; "" is the whole document. */
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
}

/** `file:line:col: error [code] iglu:…#/pointer: message\n  hint: …`, every part {@link printable}. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file === undefined ? "" : `${printable(d.file)}${d.line === undefined ? "" : `:${d.line}:${d.column ?? 1}`}: `;
  const subject = d.uri === undefined ? "" : `${printable(d.uri)}${d.pointer === undefined ? "" : `#${printable(d.pointer)}`}: `;
  return `${where}${d.level} [${d.code}] ${subject}${printable(d.message)}\n  hint: ${printable(d.hint)}`;
}

/**
 * Text from a schema, a registry or a file name made safe to print: the
 * characters that act on a terminal or on how a line reads (C0 and C1
 * controls, DEL, line separators, bidirectional controls) shown as escapes
 * (`\n`, `\u001b`). The one list of them is the runtime's (escapeText), which
 * validation messages use too.
 */
export const printable = escapeText;

/** JSON text (from JSON.stringify) with the same characters as \u escapes, which JSON.stringify leaves raw: the same document, safe to print. */
export function printableJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Orders diagnostics by file, then position, then code, so output depends on neither timing nor locale. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) =>
    byText(a.file ?? "", b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) ||
    byText(a.code, b.code) || byText(a.pointer ?? "", b.pointer ?? "") || byText(a.message, b.message));
}

/** What makes two diagnostics the same report: a run that meets one twice (found again, or replayed from the last run) prints it once. */
export function diagnosticKey(d: Diagnostic): string {
  return `${d.code}|${d.file ?? ""}|${d.line ?? ""}:${d.column ?? ""}|${d.uri ?? ""}|${d.pointer ?? ""}|${d.message}`;
}

/** `list` without repeats, in its order. */
export function uniqueDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => !seen.has(diagnosticKey(d)) && seen.add(diagnosticKey(d)) !== undefined);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `1 file`, `2 files`: a count and its noun, in the right number (`plural` when adding "s" will not do). */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
