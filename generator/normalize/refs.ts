/**
 * `$ref` resolution, offline. References inside a schema (`#/definitions/x`),
 * to another Iglu schema (`iglu:…` or an iglucentral.com/schemas/… URL) and
 * to the draft-04 metaschema are replaced by what they point at, from the
 * registries given; nothing is fetched. A reference that cannot be resolved
 * is an error for its schema only; a reference cycle becomes `unknown`.
 *
 * Inlining is bounded: a definition referred to twice per level doubles the
 * schema per level, so past MAX_SCHEMA_NODES subschemas (or MAX_SCHEMA_DEPTH
 * levels of nesting) the schema fails with `ref-expansion`, at the `$ref` of
 * the root schema whose expansion went too far.
 */
import { IGLU_PATTERNS, igluUri, type SchemaKey } from "@igluc/runtime/iglu";
import type { Code } from "../codes.js";
import type { Diagnostic } from "../diagnostics.js";
import { MAX_SCHEMA_DEPTH, MAX_SCHEMA_NODES } from "../limits.js";
import type { LoadedSchema } from "../model.js";
import { resolvePointer } from "../load/pointer.js";
import { isObject, mapSubschemas } from "../schema/walk.js";

/** `vendor/name/format/M-R-A` in Iglu's grammar (runtime/iglu.ts), then an optional `#fragment`. */
const KEY_AND_FRAGMENT = `(${IGLU_PATTERNS.vendor})/(${IGLU_PATTERNS.name})/(${IGLU_PATTERNS.format})/(${IGLU_PATTERNS.schemaVer})(#.*)?$`;
const IGLU_REF = new RegExp(`^iglu:${KEY_AND_FRAGMENT}`);
const IGLU_CENTRAL_REF = new RegExp(`^https?://(?:www\\.)?iglucentral\\.com/schemas/${KEY_AND_FRAGMENT}`);
const DRAFT_04 = /^https?:\/\/json-schema\.org\/draft-04\/schema#?$/;

/**
 * The Iglu schema a `$ref` names (`iglu:…` or an iglucentral.com/schemas/…
 * URL), with the fragment after `#` (empty without one); undefined when it
 * names none, a version that is not a SchemaVer (`0-0-0`, `01-0-0`) included.
 */
export function igluRefTarget(ref: string): { key: SchemaKey; fragment: string } | undefined {
  const m = IGLU_REF.exec(ref) ?? IGLU_CENTRAL_REF.exec(ref);
  if (m === null) return undefined;
  return { key: { vendor: m[1] as string, name: m[2] as string, format: m[3] as string, version: m[4] as string }, fragment: (m[5] ?? "#").slice(1) };
}

export interface Resolved {
  /** The schema with every `$ref` replaced; undefined when a reference could not be resolved. */
  readonly schema?: Record<string, unknown>;
  readonly diagnostics: readonly Diagnostic[];
  /** URIs of the other schemas this one drew on (their content is part of its output). */
  readonly dependencies: readonly string[];
}

