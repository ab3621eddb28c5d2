/**
 * Hostile schemas and `--validators`: schema text in every position ajv
 * writes into validator code (property names, required names, enum values,
 * patterns, patternProperties keys, dependencies, nested ids, formats,
 * annotations) stays data. Each validator parses, loads, imports only
 * @igluc/runtime/validation, validates, and no payload ever runs (it would
 * set globalThis.pwned). A huge enum and a deep schema compile too.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { formatSchemaError, type Validators } from "@igluc/runtime/validation";
import { generate, type GenerateResult } from "../../generator/generate.js";
import { tempProject } from "../support/compile.js";
import { nested } from "../support/hostile.js";
import { importsOf } from "./validators.test.js";

const META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";
/** Each would set globalThis.pwned, should it run as code in any quoting context. */
const PAYLOADS = [
  '";globalThis.pwned=1;"', "';globalThis.pwned=2;'", "`;globalThis.pwned=3;`", "${globalThis.pwned=4}", "*/globalThis.pwned=5;/*",
  "\n;globalThis.pwned=6;//", "\u2028;globalThis.pwned=7;//", "\u2029globalThis.pwned=8", "</script><script>globalThis.pwned=9</script>",
  "\\\";globalThis.pwned=10;//", "__proto__", "constructor", "toString", "", "nul\u0000", "😀",
] as const;
/** Valid regular expressions holding the same breakers. */
const PATTERNS = ['^a"b$', "^a'b`c\\$\\{d\\}$", "^</script>\u2028\u2029$", "^\\\\\";globalThis\\.pwned=11;//$", "[*/]+/*"] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function own(entries: readonly (readonly [string, Json])[]): { [key: string]: Json } {
  const object: { [key: string]: Json } = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

function schemas(): Record<string, Record<string, Json>> {
  return {
    keys: {
      description: PAYLOADS.join(" "), title: PAYLOADS[0]!, default: own(PAYLOADS.map((p) => [p, p])),
      type: "object",
      properties: own(PAYLOADS.map((p, i) => [p, { type: "string", maxLength: 10 + i, description: p, format: "email" }])),
      required: [...PAYLOADS.slice(0, 5)],
      dependencies: own([[PAYLOADS[1]!, [PAYLOADS[2]!]], [PAYLOADS[3]!, { required: [PAYLOADS[4]!] }]]),
      additionalProperties: false,
    },
    values: {
      type: "object",
      properties: {
        en: { enum: [...PAYLOADS, own(PAYLOADS.map((p) => [p, [p]])), 1, null] },
        big: { type: "string", enum: Array.from({ length: 5000 }, (_, i) => `${PAYLOADS[i % PAYLOADS.length]}${i}`) },
        nestedId: { id: PAYLOADS[0]!, type: "object", properties: own([[PAYLOADS[6]!, { type: "integer", minimum: 0 }]]) },
        unknownFormat: { type: "string", format: PAYLOADS[0]! },
        tuple: { type: "array", items: [{ enum: [PAYLOADS[2]!] }, { type: "string", pattern: PATTERNS[0]! }], additionalItems: false, uniqueItems: true },
      },
    },
    patterns: {
      type: "object",
      properties: own(PATTERNS.map((p, i) => [`p${i}`, { type: "string", pattern: p }])),
      patternProperties: own(PATTERNS.map((p) => [p, { type: "number", multipleOf: 0.5 }])),
    },
    deep: nested(60) as Record<string, Json>,
  };
}

let project: ReturnType<typeof tempProject>;
let out: string;
let result: GenerateResult;
const uris: string[] = [];

before(async () => {
  project = tempProject("igluc-validators-hostile-");
  const registry = path.join(project.dir, "registry");
  for (const [name, body] of Object.entries(schemas())) {
    const dir = path.join(registry, "schemas", "com.hostile", name, "jsonschema");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "1-0-0"), JSON.stringify({ $schema: META, self: { vendor: "com.hostile", name, format: "jsonschema", version: "1-0-0" }, ...body }));
    uris.push(`iglu:com.hostile/${name}/jsonschema/1-0-0`);
  }
  out = path.join(project.dir, "out");
  result = await generate({ schemas: [registry], out, validators: true, concurrency: 1 });
});
after(() => project.dispose());

test("every hostile schema gets a validator, that imports only the runtime's helpers", () => {
  assert.deepEqual(result.diagnostics.filter((d) => d.level !== "info"), []);
  const files = fs.readdirSync(out).filter((n) => n.endsWith(".validate.js"));
  assert.equal(files.length, uris.length);
  for (const name of files) {
    const code = fs.readFileSync(path.join(out, name), "utf8");
    assert.deepEqual(importsOf(code).filter((i) => i !== "@igluc/runtime/validation"), [], name);
  }
});

test("loading and running every validator runs no payload; hostile data gets one-line messages", async () => {
  const global = globalThis as { pwned?: unknown };
  delete global.pwned;
  const { validators } = (await import(path.join(out, "validators.js"))) as { validators: Validators };
  assert.deepEqual(Object.keys(validators).sort(), [...uris].sort());
  const data: unknown[] = [
    {}, null, [], "x", 1,
    own(PAYLOADS.map((p) => [p, `${p}${p}`])),
    { en: PAYLOADS[3], big: `${PAYLOADS[0]}0`, nestedId: own([[PAYLOADS[6]!, -1]]), unknownFormat: "x", tuple: [PAYLOADS[2], 'a"b'] },
    { en: "no", big: "no", tuple: [1, 2, 3] },
    Object.fromEntries(PATTERNS.map((p, i) => [`p${i}`, p])),
    own(PATTERNS.map((p) => [p, 0.25])),
  ];
  let invalid = 0;
  for (const uri of uris) {
    const validate = validators[uri]!;
    for (const value of data) {
      if (validate(value)) continue;
      invalid++;
      for (const error of validate.errors ?? []) assert.doesNotMatch(formatSchemaError(uri, error), /[\n\r\u2028\u2029\u0000]/);
    }
  }
  assert.ok(invalid > 10);
  assert.equal(global.pwned, undefined);
});

test("data is checked as the schema says, hostile names and all", async () => {
  const { validators } = (await import(path.join(out, "validators.js"))) as { validators: Validators };
  const keys = validators["iglu:com.hostile/keys/jsonschema/1-0-0"]!;
  const good = own(PAYLOADS.slice(0, 5).map((p) => [p, "a@b.co"]));
  assert.equal(keys(good), true, JSON.stringify(keys.errors));
  assert.equal(keys(own([...PAYLOADS.slice(0, 5).map((p): [string, Json] => [p, "a@b.co"]), ["extra", 1]])), false);
  const values = validators["iglu:com.hostile/values/jsonschema/1-0-0"]!;
  assert.equal(values({ en: PAYLOADS[7], big: `${PAYLOADS[4999 % PAYLOADS.length]}4999` }), true, JSON.stringify(values.errors));
  assert.equal(values({ en: own(PAYLOADS.map((p) => [p, [p]])) }), true, JSON.stringify(values.errors));
  assert.equal(values({ tuple: [PAYLOADS[2], 'a"b'] }), true, JSON.stringify(values.errors));
  const patterns = validators["iglu:com.hostile/patterns/jsonschema/1-0-0"]!;
  assert.equal(patterns({ p0: 'a"b', "^a\"b$": 0.5 }), true, JSON.stringify(patterns.errors));
  assert.equal(patterns({ p0: "ab" }), false);
});
