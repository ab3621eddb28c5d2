/**
 * The example app and its generated SDK (examples/tracking, committed so
 * readers can see what igluc writes).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { generate, loadConfig } from "../../generator/index.js";
import { ROOT } from "../support/iglu.js";

test("examples/tracking is what igluc generates from examples/registry and its tracking plan", async () => {
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
  assert.match(stdout, /"cartId": "c-43",\n\s*"total": 8,\n\s*"currency": "EUR"/, "the tracking plan's function sends the fixed currency");
  assert.match(stdout, /\n3 events delivered to the collector at http:\/\/127\.0\.0\.1:\d+\.\n$/);
});
