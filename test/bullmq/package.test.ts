/**
 * @igluc/runtime/bullmq as users install it (the npm pack tarball; needs the
 * build): the main entry never loads bullmq, the subpath loads it only when
 * an emitter or a worker is made, a missing bullmq is a clear error naming
 * `npm install bullmq`, TypeScript consumers compile against its declarations,
 * and the igluc-worker bin: --help, usage errors (exit
 * 2), a missing package (exit 1), and a clean stop on SIGTERM (exit 0).
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { COMPILERS } from "../support/compile.js";
import { ROOT } from "../support/iglu.js";
import { install, pack } from "../support/packed.js";
import { skipWithoutRedis, startRedis, type TestRedis } from "../support/redis.js";

const run = promisify(execFile);
let base: string;

/** A consumer project with the runtime from its tarball; `withBullMQ` links bullmq and ioredis from this repository. */
function project(name: string, type: "module" | "commonjs", withBullMQ: boolean): string {
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type }));
  install(dir, pack("runtime"));
  if (withBullMQ) {
    // bullmq's own dependencies resolve from the repository's node_modules through the links' real paths.
    for (const name of ["bullmq", "ioredis"]) fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(dir, "node_modules", name), "dir");
  }
  return dir;
}

async function node(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, args, { cwd: dir, timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? "", stderr: error.stderr ?? "" }),
  );
}

