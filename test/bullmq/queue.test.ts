/**
 * BullMQEmitter and createBullMQWorker in one process, against a real
 * redis-server and a real collector on 127.0.0.1:
 * - one job per batch the Emitter forms, its id the SHA-256 of the eids, the
 *   job options as configured (or the defaults), a batch added twice queued once;
 * - a status that is never retried: the job goes to the failed set at once,
 *   without retries, with the reason, and is reported;
 * - 5xx, then the collector recovers: BullMQ's backoff delivers every event, once;
 * - a job delivered in part is rewritten to what is left, so its retry does not send the rest twice;
 * - the worker's close() ends by its deadline against a collector that hangs,
 *   and the job it cut short stays for a later attempt;
 * - a Queue of the application's is left open by close();
 * - Redis not up when the emitter is made: events wait and are queued once it is;
 * - Redis out of reach while events are added: reported, never thrown; what
 *   close cannot queue is reported lost.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { Queue } from "bullmq";
import { BullMQEmitter, createBullMQWorker, type BullMQJobFailure, type BullMQWorkerHandle } from "../../runtime/bullmq.js";
import type { FailureInfo } from "../../runtime/node.js";
import { startCollector, type Collector } from "../support/collector.js";
import { freePort, skipWithoutRedis, startRedis, type TestRedis } from "../support/redis.js";

const skip = skipWithoutRedis();
let redis: TestRedis;
let n = 0;

const event = (i: number, run = "q"): Record<string, string> => ({ e: "se", se_ca: "bullmq", se_ac: run, se_la: `e${i}`, eid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` });
const until = async (check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe("BullMQ emitter and worker", { skip, timeout: 120_000 }, () => {
  before(async () => { redis = await startRedis(); });
  after(async () => { await redis.stop(); });

  test("each batch is one job, its id the SHA-256 of its eids, with the job options; a batch added again is not queued twice", async () => {
    const name = `jobs${++n}`;
    const emitter = new BullMQEmitter({ queue: name, url: redis.url, flushInterval: 0, attempts: 3, backoff: { type: "fixed", delay: 250 }, logger: "silent" });
    const defaults = new BullMQEmitter({ queue: name, url: redis.url, flushInterval: 0, logger: "silent" });
    try {
      for (const batch of [[0, 1, 2, 3, 4], [5, 6, 7]]) {
        for (const i of batch) emitter.input(event(i));
        await emitter.flush();
      }
      // The same batch again, through another emitter: same job id, not queued again.
      for (const i of [0, 1, 2, 3, 4]) defaults.input(event(i));
      await defaults.flush();
      for (const i of [20, 21]) defaults.input(event(i));
      await defaults.flush();
      const jobs = await emitter.queue.getJobs(["waiting"]);
      assert.equal(jobs.length, 3);
      const byId = new Map(jobs.map((job) => [job.id, job]));
      const idOf = (ids: number[]): string => createHash("sha256").update(ids.map((i) => `${event(i).eid}\n`).join("")).digest("hex");
      const first = byId.get(idOf([0, 1, 2, 3, 4]));
      assert.ok(first !== undefined, "job id is the SHA-256 of the eids");
      assert.deepEqual(first.data, { events: [0, 1, 2, 3, 4].map((i) => event(i)) }, "the events, without stm");
      assert.equal(first.name, "snowplow-events");
      assert.equal(first.opts.attempts, 3);
      assert.deepEqual(first.opts.backoff, { type: "fixed", delay: 250 });
      assert.deepEqual(byId.get(idOf([5, 6, 7]))?.data.events.map((e: Record<string, string>) => e.se_la), ["e5", "e6", "e7"]);
      const second = byId.get(idOf([20, 21]));
      assert.ok(second !== undefined);
      assert.equal(second.opts.attempts, 10);
      assert.deepEqual(second.opts.backoff, { type: "exponential", delay: 1_000 });
      assert.deepEqual(second.opts.removeOnComplete, { age: 3_600, count: 1_000 });
      assert.deepEqual(second.opts.removeOnFail, { age: 7 * 24 * 3_600, count: 10_000 });
      assert.equal(emitter.stats().sent, 8);
    } finally {
      assert.deepEqual(await emitter.close({ timeoutMs: 2_000 }), { remaining: 0, timedOut: false });
      await defaults.close({ timeoutMs: 2_000 });
    }
  });

  test("a status that is never retried: the job fails at once, without retries, into the failed set with its reason, and is reported", async () => {
    const name = `refused${++n}`;
    const collector = await startCollector({ behaviour: () => ({ action: 400 }) });
    const failures: BullMQJobFailure[] = [];
    const emitter = new BullMQEmitter({ queue: name, url: redis.url, flushInterval: 0, attempts: 5, backoff: 10, logger: "silent" });
    let worker: BullMQWorkerHandle | undefined;
    try {
      for (let i = 0; i < 4; i++) emitter.input(event(i));
      await emitter.flush();
      worker = createBullMQWorker({ queue: name, url: redis.url, endpoint: collector.url, logger: "silent", onFailure: (f) => failures.push(f) });
      await until(() => failures.length === 1, 10_000, "the failure to be reported");
      assert.equal(collector.requests.length, 1, "not retried");
      assert.equal(failures[0]!.status, 400);
      assert.equal(failures[0]!.attemptsMade, 1);
      assert.match(failures[0]!.reason, /HTTP 400/);
      assert.deepEqual(failures[0]!.events.map((e) => e.se_la), ["e0", "e1", "e2", "e3"]);
      const failed = await emitter.queue.getJobs(["failed"]);
      assert.equal(failed.length, 1);
      assert.match(failed[0]!.failedReason, /HTTP 400.*not retried/);
      assert.equal(failed[0]!.attemptsMade, 1);
      assert.deepEqual(worker.stats(), { completedJobs: 0, delivered: 0, retriedJobs: 0, failedJobs: 1 });
    } finally {
      await worker?.close({ timeoutMs: 2_000 });
      await emitter.close({ timeoutMs: 2_000 });
      await collector.close();
    }
  });

  test("5xx, then the collector recovers: BullMQ's backoff delivers every event, once", async () => {
    const name = `recovers${++n}`;
    const collector = await startCollector({ behaviour: (r) => ({ action: r.n <= 3 ? 503 : 200 }) });
    const emitter = new BullMQEmitter({ queue: name, url: redis.url, flushInterval: 0, backoff: { type: "fixed", delay: 50 }, logger: "silent" });
    const worker = createBullMQWorker({ queue: name, url: redis.url, endpoint: collector.url, concurrency: 1, logger: "silent" });
    try {
      for (let i = 0; i < 6; i++) emitter.input(event(i));
      await emitter.flush();
      await collector.waitForEvents(6, 10_000);
      await until(() => worker.stats().completedJobs === 1, 5_000, "the job to complete");
      assert.deepEqual(collector.delivered.map((e) => e.se_la), ["e0", "e1", "e2", "e3", "e4", "e5"]);
      assert.equal(collector.requests.length, 4);
      assert.equal(worker.stats().retriedJobs, 3);
      assert.equal((await emitter.queue.getJobCounts("failed")).failed, 0);
    } finally {
      await worker.close({ timeoutMs: 2_000 });
      await emitter.close({ timeoutMs: 2_000 });
      await collector.close();
    }
  });

  test("a 503 with Retry-After: the retry waits what the collector asked, not the shorter backoff", async () => {
    const name = `retryafter${++n}`;
    const at: number[] = [];
    const collector = await startCollector({ behaviour: (r) => { at.push(Date.now()); return r.n === 1 ? { action: 503, headers: { "retry-after": "2" } } : { action: 200 }; } });
    const queue = new Queue(name, { connection: { url: redis.url } });
    const worker = createBullMQWorker({ queue: name, url: redis.url, endpoint: collector.url, concurrency: 1, logger: "silent" });
    try {
      await queue.add("snowplow-events", { events: [event(0)] }, { jobId: "slow-down", attempts: 3, backoff: { type: "fixed", delay: 50 } });
      await collector.waitForEvents(1, 10_000);
      await until(() => worker.stats().completedJobs === 1, 5_000, "the job to complete");
      assert.equal(at.length, 2);
      assert.ok(at[1]! - at[0]! >= 1_900, `the retry came ${at[1]! - at[0]!} ms after the 503, not after Retry-After's 2 s`);
      const job = await queue.getJob("slow-down");
      assert.deepEqual(job?.opts.backoff, { type: "fixed", delay: 50 }, "the job's own backoff is unchanged in Redis");
    } finally {
      await worker.close({ timeoutMs: 2_000 });
      await queue.close();
      await collector.close();
    }
  });

  test("Retry-After with a jittered backoff: every retry waits what the collector asked, however short the jitter makes the backoff", async () => {
    const name = `jitter${++n}`;
    // Per event, when its first request came and when its retry did.
    const first = new Map<string, number>();
    const gaps: number[] = [];
    const collector = await startCollector({
      behaviour: (r) => {
        const label = String(r.events[0]?.se_la);
        const seen = first.get(label);
        if (seen === undefined) {
          first.set(label, Date.now());
          return { action: 503, headers: { "retry-after": "2" } };
        }
        gaps.push(Date.now() - seen);
        return { action: 200 };
      },
    });
    const queue = new Queue(name, { connection: { url: redis.url } });
    const worker = createBullMQWorker({ queue: name, url: redis.url, endpoint: collector.url, concurrency: 4, logger: "silent" });
    try {
      // A 3 s backoff with full jitter waits 0 to 3 s: longer than Retry-After's 2 s on paper, shorter on most draws
      // (the four retries all wait 1.9 s or more by chance once in about 50 runs).
      for (let i = 0; i < 4; i++) await queue.add("snowplow-events", { events: [event(i, name)] }, { jobId: `jitter-${i}`, attempts: 3, backoff: { type: "fixed", delay: 3_000, jitter: 1 } });
      await collector.waitForEvents(4, 15_000);
      await until(() => worker.stats().completedJobs === 4, 5_000, "the jobs to complete");
      assert.equal(gaps.length, 4);
      for (const gap of gaps) assert.ok(gap >= 1_900, `a retry came ${gap} ms after its 503, not after Retry-After's 2 s (gaps: ${gaps.join(", ")})`);
    } finally {
      await worker.close({ timeoutMs: 2_000 });
      await queue.close();
      await collector.close();
    }
  });

  test("a job delivered in part keeps only what is left: its retry does not send the rest again", async () => {
    const name = `partial${++n}`;
    // The worker's byteLimit splits the job into requests; the second fails once.
    const collector = await startCollector({ behaviour: (r) => ({ action: r.n === 2 ? 500 : 200 }) });
    const queue = new Queue(name, { connection: { url: redis.url } });
    const worker = createBullMQWorker({ queue: name, url: redis.url, endpoint: collector.url, concurrency: 1, byteLimit: 400, logger: "silent" });
    try {
      await queue.add("snowplow-events", { events: Array.from({ length: 9 }, (_, i) => event(i)) }, { jobId: "partial", attempts: 3, backoff: 20 });
      await collector.waitForEvents(9, 10_000);
      await until(() => worker.stats().completedJobs === 1, 5_000, "the job to complete");
      const labels = collector.delivered.map((e) => e.se_la);
      assert.equal(new Set(labels).size, 9);
      assert.equal(labels.length, 9, "no event sent twice");
      assert.ok(collector.requests.length >= 4, "the job went in several requests");
      assert.ok(collector.requests.every((r) => Number(r.headers["content-length"]) <= 400));
    } finally {
      await worker.close({ timeoutMs: 2_000 });
      await queue.close();
      await collector.close();
    }
  });

  test("worker close() against a collector that never answers: returns by its deadline; the job cut short runs again later", async () => {
    const name = `hang${++n}`;
    const collector = await startCollector({ behaviour: () => ({ action: "hang" }) });
    const queue = new Queue(name, { connection: { url: redis.url } });
    const worker = createBullMQWorker({ queue: name, url: redis.url, endpoint: collector.url, requestTimeout: 60_000, logger: "silent" });
    try {
      await queue.add("snowplow-events", { events: [event(0), event(1)] }, { jobId: "hang", attempts: 5, backoff: 60_000 });
      await collector.waitForRequests(1, 10_000);
      const started = Date.now();
      const report = await worker.close({ timeoutMs: 500 });
      const took = Date.now() - started;
      assert.ok(took < 1_500, `close took ${took} ms for a 500 ms deadline`);
      assert.deepEqual(report, { graceful: false });
      assert.deepEqual(await worker.closed, report);
      const job = await queue.getJob("hang");
      assert.ok(job !== undefined, "the job is still there");
      assert.notEqual(await job.getState(), "completed");
      assert.notEqual(await job.getState(), "failed");
      assert.equal(job.data.events.length, 2, "with every event");
      assert.equal(await job.getState(), "waiting", "back in line at once, not behind its 60 s backoff");
      assert.equal(job.attemptsMade, 0, "being cut short by close() costs no attempt");
    } finally {
      await queue.close();
      await collector.close();
    }
  });

  test("options refused after the connection was made: the error is thrown and the connection ended", async () => {
    const { Redis } = await import("ioredis");
    const admin = new Redis(redis.url);
    const clients = async (): Promise<number> => String(await admin.client("LIST")).trim().split("\n").length;
    try {
      const before = await clients();
      assert.throws(() => createBullMQWorker({ queue: `bad${++n}`, url: redis.url, endpoint: "http://127.0.0.1:9", stalledInterval: 0, logger: "silent" }), /stalledInterval must be greater than 0/);
      assert.throws(() => new BullMQEmitter({ queue: `bad${++n}`, url: redis.url, batchSize: -1, logger: "silent" }), /batchSize/);
      const deadline = Date.now() + 3_000;
      while ((await clients()) > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await clients(), before, "no connection left behind");
    } finally {
      admin.disconnect();
    }
  });

  test("close() leaves open a Queue of the application's", async () => {
    const name = `own${++n}`;
    const queue = new Queue(name, { connection: { url: redis.url } });
    try {
      const emitter = new BullMQEmitter({ queue, flushInterval: 0, logger: "silent" });
      emitter.input(event(0));
      assert.deepEqual(await emitter.close({ timeoutMs: 2_000 }), { remaining: 0, timedOut: false });
      await queue.add("after", { events: [event(1)] });
      assert.equal(await queue.count(), 2, "the queue still takes jobs");
    } finally {
      await queue.close();
    }
  });

  test("Redis not up yet when the emitter is made, up later: every event is queued once", async () => {
    const port = await freePort();
    const messages: string[] = [];
    const log = (message: string): void => { messages.push(message); };
    const emitter = new BullMQEmitter({
      queue: `late${++n}`, url: `redis://127.0.0.1:${port}`, flushInterval: 0, requestTimeout: 300, retry: { initialDelay: 50, maxDelay: 300 },
      logger: { error: log, warn: log, info: log, debug: log },
    });
    let server: ReturnType<typeof spawn> | undefined;
    try {
      for (let i = 0; i < 3; i++) emitter.input(event(i));
      await emitter.flush();
      assert.equal(emitter.stats().sent, 0, "nothing queued while Redis is down");
      assert.ok(messages.some((m) => m.startsWith(`BullMQEmitter (queue "late${n}"): `)), "the Emitter's messages name the queue");
      server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      const end = Date.now() + 15_000;
      while (emitter.stats().pending > 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(emitter.stats(), { accepted: 3, sent: 3, dropped: 0, failedRequests: emitter.stats().failedRequests, pending: 0 });
      assert.deepEqual((await emitter.queue.getJobs(["waiting"])).flatMap((job) => job.data.events.map((e: Record<string, string>) => e.se_la)).sort(), ["e0", "e1", "e2"]);
    } finally {
      await emitter.close({ timeoutMs: 2_000 });
      server?.kill("SIGKILL");
    }
  });

  test("Redis out of reach: adds are reported and retried, never thrown; what close cannot queue is reported lost", async () => {
    const down = await startRedis();
    const url = down.url;
    await down.stop();
    const failures: FailureInfo[] = [];
    const emitter = new BullMQEmitter({
      queue: `down${++n}`, url, flushInterval: 0, requestTimeout: 300, retry: { initialDelay: 50, maxDelay: 100 }, logger: "silent",
      onFailure: (f) => failures.push(f),
    });
    for (let i = 0; i < 3; i++) emitter.input(event(i));
    await emitter.flush();
    assert.ok(failures.length >= 1);
    assert.equal(failures[0]!.willRetry, true);
    const started = Date.now();
    const report = await emitter.close({ timeoutMs: 800 });
    assert.ok(Date.now() - started < 3_000, `close took ${Date.now() - started} ms`);
    assert.deepEqual(report, { remaining: 3, timedOut: true });
    const lost = failures.filter((f) => f.reason === "closed").flatMap((f) => f.events.map((e) => e.se_la));
    assert.deepEqual(lost.sort(), ["e0", "e1", "e2"]);
  });
});
