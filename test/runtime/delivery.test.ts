/**
 * Delivery: batching by count and bytes, concurrency, the retry policy,
 * callbacks, the store's bound, flush and close, against a real collector.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { Agent, buildConnector } from "undici";
import { Emitter, InMemoryEventStore, Tracker, createLogger, type EmitterConfig, type FailureInfo, type Logger, type Transport } from "../../runtime/node.js";
import { startCollector, type Behaviour, type Collector } from "../support/collector.js";

const collectors: Collector[] = [];
afterEach(async () => { await Promise.all(collectors.splice(0).map((c) => c.close())); });

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

function setup(c: Collector, config: Partial<EmitterConfig> = {}): { tracker: Tracker; emitter: Emitter } {
  const emitter = new Emitter({ endpoint: c.url, flushInterval: 0, logger: "silent", retry: { initialDelay: 10, maxDelay: 50 }, ...config });
  return { emitter, tracker: new Tracker({ namespace: "d", emitters: emitter, logger: "silent" }) };
}

const track = (t: Tracker, n: number, from = 0): void => {
  for (let i = from; i < from + n; i++) t.trackStructEvent({ category: "c", action: `a${i}`, value: i });
};
const actions = (events: readonly Record<string, string>[]): string[] => events.map((e) => e.se_ac!);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("batching", () => {
  test("a request goes out once batchSize events wait; fewer wait for flush or the timer", async () => {
    const c = await collector();
    const { tracker } = setup(c, { batchSize: 5 });
    track(tracker, 4);
    await sleep(50);
    assert.equal(c.requests.length, 0);
    track(tracker, 1, 4);
    await c.waitForRequests(1);
    track(tracker, 3, 5);
    await sleep(50);
    assert.deepEqual(c.requests.map((r) => r.events.length), [5]);
    await tracker.flush();
    assert.deepEqual(c.requests.map((r) => r.events.length), [5, 3]);
    assert.deepEqual(actions(c.delivered), Array.from({ length: 8 }, (_, i) => `a${i}`));
    await tracker.close();
  });

  test("a request carries every waiting event that fits in byteLimit, as both official trackers do", async () => {
    const c = await collector();
    const { tracker } = setup(c, { batchSize: 5 });
    track(tracker, 12);
    await c.waitForEvents(12);
    assert.deepEqual(c.requests.map((r) => r.events.length), [12]);
    await tracker.close();
  });

  test("no POST body exceeds byteLimit, and every event arrives", async () => {
    const c = await collector();
    const { tracker } = setup(c, { batchSize: 50, byteLimit: 2_000 });
    for (let i = 0; i < 40; i++) tracker.trackSelfDescribingEvent({ schema: "iglu:com.acme/blob/jsonschema/1-0-0", data: { i, pad: "x".repeat(150) } });
    await tracker.flush();
    assert.equal(c.delivered.length, 40);
    assert.ok(c.requests.length > 1);
    for (const request of c.requests) assert.ok(Buffer.byteLength(request.body) <= 2_000, `body of ${Buffer.byteLength(request.body)} bytes`);
    // Batches are filled close to the limit, not cut early.
    assert.ok(c.requests.slice(0, -1).every((r) => Buffer.byteLength(r.body) > 2_000 - 600));
    await tracker.close();
  });

  test("a single event larger than byteLimit is sent alone, with a warning", async () => {
    const c = await collector();
    const log = recordingLogger();
    const { tracker } = setup(c, { batchSize: 10, byteLimit: 1_000, logger: log.logger });
    tracker.trackPageView({ pageUrl: "http://small/1" });
    tracker.trackSelfDescribingEvent({ schema: "iglu:com.acme/blob/jsonschema/1-0-0", data: { pad: "y".repeat(3_000) } });
    tracker.trackPageView({ pageUrl: "http://small/2" });
    await tracker.flush();
    assert.deepEqual(c.requests.map((r) => r.events.map((e) => e.e)), [["pv"], ["ue"], ["pv"]]);
    assert.ok(log.lines.some((l) => /^warn: event of \d+ bytes exceeds byteLimit 1000; sending it alone$/.test(l)), log.lines.join("\n"));
    await tracker.close();
  });
});

describe("concurrency", () => {
  for (const limit of [1, 3]) {
    test(`at most maxConcurrentRequests=${limit} requests are in flight`, async () => {
      let open = 0;
      let peak = 0;
      const c = await collector(() => {
        open++;
        peak = Math.max(peak, open);
        setTimeout(() => open--, 80);
        return { action: 200, delay: 80 };
      });
      // Each event adds about 620 bytes to a body: a 1,700-byte limit makes requests of two.
      const { tracker } = setup(c, { batchSize: 2, byteLimit: 1_700, maxConcurrentRequests: limit });
      for (let i = 0; i < 16; i++) tracker.trackSelfDescribingEvent({ schema: "iglu:com.acme/blob/jsonschema/1-0-0", data: { i: i % 10, pad: "z".repeat(200) } });
      await tracker.flush();
      assert.equal(c.delivered.length, 16);
      assert.ok(c.requests.every((r) => r.events.length === 2), c.requests.map((r) => r.events.length).join(","));
      assert.equal(peak, limit);
      await tracker.close();
    });
  }
});

describe("retry policy", () => {
  for (const status of [400, 401, 403, 410, 422]) {
    test(`HTTP ${status} is not retried: reported once with willRetry false`, async () => {
      const c = await collector(() => ({ action: status }));
      const failures: FailureInfo[] = [];
      const { tracker, emitter } = setup(c, { batchSize: 3, onFailure: (f) => failures.push(f) });
      track(tracker, 3);
      await tracker.flush();
      await sleep(100);
      assert.equal(c.requests.length, 1);
      assert.equal(failures.length, 1);
      assert.deepEqual({ status: failures[0]!.status, willRetry: failures[0]!.willRetry, reason: failures[0]!.reason, n: failures[0]!.events.length },
        { status, willRetry: false, reason: "status", n: 3 });
      assert.equal(emitter.stats().dropped, 3);
      await tracker.close();
    });
  }

  test("5xx is retried with backoff until it succeeds, exactly once delivered", async () => {
    let n = 0;
    const c = await collector(() => ({ action: ++n <= 3 ? 503 : 200 }));
    const failures: FailureInfo[] = [];
    const successes: number[] = [];
    const { tracker } = setup(c, { batchSize: 1, onFailure: (f) => failures.push(f), onSuccess: (events) => successes.push(events.length) });
    track(tracker, 1);
    await c.waitForEvents(1);
    await tracker.flush();
    assert.equal(c.requests.length, 4);
    assert.deepEqual(failures.map((f) => [f.status, f.willRetry]), [[503, true], [503, true], [503, true]]);
    assert.deepEqual(successes, [1]);
    assert.equal(c.delivered.length, 1);
    await tracker.close();
  });

  test("customRetryCodes: 500 false stops retries, 401 true starts them", async () => {
    const c500 = await collector(() => ({ action: 500 }));
    const a = setup(c500, { batchSize: 1, customRetryCodes: { 500: false } });
    track(a.tracker, 1);
    await a.tracker.flush();
    await sleep(100);
    assert.equal(c500.requests.length, 1);
    await a.tracker.close();

    let n = 0;
    const c401 = await collector(() => ({ action: ++n === 1 ? 401 : 200 }));
    const b = setup(c401, { batchSize: 1, customRetryCodes: { 401: true } });
    track(b.tracker, 1);
    await c401.waitForEvents(1);
    assert.deepEqual(c401.requests.length, 2);
    await b.tracker.close();
  });

  test("retry: false retries nothing, not even network errors", async () => {
    const c = await collector(() => ({ action: "destroy" }));
    const failures: FailureInfo[] = [];
    const { tracker, emitter } = setup(c, { batchSize: 1, retry: false, onFailure: (f) => failures.push(f) });
    track(tracker, 2);
    await tracker.flush();
    await sleep(100);
    assert.equal(c.requests.length, 1);
    assert.deepEqual(failures.map((f) => [f.reason, f.willRetry, f.events.length]), [["network", false, 2]]);
    assert.equal(emitter.stats().dropped, 2);
    await tracker.close();
  });

  test("customRetryCodes rejects 2xx and non-statuses", () => {
    assert.throws(() => new Emitter({ endpoint: "x.example", customRetryCodes: { 200: true } }), /2xx statuses are successes/);
    assert.throws(() => new Emitter({ endpoint: "x.example", customRetryCodes: { 9999: true } }), /is not an HTTP status/);
  });

  test("retried events keep their order", async () => {
    let n = 0;
    const c = await collector(() => ({ action: ++n % 3 === 0 ? 200 : 500 }));
    const { tracker } = setup(c, { batchSize: 2, maxConcurrentRequests: 1 });
    track(tracker, 10);
    await c.waitForEvents(10);
    assert.deepEqual(actions(c.delivered), Array.from({ length: 10 }, (_, i) => `a${i}`));
    await tracker.close();
  });
});

describe("store bound", () => {
  test("when the store is full, new events are dropped, counted and reported", async () => {
    const c = await collector();
    const log = recordingLogger();
    const failures: FailureInfo[] = [];
    const { tracker, emitter } = setup(c, { batchSize: 100, eventStore: new InMemoryEventStore({ capacity: 5 }), onFailure: (f) => failures.push(f), logger: log.logger });
    track(tracker, 8);
    assert.deepEqual(failures.map((f) => [f.reason, f.willRetry, f.events[0]!.se_ac]), [["store-full", false, "a5"], ["store-full", false, "a6"], ["store-full", false, "a7"]]);
    // One warning when dropping starts, one summary once there is room again: not one line per event.
    assert.deepEqual(log.lines.filter((l) => /store/.test(l)), ["warn: event store is full; dropping new events until it can take them again"]);
    await tracker.flush();
    track(tracker, 1, 8);
    assert.deepEqual(log.lines.filter((l) => /store/.test(l)).slice(1), ["warn: 3 event(s) were dropped while the event store was full"]);
    await tracker.flush();
    assert.deepEqual(actions(c.delivered), ["a0", "a1", "a2", "a3", "a4", "a8"]);
    assert.deepEqual(emitter.stats(), { accepted: 6, sent: 6, dropped: 3, failedRequests: 0, pending: 0 });
    await tracker.close();
  });

  test("capacity must be a positive integer", () => {
    assert.throws(() => new InMemoryEventStore({ capacity: 0 }), /capacity must be a positive integer/);
  });
});

describe("callbacks", () => {
  test("onSuccess gets the events as sent, stm included; a throwing callback is logged, not raised", async () => {
    const c = await collector();
    const log = recordingLogger();
    const seen: string[] = [];
    const { tracker } = setup(c, {
      batchSize: 2, logger: log.logger,
      onSuccess: (events) => { seen.push(...events.map((e) => `${e.se_ac}@${e.stm !== undefined}`)); throw new Error("boom"); },
    });
    track(tracker, 4);
    await tracker.flush();
    assert.deepEqual(seen, ["a0@true", "a1@true", "a2@true", "a3@true"]);
    assert.equal(log.lines.filter((l) => l === "error: onSuccess callback threw").length, c.requests.length);
    await tracker.close();
  });
});

describe("flush and close", () => {
  test("flush waits for requests already in flight", async () => {
    const c = await collector(() => ({ action: 200, delay: 200 }));
    const { tracker } = setup(c, { batchSize: 1 });
    track(tracker, 1);
    await c.waitForRequests(1);
    assert.equal(c.delivered.length, 0);
    await tracker.flush();
    assert.equal(c.delivered.length, 1);
    await tracker.close();
  });

  test("two flushes at once both wait for everything", async () => {
    const c = await collector(() => ({ action: 200, delay: 100 }));
    const { tracker } = setup(c, { batchSize: 3 });
    track(tracker, 5);
    const first = tracker.flush();
    track(tracker, 2, 5);
    const second = tracker.flush();
    await first;
    assert.ok(c.delivered.length >= 5);
    await second;
    assert.equal(c.delivered.length, 7);
    await tracker.close();
  });

  test("flush with the collector failing resolves once every event was tried and reported", async () => {
    const c = await collector(() => ({ action: 503 }));
    const failures: FailureInfo[] = [];
    const { tracker, emitter } = setup(c, { batchSize: 4, retry: { initialDelay: 60_000, maxDelay: 60_000 }, onFailure: (f) => failures.push(f) });
    track(tracker, 10);
    await tracker.flush();
    assert.equal(failures.reduce((n, f) => n + f.events.length, 0), 10);
    assert.ok(failures.every((f) => f.willRetry && f.status === 503));
    const report = await tracker.close({ timeoutMs: 200 });
    assert.deepEqual(report, { remaining: 10, timedOut: true });
    assert.equal(emitter.stats().sent, 0);
  });

  test("flush during backoff sends at once, and success ends the backoff", async () => {
    let n = 0;
    const c = await collector(() => ({ action: ++n === 1 ? 500 : 200 }));
    const { tracker } = setup(c, { batchSize: 1, retry: { initialDelay: 60_000, maxDelay: 60_000 } });
    track(tracker, 1);
    await c.waitForRequests(1);
    await sleep(20);
    await tracker.flush();
    assert.equal(c.delivered.length, 1);
    track(tracker, 1, 1);
    await c.waitForEvents(2, 2_000);
    await tracker.close();
  });

  test("the flush timer sends a lone event; cancelFlushTimer stops it", async () => {
    const c = await collector();
    const { tracker, emitter } = setup(c, { flushInterval: 30 });
    track(tracker, 1);
    await c.waitForEvents(1, 2_000);
    emitter.cancelFlushTimer();
    track(tracker, 1, 1);
    await sleep(150);
    assert.equal(c.delivered.length, 1);
    emitter.setFlushTimer(20);
    await c.waitForEvents(2, 2_000);
    await tracker.close();
  });

  test("close against a collector that never answers returns by its deadline and reports what remains", async () => {
    const c = await collector(() => ({ action: "hang" }));
    const { tracker } = setup(c, { batchSize: 2, requestTimeout: 60_000 });
    track(tracker, 5);
    const started = Date.now();
    const report = await tracker.close({ timeoutMs: 300 });
    const took = Date.now() - started;
    assert.deepEqual(report, { remaining: 5, timedOut: true });
    assert.ok(took < 3_000, `close took ${took} ms`);
  });

  test("events tracked after close are dropped and reported", async () => {
    const c = await collector();
    const failures: FailureInfo[] = [];
    const { tracker } = setup(c, { onFailure: (f) => failures.push(f) });
    await tracker.close();
    track(tracker, 1);
    assert.deepEqual(failures.map((f) => f.reason), ["closed"]);
  });
});

describe("never throws into the host", () => {
  test("a collector that refuses connections only produces reports", async () => {
    const c = await collector();
    const port = c.port;
    await c.close();
    collectors.splice(collectors.indexOf(c), 1);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
    process.on("unhandledRejection", onUnhandled);
    const failures: FailureInfo[] = [];
    const emitter = new Emitter({ endpoint: `http://127.0.0.1:${port}`, batchSize: 1, flushInterval: 10, logger: "silent", retry: { initialDelay: 5, maxDelay: 20 }, onFailure: (f) => failures.push(f) });
    const tracker = new Tracker({ namespace: "n", emitters: emitter, logger: "silent" });
    assert.doesNotThrow(() => track(tracker, 3));
    await tracker.flush();
    await sleep(100);
    await tracker.close({ timeoutMs: 100 });
    process.off("unhandledRejection", onUnhandled);
    assert.deepEqual(unhandled, []);
    const network = failures.filter((f) => f.reason === "network");
    assert.ok(network.length >= 3 && network.every((f) => f.willRetry), JSON.stringify(failures.map((f) => f.reason)));
    // What close could not send, with the in-memory store, is reported lost, event by event.
    const lost = failures.filter((f) => f.reason !== "network");
    assert.deepEqual(lost.map((f) => [f.reason, f.willRetry]), [["closed", false]]);
    assert.equal(lost[0]!.events.length, 3);
  });
});

describe("injected transport and dispatcher", () => {
  test("a transport given in the options carries every request", async () => {
    const c = await collector();
    const seen: string[] = [];
    const transport: Transport = {
      async send(request) {
        seen.push(`${request.method} ${request.path}`);
        const response = await fetch(c.url + request.path, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) });
        await response.arrayBuffer();
        return { kind: "response", status: response.status };
      },
      async close() {},
    };
    const { tracker } = setup(c, { transport, batchSize: 2 });
    track(tracker, 4);
    await tracker.close({ timeoutMs: 2_000 });
    // The four events wait together, so one POST carries them.
    assert.deepEqual(seen, ["POST /com.snowplowanalytics.snowplow/tp2"]);
    assert.deepEqual(actions(c.delivered), ["a0", "a1", "a2", "a3"]);
  });

  test("an undici dispatcher given in the options makes the connections", async () => {
    const c = await collector();
    let connections = 0;
    const connector = buildConnector({});
    const dispatcher = new Agent({ connect: (options, callback) => { connections++; connector(options, callback); } });
    const { tracker } = setup(c, { dispatcher });
    track(tracker, 3);
    await tracker.close({ timeoutMs: 2_000 });
    await dispatcher.close();
    assert.ok(connections >= 1, "the dispatcher was not used");
    assert.deepEqual(actions(c.delivered), ["a0", "a1", "a2"]);
  });
});
