/**
 * The example app and its generated SDK (examples/tracking, committed so
 * readers can see what igluc writes), and the config file's JSON Schema.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { generate, loadConfig } from "../../generator/index.js";
import { ROOT } from "../support/iglu.js";

test("examples/tracking is what igluc generates from examples/registry", async () => {
  const dir = path.join(ROOT, "examples");
  const config = loadConfig(dir, "igluc.config.json");
  assert.ok(config !== undefined);
  const result = await generate({ ...config.options, cwd: dir, check: true, concurrency: 1 });
  assert.deepEqual(result.stale, [], `run npm run example to regenerate: ${result.stale.join(", ")}`);
});

test("the example app tracks typed events to a local collector and prints what arrived", async () => {
  const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
  const { stdout } = await promisify(execFile)(process.execPath, [tsx, path.join(ROOT, "examples/app.ts")], { cwd: ROOT });
  assert.match(stdout, /"schema": "iglu:com\.example\.shop\/checkout_started\/jsonschema\/1-0-0"/);
  assert.match(stdout, /"sku": "sock-2"/);
  assert.match(stdout, /\n2 events delivered to the collector at http:\/\/127\.0\.0\.1:\d+\.\n$/);
});

test("config.schema.json describes exactly the settings the loader accepts", () => {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "generator/config.schema.json"), "utf8")) as { properties: Record<string, unknown> };
  const source = fs.readFileSync(path.join(ROOT, "generator/options.ts"), "utf8");
  const known = /const KNOWN = new Set\(\[([^\]]*)\]\)/.exec(source)?.[1]?.match(/"([^"]+)"/g)?.map((k) => k.slice(1, -1));
  assert.deepEqual(Object.keys(schema.properties).sort(), [...(known ?? [])].sort());
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files: string[] };
  assert.ok(pkg.files.includes("generator/config.schema.json"), "the schema must ship with the package");
});
