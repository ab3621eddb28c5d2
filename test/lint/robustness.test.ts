/**
 * Lint never crashes: real schemas (ours and the test fixtures) mutated at
 * random, keyword values of every wrong kind, broken text, absurd nesting,
 * and consecutive versions that differ arbitrarily. Each run must return
 * findings (never throw), each finding complete.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { CODES } from "../../generator/codes.js";
import { lint } from "../../generator/lint/lint.js";
import { ROOT, SCHEMAS_DIR, readRegistry } from "../support/iglu.js";
import { seeded } from "../support/random.js";
import { tempRegistry } from "../support/registry.js";

const random = seeded(20261123);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const KEYWORDS = ["type", "properties", "required", "items", "additionalProperties", "additionalItems", "patternProperties", "enum", "minimum", "maximum",
  "minLength", "maxLength", "minItems", "maxItems", "maxProperties", "pattern", "format", "oneOf", "anyOf", "allOf", "not", "$ref", "description", "$schema", "self", "definitions", "dependencies"];

function randomValue(depth: number): unknown {
  const r = random();
  if (depth > 3 || r < 0.35) return pick([null, true, false, 0, -1, 1.5, 9223372036854775807, "", "string", "(", "#/definitions/x", "iglu:a/b/jsonschema/1-0-0", "integer", "null", "__proto__"]);
  if (r < 0.55) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 4); i > 0; i--) out[pick(KEYWORDS)] = randomValue(depth + 1);
  return out;
}

/** A copy of `node` with some members, at any depth, replaced by random values. */
function mutate(node: unknown, depth = 0): unknown {
  if (Array.isArray(node)) return node.map((v) => (random() < 0.1 ? randomValue(depth) : mutate(v, depth + 1)));
  if (node === null || typeof node !== "object") return random() < 0.05 ? randomValue(depth) : node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    const r = random();
    if (r < 0.04) continue;
    out[k] = r < 0.12 ? randomValue(depth) : mutate(v, depth + 1);
  }
  if (random() < 0.1) out[pick(KEYWORDS)] = randomValue(depth);
  return out;
}

function breakText(text: string): string {
  const at = Math.floor(random() * text.length);
  return pick([
    () => text.slice(0, at),
    () => `${text.slice(0, at)}${pick(["{", "}", "\"", ",", ":", "\\", "\u0000", "\u2028", "[[[", "1e999"])}${text.slice(at)}`,
    () => `\uFEFF${text}`,
  ])();
}

const SOURCES = [...readRegistry(SCHEMAS_DIR).values(), ...readRegistry(path.join(ROOT, "test/fixtures/registry/schemas")).values()];

describe("lint never crashes", () => {
  test("on 300 randomly mutated schemas, as histories of up to three versions", async () => {
    const registry = tempRegistry();
    try {
      for (let i = 0; i < 100; i++) {
        const base = pick(SOURCES);
        for (const version of ["1-0-0", "1-0-1", "2-0-0"]) {
          const json = { ...(mutate(base) as Record<string, unknown>), self: { vendor: "com.fuzz", name: `s${i}`, format: "jsonschema", version } };
          const text = JSON.stringify(json, null, 2);
          registry.write(`com.fuzz/s${i}/jsonschema/${version}`, random() < 0.15 ? breakText(text) : text);
        }
      }
      const result = await lint({ paths: [registry.dir] });
      assert.equal(result.schemas, 300);
      assert.ok(result.findings.length > 0);
      for (const d of result.findings) {
        assert.ok(d.code in CODES && d.message !== "" && d.hint !== "" && ["error", "warning", "info"].includes(d.level), JSON.stringify(d));
      }
    } finally {
      registry.dispose();
    }
  });

  test("on nesting far deeper than any schema, and on a file that is not text", async () => {
    const registry = tempRegistry({
      "com.fuzz/deep/jsonschema/1-0-0": `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      "com.fuzz/deep_object/jsonschema/1-0-0": `{"$schema":1,"properties":${"{\"a\":{\"properties\":".repeat(400)}{}${"}}".repeat(400)}}`,
    });
    try {
      fs.writeFileSync(path.join(registry.dir, "com.fuzz/deep/jsonschema/1-0-1"), Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x7b]));
      const result = await lint({ paths: [registry.dir] });
      assert.deepEqual(result.findings.filter((d) => d.uri === "iglu:com.fuzz/deep/jsonschema/1-0-0").map((d) => d.code), ["too-deep"]);
      assert.ok(result.findings.some((d) => d.uri === "iglu:com.fuzz/deep/jsonschema/1-0-1" && d.code === "json-syntax"));
      assert.ok(result.findings.some((d) => d.uri === "iglu:com.fuzz/deep_object/jsonschema/1-0-0"));
    } finally {
      registry.dispose();
    }
  });
});
