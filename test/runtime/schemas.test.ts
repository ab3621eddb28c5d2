/**
 * The project's schemas are written in our own words but must stay
 * structurally identical to the Iglu Central originals they mirror: equal
 * once every `description` is set aside.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { IGLU_CENTRAL_DIR, SCHEMAS_DIR, createValidator, readRegistry, skipWithoutIgluCentral } from "../support/iglu.js";

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "description").map(([k, v]) => [k, withoutDescriptions(v)]));
}

const ours = readRegistry(SCHEMAS_DIR);

describe("schemas/ mirrors Iglu Central", () => {
  test("every schema of ours is valid against the metaschema and compiles", () => {
    assert.doesNotThrow(() => createValidator());
    assert.ok(ours.size >= 12);
  });

  for (const [uri, schema] of ours) {
    test(uri, { skip: skipWithoutIgluCentral() }, () => {
      const file = path.join(IGLU_CENTRAL_DIR, uri.slice("iglu:".length));
      const original = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
      assert.deepEqual(withoutDescriptions(schema), withoutDescriptions(original));
      assert.notEqual(JSON.stringify(schema), JSON.stringify(original), "the text is ours, not a copy");
    });
  }
});
