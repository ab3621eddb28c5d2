/**
 * What a plain JavaScript caller gets for the wrong shape: a TypeError naming
 * the method, the argument and what was expected (table-driven, exact text),
 * never an event sent without its context or with a value the pipeline
 * rejects. And the Python tracker's behaviour where porters rely on it:
 * "empty" subject values, truncated timestamps, one dtm per transaction,
 * the mobile screen view, a registry that forgets closed trackers.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { Emitter, Snowplow, Subject, Tracker } from "../../runtime/node.js";
import { startCollector, type Collector } from "../support/collector.js";
import { createValidator, decodeJson, type Payload } from "../support/iglu.js";

const validator = createValidator();
let collector: Collector;
before(async () => { collector = await startCollector(); });
after(async () => { await collector.close(); });
afterEach(async () => { await Snowplow.shutdown({ timeoutMs: 100 }); });

/** Tracks with a fresh tracker and returns the events the collector received from it. */
async function capture(track: (t: Tracker) => void, subject?: Subject): Promise<Payload[]> {
  const from = collector.requests.length;
  const emitter = new Emitter({ endpoint: collector.url, flushInterval: 0, batchSize: 10_000, logger: "silent" });
  const tracker = new Tracker({ namespace: "c", emitters: emitter, logger: "silent", ...(subject !== undefined ? { subject } : {}) });
  track(tracker);
  await tracker.close({ timeoutMs: 5_000 });
  return collector.requests.slice(from).flatMap((r) => r.events);
}

const sent: Payload[] = [];
const t = new Tracker({ namespace: "args", emitters: { input: (p: Payload) => { sent.push(p); }, flush() {} }, logger: "silent" });
const ENTITY = { schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { id: "u" } };
const EVENT = { schema: "iglu:com.acme/checkout/jsonschema/1-0-0", data: { total: 1 } };
const call = <T>(f: T): T => f;

