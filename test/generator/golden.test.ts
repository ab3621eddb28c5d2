/**
 * Golden files: test/golden/output is what igluc generates from the
 * representative schemas in test/fixtures/registry, and test/golden/js/output
 * the same with `emit: "js"`. Regenerate both with `npm run golden:update`
 * and review the diff when the generator changes.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { generate, loadConfig } from "../../generator/index.js";
import { ROOT } from "../support/iglu.js";

for (const [folder, files] of [["test/golden", 16], ["test/golden/js", 32]] as const) {
  test(`${folder}/output is what the generator makes of test/fixtures/registry`, async () => {
    const dir = path.join(ROOT, folder);
    const config = loadConfig(dir, "igluc.config.json");
    assert.ok(config !== undefined);
    const result = await generate({ ...config.options, cwd: dir, check: true, concurrency: 1 });
    assert.deepEqual(result.diagnostics.filter((d) => d.level !== "info"), []);
    assert.deepEqual(result.stale, [], `stale goldens (run npm run golden:update and review): ${result.stale.join(", ")}`);
    assert.deepEqual([result.stats.read, result.stats.generated, result.stats.skipped], [16, 15, 1]);
    assert.equal(fs.readdirSync(path.join(dir, "output")).filter((f) => /\.(ts|js)$/.test(f)).length, files);
  });
}
