/**
 * Incremental runs: a schema whose inputs did not change keeps its module
 * without its types being compiled again; one that changed, or one whose
 * referenced schema changed, or whose module on disk was touched, is
 * compiled again; and the output is always byte for byte what a cold run
 * over the same schemas writes.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { generate, type GenerateOptions } from "../../generator/index.js";
import { intactFiles } from "../../generator/emit/reuse.js";
import { hash } from "../../generator/write/output.js";

const dirs: string[] = [];
after(() => { for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true }); });

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-incremental-"));
  dirs.push(dir);
  return dir;
}

function schema(name: string, properties: Record<string, unknown>): string {
  return `${JSON.stringify({
    $schema: "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
    description: `The ${name}.`, self: { vendor: "com.acme", name, format: "jsonschema", version: "1-0-0" },
    type: "object", properties, additionalProperties: false,
  }, null, 2)}\n`;
}

const BASE: Record<string, string> = {
  cart: schema("cart", { items: { type: "integer", minimum: 0 } }),
  checkout: schema("checkout", { cart: { $ref: "iglu:com.acme/cart/jsonschema/1-0-0" }, total: { type: "number" } }),
  user: schema("user", { id: { type: "string", maxLength: 36 } }),
  product: schema("product", { sku: { type: "string" } }),
};

function writeRegistry(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, "schemas/com.acme", name, "jsonschema/1-0-0");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

function filesOf(out: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(out).sort().map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")]));
}

/** Generates `files` into `out` of `dir`; then a cold run of the same files elsewhere must write the same bytes. */
async function run(dir: string, files: Record<string, string>, options: Partial<GenerateOptions> = {}): Promise<number> {
  writeRegistry(path.join(dir, "registry"), files);
  const result = await generate({ schemas: [path.join(dir, "registry")], out: path.join(dir, "out"), concurrency: 1, ...options });
  assert.deepEqual(result.diagnostics.filter((d) => d.level === "error"), []);
  const cold = tempDir();
  writeRegistry(path.join(cold, "registry"), files);
  await generate({ schemas: [path.join(cold, "registry")], out: path.join(cold, "out"), concurrency: 1, ...options });
  assert.deepEqual(filesOf(path.join(dir, "out")), filesOf(path.join(cold, "out")), "the incremental output is what a cold run writes");
  return result.stats.compiled;
}

test("an edited schema is compiled again; the others' modules are reused", async () => {
  const dir = tempDir();
  assert.equal(await run(dir, BASE), 4);
  assert.equal(await run(dir, { ...BASE, user: schema("user", { id: { type: "string", maxLength: 36 }, email: { type: "string" } }) }), 1);
});

test("a description edited is a changed input too (its JSDoc changes)", async () => {
  const dir = tempDir();
  await run(dir, BASE);
  assert.equal(await run(dir, { ...BASE, product: BASE.product!.replace("The product.", "A product we sell.") }), 1);
});

test("a schema whose referenced schema changed is compiled again with it", async () => {
  const dir = tempDir();
  await run(dir, BASE);
  assert.equal(await run(dir, { ...BASE, cart: schema("cart", { items: { type: "integer", minimum: 1 } }) }), 2);
});

for (const [spelling, ref] of [
  ["Iglu Central's www. URL", '"$ref": "http://www.iglucentral.com/schemas/com.acme/cart/jsonschema/1-0-0"'],
  ["a JSON escape in the key", '"$r\\u0065f": "iglu:com.acme/cart/jsonschema/1-0-0"'],
  ["escaped slashes in the URI", '"$ref": "iglu:com.acme\\/cart\\/jsonschema\\/1-0-0"'],
] as const) {
  test(`a reference spelt with ${spelling} is followed too: its schema changed, the referring one is compiled again`, async () => {
    const dir = tempDir();
    const checkout = BASE.checkout!.replace('"$ref": "iglu:com.acme/cart/jsonschema/1-0-0"', ref);
    assert.notEqual(checkout, BASE.checkout);
    await run(dir, { ...BASE, checkout });
    assert.equal(await run(dir, { ...BASE, checkout, cart: schema("cart", { items: { type: "integer", minimum: 1 }, note: { type: "string" } }) }), 2);
  });
}

