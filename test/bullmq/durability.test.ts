/**
 * BullMQ delivery guarantees, end to end, with real processes (the workers),
 * a real redis-server and a real collector on 127.0.0.1, as test/redis
 * checks them for the Redis store and worker:
 * - a worker killed with SIGKILL mid-job: BullMQ's stalled-job check gives
 *   its jobs to another worker; every event arrives, duplicates at most the
 *   events of the jobs it had in hand;
 * - a job whose workers keep dying: failed for good past maxStalledCount, and reported;
 * - a script that tracks and ends without close(): it ends, its events queued;
 * - the collector down for a while, then up: every event arrives, once;
 * - three worker processes at once deliver exactly the events sent;
 * - Redis (AOF, fsync always) killed and restarted while jobs are added and
 *   sent: every event arrives.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { BullMQEmitter, createBullMQWorker, type BullMQJobFailure } from "../../runtime/bullmq.js";
import { ok, startCollector, type Payload } from "../support/collector.js";
import { ROOT } from "../support/iglu.js";
import { skipWithoutRedis, startRedis, type TestRedis } from "../support/redis.js";

const skip = skipWithoutRedis();
let redis: TestRedis;
let n = 0;
const children = new Set<ChildProcess>();

interface WorkerProcess { child: ChildProcess; lines: string[]; running: Promise<void>; exited: Promise<number | null> }

function startWorker(args: Record<string, unknown>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/fixtures/bullmq/worker.ts"), JSON.stringify(args)], { stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  const lines: string[] = [];
  let buffer = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => { children.delete(child); resolve(code); }));
  const running = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("worker did not start within 20 s")), 20_000);
    void exited.then(() => { clearTimeout(timer); reject(new Error(`worker exited before running: ${lines.join(" | ")}`)); });
    child.stdout!.on("data", (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      lines.push(...parts);
      if (lines.includes("running")) { clearTimeout(timer); resolve(); }
    });
  });
  running.catch(() => undefined);
  return { child, lines, running, exited };
}

async function stopWorker(worker: WorkerProcess): Promise<{ completedJobs: number; delivered: number; failedJobs: number }> {
  worker.child.kill("SIGTERM");
  assert.equal(await worker.exited, 0, "a worker stopped with SIGTERM exits 0");
  return JSON.parse(worker.lines.at(-1) ?? "{}") as { completedJobs: number; delivered: number; failedJobs: number };
}

const event = (i: number): Record<string, string> => ({ e: "se", se_ca: "bullmq", se_ac: "durability", se_la: `e${i}`, eid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` });
const expected = (count: number): string[] => Array.from({ length: count }, (_, i) => `e${i}`).sort();
function tally(events: readonly Payload[]): { unique: string[]; duplicates: number } {
  const unique = new Set(events.map((e) => e.se_la ?? "?"));
  return { unique: [...unique].sort(), duplicates: events.length - unique.size };
}

/** Adds `jobs` jobs of `perJob` events each, numbered from `from`. */
async function enqueue(emitter: BullMQEmitter, jobs: number, perJob: number, from = 0): Promise<void> {
  for (let j = 0; j < jobs; j++) {
    for (let i = 0; i < perJob; i++) emitter.input(event(from + j * perJob + i));
    await emitter.flush();
  }
}

