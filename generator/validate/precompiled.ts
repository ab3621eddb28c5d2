/**
 * Validators ajv compiles once, at build time, instead of in every run:
 * compiling a schema costs tens of milliseconds, loading its standalone code
 * a few. The build (precompile.ts) writes each as a CommonJS module stamped
 * with a fingerprint of what it was compiled from (the schema, the options,
 * ajv's version); a run uses the file only when the fingerprint matches what
 * it would compile, and compiles as before otherwise (the file missing,
 * running from source, or stale), so the result never depends on the path.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
type Ajv = import("ajv").default;
import type { ValidateFunction } from "ajv";

const require = createRequire(import.meta.url);
/** Where the build writes them, from the package root. */
export const PRECOMPILED_DIR = "dist/generator/precompiled";
/** A file every installed igluc has at its root (the Iglu metaschema), to find that root from here or from dist/. */
const MARKER = "schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0";

let root: string | undefined;

/** The package's root folder (the repository, or the installed package); looked for once, as start-up asks for it per validator. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, MARKER))) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("igluc: cannot find its own schemas/ folder (is the package installed whole?)");
    dir = parent;
  }
}

const versionOf = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;

/** What a validator is compiled from, with the versions of the compilers, hashed. */
export function fingerprintOf(what: unknown): string {
  return createHash("sha256").update(JSON.stringify([what, versionOf("ajv"), versionOf("ajv-draft-04")])).digest("hex");
}

/** The validator the build wrote as `name`, when it was compiled from what `fingerprint` says. */
export function loadPrecompiled(name: string, fingerprint: string): ValidateFunction | undefined {
  try {
    const loaded = require(path.join(packageRoot(), PRECOMPILED_DIR, `${name}.cjs`)) as ValidateFunction & { fingerprint?: string };
    return loaded.fingerprint === fingerprint ? loaded : undefined;
  } catch {
    return undefined;
  }
}

/** The module the build writes for a validator ajv compiled with `code: { source: true }`. */
export function standaloneModule(ajv: Ajv, validate: ValidateFunction, fingerprint: string): string {
  const standaloneCode = (require("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js")).default;
  return `${standaloneCode(ajv, validate)}\nmodule.exports.fingerprint = ${JSON.stringify(fingerprint)};\n`;
}
