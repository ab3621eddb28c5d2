/**
 * Durable delivery, end to end, with real processes, a real redis-server and
 * a real collector on 127.0.0.1:
 * - a tracker process with a RedisEventStore killed with SIGKILL while it
 *   sends to a slow collector; a new process sends the rest: nothing lost,
 *   duplicates only for requests the collector recorded but the dead process
 *   never saw answered;
 * - RedisEmitter into a list, a RedisWorker draining it, killed with SIGKILL
 *   mid-stream and restarted; and one stopped with SIGTERM;
 * - the collector down while 100,000 events accumulate: the tracker's memory
 *   stays flat, the events wait in Redis, all arrive when the collector is back;
 * - close() with a deadline against a collector that never answers.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Emitter, RedisEmitter, RedisEventStore, Tracker } from "../../runtime/node.js";
import { ok, startCollector, type Collector, type Payload } from "../support/collector.js";
import { ROOT } from "../support/iglu.js";
import { skipWithoutRedis, startRedis, type TestRedis } from "../support/redis.js";

const skip = skipWithoutRedis();
let redis: TestRedis;
let n = 0;
const children = new Set<ChildProcess>();

function run(fixture: string, args: unknown, nodeFlags: string[] = []): { child: ChildProcess; lines: string[]; waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", path.join(ROOT, "test/fixtures/redis", fixture), JSON.stringify(args)], { stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  const lines: string[] = [];
  let buffer = "";
  const listeners = new Set<() => void>();
  child.stdout!.on("data", (d: Buffer) => {
    buffer += d.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    lines.push(...parts);
    for (const l of [...listeners]) l();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => { children.delete(child); resolve(code); }));
  return {
    child, lines, exited,
    waitFor: (pattern, timeoutMs = 60_000) => new Promise((resolve, reject) => {
      const check = (): void => {
        const line = lines.find((l) => pattern.test(l));
        if (line !== undefined) { listeners.delete(check); clearTimeout(timer); resolve(line); }
      };
      const timer = setTimeout(() => { listeners.delete(check); reject(new Error(`${fixture}: no line matching ${String(pattern)} in ${timeoutMs} ms; got ${lines.join(" | ")}`)); }, timeoutMs);
      listeners.add(check);
      void exited.then(() => setTimeout(() => { if (listeners.has(check)) { listeners.delete(check); clearTimeout(timer); reject(new Error(`${fixture} exited; got ${lines.join(" | ")}`)); } }, 50));
      check();
    }),
  };
}

const labels = (events: readonly Payload[]): string[] => events.map((e) => e.se_la ?? "?");
const expected = (count: number): string[] => Array.from({ length: count }, (_, i) => `e${i}`);
function tally(events: readonly Payload[]): { unique: Set<string>; duplicates: number } {
  const unique = new Set(labels(events));
  return { unique, duplicates: events.length - unique.size };
}

describe("durable delivery with Redis", { skip, timeout: 300_000 }, () => {
  before(async () => { redis = await startRedis(); });
  after(async () => {
    for (const c of children) c.kill("SIGKILL");
    await redis.stop();
  });

  test("a tracker killed with SIGKILL mid-send loses nothing: a restarted one sends the rest; duplicates are the ambiguous requests", async () => {
    const COUNT = 400;
    // Slow, and some requests recorded but answered only after a long pause: the kill lands while they are in flight.
    const collector = await startCollector({ behaviour: (r) => ({ action: 200, delay: r.n % 3 === 0 ? 400 : 40 }) });
    try {
      const key = `durable:${++n}`;
      const first = run("tracker.ts", { collector: collector.url, redis: redis.url, key, leaseMs: 500, mode: "track", count: COUNT });
      await first.waitFor(/^accepted$/);
      await collector.waitForEvents(60, 60_000);
      first.child.kill("SIGKILL");
      await first.exited;
      const beforeResume = collector.delivered.length;
      assert.ok(beforeResume < COUNT, `the kill came too late to test anything (${beforeResume} delivered)`);

      const second = run("tracker.ts", { collector: collector.url, redis: redis.url, key, leaseMs: 500, mode: "resume" });
      assert.equal(await second.exited, 0);
      const { unique, duplicates } = tally(collector.delivered);
      assert.deepEqual([...unique].sort(), expected(COUNT).sort(), "every event arrived");
      // A duplicate can only be an event of a request the collector was still answering when the process died:
      // the collector records it when it answers, but the dead process never saw the answer, so the event is sent
      // again (at least once). At most 2 requests were in flight.
      const perRequest = Math.max(...collector.requests.map((r) => r.events.length));
      assert.ok(duplicates <= 2 * perRequest, `${duplicates} duplicates: more than the 2 requests of at most ${perRequest} events in flight at the kill`);
      assert.equal(Number(await redis.command(["LLEN", `${key}:queue`])), 0);
      assert.deepEqual(await redis.command(["KEYS", `${key}:inflight:*`]), []);
    } finally {
      await collector.close();
    }
  });

  test("RedisEmitter → list → RedisWorker, the worker killed with SIGKILL mid-stream and restarted: nothing lost", async () => {
    const COUNT = 1000;
    const collector = await startCollector({ behaviour: () => ({ action: 200, delay: 20 }) });
    try {
      const key = `list:${++n}`;
      const producer = new RedisEmitter({ url: redis.url, key, logger: "silent" });
      const tracker = new Tracker({ emitters: producer, namespace: "producer" });
      for (let i = 0; i < COUNT; i++) tracker.trackStructEvent({ category: "durability", action: "list", label: `e${i}` });
      await tracker.flush();
      assert.equal(Number(await redis.command(["LLEN", key])), COUNT);
      await producer.close();

      const worker = run("worker.ts", { collector: collector.url, redis: redis.url, key, batchSize: 50, leaseMs: 500 });
      await collector.waitForEvents(200, 60_000);
      worker.child.kill("SIGKILL");
      await worker.exited;
      assert.ok(collector.delivered.length < COUNT, "the kill came mid-stream");

      const restarted = run("worker.ts", { collector: collector.url, redis: redis.url, key, batchSize: 50, leaseMs: 500 });
      await restarted.waitFor(/^running$/);
      await collector.waitForEvents(COUNT, 60_000);
      // Wait until the list and every processing list are empty, then stop the worker gracefully.
      for (let i = 0; i < 200 && (Number(await redis.command(["LLEN", key])) > 0 || ((await redis.command(["KEYS", `${key}:processing:*`])) as string[]).length > 0); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      restarted.child.kill("SIGTERM");
      assert.equal(await restarted.exited, 0);
      const { unique, duplicates } = tally(collector.delivered);
      assert.deepEqual([...unique].sort(), expected(COUNT).sort());
      // The killed worker's batch (at most 50) was handed out again.
      assert.ok(duplicates <= 50, `${duplicates} duplicates, more than one batch`);
    } finally {
      await collector.close();
    }
  });

  test("a worker stopped with SIGTERM takes nothing more, delivers what it holds and exits 0: no loss, no duplicate", async () => {
    const COUNT = 600;
    const collector = await startCollector({ behaviour: () => ({ action: 200, delay: 15 }) });
    try {
      const key = `list:${++n}`;
      const producer = new RedisEmitter({ url: redis.url, key, logger: "silent" });
      for (let i = 0; i < COUNT; i++) producer.input({ e: "se", se_ca: "durability", se_ac: "term", se_la: `e${i}` });
      await producer.close();
      const worker = run("worker.ts", { collector: collector.url, redis: redis.url, key, batchSize: 50, leaseMs: 5000 });
      await collector.waitForEvents(100, 60_000);
      worker.child.kill("SIGTERM");
      assert.equal(await worker.exited, 0);
      const report = JSON.parse(worker.lines.at(-1) ?? "{}") as { delivered: number; remaining: number };
      const left = Number(await redis.command(["LLEN", key]));
      assert.equal(report.remaining, 0);
      assert.equal(collector.delivered.length, report.delivered, "everything the worker took was delivered");
      assert.equal(collector.delivered.length + left, COUNT, "and the rest is still in the list");
      assert.equal(tally(collector.delivered).duplicates, 0);
      assert.deepEqual(await redis.command(["KEYS", `${key}:processing:*`]), []);
    } finally {
      await collector.close();
    }
  });

  test("the collector down while 100,000 events pile up: the tracker's memory stays flat, the events wait in Redis, all arrive later", async () => {
    const ROUNDS = 10;
    const PER_ROUND = 10_000;
    const collector = await startCollector({ behaviour: () => ({ action: 503 }) });
    try {
      const key = `flood:${++n}`;
      const flood = run("tracker.ts", { collector: collector.url, redis: redis.url, key, leaseMs: 2000, mode: "flood", count: PER_ROUND, rounds: ROUNDS }, ["--expose-gc"]);
      await flood.waitFor(/^flooded$/, 240_000);
      const rounds = flood.lines.filter((l) => l.startsWith("{\"round\"")).map((l) => JSON.parse(l) as { round: number; rss: number; heapUsed: number; held: number });
      assert.equal(rounds.length, ROUNDS);
      assert.equal(rounds.at(-1)!.held, ROUNDS * PER_ROUND, "every event is held in Redis");
      // After the first round (warm-up), the heap does not grow with the backlog: 90,000 more events, under 8 MB more heap.
      const growth = rounds.at(-1)!.heapUsed - rounds[1]!.heapUsed;
      assert.ok(growth < 8 * 1024 * 1024, `heap grew ${(growth / 1024 / 1024).toFixed(1)} MB while 90,000 events accumulated`);
      collector.setBehaviour(ok);
      assert.equal(await flood.exited, 0);
      const { unique, duplicates } = tally(collector.delivered);
      assert.equal(unique.size, ROUNDS * PER_ROUND);
      assert.equal(duplicates, 0);
    } finally {
      await collector.close();
    }
  });

  test("close() with a deadline against a collector that never answers returns in time and reports what remains, which stays in Redis", async () => {
    const collector = await startCollector({ behaviour: () => ({ action: "hang" }) });
    try {
      const key = `close:${++n}`;
      const store = new RedisEventStore({ url: redis.url, key, logger: "silent" });
      const emitter = new Emitter({ endpoint: collector.url, eventStore: store, batchSize: 5, requestTimeout: 60_000, logger: "silent" });
      const tracker = new Tracker({ emitters: emitter, namespace: "closing" });
      for (let i = 0; i < 40; i++) tracker.trackStructEvent({ category: "durability", action: "close", label: `e${i}` });
      await collector.waitForRequests(1);
      const started = performance.now();
      const report = await tracker.close({ timeoutMs: 500 });
      const took = performance.now() - started;
      assert.ok(took < 1500, `close took ${Math.round(took)} ms for a 500 ms deadline`);
      assert.deepEqual(report, { remaining: 40, timedOut: true });
      assert.equal(Number(await redis.command(["LLEN", `${key}:queue`])), 40, "still in Redis for the next run");
    } finally {
      await collector.close();
    }
  });

  test("closeOnExit: on SIGTERM the tracker closes within its deadline, reports what is left (kept in Redis), and the process exits 143", async () => {
    const collector = await startCollector({ behaviour: () => ({ action: "hang" }) });
    try {
      const key = `shutdown:${++n}`;
      const child = run("shutdown.ts", { collector: collector.url, redis: redis.url, key, count: 30 });
      await child.waitFor(/^tracked$/);
      const started = performance.now();
      child.child.kill("SIGTERM");
      assert.equal(await child.exited, 143);
      assert.ok(performance.now() - started < 3000, "closed within the deadline, not hanging on the collector");
      assert.ok(child.lines.includes("closed 30"), child.lines.join(" | "));
      assert.equal(Number(await redis.command(["LLEN", `${key}:queue`])), 30);
    } finally {
      await collector.close();
    }
  });
});
