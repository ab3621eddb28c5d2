/**
 * Problems found while reading and generating: collected, never thrown one by
 * one. Each names the file, the Iglu URI and a JSON pointer, and ends with a hint.
 */
export type Level = "error" | "warning" | "info";

export interface Diagnostic {
  readonly level: Level;
  /** Stable identifier of the kind of problem, e.g. `json-syntax`, `duplicate-key`, `unresolved-ref`. */
  readonly code: string;
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

/** `file:line:col: error [code] iglu:…#/pointer: message\n  hint: …` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file === undefined ? "" : `${d.file}${d.line === undefined ? "" : `:${d.line}:${d.column ?? 1}`}: `;
  const subject = d.uri === undefined ? "" : `${d.uri}${d.pointer === undefined ? "" : `#${d.pointer}`}: `;
  return `${where}${d.level} [${d.code}] ${subject}${d.message}\n  hint: ${d.hint}`;
}

/** Orders diagnostics by file, then position, then code, so output depends on neither timing nor locale. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) =>
    byText(a.file ?? "", b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) ||
    byText(a.code, b.code) || byText(a.pointer ?? "", b.pointer ?? "") || byText(a.message, b.message));
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