test("a module edited or deleted on disk is compiled again, not reused", async () => {
  const dir = tempDir();
  await run(dir, BASE);
  fs.appendFileSync(path.join(dir, "out/user.ts"), "// edited\n");
  fs.rmSync(path.join(dir, "out/product.ts"));
  // user.ts (edited) and product.ts (deleted) are compiled again, though their schemas did not change.
  const result = await generate({ schemas: [path.join(dir, "registry")], out: path.join(dir, "out"), concurrency: 1 });
  assert.equal(result.stats.compiled, 2);
  assert.doesNotMatch(fs.readFileSync(path.join(dir, "out/user.ts"), "utf8"), /edited/);
  assert.ok(fs.existsSync(path.join(dir, "out/product.ts")));
});

test("a reused module is read once: checked intact, then recorded as unchanged without being read and hashed again", async () => {
  const dir = tempDir();
  await run(dir, BASE);
  writeRegistry(path.join(dir, "registry"), { ...BASE, product: BASE.product!.replace("The product.", "A product we sell.") });
  const out = path.join(dir, "out");
  // A module is read whole (readFileSync, which opens it through fs.openSync) or read into a buffer (openSync, readSync): each read opens it once.
  const reads = new Map<string, number>();
  const openSync = fs.openSync;
  fs.openSync = ((file: fs.PathLike, ...rest: unknown[]) => {
    if (typeof file === "string" && path.dirname(file) === out) reads.set(path.basename(file), (reads.get(path.basename(file)) ?? 0) + 1);
    return (openSync as (...args: unknown[]) => number)(file, ...rest);
  }) as typeof fs.openSync;
  try {
    const result = await generate({ schemas: [path.join(dir, "registry")], out, concurrency: 1 });
    assert.equal(result.stats.compiled, 1);
  } finally {
    fs.openSync = openSync;
  }
  assert.equal(reads.get("user.ts"), 1);
  assert.equal(reads.get("index.ts"), 1);
  assert.equal(fs.readFileSync(path.join(out, "user.ts"), "utf8").includes("export"), true);
});

test("options are inputs: another runtimeImport compiles everything again", async () => {
  const dir = tempDir();
  await run(dir, BASE);
  assert.equal(await run(dir, BASE, { runtimeImport: "./runtime.js" }), 4);
});

test("a run that reuses modules reports each problem the cold run reported, once", async () => {
  const dir = tempDir();
  // A non-JSON-Schema file (an info notice about the registry) and a schema with a warning in it.
  const registry = path.join(dir, "registry");
  writeRegistry(registry, { ...BASE, tree: schema("tree", { children: { type: "array", items: { $ref: "#" } } }) });
  fs.mkdirSync(path.join(registry, "schemas/com.acme/legacy/avro"), { recursive: true });
  fs.writeFileSync(path.join(registry, "schemas/com.acme/legacy/avro/1-0-0"), "{}\n");
  const options = { schemas: [registry], out: path.join(dir, "out"), concurrency: 1 };
  const listed = (r: { diagnostics: readonly { code: string; uri?: string; file?: string }[] }): string[] => r.diagnostics.map((d) => `${d.code} ${d.uri ?? d.file ?? ""}`);
  const cold = await generate(options);
  assert.ok(cold.diagnostics.some((d) => d.code === "format-skipped"), "the fixture has a registry-level notice");
  assert.ok(cold.diagnostics.some((d) => d.code === "recursive-ref"), "and a schema with a warning");
  assert.deepEqual(listed(await generate(options)), listed(cold), "nothing changed");
  writeRegistry(registry, { user: schema("user", { id: { type: "string" } }) });
  const edited = await generate(options);
  assert.equal(edited.stats.compiled, 1);
  assert.deepEqual(listed(edited), listed(cold), "one schema compiled again, the rest reused");
});

