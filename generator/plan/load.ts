/**
 * Reading a tracking-plan file: JSON (.json) or YAML (anything else), with
 * the line and column of every value, into a PlanDocument. A Snowplow
 * data product (`resourceType: data-product`) goes to data-product.ts;
 * anything else must be igluc's own format, checked against its JSON
 * Schema (format.ts). The file is untrusted: its size and nesting are
 * bounded, every problem is a diagnostic (never thrown), and nothing of it
 * is printed but through diagnostics' printable.
 */
import path from "node:path";
import { LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, visit, type Document, type Node as YamlNode } from "yaml";
import { count, type Diagnostic } from "../diagnostics.js";
import { readBoundedText } from "../load/bounded-read.js";
import { parseJson } from "../load/json.js";
import { unescapePointerToken } from "../load/pointer.js";
import { LineTable, type Position } from "../load/positions.js";
import { MAX_PLAN_BYTES, MAX_PLAN_DEPTH, MAX_PLAN_PROBLEMS } from "../limits.js";
import { dataProductToPlan, type PlaceOf } from "./data-product.js";
import { planFileToDocument, validatePlanFile } from "./own.js";
import type { PlanDocument } from "./model.js";

export interface PlanRead {
  /** Undefined when the file could not be read as a plan at all; the diagnostics say why. */
  readonly document?: PlanDocument;
  readonly diagnostics: readonly Diagnostic[];
}

/** A parsed text: its value, and where the value at a JSON pointer starts. */
interface Located {
  readonly value: unknown;
  positionOf(pointer: string): Position | { readonly line: number; readonly column: number } | undefined;
}

/** Reads the plan at `file` (relative to `cwd`, or absolute); messages name it relative to `cwd`. */
export function readPlan(file: string, cwd: string): PlanRead {
  const absolute = path.resolve(cwd, file);
  const shown = path.relative(cwd, absolute) || absolute;
  const unreadable = (message: string, hint: string): PlanRead =>
    ({ diagnostics: [{ level: "error", code: "plan-unreadable", file: shown, message, hint }] });
  let text: string;
  try {
    const read = readBoundedText(absolute, MAX_PLAN_BYTES);
    if ("notFile" in read) return unreadable("the plan is not a regular file", "name the plan file itself (plan in igluc.config.json, or --plan)");
    if ("tooLarge" in read) return unreadable(`the plan is ${read.tooLarge} bytes, more than the ${MAX_PLAN_BYTES} igluc reads`, "check the file is the plan meant; split a larger plan");
    text = read.text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return unreadable(code === "ENOENT" ? "the plan file does not exist" : `the plan file cannot be read (${code})`,
      code === "ENOENT" ? "check the path given as plan (relative to igluc.config.json there, to the working directory for --plan)" : "check the file's permissions");
  }
  return parsePlanText(text, shown);
}

const RANK: Readonly<Record<Diagnostic["level"], number>> = { error: 0, warning: 1, info: 2 };

/**
 * At most MAX_PLAN_PROBLEMS of a plan's problems, errors first (so a run with an
 * error still fails on one shown), then one info counting the rest: never cut silently.
 */
export function capProblems(list: readonly Diagnostic[], file: string): Diagnostic[] {
  if (list.length <= MAX_PLAN_PROBLEMS) return [...list];
  const sorted = [...list].sort((a, b) => RANK[a.level] - RANK[b.level]);
  const rest = sorted.slice(MAX_PLAN_PROBLEMS);
  const of = (level: Diagnostic["level"]): number => rest.filter((d) => d.level === level).length;
  return [...sorted.slice(0, MAX_PLAN_PROBLEMS), {
    level: "info", code: "plan-more-problems", file,
    message: `${count(rest.length, "more problem")} in this plan not shown (${count(of("error"), "error")}, ${count(of("warning"), "warning")}, ${of("info")} info)`,
    hint: "fix the ones shown and run again",
  }];
}

/** A plan's text, read as the file `file` (its extension says JSON or YAML), named `file` in messages. */
export function parsePlanText(text: string, file: string): PlanRead {
  const parsed = file.toLowerCase().endsWith(".json") ? parseJsonPlan(text, file) : parseYamlPlan(text, file);
  if ("diagnostics" in parsed) return { diagnostics: capProblems(parsed.diagnostics, file) };
  const placeOf: PlaceOf = (pointer) => {
    // A value that is not there (a member missing) is shown where its nearest container starts.
    for (let at = pointer; ; at = at.slice(0, Math.max(at.lastIndexOf("/"), 0))) {
      const p = parsed.positionOf(at);
      if (p !== undefined) return { file, pointer, line: p.line, column: p.column };
      if (at === "") return { file, pointer };
    }
  };
  const value = parsed.value;
  if (value !== null && typeof value === "object" && !Array.isArray(value) && (value as Record<string, unknown>).resourceType === "data-product") {
    return dataProductToPlan(value as Record<string, unknown>, file, placeOf);
  }
  const problems = validatePlanFile(value, placeOf);
  if (problems.length > 0) return { diagnostics: capProblems(problems, file) };
  return { document: planFileToDocument(value, file, placeOf), diagnostics: [] };
}

