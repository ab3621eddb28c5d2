/**
 * The worker-thread pool, the path every real run takes (one worker per
 * core but this one, from 40 selected schemas up). Worker threads load the
 * built JavaScript, so these tests use dist/ (npm test builds it first): the
 * pool gives exactly what the in-thread path gives, whichever worker
 * finishes first, and a generation through it writes the same bytes.
 *
 * node:worker_threads' Worker is wrapped (syncBuiltinESMExports makes the
 * ESM binding follow) to count the threads the pool really starts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type * as Pool from "../../generator/emit/type-pool.js";
import type * as Generator from "../../generator/index.js";
import { ROOT } from "../support/iglu.js";
import { selfDescribing, tempRegistry, type TempRegistry } from "../support/registry.js";

const DIST = path.join(ROOT, "dist/generator");
const workerThreads = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
const Original = workerThreads.Worker;
let started = 0;
/** The workers started, in order. */
const instances: InstanceType<typeof Original>[] = [];
/** Those whose thread has ended. */
const ended = new Set<InstanceType<typeof Original>>();

/** com.acme/thing_<i> 1-0-0 for i < count, each with a property of its own, and one (thing_3) that refers to thing_0. */
function schemas(count: number): Record<string, Record<string, unknown>> {
  const files: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < count; i++) {
    const properties: Record<string, unknown> = { [`field${i}`]: { type: "string", maxLength: i + 1 }, n: { type: ["integer", "null"], enum: [i, null, "x"] } };
    if (i === 3) properties.other = { $ref: "iglu:com.acme/thing_0/jsonschema/1-0-0" };
    files[`com.acme/thing_${i}/jsonschema/1-0-0`] = selfDescribing(`thing_${i}`, "1-0-0", { description: `Thing ${i}.`, type: "object", properties, additionalProperties: false });
  }
  return files;
}

/** Every file of a folder, by name. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]));
}

/** The job pool's view of the registry made from schemas(20). */
function jobRegistry(registry: TempRegistry): Parameters<typeof Pool.createJobPool>[1] {
  return {
    files: Object.keys(schemas(20)).map((relative) => {
      const [vendor = "", name = "", format = "", version = ""] = relative.split("/");
      const file = path.join(registry.dir, relative);
      return { uri: `iglu:${relative}`, file: { path: file, display: relative, key: { vendor, name, format, version } }, text: fs.readFileSync(file, "utf8") };
    }),
  };
}

let pool: typeof Pool;
let generator: typeof Generator;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, "emit/type-pool.js")), "dist/ is missing: run npm run build (npm test does)");
  workerThreads.Worker = class extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      started++;
      instances.push(this);
      this.once("exit", () => ended.add(this));
    }
  };
  syncBuiltinESMExports();
  pool = await import(path.join(DIST, "emit/type-pool.js")) as typeof Pool;
  generator = await import(path.join(DIST, "index.js")) as typeof Generator;
});

after(() => {
  workerThreads.Worker = Original;
  syncBuiltinESMExports();
});

describe("createJobPool", () => {
  let registry: TempRegistry;
  before(() => { registry = tempRegistry(schemas(20)); });
  after(() => registry.dispose());

  const run = async (requested: number): Promise<{ results: Map<string, unknown>; heard: string[] }> => {
    const jobs = pool.createJobPool(requested, jobRegistry(registry));
    try {
      const heard: string[] = [];
      jobs.onResult((r) => heard.push(r.uri));
      for (let i = 19; i >= 0; i--) jobs.submit({ uri: `iglu:com.acme/thing_${i}/jsonschema/1-0-0`, typeName: `Thing${i}`, reserved: [] });
      const results = new Map([...await jobs.results()].sort(([a], [b]) => (a < b ? -1 : 1)));
      return { results, heard };
    } finally {
      await jobs.close();
    }
  };

  test("three threads requested: two workers start, and the results are exactly the in-thread ones", async () => {
    const before = started;
    const threaded = await run(3);
    assert.equal(started - before, 2);
    const inThread = await run(1);
    assert.equal(started - before, 2, "one thread requested starts no worker");
    assert.equal(threaded.results.size, 20);
    assert.deepEqual(threaded.results, inThread.results);
    assert.deepEqual([...threaded.heard].sort(), [...threaded.results.keys()], "every result was heard once");
    const third = threaded.results.get("iglu:com.acme/thing_3/jsonschema/1-0-0") as { text: string; diagnostics: unknown[] };
    assert.deepEqual(third.diagnostics, []);
    // The reference resolved and the enum met its type, in a worker.
    assert.equal(third.text, [
      "/**", " * Thing 3.", " */", "export interface Thing3 {", "  /**", "   * Length: at most 4 characters", "   */", "  field3?: string", "  n?: (3 | null)",
      "  /**", "   * Thing 0.", "   */", "  other?: {", "    /**", "     * Length: at most 1 character", "     */", "    field0?: string", "    n?: (0 | null)", "  }", "}",
    ].join("\n"));
  });
});

