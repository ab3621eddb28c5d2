/**
 * Incremental runs: a schema whose inputs did not change since the last run
 * keeps its module as it is on disk, without compiling its types again. Its
 * inputs, hashed into the key the manifest records for it: its own text, the
 * texts of every schema it refers to (transitively, found by their `$ref`s, however spelt),
 * its names (what it is called, what its module is called, and the other
 * type names that begin with its own, which its item types avoid), what
 * supersedes it (its `@deprecated` note), the options
 * and the generator's version. A module is reused only when each of its files
 * is on disk with the content the manifest says igluc wrote.
 */
import path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import type { Names } from "../normalize/names.js";
import type { SchemaJob } from "./schema-job.js";
import { hash } from "../write/output.js";
import { readRegularFile } from "../load/bounded-read.js";
import { MAX_OUTPUT_FILE_BYTES } from "../limits.js";
import type { Candidate } from "../model.js";
import { formsOf, VALIDATOR_SUFFIXES } from "./forms.js";
import { igluRefTarget } from "../normalize/refs.js";
import { igluUri } from "@igluc/runtime/iglu";
import type { PlannedOutput } from "./outputs.js";

/** Iglu URIs a schema's `$ref`s name: iglu:… and Iglu Central's http(s) forms (as normalize/refs.ts reads them). */
const REF = /"\$ref"\s*:\s*"(?:iglu:|https?:\/\/(?:www\.)?iglucentral\.com\/schemas\/)([^"#\s]+\/[^"#\s]+\/[^"#\s]+\/[^"#\s]+?)(?:#[^"]*)?"/g;
/** The only escapes a `$ref` key or an Iglu URI can be written with; Iglu Central has none. */
const MAYBE_ESCAPED_REF = /\\[u/]/;
/** JSON values looked at, at most, when a text with escapes is walked for its references. */
const MAX_WALKED = 1_000_000;

/**
 * The Iglu URIs a schema's text refers to. The text is scanned; a text with a JSON escape
 * (`$r\u0065f`, `iglu:com.acme\/cart…`), which a scan would miss, is parsed and walked. The walk takes every
 * JSON value, as the scan does, rather than schema/walk.ts's subschemas: this text is not yet checked for depth,
 * and following one reference too many only compiles a schema again.
 */
function referencesIn(text: string): string[] {
  if (!MAYBE_ESCAPED_REF.test(text)) return [...new Set([...text.matchAll(REF)].map((m) => `iglu:${m[1]!}`))];
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return [];
  }
  const found = new Set<string>();
  const stack: unknown[] = [root];
  for (let walked = 0; stack.length > 0 && walked < MAX_WALKED; walked++) {
    const value = stack.pop();
    if (value === null || typeof value !== "object") continue;
    for (const [key, child] of Object.entries(value)) {
      const target = key === "$ref" && typeof child === "string" ? igluRefTarget(child) : undefined;
      if (target !== undefined) found.add(igluUri(target.key));
      else stack.push(child);
    }
  }
  return [...found];
}
/** Referenced schemas followed at most, per schema. */
const MAX_DEPENDENCIES = 1_000;

export interface ModuleKeys {
  /** The key of a schema's module under these names. */
  keyOf(uri: string, names: Names, job: Pick<SchemaJob, "reserved" | "deprecated">): string;
}

/**
 * `texts`: every schema's text (or why it could not be read), by Iglu URI; `hashes`: each readable text's hash (the run
 * hashed them already, for its inputs); `base`: what every module depends on (options, version).
 */
export function moduleKeys(texts: ReadonlyMap<string, string | Diagnostic>, hashes: ReadonlyMap<string, string>, base: string): ModuleKeys {
  const hashOf = (uri: string): string | null => (typeof texts.get(uri) === "string" ? hashes.get(uri) ?? hash(texts.get(uri) as string) : null);
  const direct = new Map<string, string[]>();
  const refsOf = (uri: string): string[] => {
    let found = direct.get(uri);
    if (found === undefined) {
      const text = texts.get(uri);
      found = typeof text === "string" ? referencesIn(text) : [];
      direct.set(uri, found);
    }
    return found;
  };
  return {
    keyOf(uri, names, { reserved, deprecated }) {
      const seen = new Set<string>();
      const queue = [...refsOf(uri)];
      while (queue.length > 0 && seen.size < MAX_DEPENDENCIES) {
        const next = queue.shift()!;
        if (next === uri || seen.has(next)) continue;
        seen.add(next);
        queue.push(...refsOf(next));
      }
      const dependencies = [...seen].sort().map((d) => [d, hashOf(d)]);
      return hash(JSON.stringify([base, names, reserved, deprecated ?? null, hashOf(uri), dependencies]));
    },
  };
}

/** Which of an output's modules the last run wrote can stay as they are: same key (moduleKeys), files intact (intactFiles). */
export function planReuse(
  output: Omit<PlannedOutput, "keys" | "reusable">, selected: readonly Candidate[], names: ReadonlyMap<string, Names>,
  jobs: ReadonlyMap<string, SchemaJob>, textOf: ReadonlyMap<string, string | Diagnostic>, hashOf: ReadonlyMap<string, string>,
): PlannedOutput {
  const keys = new Map<string, string>();
  const reusable = new Map<string, readonly IntactFile[]>();
  if (!output.singleFile) {
    const keyOf = moduleKeys(textOf, hashOf, output.fingerprint);
    const forms = formsOf(output.emit);
    const buffer = readBuffer();
    for (const candidate of selected) {
      const named = names.get(candidate.uri);
      if (named === undefined) continue;
      const key = keyOf.keyOf(candidate.uri, named, jobs.get(candidate.uri)!);
      keys.set(candidate.uri, key);
      if (output.previous?.modules[candidate.uri]?.key !== key) continue;
      const validatorFiles = output.validators !== undefined ? VALIDATOR_SUFFIXES.map((suffix) => `${named.file}${suffix}`) : [];
      const files = intactFiles(output.out, output.previous.files, [...forms.map((f) => `${named.file}${f.suffix}`), ...validatorFiles], buffer);
      if (files !== undefined) reusable.set(candidate.uri, files);
    }
  }
  return { ...output, keys, reusable };
}

/**
 * The files the last run wrote, with their hashes, when every one is on disk
 * with the content the manifest records for it (`recorded`); else undefined.
 * Their content is not kept: the writer records them as unchanged (OutputWriter.keep)
 * rather than reading and hashing each again.
 */
export function intactFiles(out: string, recorded: Readonly<Record<string, string>> | undefined, fileNames: readonly string[], buffer?: Buffer): IntactFile[] | undefined {
  if (recorded === undefined) return undefined;
  const files: IntactFile[] = [];
  for (const name of fileNames) {
    const expected = recorded[name];
    if (expected === undefined) return undefined;
    const content = readRegularFile(path.join(out, name), MAX_OUTPUT_FILE_BYTES, buffer);
    if (content === undefined || hash(content) !== expected) return undefined;
    files.push({ name, hash: expected });
  }
  return files;
}

/** A buffer intactFiles reads each module into in turn, rather than allocating one a file; larger modules are read as usual. */
export function readBuffer(): Buffer {
  return Buffer.allocUnsafe(READ_BUFFER);
}
const READ_BUFFER = 256 * 1024;

/** A file on disk found to hold what the manifest records for it. */
export interface IntactFile {
  readonly name: string;
  readonly hash: string;
}
