/**
 * Which `$ref`s name another Iglu schema: only those whose version is a
 * SchemaVer (runtime/iglu.ts), so `0-0-0` or `01-0-0` is never taken for a
 * dependency to look up or fetch; and only `$ref`s in schema positions.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { igluRefTarget } from "../../generator/normalize/refs.js";
import { referencedSchemas } from "../../generator/remote/client.js";

const key = (vendor: string, name: string, version: string): { vendor: string; name: string; format: string; version: string } => ({ vendor, name, format: "jsonschema", version });

describe("igluRefTarget", () => {
  const cases: readonly [string, ReturnType<typeof igluRefTarget>][] = [
    ["iglu:com.acme/cart/jsonschema/1-0-0", { key: key("com.acme", "cart", "1-0-0"), fragment: "" }],
    ["iglu:com.acme/cart/jsonschema/2-1-10#/definitions/item", { key: key("com.acme", "cart", "2-1-10"), fragment: "/definitions/item" }],
    ["iglu:com.acme/cart/jsonschema/1-0-0#", { key: key("com.acme", "cart", "1-0-0"), fragment: "" }],
    ["http://iglucentral.com/schemas/com.acme/cart/jsonschema/1-0-0#", { key: key("com.acme", "cart", "1-0-0"), fragment: "" }],
    ["https://www.iglucentral.com/schemas/com.acme/cart/jsonschema/1-0-1", { key: key("com.acme", "cart", "1-0-1"), fragment: "" }],
    ["iglu:com.acme/cart/jsonschema/0-0-0", undefined],
    ["iglu:com.acme/cart/jsonschema/0-1-0", undefined],
    ["iglu:com.acme/cart/jsonschema/01-0-0", undefined],
    ["iglu:com.acme/cart/jsonschema/1-0-00", undefined],
    ["http://iglucentral.com/schemas/com.acme/cart/jsonschema/0-0-0", undefined],
    ["iglu:com.acme/cart.v2/jsonschema/1-0-0", undefined],
    ["http://iglucentral.com.evil.example/schemas/com.acme/cart/jsonschema/1-0-0", undefined],
    ["#/definitions/cart", undefined],
    ["http://json-schema.org/draft-04/schema#", undefined],
  ];
  for (const [ref, expected] of cases) {
    test(JSON.stringify(ref), () => assert.deepEqual(igluRefTarget(ref), expected));
  }
});

test("referencedSchemas takes only SchemaVer references in schema positions", () => {
  const schema = {
    type: "object",
    properties: {
      good: { $ref: "iglu:com.acme/cart/jsonschema/1-0-0" },
      zero: { $ref: "iglu:com.acme/zero/jsonschema/0-0-0" },
      padded: { $ref: "iglu:com.acme/padded/jsonschema/01-0-0" },
      data: { enum: [{ $ref: "iglu:com.acme/in_enum/jsonschema/1-0-0" }], default: { $ref: "iglu:com.acme/in_default/jsonschema/1-0-0" } },
    },
    items: [{ $ref: "http://iglucentral.com/schemas/com.acme/tuple/jsonschema/1-0-0#" }],
  };
  assert.deepEqual(referencedSchemas(JSON.stringify(schema)), [key("com.acme", "cart", "1-0-0"), key("com.acme", "tuple", "1-0-0")]);
});
