/**
 * The schemas igluc micro validates against: static registry folders (the
 * user's, those fetched from repositories, and igluc's own schemas/ with the
 * tracker protocol's envelopes), indexed by URI at start, each file read and
 * compiled (ajv, draft-04, ajv-formats) the first time an event needs it and
 * kept. Patterns run on RE2 (linear time) where RE2 can take them, so no
 * event can make a schema's pattern backtrack for minutes.
 */
import path from "node:path";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import { RE2JS } from "re2js";
import { igluUri } from "@igluc/runtime/iglu";
import { escapeText } from "@igluc/runtime/validation";
import type { Diagnostic } from "../diagnostics.js";
import { findSchemas, readSchemaFile } from "../load/registry.js";
import { packageRoot } from "../validate/precompiled.js";
import { remembered } from "./remember.js";
import type { SchemaFile } from "../model.js";

const require = createRequire(import.meta.url);
// ajv-draft-04 and ajv-formats are CommonJS with default exports.
const Ajv04 = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;

/** igluc's own registry (payload_data, contexts, unstruct_event, the built-in events), shipped in the package's schemas/. */
function bundledDir(): string {
  return path.join(packageRoot(), "schemas");
}

/** A schema's validator, or why there is none (unknown, unreadable, not JSON, does not compile). */
export type Compiled = { readonly validate: ValidateFunction } | { readonly problem: string };

/** RE2 where it can take the pattern, ECMAScript's engine otherwise (lookaround, backreferences). */
const regExp = Object.assign((pattern: string, flags: string) => {
  try {
    const compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
    // RE2 in JavaScript is slow, and the same values (schema URIs) come again and again: answers are remembered, boundedly.
    const test = remembered((input) => compiled.test(input));
    // ajv keeps one compiled pattern per toString(): it must differ per pattern.
    return { test, toString: () => `/${pattern}/${flags}` };
  } catch {
    return new RegExp(pattern, flags);
  }
}, { code: "re2js" });

export class SchemaSet {
  private readonly files = new Map<string, SchemaFile>();
  private readonly compiled = new Map<string, Compiled>();
  private readonly documents = new Map<string, unknown>();
  private readonly ajv = new Ajv04({
    allErrors: true, verbose: true, strict: false, validateSchema: false, addUsedSchema: false, logger: false,
    code: { regExp }, messages: true,
  });
  /** Notices from indexing the folders (a missing folder, a duplicate schema). */
  readonly diagnostics: readonly Diagnostic[];

  /** `dirs` first to last, igluc's own schemas after them (a schema given twice: the first wins). */
  constructor(dirs: readonly string[], cwd: string) {
    addFormats(this.ajv);
    const found = findSchemas([...dirs, bundledDir()], cwd);
    for (const file of found.files) this.files.set(igluUri(file.key), file);
    this.diagnostics = found.diagnostics;
  }

  get size(): number {
    return this.files.size;
  }

  /** The schema document (for /micro/iglu), undefined when unknown or unreadable. */
  document(uri: string): unknown {
    if (!this.documents.has(uri)) this.load(uri);
    return this.documents.get(uri);
  }

  /** The validator of `uri`, compiled once. */
  validator(uri: string): Compiled {
    let compiled = this.compiled.get(uri);
    if (compiled === undefined) {
      compiled = this.compile(uri);
      // Only the registries' schemas are kept: URIs come from clients, and unknown ones could fill the cache for ever.
      if (this.files.has(uri)) this.compiled.set(uri, compiled);
    }
    return compiled;
  }

  private load(uri: string): { document: unknown } | { problem: string } {
    const file = this.files.get(uri);
    if (file === undefined) return { problem: `${escapeText(uri)}: unknown schema (not in the registries given; add its registry with --schemas or --resolver)` };
    const read = readSchemaFile(file);
    if ("diagnostic" in read) return { problem: `${uri}: schema file ${read.diagnostic.message}` };
    try {
      const document = JSON.parse(read.text) as unknown;
      this.documents.set(uri, document);
      return { document };
    } catch (error) {
      return { problem: `${uri}: schema file ${file.display} is not JSON (${error instanceof Error ? error.message : String(error)})` };
    }
  }

  private compile(uri: string): Compiled {
    const loaded = this.load(uri);
    if ("problem" in loaded) return loaded;
    const { document } = loaded;
    if (document === null || typeof document !== "object" || Array.isArray(document)) return { problem: `${uri}: schema file is not a JSON object` };
    // The Iglu metaschema is not draft-04's; the schema's own keywords are what is checked.
    const { $schema: _meta, self: _self, ...schema } = document as Record<string, unknown>;
    try {
      return { validate: this.ajv.compile(schema) };
    } catch (error) {
      return { problem: `${uri}: schema does not compile (${error instanceof Error ? error.message : String(error)})` };
    }
  }
}

