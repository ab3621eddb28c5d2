/**
 * The one validation message format (runtime/validation/messages.ts), table
 * by table: each keyword's wording, the value shown (shortened, escaped),
 * and what is never shown raw; and micro's validation of several patterns in
 * one event (each pattern its own, on RE2).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { escapeText, formatSchemaError, showValue } from "../../runtime/validation/messages.js";
import { SchemaSet } from "../../generator/micro/schemas.js";
import { validateEvent } from "../../generator/micro/validate.js";
import { CONTEXTS, FIXTURES, PAYLOAD_DATA } from "./support.js";

const URI = "iglu:com.acme/signup/jsonschema/1-0-0";

describe("formatSchemaError", () => {
  const cases: Array<[string, Parameters<typeof formatSchemaError>[1], string]> = [
    ["format", { instancePath: "/email", keyword: "format", params: { format: "email" }, data: "not-an-email" }, `${URI} /email: must match format "email" (got "not-an-email")`],
    ["maxLength", { instancePath: "/name", keyword: "maxLength", message: "must NOT have more than 3 characters", params: { limit: 3 }, data: "abcd" }, `${URI} /name: must NOT have more than 3 characters (got "abcd")`],
    ["minimum", { instancePath: "/age", keyword: "minimum", message: "must be >= 0", params: { limit: 0 }, data: -1 }, `${URI} /age: must be >= 0 (got -1)`],
    ["multipleOf", { instancePath: "/n", keyword: "multipleOf", message: "must be multiple of 5", data: 7 }, `${URI} /n: must be multiple of 5 (got 7)`],
    ["type", { instancePath: "/age", keyword: "type", params: { type: "integer" }, data: "12" }, `${URI} /age: must be integer (got "12")`],
    ["required, at the root", { instancePath: "", keyword: "required", params: { missingProperty: "email" }, data: {} }, `${URI} /: must have required property "email"`],
    ["additionalProperties", { instancePath: "", keyword: "additionalProperties", params: { additionalProperty: "x\u001b" }, data: {} }, `${URI} /: must NOT have additional property "x\\u001b"`],
    ["enum", { instancePath: "/plan", keyword: "enum", params: { allowedValues: ["free", "pro", 3, null] }, data: "gold" }, `${URI} /plan: must be one of "free", "pro", 3, null (got "gold")`],
    ["pattern", { instancePath: "/sku", keyword: "pattern", params: { pattern: "^[A-Z]+$" }, data: "abc" }, `${URI} /sku: must match pattern "^[A-Z]+$" (got "abc")`],
    ["objects and arrays by kind", { instancePath: "/a", keyword: "type", params: { type: "string" }, data: [1, 2] }, `${URI} /a: must be string (got an array of 2)`],
    ["no data given", { instancePath: "/a", keyword: "type", params: { type: "string" } }, `${URI} /a: must be string`],
    ["an unknown keyword: ajv's message", { instancePath: "/a", keyword: "x-custom", message: "must be nice", data: 1 }, `${URI} /a: must be nice (got 1)`],
    ["a pointer with controls is escaped", { instancePath: "/a\nb", keyword: "type", params: { type: "string" }, data: 1 }, `${URI} /a\\nb: must be string (got 1)`],
  ];
  for (const [name, error, expected] of cases) test(name, () => assert.equal(formatSchemaError(URI, error), expected));

  test("a long value is shortened, its length said, never inside a surrogate pair", () => {
    assert.equal(showValue("a".repeat(300)), `"${"a".repeat(57)}…" (300 characters)`);
    const emoji = `${"a".repeat(56)}😀😀😀`;
    assert.equal(showValue(emoji), `"${"a".repeat(56)}…" (${emoji.length} characters)`);
  });

  test("what acts on a terminal is escaped: ESC, bidi overrides, line separators, C1", () => {
    assert.equal(showValue("\u001b[31mred\u202e\u2028\u0085"), '"\\u001b[31mred\\u202e\\u2028\\u0085"');
    assert.equal(escapeText("ok\u0007"), "ok\\u0007");
    assert.doesNotMatch(formatSchemaError("iglu:x\u001b]0;title\u0007", { instancePath: "", keyword: "type", params: { type: "\u001b" }, data: "\u001b" }), /[\u0000-\u001f]/);
  });
});

test("micro checks each pattern with its own regular expression (several in one event)", () => {
  const set = new SchemaSet([FIXTURES], process.cwd());
  const co = JSON.stringify({ schema: CONTEXTS, data: [{ schema: "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0", data: { id: "9f2d7eda-5636-4142-9a94-e0ce6f339daf" } }] });
  const limits = { maxEntities: 10, maxMessages: 10 };
  assert.deepEqual(validateEvent(set, { parameters: { e: "pv", p: "web", tv: "t", co }, problems: [] }, PAYLOAD_DATA, limits).messages, []);
  const bad = co.replace("9f2d7eda", "zzzzzzzz");
  assert.equal(validateEvent(set, { parameters: { e: "pv", p: "web", tv: "t", co: bad }, problems: [] }, PAYLOAD_DATA, limits).messages.length, 1);
});
