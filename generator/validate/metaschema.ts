/**
 * The validator of the Iglu metaschema (draft-04 with `self`), which every
 * schema igluc reads is checked against. Compiling it with ajv costs about
 * 75 ms of every run that reads a schema, so the build writes it once as
 * ajv's standalone code (`npm run build`: precompile.ts) and runs load that
 * file instead (about 5 ms). The file records what it was compiled from (the
 * metaschema's text, ajv's and ajv-draft-04's versions, the options): when
 * any differs, or the file is missing, the validator is compiled here as
 * before, so the result never depends on which path was taken.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";

export const META_URI = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";
const META_PATH = "schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0";
/** Where the build writes the standalone validator, from the package root. */
export const PRECOMPILED_PATH = "dist/generator/validate/metaschema.cjs";

const require = createRequire(import.meta.url);
/** ajv's settings for the metaschema: every error, not only the first; unknown keywords allowed, as in real schemas. */
const OPTIONS = { strict: false, allErrors: true } as const;

/** The package's own copy of the Iglu metaschema (shipped in schemas/). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, META_PATH))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("igluc: cannot find its own schemas/ folder (is the package installed whole?)");
    dir = parent;
  }
}

interface Source {
  readonly meta: Record<string, unknown>;
  /** What a precompiled validator must have been compiled from to be used. */
  readonly fingerprint: string;
}

function source(root: string): Source {
  const text = fs.readFileSync(path.join(root, META_PATH), "utf8");
  const version = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;
  const fingerprint = createHash("sha256").update(JSON.stringify([text, version("ajv"), version("ajv-draft-04"), OPTIONS])).digest("hex");
  return { meta: JSON.parse(text) as Record<string, unknown>, fingerprint };
}

function compile(meta: Record<string, unknown>, standalone: boolean): { ajv: import("ajv").default; validate: ValidateFunction } {
  const Ajv04 = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
  const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;
  const ajv = new Ajv04({ ...OPTIONS, ...(standalone ? { code: { source: true } } : {}) });
  addFormats(ajv);
  ajv.addKeyword("self");
  ajv.addMetaSchema(meta, META_URI);
  return { ajv, validate: ajv.getSchema(META_URI) as ValidateFunction };
}

/** The metaschema's validator: the precompiled one when it is current, else compiled now. */
export function metaschemaValidator(): ValidateFunction {
  const root = packageRoot();
  const { meta, fingerprint } = source(root);
  try {
    const loaded = require(path.join(root, PRECOMPILED_PATH)) as ValidateFunction & { fingerprint?: string };
    if (loaded.fingerprint === fingerprint) return loaded;
  } catch {
    // Not built (running from source before `npm run build`): compiled below.
  }
  return compile(meta, false).validate;
}

/** The validator compiled now, whatever was built (for the test that both agree). */
export function compiledMetaschemaValidator(): ValidateFunction {
  return compile(source(packageRoot()).meta, false).validate;
}

/** The standalone module precompile.ts writes: ajv's code, and the fingerprint of what it was made from. */
export function metaschemaModule(): string {
  const { meta, fingerprint } = source(packageRoot());
  const { ajv, validate } = compile(meta, true);
  const standaloneCode = (require("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js")).default;
  return `${standaloneCode(ajv, validate)}\nmodule.exports.fingerprint = ${JSON.stringify(fingerprint)};\n`;
}
