/**
 * The igluc bin: a thin shell over runCli, exit codes 0 / 1 / 2.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "../support/iglu.js";

const BIN = path.join(ROOT, "dist/generator/cli/bin.js");
const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  promisify(execFile)(process.execPath, [BIN, ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

test("--help prints usage and exits 0", async () => {
  const { code, stdout } = await run(["--help"]);
  assert.equal(code, 0);
  assert.match(stdout, /^igluc <command>/);
  assert.match(stdout, /--help/);
});

test("no command is a usage error: exit 2 with a hint", async () => {
  const { code, stderr } = await run([]);
  assert.equal(code, 2);
  assert.match(stderr, /No command given\.\nRun "igluc --help" for usage\./);
});

test("an unknown flag is a usage error", async () => {
  const { code, stderr } = await run(["--frobnicate"]);
  assert.equal(code, 2);
  assert.match(stderr, /Unknown argument: frobnicate/);
});