before(() => { base = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-bullmq-")); });
after(() => fs.rmSync(base, { recursive: true, force: true }));

describe("@igluc/runtime/bullmq from its tarball", () => {
  test("importing @igluc/runtime loads no bullmq; making a BullMQEmitter does (CommonJS)", async () => {
    const dir = project("loads", "commonjs", true);
    fs.writeFileSync(path.join(dir, "run.js"), `
const loaded = () => Object.keys(require.cache).some((file) => file.includes("/node_modules/bullmq/"));
const { Emitter } = require("@igluc/runtime");
new Emitter({ endpoint: "http://127.0.0.1:9", flushInterval: 0, logger: "silent" });
const main = loaded();
const { BullMQEmitter } = require("@igluc/runtime/bullmq");
const subpath = loaded();
const emitter = new BullMQEmitter({ queue: "q", url: "redis://127.0.0.1:9", logger: "silent" });
console.log([main, subpath, loaded()].join(","));
emitter.close({ timeoutMs: 100 }).then(() => process.exit(0));
`);
    const { stdout, stderr } = await node(dir, ["run.js"]);
    assert.equal(stdout.trim(), "false,false,true", stderr);
    for (const entry of ["dist/esm/node.js", "dist/cjs/node.js", "dist/esm/index.js"]) {
      assert.doesNotMatch(fs.readFileSync(path.join(pack("runtime").dir, entry), "utf8"), /bullmq/, `${entry} names bullmq`);
    }
  });

  test("without bullmq installed: a clear error naming npm install bullmq, from ES modules and CommonJS", async () => {
    const esm = project("missing-esm", "module", false);
    fs.writeFileSync(path.join(esm, "run.js"), `
import { BullMQEmitter, createBullMQWorker } from "@igluc/runtime/bullmq";
for (const make of [() => new BullMQEmitter({ queue: "q" }), () => createBullMQWorker({ queue: "q", endpoint: "http://127.0.0.1:9" })]) {
  try { make(); console.log("made"); } catch (error) { console.log(error.message); }
}`);
    const fromEsm = await node(esm, ["run.js"]);
    assert.equal(fromEsm.code, 0, fromEsm.stderr);
    const lines = fromEsm.stdout.trim().split("\n");
    assert.equal(lines.length, 2);
    for (const line of lines) assert.match(line, /needs the bullmq package .*not installed: npm install bullmq$/);
    const cjs = project("missing-cjs", "commonjs", false);
    fs.writeFileSync(path.join(cjs, "run.js"), `const { BullMQEmitter } = require("@igluc/runtime/bullmq");\ntry { new BullMQEmitter({ queue: "q" }); } catch (error) { console.log(error.message); }`);
    assert.match((await node(cjs, ["run.js"])).stdout, /BullMQEmitter needs the bullmq package .*npm install bullmq/);
  });

  for (const [resolution, type, options] of [
    ["nodenext", "module", { module: "nodenext", moduleResolution: "nodenext" }],
    ["node16, CommonJS", "commonjs", { module: "node16", moduleResolution: "node16" }],
    ["bundler", "module", { module: "esnext", moduleResolution: "bundler" }],
  ] as const) {
    test(`TypeScript compiles a consumer of the subpath (moduleResolution ${resolution})`, async () => {
      const dir = project(`types-${resolution.replace(/[^a-z0-9]+/gi, "-")}`, type, true);
      fs.writeFileSync(path.join(dir, "consumer.ts"), `import { BullMQEmitter, createBullMQWorker, type BullMQJobFailure } from "@igluc/runtime/bullmq";
const emitter = new BullMQEmitter({ queue: "snowplow", url: "redis://127.0.0.1:6379", attempts: 3, backoff: { type: "fixed", delay: 100 }, batchSize: 20 });
const handle = createBullMQWorker({ queue: "snowplow", endpoint: "collector.example.com", concurrency: 2, onFailure: (f: BullMQJobFailure) => f.events.length });
// @ts-expect-error queue is required
new BullMQEmitter({ url: "redis://127.0.0.1:6379" });
export const done: Promise<unknown> = Promise.all([emitter.close({ timeoutMs: 100 }), handle.close({ timeoutMs: 100 })]);
`);
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
        compilerOptions: { ...options, target: "es2022", lib: ["es2022"], strict: true, exactOptionalPropertyTypes: true, noEmit: true, types: [], skipLibCheck: true },
        files: ["consumer.ts"],
      }));
      const result = await run(process.execPath, [COMPILERS["TypeScript 5"], "-p", path.join(dir, "tsconfig.json")], { cwd: dir }).then(
        () => "",
        (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}`,
      );
      assert.equal(result, "");
    });
  }

  test("igluc-worker: --help exits 0, a usage error 2, a missing bullmq 1", async () => {
    const dir = project("bin-missing", "module", false);
    const bin = path.join(dir, "node_modules/@igluc/runtime", (JSON.parse(fs.readFileSync(path.join(dir, "node_modules/@igluc/runtime/package.json"), "utf8")) as { bin: Record<string, string> }).bin["igluc-worker"]!);
    assert.match(fs.readFileSync(bin, "utf8"), /^#!\/usr\/bin\/env node\n/);
    const help = await node(dir, [bin, "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: igluc-worker --queue NAME --endpoint URL/);
    for (const args of [["--queue", "q"], ["--queue", "q", "--endpoint", "http://x", "--concurrency", "0"], ["--nope"], ["--queue", "q", "--endpoint", "not a url"]]) {
      const usage = await node(dir, [bin, ...args]);
      assert.equal(usage.code, 2, `${args.join(" ")}: ${usage.stderr}`);
      assert.match(usage.stderr, /Usage: igluc-worker/);
    }
    const missing = await node(dir, [bin, "--queue", "q", "--endpoint", "http://127.0.0.1:9"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /npm install bullmq/);
  });
});

describe("igluc-worker against Redis", { skip: skipWithoutRedis() }, () => {
  let redis: TestRedis;
  before(async () => { redis = await startRedis(); });
  after(async () => { await redis.stop(); });

  test("runs until SIGTERM, then exits 0", async () => {
    const dir = project("bin-run", "module", true);
    const child = spawn(process.execPath, [path.join(dir, "node_modules/@igluc/runtime/dist/bin/igluc-worker.js"), "--queue", "q", "--redis", redis.url, "--endpoint", "http://127.0.0.1:9"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const deadline = Date.now() + 15_000;
    while (!out.includes("sending jobs") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.match(out, /sending jobs of queue "q"/);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    assert.equal(await exited, 0, out);
    clearTimeout(timer);
    assert.match(out, /stopped; 0 job\(s\)/);
  });
});
