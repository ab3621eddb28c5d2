/**
 * igluc micro receiving from real trackers over loopback HTTP: igluc's own
 * runtime (POST, and GET with base64) and the official @snowplow/node-tracker
 * send good events and bad ones (a too-long string, a format, an unknown
 * schema, a wrong type, a bad entity); the counts, the exact messages, the
 * lookup by event id and the test helpers are checked.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { newTracker, buildSelfDescribingEvent, buildPageView } from "@snowplow/node-tracker";
import { Snowplow } from "../../runtime/node.js";
import { startMicro, type Micro } from "../../generator/micro/micro.js";
import { FIXTURES, SIGNUP, USER } from "./support.js";

const LONG = `${"a".repeat(290)}@example.com`;

/** The bad events and their exact messages, as a test expects them. */
const EXPECTED_BAD: ReadonlyArray<{ data: Record<string, unknown>; schema?: string; messages: string[] }> = [
  { data: { email: LONG }, messages: [`${SIGNUP} /email: must NOT have more than 255 characters (got "${"a".repeat(57)}…" (302 characters))`] },
  { data: { email: "not-an-email" }, messages: [`${SIGNUP} /email: must match format "email" (got "not-an-email")`] },
  { data: { email: "a@b.co", age: "12" }, messages: [`${SIGNUP} /age: must be integer (got "12")`] },
  { data: { email: "a@b.co" }, schema: "iglu:com.acme/nope/jsonschema/1-0-0", messages: ["iglu:com.acme/nope/jsonschema/1-0-0: unknown schema (not in the registries given; add its registry with --schemas or --resolver)"] },
];

describe("igluc micro with igluc's runtime and @snowplow/node-tracker", () => {
  let micro: Micro;
  before(async () => { micro = await startMicro({ schemas: [FIXTURES] }); });
  after(async () => { await micro.close(); });
  afterEach(async () => {
    await Snowplow.shutdown({ timeoutMs: 1000 });
    micro.reset();
  });

  for (const method of ["post", "get"] as const) {
    test(`@igluc/runtime (${method}): good and bad events, each with its messages`, async () => {
      const t = Snowplow.createTracker({ namespace: `igluc-${method}`, endpoint: micro.url, method, logger: "silent", emitterConfig: { flushInterval: 0 } });
      t.trackSelfDescribingEvent({ schema: SIGNUP, data: { email: "ada@example.com", plan: "pro", age: 36 } }, { context: [{ schema: USER, data: { id: "u1" } }] });
      t.trackPageView({ pageUrl: "https://shop.example/", pageTitle: "Shop" });
      for (const bad of EXPECTED_BAD) t.trackSelfDescribingEvent({ schema: bad.schema ?? SIGNUP, data: bad.data });
      t.trackSelfDescribingEvent({ schema: SIGNUP, data: { email: "b@example.com" } }, { context: [{ schema: USER, data: { id: "far-too-long-id" } }] });
      await t.flush();
      await micro.waitFor(2 + EXPECTED_BAD.length + 1, { timeoutMs: 5000 });
      assert.deepEqual(micro.all(), { total: 7, good: 2, bad: 5, dropped: 0 });
      const good = await micro.expectGood({ schema: SIGNUP, data: { email: "ada@example.com", plan: "pro", age: 36 } });
      assert.deepEqual(good.contexts, [USER]);
      await micro.expectGood({ eventType: "page_view" });
      // GET sends events on parallel requests: compared as sets.
      const messages = micro.bad().map((e) => e.messages).sort();
      assert.deepEqual(messages, [
        ...EXPECTED_BAD.map((b) => b.messages),
        [`${USER} /id: must NOT have more than 10 characters (got "far-too-long-id")`],
      ].sort());
      for (const e of micro.bad()) assert.deepEqual(micro.event(e.eventId!), e, "each event can be looked up by its id");
      assert.equal(micro.bad()[0]!.request.api, method === "post" ? "tp2" : "i");
    });
  }

  test("@snowplow/node-tracker: good and bad events, the same messages", async () => {
    const t = newTracker({ namespace: "node", appId: "shop", encodeBase64: true }, { endpoint: micro.url, bufferSize: 1 });
    t.track(buildSelfDescribingEvent({ event: { schema: SIGNUP, data: { email: "ada@example.com" } } }), [{ schema: USER, data: { id: "u1" } }]);
    t.track(buildPageView({ pageUrl: "https://shop.example/" }));
    for (const bad of EXPECTED_BAD) t.track(buildSelfDescribingEvent({ event: { schema: bad.schema ?? SIGNUP, data: bad.data } }));
    await t.flush();
    const events = await micro.waitFor(2 + EXPECTED_BAD.length, { timeoutMs: 5000 });
    assert.equal(events.length, 2 + EXPECTED_BAD.length);
    await micro.expectGood({ schema: SIGNUP, data: { email: "ada@example.com" } });
    await micro.expectGood({ eventType: "page_view" });
    // node-tracker's buffer sends in its own order: compare as sets.
    assert.deepEqual(micro.bad().map((e) => e.messages).sort(), EXPECTED_BAD.map((b) => b.messages).sort());
    assert.equal(micro.good().find((e) => e.schema === SIGNUP)?.parameters.aid, "shop");
  });

  test("expectGood fails with the bad events' messages; waitFor is bounded", async () => {
    const t = Snowplow.createTracker({ namespace: "assert", endpoint: micro.url, logger: "silent", emitterConfig: { flushInterval: 0 } });
    t.trackSelfDescribingEvent({ schema: SIGNUP, data: { email: "not-an-email" } });
    await t.flush();
    await micro.waitFor(1);
    await assert.rejects(micro.expectGood({ schema: SIGNUP }, { timeoutMs: 100 }), (error: Error) => {
      assert.equal(error.name, "AssertionError");
      assert.match(error.message, /no good event \{"schema":"iglu:com\.acme\/signup\/jsonschema\/1-0-0"\} within 100 ms/);
      assert.ok(error.message.includes(`${SIGNUP} /email: must match format "email" (got "not-an-email")`), error.message);
      return true;
    });
    await assert.rejects(micro.waitFor(5, { timeoutMs: 100 }), /waited 100 ms for 5 events; 1 arrived \(0 good\)/);
  });
});
