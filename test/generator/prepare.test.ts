/**
 * What json-schema-to-typescript is given: one row per rule, exact output.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileStem } from "../../generator/emit/escape.js";
import { prepareForTypes } from "../../generator/normalize/prepare.js";

const cases: [name: string, given: unknown, want: unknown][] = [
  ["type allows null, enum does not: the intersection", { type: ["string", "null"], enum: ["a", "b"] }, { type: "string", enum: ["a", "b"] }],
  ["enum values of a type the schema excludes are dropped", { type: "string", enum: ["a", 1, null] }, { type: "string", enum: ["a"] }],
  ["integer values fit number", { type: ["number", "null"], enum: [1, 2.5, null] }, { type: ["number", "null"], enum: [1, 2.5, null] }],
  ["an object with nothing said about members accepts any", { type: "object" }, { type: "object", additionalProperties: true }],
  ["an object with properties and no additionalProperties stays exact", { type: "object", properties: { a: { type: "string" } } }, { type: "object", properties: { a: { type: "string" } } }],
  ["keywords that would become code or names are dropped", { type: "string", tsType: "any", title: "Evil", id: "x", $id: "y", tsEnumNames: ["A"], extends: [{}] }, { type: "string" }],
  ["annotations that land in comments are dropped", { type: "string", default: "*/", examples: ["*/"], $comment: "*/" }, { type: "string" }],
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
