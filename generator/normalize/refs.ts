/**
 * `$ref` resolution, offline. References inside a schema (`#/definitions/x`),
 * to another Iglu schema (`iglu:…` or an iglucentral.com/schemas/… URL) and
 * to the draft-04 metaschema are replaced by what they point at, from the
 * registries given; nothing is fetched. A reference that cannot be resolved
 * is an error for its schema only; a reference cycle becomes `unknown`.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { LoadedSchema } from "../model.js";
import { isObject, mapSubschemas, resolvePointer } from "./walk.js";

const IGLU_REF = /^iglu:([a-zA-Z0-9\-_.]+)\/([a-zA-Z0-9\-_]+)\/([a-zA-Z0-9\-_]+)\/([0-9]+-[0-9]+-[0-9]+)(#.*)?$/;
const IGLU_CENTRAL_REF = /^https?:\/\/(?:www\.)?iglucentral\.com\/schemas\/([a-zA-Z0-9\-_.]+)\/([a-zA-Z0-9\-_]+)\/([a-zA-Z0-9\-_]+)\/([0-9]+-[0-9]+-[0-9]+)(#.*)?$/;
const DRAFT_04 = /^https?:\/\/json-schema\.org\/draft-04\/schema#?$/;

/** The Iglu schema a `$ref` names (`iglu:…` or an iglucentral.com/schemas/… URL), if it names one. */
export function igluRefTarget(ref: string): { vendor: string; name: string; format: string; version: string } | undefined {
  const m = IGLU_REF.exec(ref) ?? IGLU_CENTRAL_REF.exec(ref);
  return m === null ? undefined : { vendor: m[1] as string, name: m[2] as string, format: m[3] as string, version: m[4] as string };
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

  const report = (level: "error" | "warning", code: string, pointer: string, message: string, hint: string): void => {
    const p = root.positionOf(pointer);
    diagnostics.push({
      level, code, message, hint, file: root.file.display, uri: root.uri, pointer,
      ...(p !== undefined ? { line: p.line, column: p.column } : {}),
    });
  };

  /** Walks `node`, found in document `doc` at `docPointer`; `at` is where it sits in the root schema, for messages. */
  const walk = (node: unknown, doc: LoadedSchema, at: string): unknown => {
    if (!isObject(node)) return node;
    const ref = node.$ref;
    if (typeof ref !== "string") return mapSubschemas(node, at, (sub, p) => walk(sub, doc, p));

    const target = locate(ref, doc);
    if (target === undefined) {
      failed = true;
      report("error", "unresolved-ref", at, `$ref "${ref}" cannot be resolved offline`,
        "refer to #/definitions/… in the same schema, or to an Iglu schema (iglu:vendor/name/jsonschema/M-R-A) in the registries given");
      return {};
    }
    if (target === "draft-04") return { type: "object", description: "A JSON Schema (draft-04)." };
    const id = `${target.doc.uri}#${target.pointer}`;
    if (active.includes(id)) {
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
    if (target.doc !== root) dependencies.add(target.doc.uri);
    active.push(id);
    const resolved = walk(stripSelfDescription(value), target.doc, at);
    active.pop();
    // Siblings of $ref are ignored by draft-04, but a description there still documents the field.
    return isObject(resolved) && typeof node.description === "string" ? { ...resolved, description: node.description } : resolved;
  };

  const locate = (ref: string, doc: LoadedSchema): { doc: LoadedSchema; pointer: string } | "draft-04" | undefined => {
    if (ref.startsWith("#")) return { doc, pointer: decodeFragment(ref.slice(1)) };
    if (DRAFT_04.test(ref)) return "draft-04";
    const m = IGLU_REF.exec(ref) ?? IGLU_CENTRAL_REF.exec(ref);
    if (m === null) return undefined;
    const target = lookup(`iglu:${m[1]}/${m[2]}/${m[3]}/${m[4]}`);
    return target === undefined ? undefined : { doc: target, pointer: decodeFragment((m[5] ?? "#").slice(1)) };
  };

  const schema = walk(root.json, root, "") as Record<string, unknown>;
  return failed ? { diagnostics, dependencies: [...dependencies].sort() } : { schema, diagnostics, dependencies: [...dependencies].sort() };
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
