/**
 * Which generated schemas are superseded, and by what: a MODEL whose family
 * has a newer MODEL in the same output (`…/1-0-2` when `…/2-0-0` is there
 * too), or a schema that names its successor with Iglu's `$supersededBy`.
 * Its type, constant, builder and track function are marked `@deprecated`
 * with the newer Iglu URI, so editors strike the old calls through.
 */
import { compareSchemaVer, igluUri, parseSchemaVer } from "@igluc/runtime/iglu";
import type { Diagnostic } from "../diagnostics.js";
import type { Candidate } from "../model.js";
import type { Names } from "./names.js";

export interface Supersession {
  /** The Iglu URI of the newer schema. */
  readonly uri: string;
  /** Its names, when it is generated in the same run. */
  readonly names?: Names;
}

/** Each selected schema that is superseded, by Iglu URI. `texts`: the schemas' texts, for `$supersededBy`. */
export function supersessions(
  selected: readonly Candidate[], names: ReadonlyMap<string, Names>, texts: ReadonlyMap<string, string | Diagnostic>,
): Map<string, Supersession> {
  const latest = new Map<string, Candidate>();
  const family = (c: Candidate): string => `${c.key.vendor}/${c.key.name}/${c.key.format}`;
  for (const c of selected) {
    if (!names.has(c.uri)) continue;
    const known = latest.get(family(c));
    if (known === undefined || compareSchemaVer(c.ver, known.ver) > 0) latest.set(family(c), c);
  }
  const result = new Map<string, Supersession>();
  for (const c of selected) {
    if (!names.has(c.uri)) continue;
    const by = supersededBy(c, texts.get(c.uri));
    const newer = latest.get(family(c))!;
    if (by !== undefined) result.set(c.uri, { uri: by, ...(names.has(by) ? { names: names.get(by)! } : {}) });
    else if (newer.ver.model > c.ver.model) result.set(c.uri, { uri: newer.uri, names: names.get(newer.uri)! });
  }
  return result;
}

/** The URI a schema's own `$supersededBy` names, when it is a SchemaVer newer than the schema's. */
function supersededBy(c: Candidate, text: string | Diagnostic | undefined): string | undefined {
  // Most schemas never mention it: parse only those that do.
  if (typeof text !== "string" || !text.includes('"$supersededBy"')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const version = typeof json === "object" && json !== null ? (json as Record<string, unknown>).$supersededBy : undefined;
  const ver = typeof version === "string" ? parseSchemaVer(version) : undefined;
  if (ver === undefined || compareSchemaVer(ver, c.ver) <= 0) return undefined;
  return igluUri({ ...c.key, version: version as string });
}

/** The `@deprecated` tag's text: the newer URI, and what to call instead when it is generated too. */
export function supersededNote(s: Supersession): string {
  return s.names === undefined ? `Superseded by ${s.uri}.` : `Superseded by ${s.uri}: use \`${s.names.type}\` and \`${s.names.track}\`.`;
}
