/**
 * Redis at the edges, against real redis-servers and collectors on
 * 127.0.0.1: flush and close cover events just tracked; deadlines hold
 * whatever Redis does (unreachable, refusing the password, paused); memory
 * stays bounded while Redis cannot take events, and what is refused is
 * reported as such; transient errors strand nothing; a restart without
 * persistence is reported; lists written by the Python tracker are sent as
 * the protocol wants; a script with a Redis store exits on its own.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import {
  createLogger, Emitter, RedisEmitter, RedisEventStore, RedisWorker, Tracker, type EmitterConfig, type FailureInfo, type Logger,
} from "../../runtime/node.js";
import { startCollector, type Behaviour, type Collector } from "../support/collector.js";
import { createValidator, ROOT } from "../support/iglu.js";
import { freePort, skipWithoutRedis, startRedis, type TestRedis } from "../support/redis.js";
import { runScript } from "../support/process.js";

const skip = skipWithoutRedis();
let redis: TestRedis;
let n = 0;
const collectors: Collector[] = [];
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close().catch(() => undefined)));
  await Promise.all(collectors.splice(0).map((c) => c.close()));
});

async function collector(behaviour?: Behaviour): Promise<Collector> {
  const c = await startCollector(behaviour === undefined ? {} : { behaviour });
  collectors.push(c);
  return c;
}

interface Recorded { logger: Logger; lines: string[] }
function recordingLogger(): Recorded {
  const lines: string[] = [];
  const sink = (level: string) => (message: string) => { lines.push(`${level}: ${message}`); };
  return { lines, logger: createLogger({ level: "debug", prefix: "", sink: { error: sink("error"), warn: sink("warn"), info: sink("info"), debug: sink("debug") } }) };
}

interface Setup { tracker: Tracker; emitter: Emitter; store: RedisEventStore; failures: FailureInfo[]; log: Recorded }
function setup(endpoint: string, url: string, config: Partial<EmitterConfig> = {}, storeOptions: Partial<ConstructorParameters<typeof RedisEventStore>[0]> = {}): Setup {
  const log = recordingLogger();
  const failures: FailureInfo[] = [];
  const store = new RedisEventStore({ url, key: `edge:${++n}`, logger: log.logger, commandTimeout: 500, ...storeOptions });
  const emitter = new Emitter({
    endpoint, eventStore: store, flushInterval: 0, logger: log.logger, retry: { initialDelay: 20, maxDelay: 200 },
    onFailure: (f) => failures.push(f), ...config,
  });
  const tracker = new Tracker({ namespace: "redis-edge", emitters: emitter, logger: "silent" });
  closers.push(() => tracker.close({ timeoutMs: 1_000 }));
  return { tracker, emitter, store, failures, log };
}

const track = (t: Tracker, count: number): void => {
  for (let i = 0; i < count; i++) t.trackStructEvent({ category: "c", action: `a${i}` });
};
const actions = (events: readonly Record<string, string>[]): string[] => events.map((e) => e.se_ac!).sort();
const expected = (count: number): string[] => Array.from({ length: count }, (_, i) => `a${i}`).sort();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const reasons = (failures: readonly FailureInfo[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const f of failures) out[f.reason] = (out[f.reason] ?? 0) + f.events.length;
  return out;
};

/** Times a promise; fails when it takes longer than `limitMs` (a hang, not a speed bar). */
async function timed<T>(promise: Promise<T>, limitMs: number): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const value = await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`still pending after ${limitMs} ms`)), limitMs); })]);
  clearTimeout(timer);
  return { value, ms: Date.now() - started };
}