test("with several outputs, a schema is compiled again when any output cannot reuse its module, and only that output's file is rewritten", async () => {
  const dir = tempDir();
  const registry = path.join(dir, "registry");
  writeRegistry(registry, BASE);
  const options = {
    schemas: [registry], concurrency: 1,
    outputs: [{ out: path.join(dir, "web") }, { out: path.join(dir, "server"), target: "node-tracker" as const, emit: "js" as const }],
  };
  assert.equal((await generate(options)).stats.compiled, 4);
  fs.rmSync(path.join(dir, "server/user.js"));
  const userTs = fs.statSync(path.join(dir, "web/user.ts")).mtimeMs;
  const again = await generate(options);
  assert.equal(again.stats.compiled, 1);
  assert.deepEqual(again.outputs.map((o) => o.written), [0, 1]);
  assert.equal(fs.statSync(path.join(dir, "web/user.ts")).mtimeMs, userTs, "the folder that could reuse the module keeps it");
  assert.ok(fs.existsSync(path.join(dir, "server/user.js")));
  writeRegistry(registry, { user: schema("user", { id: { type: "string" }, email: { type: "string" } }) });
  const edited = await generate(options);
  assert.equal(edited.stats.compiled, 1);
  assert.deepEqual(edited.outputs.map((o) => o.written), [1, 1], "user.ts; user.d.ts (user.js has no types, so it is unchanged)");
});

test("a tracking plan is an input: unchanged, nothing is done; changed, only the specifications module and the index are written; --check sees a stale or missing one", async () => {
  const dir = tempDir();
  const registry = path.join(dir, "registry");
  writeRegistry(registry, BASE);
  const plan = path.join(dir, "plan.yaml");
  const spec = (name: string, min: number): string =>
    `specifications:\n  - name: ${name}\n    event: iglu:com.acme/checkout/jsonschema/1-0-0\n    entities:\n      user: { schema: "iglu:com.acme/user/jsonschema/1-0-0", min: ${min}, max: 1 }\n`;
  fs.writeFileSync(plan, spec("Check out", 1));
  const out = path.join(dir, "out");
  const options = { schemas: [registry], out, plan, concurrency: 1 };
  const first = await generate(options);
  assert.deepEqual(first.diagnostics.filter((d) => d.level !== "info"), []);
  assert.match(fs.readFileSync(path.join(out, "specifications.ts"), "utf8"), /export function trackCheckOut\(tracker: EventTracker, data: CheckOutData, options: CheckOutOptions\): void/);
  assert.match(fs.readFileSync(path.join(out, "index.ts"), "utf8"), /export \{ trackCheckOut \} from "\.\/specifications\.js";/);

  const same = await generate(options);
  assert.equal(same.upToDate, true);
  assert.equal(same.stats.compiled, 0);

  // A changed rule: no schema is compiled again; the module is rewritten (the index too: its names did not change, so it is not).
  fs.writeFileSync(plan, spec("Check out", 0));
  assert.deepEqual((await generate({ ...options, check: true })).stale, ["specifications.ts"], "--check notices the plan changed");
  const changed = await generate(options);
  assert.deepEqual([changed.stats.compiled, changed.outputs[0]!.written], [0, 1]);
  assert.match(fs.readFileSync(path.join(out, "specifications.ts"), "utf8"), /options: CheckOutOptions = \{\}/);

  // A renamed specification: the index re-exports the new names.
  fs.writeFileSync(plan, spec("Pay", 0));
  const renamed = await generate(options);
  assert.deepEqual([renamed.stats.compiled, renamed.outputs[0]!.written], [0, 2]);
  assert.match(fs.readFileSync(path.join(out, "index.ts"), "utf8"), /export \{ trackPay \} from "\.\/specifications\.js";/);

  // The module edited by hand is stale, and written again.
  fs.appendFileSync(path.join(out, "specifications.ts"), "// edited\n");
  assert.deepEqual((await generate({ ...options, check: true })).stale, ["specifications.ts"]);
  assert.equal((await generate(options)).outputs[0]!.written, 1);

  // Without the plan, the module goes and the index no longer names it.
  const without = await generate({ schemas: [registry], out, concurrency: 1 });
  assert.equal(without.outputs[0]!.removed, 1);
  assert.ok(!fs.existsSync(path.join(out, "specifications.ts")));
  assert.doesNotMatch(fs.readFileSync(path.join(out, "index.ts"), "utf8"), /specifications/);
});

