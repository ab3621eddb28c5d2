/**
 * A run with nothing changed only reads, hashes and compares: it must not
 * load what compiling and writing need (naming, the job pool and its worker
 * threads, json-schema-to-typescript, the emitter, the plan's yaml), which
 * is a fifth of such a run. The built bin (npm run build first), with a
 * module hook listing every module resolved.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { ROOT } from "../support/iglu.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-up-to-date-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The modules a run of the bin resolves, as paths inside dist/generator or package names. */
function modulesOfRun(args: readonly string[]): string[] {
  const log = path.join(dir, "modules.txt");
  fs.rmSync(log, { force: true });
  const hooks = path.join(dir, "hooks.mjs");
  fs.writeFileSync(hooks, `import fs from "node:fs";
export async function resolve(specifier, context, next) { const r = await next(specifier, context); fs.appendFileSync(${JSON.stringify(log)}, r.url + "\\n"); return r; }\n`);
  const register = path.join(dir, "register.mjs");
  fs.writeFileSync(register, `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  execFileSync(process.execPath, ["--import", pathToFileURL(register).href, path.join(ROOT, "dist/generator/cli/bin.js"), ...args], { cwd: dir });
  return fs.readFileSync(log, "utf8").split("\n").filter(Boolean).map((url) => url.replace(/^.*\/dist\/generator\//, "").replace(/^.*\/node_modules\//, ""));
}

test("a run with nothing changed loads neither the compiler nor the emitter", () => {
  const schema = path.join(dir, "registry/schemas/com.acme/cart/jsonschema/1-0-0");
  fs.mkdirSync(path.dirname(schema), { recursive: true });
  fs.writeFileSync(schema, JSON.stringify({
    $schema: "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
    self: { vendor: "com.acme", name: "cart", format: "jsonschema", version: "1-0-0" }, type: "object", properties: { items: { type: "integer" } },
  }));
  const args = ["generate", "--schemas", "registry", "--out", "out", "--quiet"];
  const cold = modulesOfRun(args);
  assert.ok(cold.includes("emit/outputs.js") && cold.includes("normalize/names.js"), "the hook sees the modules a run loads");
  const again = modulesOfRun(args);
  for (const module of ["emit/outputs.js", "emit/type-pool.js", "emit/schema-job.js", "normalize/names.js", "node:worker_threads", "plan/index.js"]) {
    assert.ok(!again.includes(module), `${module} is not loaded when nothing changed`);
  }
  assert.ok(!again.some((m) => m.startsWith("json-schema-to-typescript/") || m.startsWith("yaml/")));
});

test("a lint without a tracking plan does not load the plan reader (yaml)", () => {
  const schema = path.join(dir, "lint/schemas/com.acme/cart/jsonschema/1-0-0");
  fs.mkdirSync(path.dirname(schema), { recursive: true });
  fs.writeFileSync(schema, JSON.stringify({
    $schema: "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
    self: { vendor: "com.acme", name: "cart", format: "jsonschema", version: "1-0-0" }, description: "A cart.", type: "object", properties: {},
  }));
  const loaded = modulesOfRun(["lint", "lint/schemas", "--format", "json"]);
  assert.ok(loaded.includes("lint/lint.js"), "the hook sees the modules a run loads");
  assert.ok(!loaded.includes("plan/index.js") && !loaded.some((m) => m.startsWith("yaml/")), "the plan reader stays unloaded");
});