describe("createJobPool when handling a result throws", { timeout: 60_000 }, () => {
  test("results() rejects with the error, in the worker pool as in this thread; nothing escapes as an uncaught exception", async () => {
    const registry = tempRegistry(schemas(20));
    try {
      const { files } = jobRegistry(registry);
      for (const requested of [2, 1]) {
        const jobs = pool.createJobPool(requested, { files });
        try {
          let heard = 0;
          jobs.onResult(() => {
            if (++heard === 3) throw new Error("ENOSPC: no space left on device, write");
          });
          for (let i = 0; i < 20; i++) jobs.submit({ uri: `iglu:com.acme/thing_${i}/jsonschema/1-0-0`, typeName: `Thing${i}`, reserved: [] });
          await assert.rejects(jobs.results(), { message: "ENOSPC: no space left on device, write" }, `with ${requested} thread(s)`);
        } finally {
          await jobs.close();
        }
      }
    } finally {
      registry.dispose();
    }
  });

  test("a worker that stops with jobs outstanding: results() rejects saying so, rather than waiting for ever", async () => {
    const registry = tempRegistry(schemas(20));
    try {
      const { files } = jobRegistry(registry);
      const first = instances.length;
      const jobs = pool.createJobPool(2, { files });
      try {
        for (let i = 0; i < 20; i++) jobs.submit({ uri: `iglu:com.acme/thing_${i}/jsonschema/1-0-0`, typeName: `Thing${i}`, reserved: [] });
        // As process.exit() in the worker, or its thread ended from outside, would: no "error" event, only "exit".
        await instances[first]!.terminate();
        await assert.rejects(jobs.results(), (error: Error) => /^a type worker stopped \(exit code \d+\) with \d+ schema\(s\) outstanding$/.test(error.message));
      } finally {
        await jobs.close();
      }
    } finally {
      registry.dispose();
    }
  });
});

describe("generate through the pool", () => {
  test("45 schemas with concurrency 2 start one worker and write what concurrency 1 writes", async () => {
    const registry = tempRegistry(schemas(45));
    try {
      const before = started;
      const one = path.join(registry.root, "one");
      const two = path.join(registry.root, "two");
      const first = await generator.generate({ schemas: [registry.dir], out: one, cwd: registry.root, concurrency: 1 });
      assert.equal(started - before, 0);
      const second = await generator.generate({ schemas: [registry.dir], out: two, cwd: registry.root, concurrency: 2 });
      assert.equal(started - before, 1);
      assert.deepEqual([first.diagnostics, second.diagnostics], [[], []]);
      assert.deepEqual([first.stats.generated, second.stats.generated], [45, 45]);
      assert.deepEqual(contents(two), contents(one));
      // The run again, with its output there to reuse: no worker starts ahead.
      await generator.generate({ schemas: [registry.dir], out: two, cwd: registry.root, concurrency: 2 });
      assert.equal(started - before, 1);
    } finally {
      registry.dispose();
    }
  });

  test("a cold run of 45 files that compiles only 5 (the latest of each MODEL) ends the worker it started ahead", async () => {
    const files: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < 5; i++) {
      for (let addition = 0; addition < 9; addition++) {
        files[`com.acme/thing_${i}/jsonschema/1-0-${addition}`] = selfDescribing(`thing_${i}`, `1-0-${addition}`, { type: "object", properties: { [`field${addition}`]: { type: "string" } }, additionalProperties: false });
      }
    }
    const registry = tempRegistry(files);
    try {
      const first = instances.length;
      const result = await generator.generate({ schemas: [registry.dir], out: path.join(registry.root, "out"), cwd: registry.root, concurrency: 2 });
      assert.deepEqual([result.diagnostics, result.stats.read, result.stats.generated], [[], 45, 5]);
      assert.equal(instances.length - first, 1, "a cold run of 40 files or more starts its worker while it reads");
      assert.ok(ended.has(instances[first]!), "the worker nobody took has ended by the time generate() returns");
    } finally {
      registry.dispose();
    }
  });
});
