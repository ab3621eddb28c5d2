/**
 * Is a file a well-formed self-describing schema? JSON syntax (with line and
 * column), duplicate keys, the Iglu metaschema (ajv, draft-04), a valid
 * SchemaVer, and a location that agrees with `self`.
 */
import type { ErrorObject } from "ajv";
import type { Diagnostic } from "../diagnostics.js";
import { parseJson } from "../load/json.js";
import { escapePointerToken } from "../load/pointer.js";
import type { Position } from "../load/positions.js";
import { MAX_DUPLICATE_KEYS_REPORTED, MAX_ENUM_VALUES, MAX_META_ERRORS, MAX_SCHEMA_DEPTH } from "../limits.js";
import { igluUri, parseSchemaVer } from "@igluc/runtime/iglu";
import type { LoadedSchema, SchemaFile } from "../model.js";
import { forEachSubschema, isObject } from "../schema/walk.js";
import { META_URI, metaschemaValidator } from "./metaschema.js";

export { META_URI } from "./metaschema.js";

export interface CheckedFile {
  /** Present when every check passed. */
  readonly schema?: LoadedSchema;
  /** The parsed document whenever the file is a JSON object, even one that failed other checks (lint goes on with it). */
  readonly document?: ParsedDocument;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParsedDocument {
  readonly json: Readonly<Record<string, unknown>>;
  positionOf(pointer: string): Position | undefined;
}

export type SelfCheck = (file: SchemaFile, text: string) => CheckedFile;

export function createSelfCheck(): SelfCheck {
  // Loaded here, not at import: a run with nothing to do never needs it.
  const validateMeta = metaschemaValidator();

  return (file, text) => {
    const diagnostics: Diagnostic[] = [];
    const pathUri = igluUri(file.key);
    const parsed = parseJson(text, { maxDepth: MAX_SCHEMA_DEPTH });
    if (!parsed.ok) {
      const { error } = parsed;
      diagnostics.push(error.kind === "depth"
        ? {
          level: "error", code: "too-deep", file: file.display, uri: pathUri, pointer: error.pointer ?? "",
          line: error.position.line, column: error.position.column,
          message: `nested deeper than ${MAX_SCHEMA_DEPTH} levels of objects and arrays; igluc reads no further`,
          hint: "flatten the schema: move nested parts to definitions, or split it into schemas that refer to each other",
        }
        : {
          level: "error", code: "json-syntax", file: file.display, uri: pathUri,
          line: error.position.line, column: error.position.column,
          message: error.message, hint: "fix the JSON syntax at that line and column",
        });
      return { diagnostics };
    }
    const { json } = parsed;
    const at = (pointer: string): { line?: number; column?: number } => {
      const p = json.positionOf(pointer) ?? json.positionOf(parentPointer(pointer)) ?? json.positionOf("");
      return p === undefined ? {} : { line: p.line, column: p.column };
    };
    for (const dup of json.duplicates.slice(0, MAX_DUPLICATE_KEYS_REPORTED)) {
      diagnostics.push({
        level: "error", code: "duplicate-key", file: file.display, uri: pathUri, pointer: dup.pointer,
        line: dup.second.line, column: dup.second.column,
        message: `key "${dup.key}" appears twice (first at line ${dup.first.line}); JSON.parse would silently keep the second`,
        hint: "remove or rename one of the two members",
      });
    }
    if (json.duplicates.length > MAX_DUPLICATE_KEYS_REPORTED) {
      const rest = json.duplicates.length - MAX_DUPLICATE_KEYS_REPORTED;
      diagnostics.push({
        level: "error", code: "duplicate-key", file: file.display, uri: pathUri, pointer: "", ...at(""),
        message: `${rest} more duplicate key${rest === 1 ? "" : "s"} not listed`, hint: "remove the duplicates listed first, then lint again",
      });
    }
    const value = json.value;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      diagnostics.push({
        level: "error", code: "not-a-schema", file: file.display, uri: pathUri, pointer: "", ...at(""),
        message: "the document is not a JSON object", hint: "a self-describing schema is an object with $schema and self",
      });
      return { diagnostics };
    }
    const schema = value as Record<string, unknown>;
    const document: ParsedDocument = { json: schema, positionOf: (pointer) => json.positionOf(pointer) };
    if (schema.$schema !== META_URI) {
      diagnostics.push({
        level: "error", code: "schema-uri", file: file.display, uri: pathUri, pointer: "/$schema", ...at("/$schema"),
        message: schema.$schema === undefined ? "$schema is missing" : `$schema is ${JSON.stringify(schema.$schema)}, not the Iglu metaschema`,
        hint: `set "$schema": "${META_URI}"`,
      });
    }
    // The draft-04 metaschema's `uniqueItems` on `enum` compares every pair of values: 100,000 took a minute.
    const oversized = oversizedEnums(schema);
    for (const pointer of oversized) {
      diagnostics.push({
        level: "error", code: "enum-too-long", file: file.display, uri: pathUri, pointer, ...at(pointer),
        message: `${pointer} lists more than ${MAX_ENUM_VALUES} values; igluc checks no further`,
        hint: "an enum this long is data, not a type: use a pattern, a format or a string with a description",
      });
    }
    if (oversized.length === 0 && !validateMeta(schema)) {
      for (const error of dedupe(validateMeta.errors ?? []).slice(0, MAX_META_ERRORS)) {
        const pointer = errorPointer(error);
        const aboutSelf = pointer === "/self" || pointer.startsWith("/self/");
        diagnostics.push({
          level: "error", code: aboutSelf ? "self-description" : "draft-04", file: file.display, uri: pathUri, pointer, ...at(pointer),
          message: `${pointer || "the schema"} ${error.message ?? "is invalid"}${describeParams(error)}`,
          hint: aboutSelf
            ? "self needs vendor, name, format and version: vendor [a-zA-Z0-9-_.], the others [a-zA-Z0-9-_], version M-R-A"
            : "the schema must be valid draft-04 JSON Schema: fix the keyword at that pointer",
        });
      }
    }
    // ajv does not check formats (so not `"format": "regex"`) when it validates against a metaschema.
    for (const bad of invalidPatterns(schema)) {
      diagnostics.push({
        level: "error", code: "draft-04", file: file.display, uri: pathUri, pointer: bad.pointer, ...at(bad.pointer),
        message: `${bad.pointer} is not a valid regular expression: ${bad.reason}`,
        hint: "fix the regular expression (it is compiled as ECMAScript with the u flag, as ajv does)",
      });
    }
    const self = schema.self as Record<string, unknown> | undefined;
    if (self === null || typeof self !== "object") return { document, diagnostics };
    const key = { vendor: String(self.vendor), name: String(self.name), format: String(self.format), version: String(self.version) };
    const ver = parseSchemaVer(key.version);
    if (ver === undefined) {
      diagnostics.push({
        level: "error", code: "schemaver", file: file.display, uri: pathUri, pointer: "/self/version", ...at("/self/version"),
        message: `version "${key.version}" is not a SchemaVer (MODEL-REVISION-ADDITION, MODEL >= 1, no leading zeros)`,
        hint: "the first version of a schema is 1-0-0",
      });
    }
    for (const part of ["vendor", "name", "format", "version"] as const) {
      if (key[part] !== file.key[part]) {
        diagnostics.push({
          level: "error", code: "path-mismatch", file: file.display, uri: igluUri(key), pointer: `/self/${part}`, ...at(`/self/${part}`),
          message: `self.${part} is "${key[part]}" but the file's location says "${file.key[part]}"`,
          hint: `move the file to ${key.vendor}/${key.name}/${key.format}/${key.version}, or correct self`,
        });
      }
    }
    if (diagnostics.some((d) => d.level === "error") || ver === undefined) return { document, diagnostics };
    return {
      document,
      diagnostics,
      schema: { file, uri: igluUri(key), key, ver, json: schema, positionOf: (pointer) => json.positionOf(pointer) },
    };
  };
}