test("eventSpecificationEntity is an input: turned on, each function attaches the entity", async () => {
  const dir = tempDir();
  writeRegistry(path.join(dir, "registry"), BASE);
  const plan = path.join(dir, "plan.json");
  fs.writeFileSync(plan, JSON.stringify({ name: "Shop", specifications: [{ name: "Check out", id: "spec-1", event: "iglu:com.acme/checkout/jsonschema/1-0-0" }] }));
  const options = { schemas: [path.join(dir, "registry")], out: path.join(dir, "out"), plan, concurrency: 1 };
  await generate(options);
  assert.doesNotMatch(fs.readFileSync(path.join(dir, "out/specifications.ts"), "utf8"), /event_specification/);
  const on = await generate({ ...options, eventSpecificationEntity: true });
  assert.equal(on.upToDate, false);
  assert.match(fs.readFileSync(path.join(dir, "out/specifications.ts"), "utf8"),
    /uncheckedEntity\(\{ schema: "iglu:com\.snowplowanalytics\.snowplow\/event_specification\/jsonschema\/1-0-3", data: \{ id: "spec-1", name: "Check out", data_product_name: "Shop" \} \}\)/);
});

test("a plan that cannot be read writes nothing: the output stays as the last run left it", async () => {
  const dir = tempDir();
  writeRegistry(path.join(dir, "registry"), BASE);
  const plan = path.join(dir, "plan.yaml");
  fs.writeFileSync(plan, "specifications:\n  - name: Check out\n    event: iglu:com.acme/checkout/jsonschema/1-0-0\n");
  const options = { schemas: [path.join(dir, "registry")], out: path.join(dir, "out"), plan, concurrency: 1 };
  await generate(options);
  const before = filesOf(path.join(dir, "out"));
  fs.writeFileSync(plan, "specifications: [\n");
  const broken = await generate(options);
  assert.deepEqual(broken.diagnostics.map((d) => [d.level, d.code]), [["error", "plan-syntax"]]);
  assert.deepEqual(filesOf(path.join(dir, "out")), before);
});

// The plan's part of the inputs' hash was its JSON, where NaN and Infinity are null: a rule edited from null to .nan was "up to date", its error never said.
test("a plan value JSON cannot hold (.nan, .inf) is an input of its own, not the null JSON makes of it", async () => {
  const dir = tempDir();
  writeRegistry(path.join(dir, "registry"), { ...BASE, nullable: schema("nullable", { n: { type: ["number", "null"] } }) });
  const plan = path.join(dir, "plan.yaml");
  const rule = (value: string): string => `specifications:\n  - name: N\n    event: iglu:com.acme/nullable/jsonschema/1-0-0\n    properties: { n: ${value} }\n`;
  fs.writeFileSync(plan, rule("null"));
  const options = { schemas: [path.join(dir, "registry")], out: path.join(dir, "out"), plan, concurrency: 1 };
  assert.deepEqual((await generate(options)).diagnostics.filter((d) => d.level === "error"), []);
  for (const [value, shown] of [[".nan", "NaN"], [".inf", "Infinity"], ["-.inf", "-Infinity"]] as const) {
    fs.writeFileSync(plan, rule(value));
    const edited = await generate(options);
    // From null, the specification goes (its error leaves it out); after that, the output is the same, the error said each time.
    if (value === ".nan") assert.equal(edited.upToDate, false);
    assert.deepEqual(edited.diagnostics.filter((d) => d.level === "error").map((d) => `${d.code}: ${d.message}`),
      [`plan-value: specification "N": ${shown} is not a number JSON can carry (it would be sent as null)`], value);
  }
});

test("intactFiles gives the same answer whether a module fits the buffer it is read into or not", () => {
  const dir = tempDir();
  const content = `export const x = "${"x".repeat(100)}";\n`;
  fs.writeFileSync(path.join(dir, "m.ts"), content);
  const recorded = { "m.ts": hash(content) };
  for (const buffer of [undefined, Buffer.alloc(8), Buffer.alloc(content.length), Buffer.alloc(4096)]) {
    assert.deepEqual(intactFiles(dir, recorded, ["m.ts"], buffer), [{ name: "m.ts", hash: recorded["m.ts"] }]);
    assert.equal(intactFiles(dir, { "m.ts": hash(`${content} `) }, ["m.ts"], buffer), undefined);
  }
});
