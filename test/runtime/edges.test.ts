/**
 * The emitter at the edges, against real collectors on 127.0.0.1: close keeps
 * its deadline and keeps trying until then; a collector that trickles its
 * body cannot hold the request slots; an event the collector finds too large
 * is dropped (after it was sent alone) without holding back the others;
 * Retry-After is honoured within the backoff's cap; events handed back from
 * onFailure are sent as they were.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { afterEach, describe, test } from "node:test";
import { Emitter, Tracker, type EmitterConfig, type FailureInfo } from "../../runtime/node.js";
import { startCollector, type Behaviour, type Collector } from "../support/collector.js";

const collectors: Collector[] = [];
const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(collectors.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function collector(behaviour?: Behaviour, port?: number): Promise<Collector> {
  const c = await startCollector({ ...(behaviour === undefined ? {} : { behaviour }), ...(port === undefined ? {} : { port }) });
  collectors.push(c);
  return c;
}

/** A loopback port nothing listens on (connections to it are refused). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function setup(endpoint: string, config: Partial<EmitterConfig> = {}): { tracker: Tracker; emitter: Emitter; failures: FailureInfo[] } {
  const failures: FailureInfo[] = [];
  const emitter = new Emitter({
    endpoint, flushInterval: 0, logger: "silent", retry: { initialDelay: 20, maxDelay: 200 }, onFailure: (f) => failures.push(f), ...config,
  });
  return { emitter, failures, tracker: new Tracker({ namespace: "edge", emitters: emitter, logger: "silent" }) };
}

const track = (t: Tracker, n: number, from = 0, label?: string): void => {
  for (let i = from; i < from + n; i++) t.trackStructEvent({ category: "c", action: `a${i}`, ...(label === undefined ? {} : { label }) });
};
const actions = (events: readonly Record<string, string>[]): string[] => events.map((e) => e.se_ac!).sort();
const expected = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `a${i + from}`).sort();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("close keeps its deadline", () => {
  test("against a collector that refuses connections, close keeps trying until the deadline, then reports every event", async () => {
    const port = await closedPort();
    const { tracker, failures } = setup(`http://127.0.0.1:${port}`);
    track(tracker, 5);
    const started = Date.now();
    const report = await tracker.close({ timeoutMs: 1_500 });
    const took = Date.now() - started;
    assert.deepEqual(report, { remaining: 5, timedOut: true });
    assert.ok(took >= 1_400, `close gave up after ${took} ms, before its 1,500 ms deadline`);
    assert.ok(took < 3_000, `close took ${took} ms`);
    const attempts = failures.filter((f) => f.reason === "network");
    assert.ok(attempts.length >= 3, `only ${attempts.length} attempt(s) were made within the deadline`);
    const lost = failures.filter((f) => f.reason === "closed");
    assert.deepEqual(lost.map((f) => f.willRetry), [false]);
    assert.deepEqual(actions(lost[0]!.events), expected(5));
  });

  test("a collector that comes back within the deadline gets every event, once", async () => {
    const port = await closedPort();
    const { tracker, failures } = setup(`http://127.0.0.1:${port}`);
    track(tracker, 20);
    const closing = tracker.close({ timeoutMs: 5_000 });
    await sleep(600);
    const c = await collector(undefined, port);
    const report = await closing;
    assert.deepEqual(report, { remaining: 0, timedOut: false });
    assert.deepEqual(actions(c.delivered), expected(20));
    assert.ok(failures.length > 0 && failures.every((f) => f.reason === "network" && f.willRetry));
  });

  test("close against a collector that accepts but never answers ends by its deadline", async () => {
    const c = await collector(() => ({ action: "hang" }));
    const { tracker } = setup(c.url, { requestTimeout: 60_000, batchSize: 2 });
    track(tracker, 5);
    const started = Date.now();
    const report = await tracker.close({ timeoutMs: 800 });
    const took = Date.now() - started;
    assert.deepEqual(report, { remaining: 5, timedOut: true });
    assert.ok(took < 2_000, `close took ${took} ms`);
  });
});

describe("slow collectors cannot stall the emitter", () => {
  test("a collector that trickles its body (1 byte/s) for its first requests: every event arrives, once, and flush resolves", async () => {
    let trickled = 0;
    const c = await collector(() => (trickled++ < 3 ? { action: "trickle" } : { action: 200 }));
    const { tracker, emitter } = setup(c.url, { batchSize: 1, maxConcurrentRequests: 2, requestTimeout: 2_000 });
    track(tracker, 74);
    await tracker.flush();
    await c.waitForEvents(74, 20_000);
    const report = await tracker.close({ timeoutMs: 2_000 });
    assert.deepEqual(report, { remaining: 0, timedOut: false });
    // A 200 with its headers is delivery: those events are not sent again.
    assert.deepEqual(actions(c.delivered), expected(74));
    assert.equal(emitter.stats().sent, 74);
  });

  test("a request that gets no answer at all is abandoned at requestTimeout and retried", async () => {
    let hung = 0;
    const c = await collector(() => (hung++ < 2 ? { action: "hang" } : { action: 200 }));
    const { tracker, failures } = setup(c.url, { batchSize: 1, maxConcurrentRequests: 2, requestTimeout: 300 });
    track(tracker, 10);
    await c.waitForEvents(10, 20_000);
    await tracker.close({ timeoutMs: 2_000 });
    assert.deepEqual(actions(c.delivered), expected(10));
    assert.deepEqual(failures.map((f) => [f.reason, f.willRetry]), [["timeout", true], ["timeout", true]]);
  });
});

describe("poison events and Retry-After", () => {
  test("an event the collector refuses as too large (413) is dropped after one request, and the others go through", async () => {
    const c = await collector((r) => ({ action: r.body.length > 100_000 ? 413 : 200 }));
    const { tracker, emitter, failures } = setup(c.url, { batchSize: 5, flushInterval: 20 });
    track(tracker, 10);
    tracker.trackStructEvent({ category: "c", action: "poison", label: "x".repeat(1_000_000) });
    track(tracker, 10, 10);
    await c.waitForEvents(20, 10_000);
    await tracker.flush();
    await sleep(300);
    const report = await tracker.close({ timeoutMs: 1_000 });
    assert.deepEqual(report, { remaining: 0, timedOut: false });
    assert.deepEqual(actions(c.delivered), expected(20));
    assert.equal(c.requests.filter((r) => r.body.length > 100_000).length, 1, "the large event was sent once");
    assert.deepEqual(failures.map((f) => [f.reason, f.status, f.willRetry, f.events.map((e) => e.se_ac)]), [["status", 413, false, ["poison"]]]);
    assert.equal(emitter.stats().dropped, 1);
  });

  test("a batch answered 413 is split until the event too large stands alone; only it is dropped", async () => {
    // The collector takes bodies up to 5 KB; byteLimit lets the emitter build 40 KB batches.
    const c = await collector((r) => ({ action: r.body.length > 5_000 ? 413 : 200 }));
    const { tracker, failures } = setup(c.url, { batchSize: 21 });
    track(tracker, 10);
    tracker.trackStructEvent({ category: "c", action: "big", label: "y".repeat(6_000) });
    track(tracker, 10, 10);
    const report = await tracker.close({ timeoutMs: 3_000 });
    assert.deepEqual(report, { remaining: 0, timedOut: false });
    assert.deepEqual(actions(c.delivered), expected(20), "each small event arrives exactly once");
    assert.deepEqual(failures.map((f) => [f.status, f.willRetry, f.events.map((e) => e.se_ac)]), [[413, false, ["big"]]]);
    assert.ok(c.requests.length <= 2 * 21, `${c.requests.length} requests`);
  });

  for (const [name, header] of [["delay-seconds", () => "1"], ["an HTTP date", () => new Date(Date.now() + 2_000).toUTCString()]] as const) {
    test(`Retry-After as ${name} on 503 postpones the retry past the backoff`, async () => {
      const c = await collector((r) => (r.n === 1 ? { action: 503, headers: { "retry-after": header() } } : { action: 200 }));
      const { tracker, failures } = setup(c.url, { batchSize: 1, retry: { initialDelay: 10, maxDelay: 10_000 } });
      track(tracker, 1);
      const [first] = await c.waitForRequests(1);
      const at = Date.now();
      await c.waitForEvents(1, 10_000);
      const gap = Date.now() - at;
      await tracker.close({ timeoutMs: 500 });
      assert.ok(first !== undefined && gap >= 900, `retried after ${gap} ms; the collector asked for about 1,000 ms or more`);
      assert.deepEqual(failures.map((f) => [f.status, f.willRetry]), [[503, true]]);
    });
  }

  for (const [name, header] of [["0", "0"], ["a date in the past", "Thu, 01 Jan 1970 00:00:00 GMT"]] as const) {
    test(`Retry-After ${name} does not shorten the backoff: no hot retry loop`, async () => {
      const c = await collector(() => ({ action: 503, headers: { "retry-after": header } }));
      const { tracker } = setup(c.url, { batchSize: 1, retry: { initialDelay: 200, maxDelay: 400 } });
      track(tracker, 1);
      await sleep(1_000);
      await tracker.close({ timeoutMs: 200 });
      // Backoff from 200 ms, jittered down to half: 6 requests in a second, and close()'s last attempt (over 600 when the header replaced the backoff).
      assert.ok(c.requests.length <= 10, `${c.requests.length} requests in a second`);
    });
  }

  test("Retry-After on 429 is capped by retry.maxDelay", async () => {
    const c = await collector((r) => (r.n === 1 ? { action: 429, headers: { "retry-after": "3600" } } : { action: 200 }));
    const { tracker } = setup(c.url, { batchSize: 1, retry: { initialDelay: 10, maxDelay: 300 } });
    track(tracker, 1);
    await c.waitForEvents(1, 5_000);
    await tracker.close({ timeoutMs: 500 });
    assert.equal(c.requests.length, 2);
  });
});

describe("GET requests", () => {
  test("a lone surrogate in a value (a cut emoji) is sent as U+FFFD, not thrown into the host", async () => {
    const c = await collector();
    const { tracker, emitter, failures } = setup(c.url, { method: "get" });
    tracker.trackPageView({ pageUrl: "https://shop.example/\ud800", pageTitle: "\udc00 tail" });
    await c.waitForEvents(1, 5_000);
    const report = await tracker.close({ timeoutMs: 1_000 });
    assert.deepEqual(report, { remaining: 0, timedOut: false });
    assert.deepEqual([c.delivered[0]!.url, c.delivered[0]!.page], ["https://shop.example/\ufffd", "\ufffd tail"]);
    assert.deepEqual([failures.length, emitter.stats().pending], [0, 0]);
  });
});

describe("events handed back", () => {
  test("events from onFailure given back to input are sent with one stm each", async () => {
    const down = await collector(() => ({ action: 500 }));
    const { tracker, failures } = setup(down.url, { batchSize: 3, retry: false });
    track(tracker, 3);
    await tracker.flush();
    await tracker.close({ timeoutMs: 200 });
    const handedBack = failures.flatMap((f) => f.events);
    assert.equal(handedBack.length, 3);
    assert.ok(handedBack.every((e) => typeof e.stm === "string"), "onFailure shows the stm that was sent");
    const up = await collector();
    const { emitter } = setup(up.url, { batchSize: 3 });
    for (const event of handedBack) emitter.input(event);
    await emitter.close({ timeoutMs: 1_000 });
    const body = up.requests[0]!.body;
    assert.equal(body.match(/"stm":/g)?.length, 3, body);
    assert.deepEqual(actions(up.delivered), expected(3));
  });

  test("input sends numbers and booleans as strings, and refuses values with no string form", async () => {
    const c = await collector();
    const { emitter } = setup(c.url, { batchSize: 1 });
    emitter.input({ e: "pv", url: "http://x", dtm: 1700000000000, tid: 42, f_pdf: true } as never);
    assert.throws(() => emitter.input({ e: "pv", url: ["http://x"] } as never), /^TypeError: Emitter\.input: payload value "url" must be a string, got \["http:\/\/x"\] \(an array\)$/);
    await emitter.close({ timeoutMs: 1_000 });
    assert.match(c.requests[0]!.body, /"dtm":"1700000000000","tid":"42","f_pdf":"true"/);
  });
});