describe("argument checks name the method, the argument and the expected shape", () => {
  const cases: [string, () => unknown, string][] = [
    ["context passed Python-style, as a second positional array", () => t.trackSelfDescribingEvent(EVENT, call([ENTITY]) as never),
      "trackSelfDescribingEvent: the second argument is the options object { context, timestamp, subject }, got [{\"schema\":\"iglu:com.acme/user/jsonschema/1-0-0\",\"data\":{\"i… (an array); pass entities as { context: [...] }"],
    ["context as one object instead of an array", () => t.trackSelfDescribingEvent(EVENT, { context: ENTITY } as never),
      "trackSelfDescribingEvent: options.context must be an array of entities ({ schema, data }), got {\"schema\":\"iglu:com.acme/user/jsonschema/1-0-0\",\"data\":{\"id… (an object)"],
    ["an entity that is not { schema, data }", () => t.trackPageView({ pageUrl: "http://x" }, { context: [call("iglu:com.acme/user/jsonschema/1-0-0") as never] }),
      "trackPageView: options.context[0] must be { schema: \"iglu:…\", data }, got \"iglu:com.acme/user/jsonschema/1-0-0\" (a string)"],
    ["trackPageView(undefined)", () => t.trackPageView(call(undefined) as never),
      "trackPageView: expected the event's data as an object, e.g. { pageUrl: \"https://…\" }, got undefined"],
    ["data that is a string", () => t.trackStructEvent(call("click") as never),
      "trackStructEvent: expected the event's data as an object, e.g. { category: \"shop\", action: \"add\" }, got \"click\" (a string)"],
    ["a page URL that is an array", () => t.trackPageView({ pageUrl: call(["a\"b"]) as never }),
      "trackPageView: pageUrl must be a string, got [\"a\\\"b\"] (an array)"],
    ["a label that is a number", () => t.trackStructEvent({ category: "c", action: "a", label: call(5) as never }),
      "trackStructEvent: label must be a string, got 5 (a number)"],
    ["a transaction without items", () => t.trackEcommerceTransaction(call({ orderId: "o", totalValue: 1 }) as never),
      "trackEcommerceTransaction: items must be an array of { sku, price, quantity } (use [] for none), got undefined"],
    ["an item with a sku that is not a string", () => t.trackEcommerceTransaction({ orderId: "o", totalValue: 1, items: [{ sku: call(7) as never, price: 1, quantity: 1 }] }),
      "trackEcommerceTransaction: items[0]: sku must be a string, got 7 (a number)"],
    ["a Date as the timestamp", () => t.trackPageView({ pageUrl: "http://x" }, { timestamp: call(new Date()) as never }),
      "trackPageView: options.timestamp must be ms since the epoch (a number) or { type: \"true\" | \"device\", value }, got a Date (use date.getTime())"],
    ["a Date as a true timestamp's value", () => t.trackPageView({ pageUrl: "http://x" }, { timestamp: { type: "true", value: call(new Date()) as never } }),
      "trackPageView: options.timestamp.value must be milliseconds since the epoch (a non-negative number), got a Date (use date.getTime())"],
    ["a subject that is not a Subject", () => t.trackPageView({ pageUrl: "http://x" }, { subject: call({ uid: "u" }) as never }),
      "trackPageView: options.subject must be a Subject (new Subject()), got {\"uid\":\"u\"} (an object)"],
    ["setUserId with an object", () => new Subject().setUserId(call({ toString: () => "u1" }) as never),
      "Subject.setUserId: expected a string (or \"\" / null to send none), got {} (an object)"],
    ["setColorDepth with a string", () => new Subject().setColorDepth(call("24") as never),
      "Subject.setColorDepth: expected a non-negative integer (or null to send none), got \"24\" (a string)"],
    ["trackMobileScreenView without a name", () => t.trackMobileScreenView(call({ id: "x" }) as never),
      "trackMobileScreenView: name must be a non-empty string, got undefined"],
    ["createTracker called Python-style with positional arguments", () => Snowplow.createTracker(call("ns") as never),
      "Snowplow.createTracker: expected one options object { namespace, endpoint, … }, got \"ns\" (a string); the Python tracker's create_tracker(namespace, endpoint) is createTracker({ namespace: \"ns\", endpoint: … }) here"],
    ["batchSize as a string", () => new Emitter({ endpoint: "c.example", batchSize: call("5") as never }),
      "Emitter: batchSize must be a positive integer, got \"5\" (a string)"],
    ["byteLimit as a fraction", () => new Emitter({ endpoint: "c.example", byteLimit: 1.5 }),
      "Emitter: byteLimit must be a positive integer, got 1.5 (a number)"],
    ["an endpoint with a mistyped scheme", () => new Emitter({ endpoint: "http//collector.example" }),
      "Emitter: endpoint \"http//collector.example\" looks like a URL with a mistyped scheme; write it as \"http://…\" or \"https://…\""],
    ["an endpoint with one slash", () => new Emitter({ endpoint: "https:/collector.example" }),
      "Emitter: endpoint \"https:/collector.example\" looks like a URL with a mistyped scheme; write it as \"http://…\" or \"https://…\""],
    ["an endpoint with credentials", () => new Emitter({ endpoint: "http://user:secret@collector.example" }),
      "Emitter: endpoint must not carry credentials (user:password@); send them as a header instead, e.g. headers: { authorization: \"Basic …\" }"],
    ["an endpoint that is not a string", () => new Emitter({ endpoint: call(9090) as never }),
      "Emitter: endpoint must be a collector host or URL (e.g. \"collector.example.com\" or \"http://127.0.0.1:9090\"), got 9090 (a number)"],
    ["flushOnExit as a number", () => new Emitter({ endpoint: "c.example", flushOnExit: call(100) as never }),
      "Emitter: flushOnExit must be true, false or { timeoutMs }, got 100 (a number)"],
  ];
  for (const [name, run, message] of cases) {
    test(name, () => {
      sent.length = 0;
      assert.throws(run, (e: unknown) => e instanceof TypeError && e.message === message ? true : assert.fail(`got ${String(e)}`));
      assert.equal(sent.length, 0, "nothing was sent");
    });
  }

  test("the secret of an endpoint with credentials is in no message", () => {
    assert.throws(() => new Emitter({ endpoint: "https://u:hunter2@c.example" }), (e: unknown) => e instanceof TypeError && !e.message.includes("hunter2"));
  });
});

describe("the Snowplow registry", () => {
  test("a closed tracker leaves the registry: its namespace can be created again", async () => {
    const first = Snowplow.createTracker({ namespace: "again", endpoint: collector.url, logger: "silent" });
    await first.close({ timeoutMs: 100 });
    assert.equal(Snowplow.getTracker("again"), undefined);
    const second = Snowplow.createTracker({ namespace: "again", endpoint: collector.url, logger: "silent" });
    assert.equal(Snowplow.getTracker("again"), second);
    await first.close({ timeoutMs: 100 });
    assert.equal(Snowplow.getTracker("again"), second, "closing the old one again does not remove the new one");
  });
});

