/**
 * The version history of each vendor/name: it starts at 1-0-0, has no gaps
 * (each version is the previous one with ADDITION + 1, REVISION + 1 or
 * MODEL + 1, the lower parts reset, as igluctl requires), and each version
 * bumps at least as much as its changes need (diff.ts).
 */
import type { Code } from "../codes.js";
import type { Diagnostic } from "../diagnostics.js";
import { compareSchemaVer, formatSchemaVer, type SchemaKey, type SchemaVer } from "@igluc/runtime/iglu";
import type { Position } from "../load/positions.js";
import { BUMP_RANK, diffSchemas, type Bump } from "./diff.js";

export interface Version {
  readonly key: SchemaKey;
  readonly ver: SchemaVer;
  readonly uri: string;
  readonly file: string;
  /** The schema with its references resolved; absent when it failed other checks (then it is not compared). */
  readonly schema?: Readonly<Record<string, unknown>>;
  positionOf(pointer: string): Position | undefined;
}

export interface HistoryChecks {
  readonly bumps: boolean;
}

const show = formatSchemaVer;
const NAMES: Readonly<Record<Bump, string>> = { addition: "an ADDITION", revision: "a REVISION", model: "a MODEL" };

export function checkHistory(versions: readonly Version[], checks: HistoryChecks): Diagnostic[] {
  const families = new Map<string, Version[]>();
  for (const v of versions) {
    const id = `${v.key.vendor}/${v.key.name}/${v.key.format}`;
    const list = families.get(id);
    if (list === undefined) families.set(id, [v]);
    else list.push(v);
  }
  const findings: Diagnostic[] = [];
  for (const [id, family] of families) {
    family.sort((a, b) => compareSchemaVer(a.ver, b.ver));
    const first = family[0] as Version;
    if (show(first.ver) !== "1-0-0") {
      findings.push(finding(first, "version-start", "/self/version",
        `${id} has no 1-0-0: its history starts at ${show(first.ver)}`,
        "every schema starts at 1-0-0: add that version (or, if this is the first, rename it 1-0-0)"));
    }
    for (let i = 1; i < family.length; i++) {
      const previous = family[i - 1] as Version;
      const current = family[i] as Version;
      const next = successors(previous.ver);
      if (!next.some((v) => compareSchemaVer(v, current.ver) === 0)) {
        findings.push(finding(current, "version-gap", "/self/version",
          `${show(current.ver)} follows ${show(previous.ver)}, skipping versions`,
          `after ${show(previous.ver)} comes ${show(next[0])}, ${show(next[1])} or ${show(next[2])}: add the missing versions, or renumber this one`));
        continue;
      }
      if (!checks.bumps || previous.schema === undefined || current.schema === undefined) continue;
      const declared = bumpBetween(previous.ver, current.ver);
      const { changes, unsupported } = diffSchemas(previous.schema, current.schema);
      for (const u of unsupported) {
        const p = nearestPosition(current, u.pointer);
        findings.push({
          level: "info", code: "pattern-unsupported", file: current.file, uri: current.uri, pointer: u.pointer, ...(p === undefined ? {} : { line: p.line, column: p.column }),
          message: `pattern ${JSON.stringify(u.pattern)} cannot be run in linear time (${u.reason}); the version bump check assumed it rejects what it was asked about`,
          hint: "without lookaround or backreferences the pattern is checked exactly; otherwise check this bump by hand",
        });
      }
      for (const change of changes) {
        if (BUMP_RANK[change.needs] <= BUMP_RANK[declared]) continue;
        findings.push(finding(current, "version-bump", change.pointer,
          `${show(previous.ver)} → ${show(current.ver)} is ${NAMES[declared]}, but ${change.what}: that needs ${NAMES[change.needs]}`,
          `publish this as ${show(bumped(previous.ver, change.needs))} instead, or undo the change`));
      }
    }
  }
  return findings;
}

/** The three versions that may follow `v`: ADDITION + 1, REVISION + 1, MODEL + 1. */
function successors(v: SchemaVer): [SchemaVer, SchemaVer, SchemaVer] {
  return [bumped(v, "addition"), bumped(v, "revision"), bumped(v, "model")];
}

function bumped(v: SchemaVer, by: Bump): SchemaVer {
  if (by === "model") return { model: v.model + 1, revision: 0, addition: 0 };
  if (by === "revision") return { model: v.model, revision: v.revision + 1, addition: 0 };
  return { model: v.model, revision: v.revision, addition: v.addition + 1 };
}

export function bumpBetween(before: SchemaVer, after: SchemaVer): Bump {
  if (after.model !== before.model) return "model";
  if (after.revision !== before.revision) return "revision";
  return "addition";
}

function finding(v: Version, code: Code, pointer: string, message: string, hint: string): Diagnostic {
  const p = nearestPosition(v, pointer);
  return { level: "error", code, file: v.file, uri: v.uri, pointer, message, hint, ...(p === undefined ? {} : { line: p.line, column: p.column }) };
}

/** Where the value at `pointer` starts, or its nearest ancestor that exists. */
export function nearestPosition(doc: { positionOf(pointer: string): Position | undefined }, pointer: string): Position | undefined {
  let at = pointer;
  for (;;) {
    const p = doc.positionOf(at);
    if (p !== undefined || at === "") return p;
    at = at.slice(0, Math.max(0, at.lastIndexOf("/")));
  }
}
