/**
 * Validation of captured events against this project's schemas/ (ajv,
 * draft-04, the Iglu metaschema registered so every schema is itself checked).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import type { ErrorObject, ValidateFunction } from "ajv";

const require = createRequire(import.meta.url);
// ajv-draft-04 and ajv-formats are CommonJS with default exports.
const Ajv04 = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
const addFormats = require("ajv-formats") as typeof import("ajv-formats").default;

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SCHEMAS_DIR = path.join(ROOT, "schemas");
export const IGLU_CENTRAL_DIR = path.resolve(ROOT, "../shared/iglu-central/schemas");
const META_URI = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";

/**
 * The `skip` option of a test that reads Iglu Central: false where it is
 * there; the reason where it is not, on a developer's machine. Under CI
 * (CI set) it is never skipped: CI has ../shared/iglu-central beside the
 * clone, so its absence must fail, and the test fails reading it.
 */
export function skipWithoutIgluCentral(): false | string {
  if (fs.existsSync(IGLU_CENTRAL_DIR) || process.env.CI !== undefined) return false;
  return `Iglu Central is not checked out at ${IGLU_CENTRAL_DIR} (under CI this fails)`;
}

/**
 * `describe` for a suite that reads Iglu Central. Where it is absent, one
 * test stands in for the suite: skipped, saying why, on a developer's
 * machine (so the run counts a skip, not "tests 0, skipped 0"); failing
 * under CI.
 */
export function describeWithIgluCentral(name: string, options: { timeout?: number }, suite: () => void): void {
  if (fs.existsSync(IGLU_CENTRAL_DIR)) {
    describe(name, options, suite);
    return;
  }
  const skip = skipWithoutIgluCentral();
  test(name, { skip }, () => {
    throw new Error(`Iglu Central is not checked out at ${IGLU_CENTRAL_DIR}; CI must provide ../shared/iglu-central`);
  });
}

export type Payload = Record<string, string>;

/** Every schema file under a static-registry folder, as [iglu URI, parsed JSON]. */
export function readRegistry(dir: string): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const vendor of fs.readdirSync(dir)) {
    for (const name of fs.readdirSync(path.join(dir, vendor))) {
      for (const format of fs.readdirSync(path.join(dir, vendor, name))) {
        for (const version of fs.readdirSync(path.join(dir, vendor, name, format))) {
          const file = path.join(dir, vendor, name, format, version);
          found.set(`iglu:${vendor}/${name}/${format}/${version}`, JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>);
        }
      }
    }
  }
  return found;
}

export interface SchemaValidator {
  /** Throws with ajv's errors when `data` does not conform to `uri`. */
  assertValid(uri: string, data: unknown, where?: string): void;
  /**
   * Checks one captured tracker-protocol event in full: payload_data, the
   * unstruct_event envelope and the inner event's own schema, the contexts
   * envelope and every entity whose schema is in the registry.
   */
  assertEvent(event: Payload): void;
  /** Whether `uri` is among the schemas it checks (assertEvent passes over an entity or event whose schema it lacks). */
  knows(uri: string): boolean;
}

/** Checks against the schemas of `dir` (which holds the metaschema) and of the `more` registries' schemas/ folders. */
export function createValidator(dir: string = SCHEMAS_DIR, more: readonly string[] = []): SchemaValidator {
  const ajv = new Ajv04({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword("self");
  const schemas = readRegistry(dir);
  for (const other of more) for (const [uri, schema] of readRegistry(other)) schemas.set(uri, schema);
  const meta = schemas.get("iglu:com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0");
  if (meta === undefined) throw new Error(`${dir} lacks the self-describing metaschema`);
  ajv.addMetaSchema(meta, META_URI);
  const compiled = new Map<string, ValidateFunction>();
  // Each schema under its Iglu URI first, so one may $ref another by it (the fixture registry's order refers to its user).
  const uris = [...schemas.keys()].filter((uri) => !uri.includes("self-desc/schema"));
  for (const uri of uris) ajv.addSchema(schemas.get(uri)!, uri);
  for (const uri of uris) compiled.set(uri, ajv.getSchema(uri)!);
  const assertValid = (uri: string, data: unknown, where = ""): void => {
    const validate = compiled.get(uri);
    if (validate === undefined) throw new Error(`no schema ${uri} in ${[dir, ...more].join(", ")}`);
    if (!validate(data)) {
      throw new Error(`${where}${where ? ": " : ""}not valid against ${uri}:\n${format(validate.errors)}\n${JSON.stringify(data)}`);
    }
  };
  return {
    assertValid,
    knows: (uri) => compiled.has(uri),
    assertEvent(event) {
      assertValid("iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", [event], `event ${event.e}`);
      const ue = decodeJson(event, "ue_px", "ue_pr") as { schema: string; data: { schema: string; data: unknown } } | undefined;
      if (ue !== undefined) {
        assertValid(ue.schema, ue, "unstruct_event envelope");
        if (compiled.has(ue.data.schema)) assertValid(ue.data.schema, ue.data.data, "event data");
      }
      const co = decodeJson(event, "cx", "co") as { schema: string; data: { schema: string; data: unknown }[] } | undefined;
      if (co !== undefined) {
        assertValid(co.schema, co.data, "contexts envelope");
        for (const entity of co.data) if (compiled.has(entity.schema)) assertValid(entity.schema, entity.data, "entity");
      }
    },
  };
}

/** The JSON in `encodedKey` (base64url) or `plainKey`, parsed; undefined when neither is present. */
export function decodeJson(event: Payload, encodedKey: string, plainKey: string): unknown {
  const encoded = event[encodedKey];
  if (encoded !== undefined) return JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  const plain = event[plainKey];
  return plain === undefined ? undefined : JSON.parse(plain);
}

function format(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `  ${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`).join("\n");
}
