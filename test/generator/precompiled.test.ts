/**
 * The validators the build precompiles (ajv standalone code: the Iglu
 * metaschema, the options' schemas): runs use those files, and they judge
 * exactly as the validators compiled at run time do, errors and all, over
 * Iglu Central, schemas broken on purpose and bad options.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { compileMetaschema, metaschemaValidator, META_URI, METASCHEMA } from "../../generator/validate/metaschema.js";
import { PRECOMPILED_DIR } from "../../generator/validate/precompiled.js";
import { OPTIONS_SCHEMAS, compileOptionsSchema, firstProblem, optionsValidator } from "../../generator/options/validate.js";
import { IGLU_CENTRAL_DIR, ROOT, skipWithoutIgluCentral } from "../support/iglu.js";

const self = { vendor: "com.acme", name: "thing", format: "jsonschema", version: "1-0-0" };
/** The first is valid, as a control; each of the others is broken. */
const BROKEN: unknown[] = [
  { $schema: META_URI, self, type: "object" },
  { $schema: META_URI, type: "object" },
  { $schema: META_URI, self: { ...self, vendor: "com acme" }, type: "object" },
  { $schema: META_URI, self: { ...self, version: 1 }, type: "strin" },
  { $schema: META_URI, self, type: "object", properties: { a: { maxLength: "foo", minimum: "0", enum: [] } } },
  { $schema: META_URI, self, type: "object", required: [], items: 3, additionalProperties: "no" },
  { $schema: META_URI, self, type: ["string", "string"], pattern: 5, format: {} },
  { $schema: META_URI, self, definitions: { a: { $ref: 7 } }, allOf: [], oneOf: {} },
  [], "text", null, 42,
];

test("the build wrote the precompiled validators, and runs use them", () => {
  for (const name of [METASCHEMA, ...Object.keys(OPTIONS_SCHEMAS)]) {
    const file = path.join(ROOT, PRECOMPILED_DIR, `${name}.cjs`);
    assert.ok(fs.existsSync(file), `${file} is missing: run npm run build`);
  }
  assert.equal(typeof (metaschemaValidator() as { fingerprint?: unknown }).fingerprint, "string");
  for (const schema of Object.values(OPTIONS_SCHEMAS)) assert.equal(typeof (optionsValidator(schema) as { fingerprint?: unknown }).fingerprint, "string");
});

test("precompiled and compiled at run time agree on options", async () => {
  const { createRequire } = await import("node:module");
  const load = createRequire(import.meta.url);
  const cases: unknown[] = [
    {}, { out: "x", emit: "mjs" }, { outDir: "x" }, { pin: { "com.acme/x": ["1-0"] } }, { outputs: [{ out: 1 }] }, { versions: "some", http: { timeoutMs: -1 } }, [], "x",
  ];
  for (const [name, schema] of Object.entries(OPTIONS_SCHEMAS)) {
    const precompiled = load(path.join(ROOT, PRECOMPILED_DIR, `${name}.cjs`)) as ReturnType<typeof compileOptionsSchema>["validate"];
    const compiled = compileOptionsSchema(schema).validate;
    for (const value of cases) {
      assert.equal(precompiled(value), compiled(value), `${name} ${JSON.stringify(value)}`);
      assert.deepEqual(precompiled.errors ?? null, compiled.errors ?? null, `${name} ${JSON.stringify(value)}`);
    }
  }
  // And the message users read comes through the precompiled one.
  assert.deepEqual(firstProblem(OPTIONS_SCHEMAS["options-config"], { emit: "mjs" }), { pointer: "/emit", message: 'emit must be "ts" or "js", not "mjs"' });
});

test("precompiled and compiled at run time agree on schemas broken on purpose", () => {
  const precompiled = metaschemaValidator();
  const compiled = compileMetaschema().validate;
  for (const schema of BROKEN) {
    const verdict = compiled(schema);
    assert.equal(precompiled(schema), verdict, JSON.stringify(schema));
    assert.deepEqual(precompiled.errors ?? null, compiled.errors ?? null, JSON.stringify(schema));
  }
  // The control passes and the broken ones are found broken (the table is not vacuous).
  assert.deepEqual(BROKEN.map((schema) => compiled(schema)), [true, ...BROKEN.slice(1).map(() => false)]);
});

test("precompiled and compiled at run time agree on every schema of Iglu Central", { skip: skipWithoutIgluCentral() }, () => {
  const precompiled = metaschemaValidator();
  const compiled = compileMetaschema().validate;
  let checked = 0;
  for (const file of fs.readdirSync(IGLU_CENTRAL_DIR, { recursive: true, encoding: "utf8" })) {
    if (!file.includes(`${path.sep}jsonschema${path.sep}`)) continue;
    let schema: unknown;
    try {
      schema = JSON.parse(fs.readFileSync(path.join(IGLU_CENTRAL_DIR, file), "utf8"));
    } catch {
      continue;
    }
    assert.equal(precompiled(schema), compiled(schema), file);
    assert.deepEqual(precompiled.errors ?? null, compiled.errors ?? null, file);
    checked++;
  }
  assert.ok(checked > 600, `only ${checked} schemas read`);
});