describe("Redis at the edges", { skip, timeout: 300_000 }, () => {
  before(async () => { redis = await startRedis(); });
  after(async () => { await redis?.stop(); });

  test("flush right after tracking sends the event (20 of 20), and close reports nothing left", async () => {
    const c = await collector();
    const { tracker } = setup(c.url, redis.url);
    for (let trial = 0; trial < 20; trial++) {
      tracker.trackPageView({ pageUrl: `http://x/${trial}` });
      await tracker.flush();
      assert.equal(c.delivered.length, trial + 1, `trial ${trial}: the event tracked just before flush was not sent`);
    }
    tracker.trackPageView({ pageUrl: "http://x/last" });
    assert.deepEqual(await tracker.close({ timeoutMs: 2_000 }), { remaining: 0, timedOut: false });
    assert.equal(c.delivered.length, 21);
  });

  test("close with the collector down counts what stays in Redis, and leaves it there for the next run", async () => {
    const c = await collector(() => ({ action: 503 }));
    const { tracker, store, failures } = setup(c.url, redis.url);
    track(tracker, 5);
    const report = await tracker.close({ timeoutMs: 600 });
    assert.deepEqual(report, { remaining: 5, timedOut: true });
    assert.equal(Number(await redis.command(["LLEN", `${store.key}:queue`])), 5);
    assert.deepEqual(Object.keys(reasons(failures)), ["status"], "kept in Redis: not reported lost");
  });

  test("a missing @redis/client is a configuration error at construction", () => {
    // The built runtime, copied where no node_modules can be found.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-no-redis-"));
    try {
      fs.cpSync(path.join(ROOT, "runtime/dist/esm"), path.join(dir, "runtime"), { recursive: true });
      fs.writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }');
      const script = "import { RedisEventStore } from './runtime/node.js'; try { new RedisEventStore({ url: 'redis://127.0.0.1:1' }); console.log('constructed'); } catch (e) { console.log(String(e)); }";
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" }).trim();
      assert.equal(out, "Error: RedisEventStore needs the @redis/client package, which is not installed: npm install @redis/client");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const kind of ["unreachable", "wrong password"] as const) {
    describe(`Redis ${kind}`, () => {
      let url: string;
      let secured: TestRedis | undefined;
      before(async () => {
        if (kind === "unreachable") url = `redis://127.0.0.1:${await freePort()}`;
        else {
          secured = await startRedis({ password: "right" });
          url = `redis://:wrong@127.0.0.1:${secured.port}`;
        }
      });
      after(async () => { await secured?.stop(); });

      test("events wait in a bounded buffer; beyond it they are refused as store-unavailable; close keeps its deadline", async () => {
        const c = await collector();
        const { tracker, failures, log, emitter } = setup(c.url, url, {}, { bufferCapacity: 1_000 });
        track(tracker, 5_000);
        await sleep(50);
        assert.deepEqual(reasons(failures), { "store-unavailable": 4_000 });
        const { value: report, ms } = await timed(tracker.close({ timeoutMs: 1_000 }), 10_000);
        assert.ok(ms < 2_500, `close took ${ms} ms against its 1,000 ms deadline`);
        assert.deepEqual(report, { remaining: 1_000, timedOut: true });
        assert.deepEqual(reasons(failures), { "store-unavailable": 5_000 }, "what waited in memory is reported when the store closes");
        assert.equal(emitter.stats().accepted, 0);
        assert.equal(c.delivered.length, 0);
        const expectedLine = kind === "unreachable" ? /refused the connection/ : /rejected the credentials .*check the user and password in the URL/;
        assert.ok(log.lines.some((l) => expectedLine.test(l)), log.lines.join("\n"));
        assert.ok(!log.lines.some((l) => l.includes("wrong")), "the password is in no message");
        assert.ok(!log.lines.some((l) => /full/.test(l)), "never reported as store-full");
      });

      test("RedisEmitter.close and RedisWorker.stop keep their deadlines", async () => {
        const emitter = new RedisEmitter({ url, logger: "silent", commandTimeout: 300 });
        emitter.input({ e: "pv", url: "http://x" });
        const closed = await timed(emitter.close({ timeoutMs: 800 }), 10_000);
        assert.ok(closed.ms < 2_000, `RedisEmitter.close took ${closed.ms} ms`);
        assert.deepEqual(closed.value, { remaining: 1, timedOut: true });
        const c = await collector();
        const worker = new RedisWorker({ url, logger: "silent", commandTimeout: 300, emitter: new Emitter({ endpoint: c.url, logger: "silent" }) });
        const running = worker.run({ closeTimeoutMs: 800 });
        await sleep(500);
        const stopped = await timed(worker.stop(), 10_000);
        assert.ok(stopped.ms < 2_500, `RedisWorker.stop took ${stopped.ms} ms`);
        assert.deepEqual(await running, { delivered: 0, malformed: 0, remaining: 0 });
      });
    });
  }

  test("Redis paused (CLIENT PAUSE 4000): close with a 1 s deadline returns in time, not when the pause ends", async () => {
    const c = await collector();
    const { tracker, store } = setup(c.url, redis.url);
    track(tracker, 3);
    await tracker.flush();
    assert.equal(c.delivered.length, 3);
    await redis.command(["CLIENT", "PAUSE", "4000", "ALL"]);
    try {
      track(tracker, 3);
      const { ms, value } = await timed(tracker.close({ timeoutMs: 1_000 }), 10_000);
      assert.ok(ms < 2_500, `close took ${ms} ms`);
      assert.equal(value.timedOut, true);
    } finally {
      await redis.command(["CLIENT", "UNPAUSE"]);
    }
    // Adds that reached Redis before the deadline stay there for the next run.
    assert.ok(Number(await redis.command(["LLEN", `${store.key}:queue`])) <= 3);
  });

  test("a RELEASE that fails (Redis refusing HDEL) strands nothing: the batch is released once Redis recovers, and sent", async () => {
    await redis.command(["ACL", "SETUSER", "store", "on", ">pw", "~*", "&*", "+@all", "-hdel"]);
    let failing = true;
    const c = await collector(() => ({ action: failing ? 500 : 200 }));
    const url = `redis://store:pw@127.0.0.1:${redis.port}`;
    const { tracker, store, emitter, log } = setup(c.url, url, { batchSize: 20, flushInterval: 20 });
    track(tracker, 20);
    for (let i = 0; i < 200 && !log.lines.some((l) => /^warn: event store failed to release 20 event\(s\); trying again$/.test(l)); i++) await sleep(25);
    assert.ok(log.lines.some((l) => /failed to release/.test(l)), log.lines.join("\n"));
    await sleep(200);
    await redis.command(["ACL", "SETUSER", "store", "+hdel"]);
    failing = false;
    await c.waitForEvents(20, 15_000);
    await tracker.flush();
    assert.deepEqual(actions(c.delivered), expected(20));
    assert.equal(Number(await redis.command(["LLEN", `${store.key}:queue`])), 0);
    assert.equal(Number(await redis.command(["HLEN", `${store.key}:inflight:${store.consumer}`])), 0);
    assert.equal(emitter.stats().sent, 20);
    await redis.command(["ACL", "DELUSER", "store"]);
  });

  test("a DEL that fails in RedisWorker is retried: run() goes on, the batch is delivered once, its lease is released at stop", async () => {
    await redis.command(["ACL", "SETUSER", "worker", "on", ">pw", "~*", "&*", "+@all", "-del"]);
    const c = await collector();
    const key = `worker-edge:${++n}`;
    const into = new RedisEmitter({ url: redis.url, key, logger: "silent" });
    for (let i = 0; i < 10; i++) into.input({ e: "se", se_ca: "c", se_ac: `a${i}`, eid: `e${i}`, p: "srv", tv: "t" });
    await into.close({ timeoutMs: 2_000 });
    const worker = new RedisWorker({ url: `redis://worker:pw@127.0.0.1:${redis.port}`, key, logger: "silent", batchSize: 10, pollMs: 20, emitter: new Emitter({ endpoint: c.url, logger: "silent", flushInterval: 0 }) });
    const running = worker.run({ closeTimeoutMs: 2_000 });
    await c.waitForEvents(10, 10_000);
    await sleep(300);
    assert.equal(Number(await redis.command(["EXISTS", `${key}:processing:${worker.id}`])), 1, "DEL is refused for now");
    await redis.command(["ACL", "SETUSER", "worker", "+del"]);
    for (let i = 0; i < 100 && Number(await redis.command(["EXISTS", `${key}:processing:${worker.id}`])) === 1; i++) await sleep(50);
    const report = await worker.stop();
    assert.deepEqual(await running, report);
    assert.deepEqual(report, { delivered: 10, malformed: 0, remaining: 0 });
    assert.deepEqual(actions(c.delivered), expected(10));
    assert.deepEqual(await redis.command(["KEYS", `${key}:*`]), []);
    await redis.command(["ACL", "DELUSER", "worker"]);
  });

  test("RedisWorker forwards lists written by the Python tracker (numbers in dtm and tid) as strings, valid against payload_data", async () => {
    const c = await collector();
    const key = `python:${++n}`;
    const entry = JSON.stringify({ e: "pv", url: "http://python.example", eid: "9b4b0e8e-6a4c-4d8e-8a52-6f2a0c9e2b11", dtm: 1700000000000, tid: 123456, p: "pc", tv: "py-1.1.0", tna: "py" });
    await redis.command(["RPUSH", key, entry]);
    const worker = new RedisWorker({ url: redis.url, key, logger: "silent", pollMs: 20, emitter: new Emitter({ endpoint: c.url, logger: "silent", flushInterval: 0 }) });
    const running = worker.run();
    await c.waitForEvents(1, 10_000);
    await worker.stop();
    await running;
    const event = c.delivered[0]!;
    createValidator().assertEvent(event);
    assert.deepEqual([event.dtm, event.tid], ["1700000000000", "123456"]);
  });

  test("a script with a RedisEventStore that tracks and ends delivers its events and exits on its own", async () => {
    const c = await collector();
    const run = await runScript("test/fixtures/exit/track.ts", { endpoint: c.url, count: 5, redis: redis.url, key: `exit:${++n}` });
    assert.equal(run.code, 0);
    assert.equal(c.delivered.length, 5);
  });
});

describe("Redis restarts", { skip, timeout: 120_000 }, () => {
  for (const persistent of [false, true]) {
    test(persistent ? "with AOF persistence: the restart is noticed, nothing is lost, every event arrives" : "without persistence: the restart is reported as possible loss", async () => {
      const server = await startRedis({ appendOnly: persistent });
      try {
        let up = false;
        const c = await collector(() => ({ action: up ? 200 : 503 }));
        const { tracker, log } = setup(c.url, server.url, {}, { leaseMs: 300 });
        track(tracker, 10);
        await tracker.flush();
        await server.restart();
        const want = persistent ? /^info: RedisEventStore: Redis restarted and kept its data/ : /^error: RedisEventStore: Redis restarted without its data: events it held for this store .* are lost; 10 were accepted since the store started/;
        for (let i = 0; i < 100 && !log.lines.some((l) => want.test(l)); i++) await sleep(50);
        assert.ok(log.lines.some((l) => want.test(l)), log.lines.join("\n"));
        up = true;
        if (persistent) {
          await c.waitForEvents(10, 15_000);
          assert.deepEqual(actions(c.delivered), expected(10));
        }
        await tracker.close({ timeoutMs: 1_000 });
      } finally {
        await server.stop();
      }
    });
  }
});