export function resolveRefs(root: LoadedSchema, lookup: (uri: string) => LoadedSchema | undefined): Resolved {
  const diagnostics: Diagnostic[] = [];
  const dependencies = new Set<string>();
  const active: string[] = [];
  let failed = false;

  const report = (level: "error" | "warning", code: Code, pointer: string, message: string, hint: string): void => {
    const p = root.positionOf(pointer);
    diagnostics.push({
      level, code, message, hint, file: root.file.display, uri: root.uri, pointer,
      ...(p !== undefined ? { line: p.line, column: p.column } : {}),
    });
  };

  let nodes = 0;
  /**
   * Walks `node`, found in document `doc`; `at` is where it sits in the root schema once inlined, and
   * `anchor` the root schema's own `$ref` being expanded (undefined outside any), for messages.
   */
  const walk = (node: unknown, doc: LoadedSchema, at: string, anchor: string | undefined, inline = true): unknown => {
    if (!isObject(node)) return node;
    if (++nodes > MAX_SCHEMA_NODES) throw new Oversized(`has more than ${MAX_SCHEMA_NODES} subschemas`, at, anchor);
    if (nesting(at) > MAX_SCHEMA_DEPTH) throw new Oversized(`is nested deeper than ${MAX_SCHEMA_DEPTH} levels`, at, anchor);
    const ref = node.$ref;
    if (typeof ref !== "string") {
      // Definitions are only read through references: inside them, references are checked, not inlined.
      const definitions = `${at}/definitions/`;
      return mapSubschemas(node, at, (sub, p) => walk(sub, doc, p, anchor, inline && !p.startsWith(definitions)));
    }

    const target = locate(ref, doc);
    if (target === undefined) {
      failed = true;
      report("error", "unresolved-ref", at, `$ref "${ref}" cannot be resolved offline`,
        "refer to #/definitions/… in the same schema, or to an Iglu schema (iglu:vendor/name/jsonschema/M-R-A) in the registries given");
      return {};
    }
    if (target === "draft-04") return inline ? { type: "object", description: "A JSON Schema (draft-04)." } : node;
    const id = `${target.doc.uri}#${target.pointer}`;
    if (inline && active.includes(id)) {
      report("warning", "recursive-ref", at, `$ref "${ref}" refers back to itself; that place is typed as unknown`,
        "recursive types are not generated; describe the nested level explicitly if it matters");
      return description(node);
    }
    const value = resolvePointer(target.doc.json, target.pointer);
    if (value === undefined) {
      failed = true;
      report("error", "unresolved-ref", at, `$ref "${ref}" points at nothing in ${target.doc.uri}`,
        `check the pointer ${target.pointer || "(root)"} exists in that schema`);
      return {};
    }
    if (!inline) return node;
    if (target.doc !== root) dependencies.add(target.doc.uri);
    active.push(id);
    const resolved = walk(stripSelfDescription(value), target.doc, at, anchor ?? at);
    active.pop();
    // Siblings of $ref are ignored by draft-04, but a description there still documents the field.
    return isObject(resolved) && typeof node.description === "string" ? { ...resolved, description: node.description } : resolved;
  };

  const locate = (ref: string, doc: LoadedSchema): { doc: LoadedSchema; pointer: string } | "draft-04" | undefined => {
    if (ref.startsWith("#")) return { doc, pointer: decodeFragment(ref.slice(1)) };
    if (DRAFT_04.test(ref)) return "draft-04";
    const named = igluRefTarget(ref);
    if (named === undefined) return undefined;
    const target = lookup(igluUri(named.key));
    return target === undefined ? undefined : { doc: target, pointer: decodeFragment(named.fragment) };
  };

  let schema: Record<string, unknown> | undefined;
  try {
    schema = walk(root.json, root, "", undefined) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof Oversized)) throw error;
    failed = true;
    const where = error.anchor === undefined ? "" : `, expanding the $ref at ${error.anchor || "the root"},`;
    report("error", "ref-expansion", error.anchor ?? error.at, `with its $refs inlined${where} this schema ${error.what} (at ${error.at || "the root"}); igluc stops there`,
      "a $ref used more than once is copied at each use, so references reused at every level grow the schema exponentially: reuse definitions at fewer levels, or shorten the chain of references");
  }
  return failed || schema === undefined ? { diagnostics, dependencies: [...dependencies].sort() } : { schema, diagnostics, dependencies: [...dependencies].sort() };
}

/** Thrown to stop an expansion that went past a limit. */
class Oversized {
  constructor(readonly what: string, readonly at: string, readonly anchor: string | undefined) {}
}

/** How many levels of objects and arrays deep a pointer is. */
function nesting(pointer: string): number {
  let n = 0;
  for (let i = pointer.indexOf("/"); i !== -1; i = pointer.indexOf("/", i + 1)) n++;
  return n;
}

/** A referenced whole schema loses its self-description: `$schema` and `self` describe the file, not the type. */
function stripSelfDescription(value: unknown): unknown {
  if (!isObject(value) || !("self" in value || "$schema" in value)) return value;
  const { $schema: _schema, self: _self, ...rest } = value;
  return rest;
}

function description(node: Record<string, unknown>): Record<string, unknown> {
  return typeof node.description === "string" ? { description: node.description } : {};
}

function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}
