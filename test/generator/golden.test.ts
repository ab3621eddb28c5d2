/**
 * Golden files: test/golden/output is what igluc generates from the
 * representative schemas in test/fixtures/registry, test/golden/js/output the
 * same with `emit: "js"`, and test/golden/targets/* the same for each target
 * other than igluc, in both forms (one config, a list of `outputs`).
 * Regenerate them all with `npm run golden:update` and review the diff when
 * the generator changes.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { generate, loadConfig } from "../../generator/index.js";
import { ROOT } from "../support/iglu.js";

const REGISTRY = [16, 15, 1] as const;
/**
 * Each config's output folders, with the number of modules (and index) files each holds, and the
 * schema files read, generated and not selected. test/golden/plan is an e-commerce tracking plan
 * (test/fixtures/plans/ecommerce.yaml) over Iglu Central's schemas, with its specifications module.
 */
const GOLDENS = [
  ["test/golden", { output: 16 }, REGISTRY],
  ["test/golden/js", { output: 32 }, REGISTRY],
  ["test/golden/targets", {
    "browser-tracker": 16, "browser-tracker-js": 32, "node-tracker": 16, "node-tracker-js": 32, "react-native-tracker": 16, "react-native-tracker-js": 32,
  }, REGISTRY],
  ["test/golden/plan", { igluc: 12, "igluc-js": 24, "igluc-single": 1, "browser-tracker": 12, "node-tracker": 12, "react-native-tracker": 12 }, [10, 10, 0]],
] as const;

for (const [folder, files, stats] of GOLDENS) {
  test(`${folder}: every output is what the generator makes of test/fixtures/registry`, async () => {
    const dir = path.join(ROOT, folder);
    const config = loadConfig(dir, "igluc.config.json");
    assert.ok(config !== undefined);
    const outs = config.options.outputs?.map((o) => o.out) ?? [config.options.out!];
    assert.deepEqual(outs.map((out) => path.relative(dir, out)), Object.keys(files));
    // Checked in copies without their manifests: a manifest whose inputs match would let the check trust the files
    // without generating them, and a change to the generator would go unseen.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-golden-"));
    try {
      const copies = outs.map((out, i) => {
        const copy = path.join(work, String(i));
        fs.cpSync(out, copy, { recursive: true });
        fs.rmSync(path.join(copy, ".igluc-manifest.json"));
        return copy;
      });
      const options = config.options.outputs !== undefined
        ? { ...config.options, outputs: config.options.outputs.map((o, i) => ({ ...o, out: copies[i]! })) }
        : { ...config.options, out: copies[0]! };
      const result = await generate({ ...options, cwd: dir, check: true, concurrency: 1 });
      assert.deepEqual(result.diagnostics.filter((d) => d.level !== "info"), []);
      assert.deepEqual(result.stale, [], `stale goldens (run npm run golden:update and review): ${result.stale.join(", ")}`);
      assert.deepEqual([result.stats.read, result.stats.generated, result.stats.skipped], [...stats]);
      assert.deepEqual(copies.map((copy) => fs.readdirSync(copy).filter((f) => /\.(ts|js)$/.test(f)).length), Object.values(files));
      // The manifests in the repository are the ones a run writes, so a run there finds the output current.
      const again = await generate({ ...config.options, cwd: dir, check: true, concurrency: 1 });
      assert.equal(again.upToDate, true);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}

test("every golden file indents by two spaces: no tabs, and no line deeper than two spaces past the code line before it", () => {
  const problems: string[] = [];
  for (const file of fs.readdirSync(path.join(ROOT, "test/golden"), { recursive: true, encoding: "utf8" })) {
    if (!/\.(ts|js)$/.test(file) || file.endsWith(".mjs")) continue;
    let previous = 0;
    fs.readFileSync(path.join(ROOT, "test/golden", file), "utf8").split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      const depth = line.length - line.trimStart().length;
      if (/^\s*\t/.test(line)) problems.push(`${file}:${i + 1}: a tab`);
      // A JSDoc line's " *" is aligned one space past its opening "/**".
      if (/^\s*\*/.test(line)) return;
      if (depth > previous + 2) problems.push(`${file}:${i + 1}: indented ${depth} after ${previous}`);
      previous = depth;
    });
  }
  assert.deepEqual(problems, []);
});
