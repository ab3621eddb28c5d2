/**
 * The validator of the Iglu metaschema (draft-04 with `self`), which every
 * schema igluc reads is checked against: precompiled by the build
 * (precompiled.ts), compiled here when that file is missing or stale.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
type Ajv = import("ajv").default;
import type { ValidateFunction } from "ajv";
import { fingerprintOf, loadPrecompiled, packageRoot } from "./precompiled.js";

export const META_URI = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";
const META_PATH = "schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0";
/** The precompiled file's name. */
export const METASCHEMA = "metaschema";

const require = createRequire(import.meta.url);
/** ajv's settings for the metaschema: every error, not only the first; unknown keywords allowed, as in real schemas. */
const OPTIONS = { strict: false, allErrors: true } as const;

function source(): { meta: Record<string, unknown>; fingerprint: string } {
  const text = fs.readFileSync(path.join(packageRoot(), META_PATH), "utf8");
  return { meta: JSON.parse(text) as Record<string, unknown>, fingerprint: fingerprintOf([text, OPTIONS]) };
}

/** ajv set up for the metaschema, and its validator; `standalone` keeps the code for precompile.ts. */
export function compileMetaschema(standalone = false): { ajv: Ajv; validate: ValidateFunction; fingerprint: string } {
  const { meta, fingerprint } = source();
  const Ajv04 = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
  const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;
  const ajv = new Ajv04({ ...OPTIONS, ...(standalone ? { code: { source: true } } : {}) });
  addFormats(ajv);
  ajv.addKeyword("self");
  ajv.addMetaSchema(meta, META_URI);
  return { ajv, validate: ajv.getSchema(META_URI) as ValidateFunction, fingerprint };
}

/** The metaschema's validator: the precompiled one when it is current, else compiled now. */
export function metaschemaValidator(): ValidateFunction {
  return loadPrecompiled(METASCHEMA, source().fingerprint) ?? compileMetaschema().validate;
}
