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
