/**
 * The Iglu metaschema's validator is precompiled by the build (ajv
 * standalone code): runs use that file, and it judges every schema exactly
 * as the validator compiled at run time does, errors and all, over Iglu
 * Central and over schemas broken on purpose.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { compiledMetaschemaValidator, metaschemaValidator, META_URI, PRECOMPILED_PATH } from "../../generator/validate/metaschema.js";
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

test("the build wrote the precompiled validator, and runs use it", () => {
  assert.ok(fs.existsSync(path.join(ROOT, PRECOMPILED_PATH)), `${PRECOMPILED_PATH} is missing: run npm run build`);
  assert.equal(typeof (metaschemaValidator() as { fingerprint?: unknown }).fingerprint, "string");
});

test("precompiled and compiled at run time agree on schemas broken on purpose", () => {
  const precompiled = metaschemaValidator();
  const compiled = compiledMetaschemaValidator();
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
  const compiled = compiledMetaschemaValidator();
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