function parseJsonPlan(text: string, file: string): Located | { diagnostics: Diagnostic[] } {
  const parsed = parseJson(text, { maxDepth: MAX_PLAN_DEPTH });
  if (!parsed.ok) {
    const { message, position } = parsed.error;
    return {
      diagnostics: [{
        level: "error", code: "plan-syntax", file, line: position.line, column: position.column,
        ...(parsed.error.pointer !== undefined ? { pointer: parsed.error.pointer } : {}),
        message: parsed.error.kind === "depth" ? `the plan nests deeper than ${MAX_PLAN_DEPTH} levels` : `not valid JSON: ${message}`,
        hint: parsed.error.kind === "depth" ? "a tracking plan is a few levels deep; check the file is the plan meant" : "fix the syntax at the line and column given",
      }],
    };
  }
  if (parsed.json.duplicates.length > 0) {
    return {
      diagnostics: parsed.json.duplicates.map((d): Diagnostic => ({
        level: "error", code: "duplicate-key", file, pointer: d.pointer, line: d.second.line, column: d.second.column,
        message: `the key ${JSON.stringify(d.key)} appears twice in one object (first at line ${d.first.line}); the second would silently replace the first`,
        hint: "remove or rename one of the two members",
      })),
    };
  }
  return { value: parsed.json.value, positionOf: (pointer) => parsed.json.positionOf(pointer) };
}

function parseYamlPlan(text: string, file: string): Located | { diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const syntax = (offset: number, message: string, hint = "fix the syntax at the line and column given"): Diagnostic => {
    const p = lines.linePos(offset);
    return { level: "error", code: "plan-syntax", file, line: p.line, column: p.col, message, hint };
  };
  const deep = yamlNestingAbove(text, MAX_YAML_SCAN_DEPTH);
  if (deep !== undefined) {
    // Before parsing, the library's line table is empty: lines are counted here.
    const p = new LineTable(text, 0).position(deep);
    return { diagnostics: [{ level: "error", code: "plan-syntax", file, line: p.line, column: p.column, message: `the plan nests deeper than ${MAX_PLAN_DEPTH} levels`, hint: "a tracking plan is a few levels deep; check the file is the plan meant" }] };
  }
  try {
    // YAML 1.2's core schema: no custom tags run, keys must be unique, aliases bounded (no "billion laughs").
    // logLevel silent: the library would print its warnings, with the file's text in them, to stderr.
    const options = { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: "1.2", schema: "core", logLevel: "silent" } as const;
    // Every document is parsed: parseDocument would read the first and leave the others unread, silently.
    const all = parseAllDocuments(text, options);
    const documents = Array.isArray(all) ? all : [];
    const document = documents[0] ?? parseDocument(text, options);
    if (document.errors.length > 0) {
      const seen = new Set<string>();
      // The library repeats an error once per level it unwinds; each is said once.
      const errors = document.errors.filter((e) => !seen.has(`${e.pos[0]}|${e.message}`) && seen.add(`${e.pos[0]}|${e.message}`) !== undefined);
      return {
        diagnostics: errors.map((e): Diagnostic => e.code === "DUPLICATE_KEY"
          ? { ...syntax(e.pos[0], `the key ${JSON.stringify(keyAt(document, e.pos[0]))} appears twice in one mapping; the second would silently replace the first`, "remove or rename one of the two members"), code: "duplicate-key" }
          : syntax(e.pos[0], `not valid YAML: ${e.message}`)),
      };
    }
    if (documents.length > 1) {
      return { diagnostics: [syntax(documents[1]!.range[0], "the file holds more than one YAML document (a line ---); only one is a plan", "keep one plan per file, or merge the specifications into one list")] };
    }
    // An unknown tag is only a warning to the library, which keeps the text (`!custom 1` would be "1"): refused, like any other form a plan does not take.
    const tags = document.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED");
    if (tags.length > 0) {
      return { diagnostics: capProblems(tags.map((w) => syntax(w.pos[0], `the tag ${text.slice(w.pos[0], w.pos[1])} is not one of YAML's core schema: a plan holds only text, numbers, true, false, null, lists and mappings`, "remove the tag")), file) };
    }
    // A plan's keys are names; a collection as a key (`? [a]`) would be made text by toJS, in time that grows steeply with its nesting.
    const complexKey = collectionKeyAt(document);
    if (complexKey !== undefined) return { diagnostics: [syntax(complexKey, "a mapping key is not text (a list, a mapping or an alias); a plan's keys are names", "write the key as text")] };
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    const tooDeep = deeperThan(value, MAX_PLAN_DEPTH);
    if (tooDeep !== undefined) return { diagnostics: [{ ...syntax(yamlNodeAt(document.contents, tooDeep)?.range?.[0] ?? 0, `the plan nests deeper than ${MAX_PLAN_DEPTH} levels`, "a tracking plan is a few levels deep; check the file is the plan meant"), pointer: tooDeep }] };
    return {
      value,
      positionOf: (pointer) => {
        const node = yamlNodeAt(document.contents, pointer);
        const offset = node?.range?.[0];
        if (offset === undefined) return undefined;
        const p = lines.linePos(offset);
        return { line: p.line, column: p.col };
      },
    };
  } catch (error) {
    // The YAML library recurses per nesting level, and refuses too many aliases: both are this file's shape, not a crash.
    const message = error instanceof RangeError ? `the plan nests deeper than ${MAX_PLAN_DEPTH} levels` : `not valid YAML: ${error instanceof Error ? error.message : String(error)}`;
    return { diagnostics: [syntax(0, message, "check the file is the plan meant")] };
  }
}

