/**
 * What json-schema-to-typescript is given: one row per rule, exact output.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileStem } from "../../generator/emit/escape.js";
import { itemNames, prepareForTypes } from "../../generator/normalize/prepare.js";

const cases: [name: string, given: unknown, want: unknown][] = [
  ["type allows null, enum does not: the intersection", { type: ["string", "null"], enum: ["a", "b"] }, { type: "string", enum: ["a", "b"] }],
  ["enum values of a type the schema excludes are dropped", { type: "string", enum: ["a", 1, null] }, { type: "string", enum: ["a"] }],
  ["integer values fit number", { type: ["number", "null"], enum: [1, 2.5, null] }, { type: ["number", "null"], enum: [1, 2.5, null] }],
  ["an object with nothing said about members accepts any", { type: "object" }, { type: "object", additionalProperties: true }],
  ["an object with properties and no additionalProperties stays exact", { type: "object", properties: { a: { type: "string" } } }, { type: "object", properties: { a: { type: "string" } } }],
  ["keywords that would become code or names are dropped", { type: "string", tsType: "any", title: "Evil", id: "x", $id: "y", tsEnumNames: ["A"], extends: [{}] }, { type: "string" }],
  ["default and examples are dropped as keywords and said, escaped, in the description", { type: "string", default: "*/", examples: ["*/"], $comment: "*/" },
    { type: "string", description: "@defaultValue `\"*\\/\"`\n@example `\"*\\/\"`" }],
  ["a string's format, length and pattern follow its description", { type: "string", description: "Email.", format: "email", minLength: 3, maxLength: 255, pattern: "^[^@]+@" },
    { type: "string", description: "Email.\n\nFormat: `email`\nLength: 3 to 255 characters\nPattern: `^[^@]+@`", format: "email", minLength: 3, maxLength: 255, pattern: "^[^@]+@" }],
  ["a number's range, exclusive bounds and step", { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 100, multipleOf: 0.01 },
    { type: "number", description: "Range: more than 0, at most 100\nMultiple of: 0.01", minimum: 0, exclusiveMinimum: true, maximum: 100, multipleOf: 0.01 }],
  ["an array's item bounds and uniqueness", { type: "array", items: { type: "integer", minimum: 1 }, maxItems: 5, uniqueItems: true },
    { type: "array", description: "Items: at most 5 items, each different", items: { type: "integer", description: "Range: at least 1", minimum: 1 }, maxItems: 5, uniqueItems: true }],
  ["a pattern cannot end the comment or start a tag, and stays on one line", { type: "string", pattern: "a*/\n@x" },
    { type: "string", description: "Pattern: `a*\\/ @x`", pattern: "a*/\n@x" }],
  ["draft-06 const and OpenAPI nullable are ignored, as a draft-04 validator does", { type: "string", const: "a", nullable: true }, { type: "string" }],
  ["a non-boolean deprecated is dropped", { type: "string", deprecated: "yes" }, { type: "string" }],
  ["descriptions are escaped", { type: "string", description: "a */ b\r\n@tag" }, { type: "string", description: "a *\\/ b\n\\@tag" }],
  ["patternProperties fold into the index signature", { type: "object", properties: { a: { type: "string" } }, patternProperties: { "^x-": { type: "integer" } }, additionalProperties: false }, { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "integer" } }],
  ["minProperties 1 over optional properties: one variant each", { type: "object", additionalProperties: false, minProperties: 1, properties: { a: { type: "string" }, b: { type: "string" } } }, {
    anyOf: [
      { type: "object", additionalProperties: false, properties: { a: { type: "string" }, b: { type: "string" } }, required: ["a"] },
      { type: "object", additionalProperties: false, properties: { a: { type: "string" }, b: { type: "string" } }, required: ["b"] },
    ],
  }],
  ["the rules apply inside nested schemas", { type: "object", properties: { p: { type: ["string", "null"], enum: ["x"], title: "T" } }, additionalProperties: false }, { type: "object", properties: { p: { type: "string", enum: ["x"] } }, additionalProperties: false }],
];

for (const [name, given, want] of cases) {
  test(name, () => assert.deepEqual(prepareForTypes(given), want));
}

test("file names never take a Windows device name", () => {
  assert.deepEqual(["Con", "Nul", "Com1", "Lpt9", "Console"].map(fileStem), ["con-schema", "nul-schema", "com1-schema", "lpt9-schema", "console"]);
});

const item = { type: "object", properties: { sku: { type: "string" } } };
const itemCases: [name: string, given: { property: string; taken?: string[]; reserved?: string[]; schema?: unknown }, want: string][] = [
  ["a plural property names its item in the singular", { property: "items" }, "OrderItem"],
  ["snake_case plural", { property: "line_items" }, "OrderLineItem"],
  ["-ies plural", { property: "categories" }, "OrderCategory"],
  ["-es plural", { property: "boxes" }, "OrderBox"],
  ["a word that is no plural gets Item", { property: "status" }, "OrderStatusItem"],
  ["a singular property gets Item", { property: "product" }, "OrderProductItem"],
  ["a name igluc uses is never taken", { property: "entities", taken: ["OrderEntity"] }, "OrderEntitiesItem"],
  ["another schema's type, and any name beginning with it, is avoided", { property: "items", reserved: ["OrderItem"] }, "Order_Item"],
  ["a key that is not an identifier stays data: no name", { property: "*/ export const pwned = 1" }, "none"],
  ["when no name is free, the item stays inline (the search is bounded)", { property: "items", reserved: ["OrderItem", "Order_Item"] }, "none"],
  ["an item of an array of arrays is not named", { property: "items", schema: { type: "array", items: { type: "array", items: item } } }, "none"],
  ["an item with oneOf beside its properties stays inline (pii_enrichment_config)", { property: "items", schema: { type: "array", items: { ...item, oneOf: [{ required: ["sku"] }] } } }, "none"],
  ["an item that may be null or a string is not named", { property: "items", schema: { type: "array", items: { ...item, type: ["object", "null"] } } }, "none"],
];
for (const [name, { property, taken = [], reserved = [], schema = { type: "array", items: item } }, want] of itemCases) {
  test(`item types: ${name}`, () => {
    const prepared = prepareForTypes({ type: "object", properties: { [property]: schema } }, itemNames("Order", taken, reserved)) as { properties: Record<string, { items: { title?: string } }> };
    assert.equal(prepared.properties[property]!.items.title ?? "none", want);
  });
}

test("item types: nested items are named after their owner's item, every name once", () => {
  const schema = {
    type: "object",
    properties: {
      items: { type: "array", items: { type: "object", properties: { options: { type: "array", items: item } } } },
      more_items: { type: "array", items: item },
      other: { type: "object", properties: { items: { type: "array", items: item } } },
    },
  };
  const prepared = JSON.stringify(prepareForTypes(schema, itemNames("Order", [])));
  assert.deepEqual([...prepared.matchAll(/"title":"([^"]+)"/g)].map((m) => m[1]), ["OrderItem", "OrderItemOption", "OrderMoreItem", "OrderItemsItem"]);
});

test("item types: without names, nothing is named (the shape is the same)", () => {
  assert.deepEqual(prepareForTypes({ type: "object", properties: { items: { type: "array", items: item } } }), {
    type: "object", properties: { items: { type: "array", items: { ...item } } },
  });
});
