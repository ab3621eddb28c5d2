/**
 * The Iglu model (runtime/iglu.ts), the one grammar of Iglu URIs and
 * SchemaVer that the tracker and the generator share: exact answers for
 * the edge cases of iglu-scala-core's SchemaKey and SchemaVer.Full.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { IGLU_PATTERNS, IGLU_URI, compareSchemaVer, formatSchemaVer, igluUri, isName, isVendor, parseIgluUri, parseSchemaVer } from "../../runtime/iglu.js";
import { IGLU_URI as PROTOCOL_IGLU_URI } from "../../runtime/protocol.js";

describe("parseSchemaVer", () => {
  const cases: readonly [string, ReturnType<typeof parseSchemaVer>][] = [
    ["1-0-0", { model: 1, revision: 0, addition: 0 }],
    ["12-3-45", { model: 12, revision: 3, addition: 45 }],
    ["1-10-0", { model: 1, revision: 10, addition: 0 }],
    ["0-0-0", undefined],
    ["0-1-0", undefined],
    ["01-0-0", undefined],
    ["1-00-0", undefined],
    ["1-0-01", undefined],
    ["1-0", undefined],
    ["1-0-0-0", undefined],
    ["1.0.0", undefined],
    [" 1-0-0", undefined],
    ["1-0-0\n", undefined],
    ["", undefined],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(parseSchemaVer(text), expected));
  }
});

describe("parseIgluUri", () => {
  const cases: readonly [string, ReturnType<typeof parseIgluUri>][] = [
    ["iglu:com.acme/checkout_started/jsonschema/1-0-0", { vendor: "com.acme", name: "checkout_started", format: "jsonschema", version: "1-0-0" }],
    ["iglu:com.google.analytics.enhanced-ecommerce/action/jsonschema/1-0-0", { vendor: "com.google.analytics.enhanced-ecommerce", name: "action", format: "jsonschema", version: "1-0-0" }],
    ["iglu:com.urbanairship.connect/TAG_CHANGE/jsonschema/2-1-10", { vendor: "com.urbanairship.connect", name: "TAG_CHANGE", format: "jsonschema", version: "2-1-10" }],
    ["iglu:com.acme/x/avro/1-0-0", { vendor: "com.acme", name: "x", format: "avro", version: "1-0-0" }],
    ["iglu:com.acme/x/jsonschema/0-0-0", undefined],
    ["iglu:com.acme/x/jsonschema/01-0-0", undefined],
    ["iglu:com.acme/x.y/jsonschema/1-0-0", undefined],
    ["iglu:com acme/x/jsonschema/1-0-0", undefined],
    ["iglu:com.acme/x/jsonschema/1-0-0#/definitions/a", undefined],
    ["iglu:com.acme/x/jsonschema", undefined],
    ["com.acme/x/jsonschema/1-0-0", undefined],
    ["http://iglucentral.com/schemas/com.acme/x/jsonschema/1-0-0", undefined],
  ];
  for (const [text, expected] of cases) {
    test(JSON.stringify(text), () => {
      assert.deepEqual(parseIgluUri(text), expected);
      assert.equal(IGLU_URI.test(text), expected !== undefined);
      if (expected !== undefined) assert.equal(igluUri(expected), text);
    });
  }

  test("the runtime's protocol module checks URIs with this same grammar", () => {
    assert.equal(PROTOCOL_IGLU_URI, IGLU_URI);
  });
});

test("vendors may hold dots; names and formats may not", () => {
  assert.deepEqual(["com.acme", "com.snowplowanalytics.self-desc", "a_b", "com acme", ""].map(isVendor), [true, true, true, false, false]);
  assert.deepEqual(["link_click", "resolver-config", "TAG_CHANGE", "x.y", ""].map(isName), [true, true, true, false, false]);
});

test("the pattern sources compose into the same grammar (as JSON Schema patterns use them)", () => {
  assert.equal(new RegExp(`^${IGLU_PATTERNS.schemaVer}$`).test("1-0-0"), true);
  assert.equal(new RegExp(`^${IGLU_PATTERNS.schemaVer}$`).test("0-0-0"), false);
  assert.equal(new RegExp(`^${IGLU_PATTERNS.model}$`).test("0"), false);
  assert.equal(new RegExp(`^${IGLU_PATTERNS.schemaVer}$`, "u").test("10-0-2"), true, "valid with the u flag, as ajv compiles patterns");
});

test("SchemaVer orders by MODEL, then REVISION, then ADDITION, and prints as M-R-A", () => {
  const sorted = ["2-0-0", "1-0-10", "1-1-0", "1-0-2", "10-0-0"].map((v) => parseSchemaVer(v)!).sort(compareSchemaVer).map(formatSchemaVer);
  assert.deepEqual(sorted, ["1-0-2", "1-0-10", "1-1-0", "2-0-0", "10-0-0"]);
});