/** Each subschema's `enum` holding more than MAX_ENUM_VALUES values. */
function oversizedEnums(schema: Readonly<Record<string, unknown>>): string[] {
  const found: string[] = [];
  const go = (node: unknown, at: string): void => {
    if (!isObject(node)) return;
    if (Array.isArray(node.enum) && node.enum.length > MAX_ENUM_VALUES) found.push(`${at}/enum`);
    forEachSubschema(node, at, go);
  };
  go(schema, "");
  return found;
}

/** `pattern` values and `patternProperties` names that do not compile. */
function invalidPatterns(schema: Readonly<Record<string, unknown>>): { pointer: string; reason: string }[] {
  const found: { pointer: string; reason: string }[] = [];
  const test = (pattern: string, pointer: string): void => {
    try {
      new RegExp(pattern, "u");
    } catch (error) {
      found.push({ pointer, reason: (error as Error).message.replace(/^Invalid regular expression: /, "") });
    }
  };
  const go = (node: unknown, at: string): void => {
    if (!isObject(node)) return;
    if (typeof node.pattern === "string") test(node.pattern, `${at}/pattern`);
    if (isObject(node.patternProperties)) for (const key of Object.keys(node.patternProperties)) test(key, `${at}/patternProperties/${escapePointerToken(key)}`);
    forEachSubschema(node, at, go);
  };
  go(schema, "");
  return found;
}

function errorPointer(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === "required" && params.missingProperty !== undefined) return `${error.instancePath}/${escapePointerToken(params.missingProperty)}`;
  if (error.keyword === "additionalProperties" && params.additionalProperty !== undefined) return `${error.instancePath}/${escapePointerToken(params.additionalProperty)}`;
  return error.instancePath;
}

function describeParams(error: ErrorObject): string {
  const params = error.params as { allowedValues?: unknown[]; pattern?: string };
  if (error.keyword === "enum" && params.allowedValues !== undefined) return ` (one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")})`;
  return "";
}

function dedupe(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const id = `${errorPointer(e)} ${e.message ?? ""}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function parentPointer(pointer: string): string {
  const i = pointer.lastIndexOf("/");
  return i <= 0 ? "" : pointer.slice(0, i);
}
