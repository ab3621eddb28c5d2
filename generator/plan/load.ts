/**
 * Reading a tracking-plan file: JSON (.json) or YAML (anything else), with
 * the line and column of every value, into a PlanDocument. A Snowplow
 * data product (`resourceType: data-product`) goes to data-product.ts;
 * anything else must be igluc's own format, checked against its JSON
 * Schema (format.ts). The file is untrusted: its size and nesting are
 * bounded, every problem is a diagnostic (never thrown), and nothing of it
 * is printed but through diagnostics' printable.
 */
import fs from "node:fs";
import path from "node:path";
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node as YamlNode } from "yaml";
import type { Diagnostic } from "../diagnostics.js";
import { parseJson } from "../load/json.js";
import { unescapePointerToken } from "../load/pointer.js";
import type { Position } from "../load/positions.js";
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
    const stat = fs.statSync(absolute);
    if (!stat.isFile()) return unreadable("the plan is not a regular file", "name the plan file itself (plan in igluc.config.json, or --plan)");
    if (stat.size > MAX_PLAN_BYTES) return unreadable(`the plan is ${stat.size} bytes, more than the ${MAX_PLAN_BYTES} igluc reads`, "check the file is the plan meant; split a larger plan");
    text = fs.readFileSync(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return unreadable(code === "ENOENT" ? "the plan file does not exist" : `the plan file cannot be read (${code})`,
      code === "ENOENT" ? "check the path given as plan (relative to igluc.config.json there, to the working directory for --plan)" : "check the file's permissions");
  }
  return parsePlanText(text, shown);
}

/** A plan's text, read as the file `file` (its extension says JSON or YAML), named `file` in messages. */
export function parsePlanText(text: string, file: string): PlanRead {
  const parsed = file.toLowerCase().endsWith(".json") ? parseJsonPlan(text, file) : parseYamlPlan(text, file);
  if ("diagnostics" in parsed) return { diagnostics: parsed.diagnostics.slice(0, MAX_PLAN_PROBLEMS) };
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
  if (problems.length > 0) return { diagnostics: problems.slice(0, MAX_PLAN_PROBLEMS) };
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
  try {
    // YAML 1.2's core schema: no custom tags run, keys must be unique, aliases bounded (no "billion laughs").
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: "1.2", schema: "core" });
    if (document.errors.length > 0) {
      return {
        diagnostics: document.errors.map((e): Diagnostic => e.code === "DUPLICATE_KEY"
          ? { ...syntax(e.pos[0], `the key ${JSON.stringify(keyAt(document, e.pos[0]))} appears twice in one mapping; the second would silently replace the first`, "remove or rename one of the two members"), code: "duplicate-key" }
          : syntax(e.pos[0], `not valid YAML: ${e.message}`)),
      };
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    const tooDeep = deeperThan(value, MAX_PLAN_DEPTH);
    if (tooDeep !== undefined) return { diagnostics: [{ ...syntax(0, `the plan nests deeper than ${MAX_PLAN_DEPTH} levels`, "a tracking plan is a few levels deep; check the file is the plan meant"), pointer: tooDeep }] };
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
