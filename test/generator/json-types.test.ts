/**
 * The one statement of README's enum-and-type rule (schema/json-types.ts),
 * as generate narrows a schema with it and lint's version diff compares
 * accepted types with it: exact answers, table by table.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { acceptedTypes, intersectEnum, jsonType, typeList } from "../../generator/schema/json-types.js";

describe("intersectEnum (generate: the schema json-schema-to-typescript is given)", () => {
  const cases: readonly [string, Record<string, unknown>, Record<string, unknown>][] = [
    ["null only where both allow it", { type: "string", enum: ["a", null] }, { type: "string", enum: ["a"] }],
    ["null kept where both allow it", { type: ["string", "null"], enum: ["a", null] }, { type: ["string", "null"], enum: ["a", null] }],
    ["a type no value has is dropped", { type: ["string", "null"], enum: ["a"] }, { type: "string", enum: ["a"] }],
    ["integers are numbers", { type: "number", enum: [1, 2.5, "x"] }, { type: "number", enum: [1, 2.5] }],
    ["numbers are not integers", { type: "integer", enum: [1, 2.5] }, { type: "integer", enum: [1] }],
    ["no value fits", { type: "boolean", enum: ["a"] }, { type: [], enum: [] }],
    ["enum alone is left as it is", { enum: ["a", null] }, { enum: ["a", null] }],
    ["type alone is left as it is", { type: ["string", "null"] }, { type: ["string", "null"] }],
  ];
  for (const [what, node, expected] of cases) test(what, () => assert.deepEqual(intersectEnum(node), expected));
});

describe("acceptedTypes (lint: what a version diff compares)", () => {
  const cases: readonly [string, Record<string, unknown>, string[] | undefined][] = [
    ["no type, no enum: any type", {}, undefined],
    ["the type, sorted and distinct", { type: ["string", "null", "string"] }, ["null", "string"]],
    ["an enum of strings accepts strings, typed or not", { enum: ["a", "b"] }, ["string"]],
    ["the same enum typed string", { type: "string", enum: ["a", "b"] }, ["string"]],
    ["integers typed number are integers", { type: "number", enum: [1, 2] }, ["integer"]],
    ["null needs both", { type: "string", enum: ["a", null] }, ["string"]],
    ["null with both", { type: ["string", "null"], enum: ["a", null] }, ["null", "string"]],
  ];
  for (const [what, node, expected] of cases) test(what, () => assert.deepEqual(acceptedTypes(node), expected));
});

test("typeList and jsonType", () => {
  assert.deepEqual([typeList({ type: "x" }), typeList({ type: ["a", "b"] }), typeList({ type: ["a", 1] }), typeList({})], [["x"], ["a", "b"], undefined, undefined]);
  assert.deepEqual([null, [], {}, 1, 1.5, "s", true].map(jsonType), ["null", "array", "object", "integer", "number", "string", "boolean"]);
});