describe("subjects: unset and empty", () => {
  const SETTERS: [string, (s: Subject) => Subject, (s: Subject) => Subject][] = [
    ["uid", (s) => s.setUserId("u1"), (s) => s.setUserId("")],
    ["uid", (s) => s.setUserId("u1"), (s) => s.setUserId(null)],
    ["res", (s) => s.setScreenResolution(100, 200), (s) => s.setScreenResolution(null)],
    ["vp", (s) => s.setViewport(10, 20), (s) => s.setViewport(null)],
    ["cd", (s) => s.setColorDepth(24), (s) => s.setColorDepth(null)],
    ["tz", (s) => s.setTimezone("Europe/London"), (s) => s.setTimezone("")],
    ["lang", (s) => s.setLang("en"), (s) => s.setLang("")],
    ["ip", (s) => s.setIpAddress("10.0.0.1"), (s) => s.setIpAddress("")],
    ["ua", (s) => s.setUseragent("agent"), (s) => s.setUseragent("")],
    ["duid", (s) => s.setDomainUserId("d1"), (s) => s.setDomainUserId("")],
    ["sid", (s) => s.setDomainSessionId("5f0b8e2a-1c7d-4b9e-8a3f-2d6c9e1b7a40"), (s) => s.setDomainSessionId("")],
    ["vid", (s) => s.setDomainSessionIndex(3), (s) => s.setDomainSessionIndex(null)],
    ["tnuid", (s) => s.setNetworkUserId("n1"), (s) => s.setNetworkUserId("")],
  ];
  for (const [key, set, clear] of SETTERS) {
    test(`${key}: an event's subject set to empty sends none, though the tracker's has one; unset keeps the tracker's`, async () => {
      const events = await capture((tr) => {
        tr.trackPageView({ pageUrl: "http://anonymous" }, { subject: clear(new Subject()) });
        tr.trackPageView({ pageUrl: "http://inherits" }, { subject: new Subject().setLang("fr") });
      }, set(new Subject()));
      const [anonymous, inherits] = events;
      assert.equal(key in anonymous!, false, JSON.stringify(anonymous));
      assert.equal(typeof inherits![key], "string");
      assert.notEqual(inherits![key], "");
    });
  }

  test("setPlatform(null) unsets the platform: the tracker's, or srv", async () => {
    const events = await capture((tr) => tr.trackPageView({ pageUrl: "http://x" }, { subject: new Subject().setPlatform("app").setPlatform(null) }), new Subject().setPlatform("pc"));
    assert.equal(events[0]!.p, "pc");
  });
});

describe("timestamps and transactions", () => {
  test("fractions of a millisecond are truncated, as the Python tracker's int() does", async () => {
    const events = await capture((tr) => {
      tr.trackPageView({ pageUrl: "http://x" }, { timestamp: 1700000000000.9 });
      tr.trackPageView({ pageUrl: "http://x" }, { timestamp: { type: "true", value: 1700000000001.6 } });
    });
    assert.deepEqual([events[0]!.dtm, events[1]!.ttm], ["1700000000000", "1700000000001"]);
  });

  test("a transaction and all its items share one dtm when no timestamp is given", async () => {
    const items = Array.from({ length: 3_000 }, (_, i) => ({ sku: `s${i}`, price: 1, quantity: 1 }));
    const events = await capture((tr) => tr.trackEcommerceTransaction({ orderId: "o1", totalValue: 3_000, items }));
    assert.equal(events.length, 3_001);
    assert.deepEqual(new Set(events.map((e) => e.dtm)).size, 1);
  });
});

describe("trackMobileScreenView (the Python tracker's track_mobile_screen_view)", () => {
  test("sends the mobile screen_view 1-0-0 event, with a UUID id when none is given, valid against its schema", async () => {
    const events = await capture((tr) => {
      tr.trackMobileScreenView({ name: "home" });
      tr.trackMobileScreenView({ name: "cart", id: "2b2f0bd6-7c4a-4bd7-9a8a-0e3a1a1f7f00", type: "feed", previousName: "home", transitionType: "push" });
    });
    assert.equal(events.length, 2);
    for (const event of events) validator.assertEvent(event);
    const [first, second] = events.map((e) => (decodeJson(e, "ue_px", "ue_pr") as { data: { schema: string; data: Record<string, string> } }).data);
    assert.equal(first!.schema, "iglu:com.snowplowanalytics.mobile/screen_view/jsonschema/1-0-0");
    assert.match(first!.data.id!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(second!.data, { name: "cart", id: "2b2f0bd6-7c4a-4bd7-9a8a-0e3a1a1f7f00", type: "feed", previousName: "home", transitionType: "push" });
  });
});
