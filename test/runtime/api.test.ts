/**
 * The runtime's API surface: the Snowplow registry, configuration errors,
 * argument checks, endpoint parsing and the retry policy (table-driven).
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { Emitter, Snowplow, Subject, Tracker, createLogger, silentLogger, type Logger } from "../../runtime/node.js";
import { parseEndpoint } from "../../runtime/emitter/endpoint.js";
import { createRetryPolicy } from "../../runtime/emitter/retry.js";
import { TRACKER_VERSION } from "../../runtime/protocol.js";
import pkg from "../../package.json" with { type: "json" };
import { startCollector } from "../support/collector.js";

afterEach(async () => { await Snowplow.shutdown({ timeoutMs: 100 }); });

describe("Snowplow registry", () => {
  test("createTracker registers by namespace; getTracker, removeTracker and reset manage it", async () => {
    const t = Snowplow.createTracker({ namespace: "a", endpoint: "http://127.0.0.1:9", logger: "silent" });
    assert.equal(Snowplow.getTracker("a"), t);
    assert.equal(Snowplow.getTracker("b"), undefined);
    assert.throws(() => Snowplow.createTracker({ namespace: "a", endpoint: "x.example", logger: "silent" }), /namespace "a" already exists/);
    assert.equal(Snowplow.removeTracker("a"), true);
    assert.equal(Snowplow.removeTracker("a"), false);
    const t2 = Snowplow.createTracker({ namespace: "b", endpoint: "x.example", logger: "silent" });
    assert.equal(Snowplow.removeTracker(new Tracker({ namespace: "b", emitters: { input() {}, flush() {} } })), false, "another instance with the same namespace is not removed");
    Snowplow.reset();
    assert.equal(Snowplow.getTracker("b"), undefined);
    await t.close({ timeoutMs: 10 });
    await t2.close({ timeoutMs: 10 });
  });

  test("createTracker wires method, appId, subject and both config objects through to the wire", async () => {
    const c = await startCollector();
    const failures: unknown[] = [];
    const t = Snowplow.createTracker({
      namespace: "wired", endpoint: c.url, method: "get", appId: "my-app", subject: new Subject().setPlatform("app").setUserId("u1"), logger: "silent",
      trackerConfig: { encodeBase64: false },
      emitterConfig: { batchSize: 1, flushInterval: 0, onFailure: (f) => failures.push(f) },
    });
    t.trackSelfDescribingEvent({ schema: "iglu:com.acme/x/jsonschema/1-0-0", data: { a: 1 } });
    await Snowplow.shutdown();
    await c.close();
    const request = c.requests[0]!;
    assert.equal(request.method, "GET");
    const event = request.events[0]!;
    assert.deepEqual([event.aid, event.p, event.uid, "ue_pr" in event], ["my-app", "app", "u1", true]);
    assert.deepEqual(failures, []);
    assert.equal(Snowplow.getTracker("wired"), undefined, "shutdown empties the registry");
  });

  test("addTracker registers a tracker built by hand", async () => {
    const t = new Tracker({ namespace: "manual", emitters: new Emitter({ endpoint: "x.example", logger: "silent", flushInterval: 0 }), logger: "silent" });
    Snowplow.addTracker(t);
    assert.equal(Snowplow.getTracker("manual"), t);
    assert.throws(() => Snowplow.addTracker(t), /already exists/);
  });

  test("a custom emitter is anything with input and flush", async () => {
    const got: Record<string, string>[] = [];
    let flushed = 0;
    const t = new Tracker({ namespace: "custom", emitters: [{ input: (p: Record<string, string>) => { got.push(p); }, flush: () => { flushed++; } }], logger: "silent" });
    t.trackPageView({ pageUrl: "http://x" });
    await t.flush();
    assert.deepEqual([got.length, got[0]!.e, flushed], [1, "pv", 1]);
    const report = await t.close();
    assert.deepEqual(report, { remaining: 0, timedOut: false });
  });

  test("addEmitter: every emitter receives every later event", async () => {
    const a: string[] = [];
    const b: string[] = [];
    const t = new Tracker({ namespace: "multi", emitters: { input: (p: Record<string, string>) => { a.push(p.url!); }, flush() {} }, logger: "silent" });
    t.trackPageView({ pageUrl: "http://1" });
    t.addEmitter({ input: (p: Record<string, string>) => { b.push(p.url!); }, flush() {} });
    t.trackPageView({ pageUrl: "http://2" });
    assert.deepEqual([a, b], [["http://1", "http://2"], ["http://2"]]);
    assert.throws(() => t.addEmitter({} as never), /needs input\(payload\) and flush\(\)/);
  });

  test("a custom emitter that throws or rejects is logged, never raised", async () => {
    const lines: string[] = [];
    const sink = (m: string): void => { lines.push(m); };
    const logger = createLogger({ prefix: "", sink: { error: sink, warn: sink, info: sink, debug: sink } });
    const t = new Tracker({
      namespace: "bad", logger,
      emitters: [
        { input: () => { throw new Error("sync"); }, flush: () => { throw new Error("flush"); } },
        { input: () => Promise.reject(new Error("async")), flush: () => Promise.resolve() },
      ],
    });
    assert.doesNotThrow(() => t.trackPageView({ pageUrl: "http://x" }));
    await t.flush();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(lines.sort(), ["emitter flush failed", "emitter input failed", "emitter input failed"]);
  });
});

describe("argument checks (programmer errors throw TypeError at the call)", () => {
  const t = new Tracker({ namespace: "args", emitters: { input() {}, flush() {} }, logger: "silent" });
  const cases: [string, () => unknown, RegExp][] = [
    ["page view without url", () => t.trackPageView({ pageUrl: "" }), /trackPageView: "pageUrl" is required/],
    ["struct without action", () => t.trackStructEvent({ category: "c", action: "" }), /"action" is required/],
    ["struct value NaN", () => t.trackStructEvent({ category: "c", action: "a", value: Number.NaN }), /^trackStructEvent: value must be a finite number, got NaN \(a number\)$/],
    ["item quantity 1.5", () => t.trackEcommerceTransactionItem({ orderId: "o", sku: "s", price: 1, quantity: 1.5 }), /^trackEcommerceTransactionItem: quantity must be a whole number, got 1\.5 \(a number\)$/],
    ["bad schema URI", () => t.trackSelfDescribingEvent({ schema: "com.acme/x/jsonschema/1-0-0", data: {} }), /is not an Iglu URI/],
    ["SchemaVer 0-0-1", () => t.trackSelfDescribingEvent({ schema: "iglu:com.acme/x/jsonschema/0-0-1", data: {} }), /is not an Iglu URI/],
    ["entity without data", () => t.trackPageView({ pageUrl: "http://x" }, { context: [{ schema: "iglu:com.acme/x/jsonschema/1-0-0", data: undefined }] }), /^trackPageView: options\.context\[0\] \(iglu:com\.acme\/x\/jsonschema\/1-0-0\) has no data$/],
    ["screen view with neither", () => t.trackScreenView({ name: "" } as never), /name or id is required/],
    ["negative timestamp", () => t.trackPageView({ pageUrl: "http://x" }, { timestamp: -1 }), /milliseconds since the epoch/],
    ["bad platform", () => new Subject().setPlatform("desktop" as never), /^Subject\.setPlatform: expected one of the platforms enrich accepts \(web, mob, pc, srv, app, tv, cnsl, iot\), got "desktop" \(a string\)$/],
    ["session id not a UUID", () => new Subject().setDomainSessionId("s1"), /^Subject\.setDomainSessionId: expected a UUID \(enrich would fail the event\), got "s1" \(a string\)$/],
    ["resolution 0", () => new Subject().setScreenResolution(0, 10), /positive integer width and height/],
    ["namespace with colon", () => new Tracker({ namespace: "a:b", emitters: { input() {}, flush() {} } }), /must not contain/],
    ["no emitters", () => new Tracker({ namespace: "a", emitters: [] }), /one or more objects with input/],
    ["bad batchSize", () => new Emitter({ endpoint: "x.example", batchSize: 0 }), /batchSize must be a positive integer/],
    ["bad method", () => new Emitter({ endpoint: "x.example", method: "put" as never }), /method must be "get" or "post"/],
  ];
  for (const [name, call, message] of cases) {
    test(name, () => assert.throws(call, (e: unknown) => e instanceof TypeError && message.test(e.message)));
  }
});

describe("endpoint parsing", () => {
  const cases: [string, Parameters<typeof parseEndpoint>, { origin: string; basePath: string } | RegExp][] = [
    ["bare host means https on 443", ["collector.example.com"], { origin: "https://collector.example.com", basePath: "" }],
    ["bare host with protocol and port", ["collector.example.com", "http", 8080], { origin: "http://collector.example.com:8080", basePath: "" }],
    ["scheme in the endpoint wins", ["http://127.0.0.1:9090", "https"], { origin: "http://127.0.0.1:9090", basePath: "" }],
    ["port option does not override the endpoint's", ["http://127.0.0.1:9090", undefined, 1234], { origin: "http://127.0.0.1:9090", basePath: "" }],
    ["trailing slash and base path", ["https://c.example/snowplow/", undefined], { origin: "https://c.example", basePath: "/snowplow" }],
    ["empty", [""], /^TypeError: Emitter: endpoint must be a collector host or URL \(e\.g\. "collector\.example\.com" or "http:\/\/127\.0\.0\.1:9090"\), got "" \(a string\)$/],
    ["ftp", ["ftp://c.example"], /must use http or https/],
    ["query", ["https://c.example/?a=1"], /must not carry a query/],
    ["bad port", ["c.example", undefined, 70000], /^TypeError: Emitter: port must be a TCP port \(1 to 65535\), got 70000 \(a number\)$/],
  ];
  for (const [name, args, expected] of cases) {
    test(name, () => {
      if (expected instanceof RegExp) assert.throws(() => parseEndpoint(...args), expected);
      else assert.deepEqual(parseEndpoint(...args), expected);
    });
  }
});

describe("retry policy", () => {
  const policy = createRetryPolicy(undefined, { 500: false, 401: true });
  const cases: [number | undefined, boolean][] = [
    [undefined, true], [500, false], [401, true], [502, true], [503, true], [429, true], [408, true],
    [400, false], [403, false], [410, false], [422, false], [404, true], [302, true],
  ];
  for (const [status, retry] of cases) {
    test(`${status ?? "network error"} → ${retry ? "retry" : "no retry"}`, () => assert.equal(policy.shouldRetry(status), retry));
  }
  test("retry: false retries nothing", () => {
    const off = createRetryPolicy(false, { 500: true });
    assert.deepEqual([off.shouldRetry(undefined), off.shouldRetry(500), off.shouldRetry(503)], [false, false, false]);
  });
  test("delays double up to the cap, between half and all of each step", () => {
    const low = createRetryPolicy({ initialDelay: 100, maxDelay: 1_000 }, undefined, () => 0);
    const high = createRetryPolicy({ initialDelay: 100, maxDelay: 1_000 }, undefined, () => 0.999999);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 40].map((n) => low.delay(n)), [50, 100, 200, 400, 500, 500, 500]);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 40].map((n) => high.delay(n)), [100, 200, 400, 800, 1000, 1000, 1000]);
  });
});

describe("logger", () => {
  test("levels filter, silent discards, and a throwing sink is harmless", () => {
    const seen: string[] = [];
    const sink: Logger = { error: (m) => seen.push(`E ${m}`), warn: (m) => seen.push(`W ${m}`), info: (m) => seen.push(`I ${m}`), debug: (m) => seen.push(`D ${m}`) };
    const info = createLogger({ level: "info", sink });
    info.debug("d"); info.info("i"); info.warn("w"); info.error("e");
    assert.deepEqual(seen, ["I [igluc] i", "W [igluc] w", "E [igluc] e"]);
    silentLogger.error("nothing");
    const throwing = createLogger({ level: "debug", sink: { error: () => { throw new Error("x"); }, warn() {}, info() {}, debug() {} } });
    assert.doesNotThrow(() => throwing.error("boom"));
  });
});


test("the tracker version sent as tv follows package.json", () => {
  assert.equal(TRACKER_VERSION, `igluc-${pkg.version}`);
});