/** Where the first key that is not a scalar (a list, a mapping, an alias) starts, if any. */
function collectionKeyAt(document: Document): number | undefined {
  let at: number | undefined;
  visit(document, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        at = (pair.key as YamlNode).range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return at;
}

/** The text of the map key that starts at `offset` (the library reports a duplicate key by its place only). */
function keyAt(document: Document, offset: number): string {
  let key = "";
  visit(document, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        key = String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return key;
}

/** The node at a JSON pointer in a YAML document's tree (map keys compared as text). */
function yamlNodeAt(root: unknown, pointer: string): YamlNode | undefined {
  let node = root;
  if (pointer !== "") {
    for (const raw of pointer.slice(1).split("/")) {
      const token = unescapePointerToken(raw);
      if (token === undefined) return undefined;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === token);
        // A member with no value (`key:`) is shown at its key.
        node = pair === undefined ? undefined : (pair.value ?? pair.key);
      } else if (isSeq(node)) {
        node = /^(0|[1-9][0-9]*)$/.test(token) ? node.items[Number(token)] : undefined;
      } else return undefined;
      if (node === undefined || node === null) return undefined;
    }
  }
  return node as YamlNode | undefined;
}

/**
 * Nesting past which the YAML library is not given a text at all. It
 * recurses per level: a megabyte of `[` takes it seconds, and `? `
 * repeated a thousand times makes V8 run out of memory (a crash no catch
 * stops). Above MAX_PLAN_DEPTH, which the parsed value is then
 * held to exactly: this scan only has to catch what would hurt.
 */
const MAX_YAML_SCAN_DEPTH = 4 * MAX_PLAN_DEPTH;

/**
 * The offset where a YAML text's nesting may pass `max`, or undefined: a
 * linear scan counting each level any of YAML's ways of nesting opens (a
 * deeper indent, `- `, `? ` or `: ` indicators at a line's start, `[` and `{`
 * outside quotes and comments). It over-counts (a block scalar's indented
 * text), never under-counts a real level, so a plan that passes is one the
 * library reads in bounded time.
 */
export function yamlNestingAbove(text: string, max: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote = "";
  for (let start = 0; start < text.length;) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    let i = start;
    while (i < end && (text[i] === " " || text[i] === "\t")) i++;
    if (quote === "" && i < end && text[i] !== "#" && text[i] !== "\r") {
      while (indents.length > 0 && indents[indents.length - 1]! >= i - start) indents.pop();
      indents.push(i - start);
      // Compact nesting on one line: `- - - x`, `? ? x`.
      while (i + 1 < end && "-?:".includes(text[i]!) && (text[i + 1] === " " || text[i + 1] === "\t")) {
        indents.push(i - start + 1);
        if (indents.length + flow > max) return i;
        i += 2;
        while (i < end && text[i] === " ") i++;
      }
    }
    for (; i < end; i++) {
      const c = text[i]!;
      if (quote !== "") {
        if (c === "\\" && quote === "\"") i++;
        else if (c === quote) quote = "";
        continue;
      }
      const tokenStart = i === start || " \t[{,:".includes(text[i - 1]!);
      if (c === "#" && tokenStart) break;
      if ((c === "\"" || c === "'") && tokenStart) quote = c;
      else if (c === "[" || c === "{") flow++;
      else if ((c === "]" || c === "}") && flow > 0) flow--;
      if (indents.length + flow > max) return i;
    }
    if (indents.length + flow > max) return start;
    start = end + 1;
  }
  return undefined;
}

/** The pointer of the first container nested deeper than `max`, if any (iterative: the value may be as deep as the parser let it). */
function deeperThan(value: unknown, max: number): string | undefined {
  const stack: [unknown, number, string][] = [[value, 0, ""]];
  while (stack.length > 0) {
    const [node, depth, pointer] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth >= max) return pointer;
    for (const [key, child] of Object.entries(node)) stack.push([child, depth + 1, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`]);
  }
  return undefined;
}
