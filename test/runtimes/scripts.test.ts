/**
 * @igluc/runtime from server-side scripts, each run by its runtime as a
 * separate process: Node 20 as an ES module and as CommonJS, Bun and Deno
 * (their binaries from npm's bun and deno packages). The script (the app of
 * test/fixtures/runtimes, bundled with @igluc/runtime left external, so each
 * runtime resolves the installed tarball by its own export conditions)
 * tracks typed events from the generated SDK, flushes, closes, and says which
 * file the package resolved to; every event must arrive once, valid. Also:
 * the app's sources, the generated SDK and the package's types check under tsc.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startCollector, type Collector } from "../support/collector.js";
import { COMPILERS } from "../support/compile.js";
import { LIMIT, bundle, createApp, expectCheckouts, npmBinary, quietEnv, runToEnd, skipUnless, versionOf, type App } from "../support/runtimes.js";

const run = promisify(execFile);

let project: App;
let collector: Collector;
before(async () => {
  collector = await startCollector();
  project = createApp();
}, LIMIT);
after(async () => {
  await collector.close();
  project.remove();
}, LIMIT);

interface Runtime {
  /** The command, and its arguments before the script. */
  readonly command: string;
  readonly args: (collector: Collector) => string[];
  readonly env?: (app: App) => Record<string, string>;
  /** The script as the runtime takes it. */
  readonly format: "esm" | "cjs";
  readonly entry: "script-esm.ts" | "script-cjs.ts";
  readonly platform: "node" | "neutral";
  /** The file of the package it must resolve to. */
  readonly resolves: string;
}

/** Runs the script in `runtime`, then checks what it printed and what the collector received. */
async function trackThrough(name: string, runtime: Runtime): Promise<void> {
  const built = await bundle(project, {
    entry: runtime.entry, out: `${name}.${runtime.format === "cjs" ? "cjs" : "mjs"}`, collector: collector.url,
    platform: runtime.platform, format: runtime.format, runtimeExternal: true, define: { RUN: { namespace: name, label: name, count: 5 } },
  });
  assert.deepEqual([...new Set(built.imports)], ["@igluc/runtime"], "only the package is left to the runtime");
  const result = await runToEnd(runtime.command, [...runtime.args(collector), built.file], { cwd: project.dir, env: quietEnv(runtime.env?.(project)) });
  assert.equal(result.code, 0, `${name} failed:\n${result.stdout}\n${result.stderr}`);
  const line = result.stdout.split("\n").find((l) => l.startsWith("result "));
  assert.ok(line !== undefined, `no result line:\n${result.stdout}\n${result.stderr}`);
  const { resolved, report } = JSON.parse(line.slice("result ".length)) as { resolved: string; report: unknown };
  assert.equal(resolved.startsWith("file:") ? new URL(resolved).pathname : resolved, path.join(project.runtimeDir, runtime.resolves));
  assert.deepEqual(report, { remaining: 0, timedOut: false });
  expectCheckouts(collector.delivered, { namespace: name, label: name, count: 5, platform: "srv", exactlyOnce: true });
  assert.equal(collector.delivered.filter((e) => e.tna === name).length, 5);
}

describe(`Node ${process.version}`, () => {
  test("an ES module script sends through the package's Node entry: every event arrives once, valid", LIMIT, async () => {
    await trackThrough("node-esm", { command: process.execPath, args: () => [], format: "esm", entry: "script-esm.ts", platform: "node", resolves: "dist/esm/node.js" });
  });

  test("a CommonJS script sends through the package's CommonJS Node entry: every event arrives once, valid", LIMIT, async () => {
    await trackThrough("node-cjs", { command: process.execPath, args: () => [], format: "cjs", entry: "script-cjs.ts", platform: "node", resolves: "dist/cjs/node.js" });
  });
});

const bun = npmBinary("bun");
const bunVersion = versionOf(bun);
describe(`Bun ${bunVersion ?? "(missing)"}`, { skip: skipUnless(bunVersion !== undefined, "the bun binary from npm's bun package does not run here") }, () => {
  test("an ES module script sends through the package's fetch entry (bun condition): every event arrives once, valid", LIMIT, async () => {
    await trackThrough("bun", { command: bun, args: () => ["run"], format: "esm", entry: "script-esm.ts", platform: "neutral", resolves: "dist/esm/index.js" });
  });
});

const deno = npmBinary("deno");
const denoVersion = versionOf(deno)?.replace(/^deno (\S+).*/, "$1");
describe(`Deno ${denoVersion ?? "(missing)"}`, { skip: skipUnless(denoVersion !== undefined, "the deno binary from npm's deno package does not run here") }, () => {
  test("an ES module script, allowed the collector's address only, sends through the package's fetch entry (deno condition): every event arrives once, valid", LIMIT, async () => {
    await trackThrough("deno", {
      command: deno,
      args: (c) => ["run", `--allow-net=127.0.0.1:${c.port}`],
      // Its module cache in the app folder, not the user's.
      env: (app) => ({ DENO_DIR: path.join(app.dir, ".deno") }),
      format: "esm", entry: "script-esm.ts", platform: "neutral", resolves: "dist/esm/index.js",
    });
  });
});

describe("the app the runtime tests run", () => {
  test("type-checks: its typed events against the SDK igluc generated, and both against the packed package's types", LIMIT, async () => {
    const sources = fs.readdirSync(project.dir).filter((file) => file.endsWith(".ts"));
    assert.ok(sources.length >= 8, `app sources: ${sources.join(", ")}`);
    const config = path.join(project.dir, "tsconfig.json");
    fs.writeFileSync(config, JSON.stringify({
      compilerOptions: {
        target: "es2022", lib: ["es2022", "dom"], module: "esnext", moduleResolution: "bundler", types: [],
        strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: false,
      },
      files: [...sources, "tracking/index.ts"],
    }));
    const result = await run(process.execPath, [COMPILERS["TypeScript 5"], "-p", config], { cwd: project.dir, timeout: 60_000 }).then(
      () => "",
      (error: { stdout?: string; stderr?: string; message: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}` || error.message,
    );
    assert.equal(result, "");
  });
});