/** Waits until the emitter has queued every event and the queue has no job waiting, delayed or active. */
async function drained(emitter: BullMQEmitter, timeoutMs: number): Promise<Record<string, number>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    // While Redis is away the emitter's connection refuses commands at once: asked again.
    const counts = emitter.stats().pending > 0 ? undefined : await emitter.queue.getJobCounts("waiting", "delayed", "active", "completed", "failed").catch(() => undefined);
    if (counts !== undefined && counts.waiting === 0 && counts.delayed === 0 && counts.active === 0) return counts;
    if (Date.now() > end) throw new Error(`queue not drained in ${timeoutMs} ms: ${JSON.stringify(counts ?? emitter.stats())}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const emitterFor = (queue: string, url = redis.url): BullMQEmitter =>
  new BullMQEmitter({ queue, url, flushInterval: 0, attempts: 100, backoff: { type: "fixed", delay: 100 }, retry: { initialDelay: 50, maxDelay: 200 }, logger: "silent" });

describe("BullMQ durable delivery", { skip, timeout: 300_000 }, () => {
  before(async () => { redis = await startRedis(); });
  after(async () => {
    for (const c of children) c.kill("SIGKILL");
    await redis.stop();
  });

  test("a worker killed with SIGKILL mid-job: its jobs stall and run again; every event arrives, duplicates at most the jobs it held", async () => {
    const JOBS = 30;
    const PER_JOB = 20;
    const CONCURRENCY = 2;
    const collector = await startCollector({ behaviour: () => ({ action: 200, delay: 80 }) });
    const queue = `killed${++n}`;
    const emitter = emitterFor(queue);
    try {
      await enqueue(emitter, JOBS, PER_JOB);
      const first = startWorker({ collector: collector.url, redis: redis.url, queue, concurrency: CONCURRENCY });
      await first.running;
      await collector.waitForEvents(100, 30_000);
      first.child.kill("SIGKILL");
      await first.exited;
      assert.ok(collector.delivered.length < JOBS * PER_JOB, "the kill came mid-stream");
      assert.ok(((await emitter.queue.getJobCounts("active")).active ?? 0) > 0, "the dead worker left jobs active");

      const second = startWorker({ collector: collector.url, redis: redis.url, queue, concurrency: CONCURRENCY });
      await second.running;
      const counts = await drained(emitter, 60_000);
      await stopWorker(second);
      assert.equal(counts.completed, JOBS);
      assert.equal(counts.failed, 0);
      const { unique, duplicates } = tally(collector.delivered);
      assert.deepEqual(unique, expected(JOBS * PER_JOB), "every event arrived");
      assert.ok(duplicates <= CONCURRENCY * PER_JOB, `${duplicates} duplicates: more than the ${CONCURRENCY} jobs of ${PER_JOB} events in hand at the kill`);
    } finally {
      await emitter.close({ timeoutMs: 2_000 });
      await collector.close();
    }
  });

  test("a job whose workers keep dying (stalled more than maxStalledCount): failed for good and reported, not lost silently", async () => {
    const collector = await startCollector({ behaviour: () => ({ action: "hang" }) });
    const queue = `stalls${++n}`;
    const emitter = emitterFor(queue);
    const failures: BullMQJobFailure[] = [];
    const dying = startWorker({ collector: collector.url, redis: redis.url, queue, concurrency: 1, maxStalledCount: 0 });
    let survivor: ReturnType<typeof createBullMQWorker> | undefined;
    try {
      await dying.running;
      await enqueue(emitter, 1, 3);
      await collector.waitForRequests(1, 20_000);
      dying.child.kill("SIGKILL");
      await dying.exited;
      survivor = createBullMQWorker({
        queue, url: redis.url, endpoint: collector.url, lockDuration: 1_000, stalledInterval: 500, maxStalledCount: 0, logger: "silent",
        onFailure: (failure) => failures.push(failure),
      });
      const end = Date.now() + 20_000;
      while (failures.length === 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(failures.length, 1, "the failure was reported");
      assert.match(failures[0]!.reason, /stalled|allowable limit/);
      assert.deepEqual(failures[0]!.events.map((e) => e.se_la), ["e0", "e1", "e2"]);
      assert.equal((await emitter.queue.getJobCounts("failed")).failed, 1, "and the job is in the failed set");
    } finally {
      await survivor?.close({ timeoutMs: 1_000 });
      await emitter.close({ timeoutMs: 2_000 });
      await collector.close();
    }
  });

  test("a script that tracks and ends without close(): it exits on its own, its events queued", async () => {
    const queue = `ends${++n}`;
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/fixtures/bullmq/ends.ts"), JSON.stringify({ redis: redis.url, queue, count: 3 })], { stdio: "ignore" });
    children.add(child);
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => { children.delete(child); resolve(c); }));
    clearTimeout(timer);
    assert.equal(code, 0, `the script did not end on its own (killed after ${Date.now() - started} ms)`);
    const emitter = emitterFor(queue);
    try {
      const jobs = await emitter.queue.getJobs(["waiting"]);
      assert.deepEqual(jobs.flatMap((job) => job.data.events.map((e: Payload) => e.se_la)).sort(), ["e0", "e1", "e2"]);
    } finally {
      await emitter.close({ timeoutMs: 1_000 });
    }
  });

  test("a script that tracks with Redis out of reach and ends: it still exits (its events are reported lost)", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/fixtures/bullmq/ends.ts"), JSON.stringify({ redis: "redis://127.0.0.1:1", queue: "nowhere", count: 3 })], { stdio: "ignore" });
    children.add(child);
    const started = Date.now();
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => { children.delete(child); resolve(c); }));
    clearTimeout(timer);
    assert.equal(code, 0, `the script did not end on its own (killed after ${Date.now() - started} ms)`);
  });

  test("a worker closed while Redis is out of reach: close() keeps its deadline and the process ends", async () => {
    const started = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/fixtures/bullmq/closes.ts"), JSON.stringify({ redis: "redis://127.0.0.1:1", collector: "http://127.0.0.1:1" })], { stdio: ["ignore", "pipe", "ignore"] });
    children.add(child);
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => { out += chunk.toString(); });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => { children.delete(child); resolve(c); }));
    clearTimeout(timer);
    const closedIn = Number(/closed (\d+)/.exec(out)?.[1]);
    assert.ok(closedIn <= 1_500, `close() took ${closedIn} ms against a 1,000 ms deadline`);
    assert.equal(code, 0, `the process did not end after close() (killed after ${Date.now() - started} ms)`);
  });

  test("the collector down for a while, then up: every event arrives, once", async () => {
    const collector = await startCollector({ behaviour: () => ({ action: 503 }) });
    const queue = `outage${++n}`;
    const emitter = emitterFor(queue);
    const worker = startWorker({ collector: collector.url, redis: redis.url, queue, concurrency: 4 });
    try {
      await worker.running;
      await enqueue(emitter, 10, 25);
      await collector.waitForRequests(20, 20_000);
      assert.equal(collector.delivered.length, 0);
      assert.ok(((await emitter.queue.getJobCounts("delayed")).delayed ?? 0) > 0, "the jobs wait out BullMQ's backoff");
      collector.setBehaviour(ok);
      const counts = await drained(emitter, 30_000);
      assert.equal(counts.completed, 10);
      assert.equal(counts.failed, 0);
      const { unique, duplicates } = tally(collector.delivered);
      assert.deepEqual(unique, expected(250));
      assert.equal(duplicates, 0);
      const stats = await stopWorker(worker);
      assert.equal(stats.delivered, 250);
    } finally {
      await emitter.close({ timeoutMs: 2_000 });
      await collector.close();
    }
  });

  test("three worker processes at once deliver exactly the events sent", async () => {
    const JOBS = 100;
    const PER_JOB = 30;
    const collector = await startCollector({ behaviour: () => ({ action: 200, delay: 5 }) });
    const queue = `parallel${++n}`;
    const emitter = emitterFor(queue);
    const workers = [0, 1, 2].map(() => startWorker({ collector: collector.url, redis: redis.url, queue, concurrency: 2 }));
    try {
      await Promise.all(workers.map((w) => w.running));
      await enqueue(emitter, JOBS, PER_JOB);
      const counts = await drained(emitter, 60_000);
      assert.equal(counts.completed, JOBS);
      const stats = await Promise.all(workers.map((w) => stopWorker(w)));
      const { unique, duplicates } = tally(collector.delivered);
      assert.deepEqual(unique, expected(JOBS * PER_JOB));
      assert.equal(duplicates, 0);
      assert.equal(stats.reduce((sum, s) => sum + s.completedJobs, 0), JOBS);
      assert.equal(stats.reduce((sum, s) => sum + s.delivered, 0), JOBS * PER_JOB);
      assert.ok(stats.filter((s) => s.completedJobs > 0).length >= 2, `the jobs were shared: ${JSON.stringify(stats)}`);
    } finally {
      await emitter.close({ timeoutMs: 2_000 });
      await collector.close();
    }
  });

  test("Redis (AOF, fsync always) killed and restarted while jobs are added and sent: every event arrives", async () => {
    const durable = await startRedis({ appendOnly: true });
    const collector = await startCollector({ behaviour: () => ({ action: 200, delay: 30 }) });
    const queue = `restart${++n}`;
    const emitter = emitterFor(queue, durable.url);
    const worker = startWorker({ collector: collector.url, redis: durable.url, queue, concurrency: 2 });
    try {
      await worker.running;
      await enqueue(emitter, 20, 10);
      await collector.waitForEvents(30, 20_000);
      assert.ok(collector.delivered.length < 200, "Redis goes down mid-stream");
      await durable.restart();
      // Added while the emitter's connection comes back: held in memory and retried.
      await enqueue(emitter, 20, 10, 200);
      const counts = await drained(emitter, 60_000);
      assert.equal(counts.failed, 0);
      await collector.waitForEvents(400, 10_000);
      const { unique, duplicates } = tally(collector.delivered);
      assert.deepEqual(unique, expected(400));
      // Jobs in hand when Redis died may run again: at most the worker's 2 jobs of 10 events.
      assert.ok(duplicates <= 20, `${duplicates} duplicates`);
      await stopWorker(worker);
    } finally {
      assert.equal((await emitter.close({ timeoutMs: 3_000 })).remaining, 0);
      await collector.close();
      await durable.stop();
    }
  });
});
