/**
 * The user's own settings files (igluc.config.json, a resolver file, a
 * lockfile) are read within a bound and without blocking: a FIFO in their
 * place (a mistyped path into a pipe, a process substitution) or a file of
 * gigabytes ends the run with a usage error naming the file, never a hang.
 * Each case runs in a child process with a deadline, as a blocked read would
 * stop the test's own event loop.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT } from "../support/iglu.js";

/** Runs `code` (an ES module, TypeScript sources through tsx) with a 20 s deadline; its stdout, and whether it was killed. */
function run(code: string): { stdout: string; killed: boolean } {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8", timeout: 20_000 });
  return { stdout: result.stdout, killed: result.signal !== null };
}

const module = (file: string): string => JSON.stringify(path.join(ROOT, file));

describe("settings files are read within a bound, never blocking", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-settings-"));
    execFileSync("mkfifo", [path.join(dir, "pipe.json")]);
    // Sparse: 20 MB long without taking the disk space.
    fs.writeFileSync(path.join(dir, "huge.json"), "");
    fs.truncateSync(path.join(dir, "huge.json"), 20 * 1024 * 1024);
  });
  after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  const message = (call: string): string => `
    try { ${call}; console.log("read"); } catch (error) { console.log(error.constructor.name + ": " + error.message); }`;

  test("igluc.config.json", () => {
    assert.deepEqual(run(`import { loadConfig } from ${module("generator/index.ts")};${message(`loadConfig(${JSON.stringify(dir)}, "pipe.json")`)}`),
      { stdout: "OptionsError: pipe.json is not a regular file\n", killed: false });
    assert.deepEqual(run(`import { loadConfig } from ${module("generator/index.ts")};${message(`loadConfig(${JSON.stringify(dir)}, "huge.json")`)}`),
      { stdout: "OptionsError: huge.json is 20971520 bytes, more than the 1048576 igluc reads\n", killed: false });
  });

  test("a resolver file", () => {
    const call = (name: string): string => `readResolverConfig(${JSON.stringify(path.join(dir, name))}, {})`;
    assert.deepEqual(run(`import { readResolverConfig } from ${module("generator/remote/repositories.ts")};${message(call("pipe.json"))}`),
      { stdout: `OptionsError: ${path.join(dir, "pipe.json")} is not a regular file\n`, killed: false });
    assert.deepEqual(run(`import { readResolverConfig } from ${module("generator/remote/repositories.ts")};${message(call("missing.json"))}`),
      { stdout: `OptionsError: ${path.join(dir, "missing.json")} does not exist\n`, killed: false });
  });

  test("a lockfile: a missing one is no lockfile, a pipe or 20 MB is an error", () => {
    const call = (name: string): string => `const lock = readLock(${JSON.stringify(path.join(dir, name))}); if (lock === undefined) throw new Error("none")`;
    const lockfile = module("generator/remote/lockfile.ts");
    assert.deepEqual(run(`import { readLock } from ${lockfile};${message(call("missing.json"))}`), { stdout: "Error: none\n", killed: false });
    assert.deepEqual(run(`import { readLock } from ${lockfile};${message(call("pipe.json"))}`),
      { stdout: `OptionsError: ${path.join(dir, "pipe.json")} is not a regular file\n`, killed: false });
    assert.deepEqual(run(`import { readLock } from ${lockfile};${message(call("huge.json"))}`),
      { stdout: `OptionsError: ${path.join(dir, "huge.json")} is 20971520 bytes, more than the 16777216 igluc reads\n`, killed: false });
  });

  test("a resolver file and a lockfile are parsed as igluc.config.json is: a byte order mark is skipped, a syntax error has its line and column", () => {
    const bom = "\uFEFF";
    fs.writeFileSync(path.join(dir, "resolver.json"), `${bom}${JSON.stringify({ schema: "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-1", data: { cacheSize: 500, repositories: [] } })}`);
    fs.writeFileSync(path.join(dir, "igluc.lock.json"), `${bom}{ "lockfileVersion": 2, "schemas": {} }`);
    fs.writeFileSync(path.join(dir, "broken.json"), '{\n  "schema": "iglu:x",\n  "data": { "repositories": [ }\n}');
    const resolver = module("generator/remote/repositories.ts");
    const lockfile = module("generator/remote/lockfile.ts");
    assert.deepEqual(run(`import { readResolverConfig } from ${resolver};${message(`const r = readResolverConfig(${JSON.stringify(path.join(dir, "resolver.json"))}, {}); if (r.length !== 0) throw new Error("repositories")`)}`),
      { stdout: "read\n", killed: false });
    assert.deepEqual(run(`import { readLock } from ${lockfile};${message(`const l = readLock(${JSON.stringify(path.join(dir, "igluc.lock.json"))}); if (Object.keys(l.schemas).length !== 0) throw new Error("schemas")`)}`),
      { stdout: "read\n", killed: false });
    const broken = run(`import { readResolverConfig } from ${resolver};${message(`readResolverConfig(${JSON.stringify(path.join(dir, "broken.json"))}, {})`)}`);
    assert.deepEqual(broken, { stdout: `OptionsError: ${path.join(dir, "broken.json")}:3:31: not valid JSON: Unexpected "}": expected a value\n`, killed: false });
  });
});
