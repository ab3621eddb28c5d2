/**
 * igluc micro's REST API: Snowplow Micro's endpoints and response shapes
 * (/micro/all, /micro/good GET and POST with its filters, /micro/bad,
 * /micro/reset, /micro/iglu/…), igluc's /micro/events/{eventId}, CORS for
 * browsers, and the bounded store (oldest dropped, counted).
 */
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { after, before, beforeEach, describe, test } from "node:test";
import { flatColumn } from "../../generator/micro/api.js";
import { startMicro, type Micro } from "../../generator/micro/micro.js";
import { CONTEXTS, FIXTURES, SIGNUP, USER, body, post, uePr } from "./support.js";

const base = { p: "srv", tv: "test-1", dtm: "1700000000000", aid: "shop" };
const SIGNUP_EVENT = { ...base, e: "ue", eid: "00000000-0000-4000-8000-000000000001", ue_pr: uePr(SIGNUP, { email: "ada@example.com" }), co: JSON.stringify({ schema: CONTEXTS, data: [{ schema: USER, data: { id: "u1" } }] }) };
const PAGE_VIEW = { ...base, e: "pv", eid: "00000000-0000-4000-8000-000000000002", url: "https://shop.example/", se_va: "1" };
const BAD_EVENT = { ...base, e: "ue", eid: "00000000-0000-4000-8000-000000000003", ue_pr: uePr(SIGNUP, { email: "nope" }) };

async function get(url: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url);
  return { status: res.status, json: await res.json() };
}
async function query(url: string, filters: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(filters) });
  return { status: res.status, json: await res.json() };
}

describe("igluc micro's REST API", () => {
  let micro: Micro;
  before(async () => { micro = await startMicro({ schemas: [FIXTURES] }); });
  after(async () => { await micro.close(); });
  beforeEach(async () => {
    micro.reset();
    assert.equal((await post(micro.url, body([SIGNUP_EVENT, PAGE_VIEW, BAD_EVENT]))).status, 200);
  });

  test("/micro/all counts; /micro/reset empties and answers the counts", async () => {
    assert.deepEqual(await get(`${micro.url}/micro/all`), { status: 200, json: { total: 3, good: 2, bad: 1 } });
    assert.deepEqual(await query(`${micro.url}/micro/reset`, {}), { status: 200, json: { total: 0, good: 0, bad: 0 } });
    assert.deepEqual(await get(`${micro.url}/micro/good`), { status: 200, json: [] });
  });

  test("/micro/good: Micro's GoodEvent fields, newest first", async () => {
    const { json } = await get(`${micro.url}/micro/good`);
    const events = json as Array<Record<string, any>>;
    assert.deepEqual(events.map((e) => e.eventType), ["page_view", "unstruct"]);
    const signup = events[1]!;
    assert.deepEqual(Object.keys(signup), ["rawEvent", "event", "eventType", "schema", "contexts"]);
    assert.deepEqual(signup.rawEvent.api, { vendor: "com.snowplowanalytics.snowplow", version: "tp2" });
    assert.equal(signup.rawEvent.parameters.eid, SIGNUP_EVENT.eid);
    assert.equal(signup.schema, SIGNUP);
    assert.deepEqual(signup.contexts, [USER]);
    assert.deepEqual(
      [signup.event.event_id, signup.event.app_id, signup.event.platform, signup.event.event_name, signup.event.event_vendor, signup.event.dvce_created_tstamp],
      [SIGNUP_EVENT.eid, "shop", "srv", "signup", "com.acme", "2023-11-14T22:13:20.000Z"],
    );
    assert.deepEqual(signup.event.unstruct_event, { schema: SIGNUP, data: { email: "ada@example.com" } });
    assert.deepEqual(signup.event.contexts, { schema: CONTEXTS, data: [{ schema: USER, data: { id: "u1" } }] });
    assert.equal(events[0]!.event.se_value, 1);
  });

  test("POST /micro/good filters by schema, event_type, contexts and limit; a wrong filter is a 400", async () => {
    const ids = async (filters: unknown): Promise<string[]> =>
      ((await query(`${micro.url}/micro/good`, filters)).json as Array<{ event: { event_id: string } }>).map((e) => e.event.event_id);
    assert.deepEqual(await ids({ schema: SIGNUP }), [SIGNUP_EVENT.eid]);
    assert.deepEqual(await ids({ event_type: "page_view" }), [PAGE_VIEW.eid]);
    assert.deepEqual(await ids({ contexts: [USER] }), [SIGNUP_EVENT.eid]);
    assert.deepEqual(await ids({ limit: 1 }), [PAGE_VIEW.eid]);
    assert.deepEqual(await ids({ schema: SIGNUP, event_type: "page_view" }), []);
    assert.deepEqual(await ids({}), [PAGE_VIEW.eid, SIGNUP_EVENT.eid]);
    assert.deepEqual(await query(`${micro.url}/micro/good`, { scheme: SIGNUP }), { status: 400, json: { error: 'unknown filter "scheme"; this endpoint takes schema, event_type, contexts, limit' } });
    assert.deepEqual(await query(`${micro.url}/micro/good`, { limit: -1 }), { status: 400, json: { error: 'filter "limit" must be a whole number (got -1)' } });
  });

  test("/micro/bad: Micro's BadEvent fields, the errors being igluc's messages; filters vendor, version, limit", async () => {
    const { json } = await get(`${micro.url}/micro/bad`);
    const [bad] = json as Array<Record<string, any>>;
    assert.deepEqual(Object.keys(bad!), ["collectorPayload", "rawEvent", "errors"]);
    assert.deepEqual(bad!.errors, [`${SIGNUP} /email: must match format "email" (got "nope")`]);
    assert.equal(bad!.collectorPayload.method, "POST");
    assert.deepEqual(await query(`${micro.url}/micro/bad`, { version: "i" }), { status: 200, json: [] }, "no bad event came by GET");
    assert.equal(((await query(`${micro.url}/micro/bad`, { vendor: "com.snowplowanalytics.snowplow", version: "tp2", limit: 5 })).json as unknown[]).length, 1);
  });

  test("/micro/iglu/… serves the schemas micro validates with; 404 for others", async () => {
    const { status, json } = await get(`${micro.url}/micro/iglu/com.acme/signup/jsonschema/1-0-0`);
    assert.equal(status, 200);
    assert.deepEqual((json as { self: unknown }).self, { vendor: "com.acme", name: "signup", format: "jsonschema", version: "1-0-0" });
    assert.equal((await get(`${micro.url}/micro/iglu/com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4`)).status, 200, "igluc's own schemas too");
    assert.deepEqual(await get(`${micro.url}/micro/iglu/com.acme/nope/jsonschema/1-0-0`), { status: 404, json: { error: "iglu:com.acme/nope/jsonschema/1-0-0: not in the registries micro reads" } });
  });

  test("GET /micro/events: every decoded event, newest first, flattened as the analytics SDKs do", async () => {
    const { status, json } = await get(`${micro.url}/micro/events`);
    assert.equal(status, 200);
    const events = json as Array<Record<string, unknown>>;
    assert.deepEqual(events.map((e) => e.event_id), [BAD_EVENT.eid, PAGE_VIEW.eid, SIGNUP_EVENT.eid], "the bad one too: Micro lists incomplete events");
    const signup = events[2]!;
    assert.deepEqual(signup.unstruct_event_com_acme_signup_1, { email: "ada@example.com" });
    assert.deepEqual(signup.contexts_com_acme_user_1, [{ id: "u1" }]);
    assert.equal("unstruct_event" in signup || "contexts" in signup, false, "the nested forms are replaced by the columns");
    assert.deepEqual([signup.app_id, signup.event_name, signup.dvce_created_tstamp], ["shop", "signup", "2023-11-14T22:13:20.000Z"]);
    assert.equal((await fetch(`${micro.url}/micro/events`, { method: "PUT" })).status, 405);
  });

  test("POST /micro/events: Micro's paginated query (filters, validEvents, timeRange, sorting) with totals", async () => {
    const page = async (request: Record<string, unknown>): Promise<{ ids: string[]; totalPages: number; totalItems: number }> => {
      const { status, json } = await query(`${micro.url}/micro/events`, { page: 1, pageSize: 10, filters: [], ...request });
      assert.equal(status, 200, JSON.stringify(json));
      const answer = json as { events: Array<{ event_id: string }>; totalPages: number; totalItems: number };
      assert.deepEqual(Object.keys(answer), ["events", "totalPages", "totalItems"]);
      return { ids: answer.events.map((e) => e.event_id), totalPages: answer.totalPages, totalItems: answer.totalItems };
    };
    const [S, P, B] = [SIGNUP_EVENT.eid, PAGE_VIEW.eid, BAD_EVENT.eid];
    assert.deepEqual(await page({ pageSize: 2 }), { ids: [B, P], totalPages: 2, totalItems: 3 }, "newest first by default");
    assert.deepEqual(await page({ page: 2, pageSize: 2 }), { ids: [S], totalPages: 2, totalItems: 3 });
    assert.deepEqual(await page({ page: 3, pageSize: 2 }), { ids: [], totalPages: 2, totalItems: 3 });
    assert.deepEqual((await page({ validEvents: false })).ids, [B]);
    assert.deepEqual((await page({ validEvents: true })).ids, [P, S]);
    assert.deepEqual((await page({ validEvents: null })).ids, [B, P, S]);
    assert.deepEqual((await page({ filters: [{ column: "event_name", value: "SIGN" }] })).ids, [B, S], "substring, ignoring case");
    assert.deepEqual((await page({ filters: [{ column: "event_name", value: "sign" }, { column: "contexts_com_acme_user_1", value: "u1" }] })).ids, [S], "every filter, on flattened columns too");
    assert.deepEqual((await page({ filters: [{ column: "no_such_column", value: "" }] })).ids, []);
    assert.deepEqual((await page({ sorting: { column: "event_name", desc: false } })).ids, [P, S, B], "ties keep arrival order");
    assert.deepEqual((await page({ sorting: { column: "event_name", desc: true } })).ids, [B, S, P]);
    assert.deepEqual((await page({ sorting: { column: "se_value", desc: false } })).ids, [P, S, B], "events without the column come last");
    assert.deepEqual((await page({ sorting: { column: "se_value", desc: true } })).ids, [P, B, S]);
    assert.deepEqual((await page({ sorting: null })).ids, [B, P, S]);
    const now = Date.now();
    assert.equal((await page({ timeRange: { start: new Date(now + 60_000).toISOString(), end: null } })).totalItems, 0);
    assert.equal((await page({ timeRange: { start: new Date(now - 60_000).toISOString(), end: new Date(now + 60_000).toISOString() } })).totalItems, 3);
    assert.equal((await page({ timeRange: { start: null, end: new Date(now - 60_000).toISOString() } })).totalItems, 0, "end is exclusive of later events");
    const error = async (request: unknown): Promise<unknown> => {
      const { status, json } = await query(`${micro.url}/micro/events`, request);
      assert.equal(status, 400);
      return (json as { error: string }).error;
    };
    assert.equal(await error({ page: 0, pageSize: 10, filters: [] }), '"page" must be a whole number from 1 (got 0)');
    assert.equal(await error({ page: 1, filters: [] }), '"pageSize" must be a whole number from 1 (got undefined)');
    assert.equal(await error({ page: 1, pageSize: 1, filter: [] }), 'unknown field "filter"; this endpoint takes page, pageSize, filters, validEvents, timeRange, sorting');
    assert.equal(await error({ page: 1, pageSize: 1, filters: [{ column: "app_id" }] }), '"filters" item 0 must be { "column": string, "value": string } (got an object)');
    assert.equal(await error({ page: 1, pageSize: 1, timeRange: { start: "yesterday" } }), '"timeRange.start" must be an ISO 8601 date-time with a zone, like "2026-12-03T10:00:00Z", or null (got "yesterday")');
    assert.equal(await error({ page: 1, pageSize: 1, sorting: { column: "app_id", desc: "yes" } }), '"sorting.desc" must be true or false (got "yes")');
    assert.equal(await error([]), "the request must be a JSON object (got an array of 0)");
    const many = Array.from({ length: 51 }, () => ({ column: "app_id", value: "shop" }));
    assert.equal(await error({ page: 1, pageSize: 1, filters: many }), '"filters" holds 51 filters, more than the 50 accepted');
    assert.equal((await page({ filters: many.slice(1) })).totalItems, 3, "50 are taken");
  });

  test("flatColumn: the analytics SDKs' column names", () => {
    assert.equal(flatColumn("contexts", "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"), "contexts_com_snowplowanalytics_snowplow_web_page_1");
    assert.equal(flatColumn("unstruct_event", "iglu:com.acme-shop/addToBasket/jsonschema/2-1-0"), "unstruct_event_com_acme_shop_add_to_basket_2");
    assert.equal(flatColumn("contexts", "not a uri"), undefined);
  });

  test("/micro/events/{eventId}: one event with its verdict (beyond Micro)", async () => {
    const { status, json } = await get(`${micro.url}/micro/events/${BAD_EVENT.eid}`);
    assert.equal(status, 200);
    const e = json as Record<string, unknown>;
    assert.deepEqual([e.eventId, e.valid, e.messages, e.schema, e.eventType], [BAD_EVENT.eid, false, [`${SIGNUP} /email: must match format "email" (got "nope")`], SIGNUP, "unstruct"]);
    assert.equal(((await get(`${micro.url}/micro/events/${SIGNUP_EVENT.eid}`)).json as { valid: boolean }).valid, true);
    assert.deepEqual(await get(`${micro.url}/micro/events/missing`), { status: 404, json: { error: 'no event with event id "missing"' } });
  });

  test("CORS: a preflight is allowed, and answers echo the origin with credentials", async () => {
    const preflight = await fetch(`${micro.url}/com.snowplowanalytics.snowplow/tp2`, {
      method: "OPTIONS", headers: { origin: "http://app.test", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "http://app.test");
    assert.equal(preflight.headers.get("access-control-allow-credentials"), "true");
    assert.equal(preflight.headers.get("access-control-allow-headers"), "content-type");
    assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
    const answer = await fetch(`${micro.url}/micro/all`, { headers: { origin: "http://app.test" } });
    assert.equal(answer.headers.get("access-control-allow-origin"), "http://app.test");
  });

  test("unknown paths and methods are answered, not ignored", async () => {
    assert.equal((await fetch(`${micro.url}/micro/nope`)).status, 404);
    assert.equal((await fetch(`${micro.url}/elsewhere`)).status, 404);
    assert.equal((await fetch(`${micro.url}/micro/all`, { method: "DELETE" })).status, 405);
  });
});

test("the store is bounded: past maxStoredEvents the oldest go, and are counted", async () => {
  const micro = await startMicro({ schemas: [FIXTURES], maxStoredEvents: 3 });
  try {
    const events = Array.from({ length: 5 }, (_, i) => ({ ...PAGE_VIEW, eid: `id-${i}` }));
    await post(micro.url, body(events));
    assert.deepEqual(micro.all(), { total: 3, good: 3, bad: 0, dropped: 2 });
    assert.deepEqual(await get(`${micro.url}/micro/all`), { status: 200, json: { total: 3, good: 3, bad: 0, dropped: 2 } });
    assert.equal(micro.event("id-0"), undefined);
    assert.deepEqual(micro.good().map((e) => e.eventId), ["id-2", "id-3", "id-4"]);
    // Five arrived: waiting for five resolves, with the three kept, rather than waiting for ever.
    assert.deepEqual((await micro.waitFor(5, { timeoutMs: 1000 })).map((e) => e.eventId), ["id-2", "id-3", "id-4"]);
  } finally {
    await micro.close();
  }
});

test("the store is bounded by bytes too: events of 200 KB, one a request, within 1 MB keep the newest 4; the rest are dropped and counted", async () => {
  const micro = await startMicro({ schemas: [FIXTURES], maxStoredBytes: 1_000_000 });
  try {
    // As sent: each body a little over 200,000 bytes, its event good (se_va is data the schema does not check).
    const big = "x".repeat(200_000);
    for (let i = 0; i < 12; i++) assert.equal((await post(micro.url, body([{ ...PAGE_VIEW, eid: `big-${i}`, se_va: big }]))).status, 200);
    assert.deepEqual(micro.all(), { total: 4, good: 4, bad: 0, dropped: 8 });
    assert.deepEqual(micro.good().map((e) => e.eventId), ["big-8", "big-9", "big-10", "big-11"]);
    // Small GET events count for their query strings: a thousand of them fit.
    for (let i = 0; i < 1000; i++) assert.equal((await fetch(`${micro.url}/i?e=pv&p=web&tv=js-4.0.0&url=https%3A%2F%2Fshop.example%2F&eid=small-${i}`)).status, 200);
    assert.deepEqual([micro.all().total, micro.all().dropped], [1004, 8], "a thousand small events stay within the bound");
    // One event larger than the bound alone is still kept: the newest always is.
    const tiny = await startMicro({ schemas: [FIXTURES], maxStoredBytes: 100 });
    try {
      await post(tiny.url, body([{ ...PAGE_VIEW, eid: "only", se_va: big }]));
      await post(tiny.url, body([{ ...PAGE_VIEW, eid: "newest", se_va: big }]));
      assert.deepEqual(tiny.all(), { total: 1, good: 1, bad: 0, dropped: 1 });
      assert.equal(tiny.event("newest")?.eventId, "newest");
    } finally {
      await tiny.close();
    }
  } finally {
    await micro.close();
  }
});

test("a query over every event keeps no decoded copies once answered: the store stays as big as what was sent", async () => {
  const micro = await startMicro({ schemas: [FIXTURES] });
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const used = (): number => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
    // 4,000 good events of about 7 KB, 50 a request: kept as their requests' bytes (28 MB).
    const padding = "x".repeat(7_000);
    for (let r = 0; r < 80; r++) {
      const events = Array.from({ length: 50 }, (_, i) => ({ ...PAGE_VIEW, eid: `e-${r}-${i}`, se_va: padding }));
      assert.equal((await post(micro.url, body(events))).status, 200);
    }
    gc();
    const before = used();
    // A filter reads every event's columns; sorting by one of them too.
    for (const request of [{ filters: [{ column: "app_id", value: "shop" }] }, { sorting: { column: "event_id", desc: false } }]) {
      const res = await fetch(`${micro.url}/micro/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ page: 1, pageSize: 1, ...request }) });
      assert.equal(((await res.json()) as { totalItems: number }).totalItems, 4_000);
    }
    gc();
    const grown = used() - before;
    // Decoded and kept, the events' parts would hold another ~30 MB.
    assert.ok(grown < 8 * 1024 * 1024, `the heap grew by ${Math.round(grown / 1024 / 1024)} MB`);
  } finally {
    await micro.close();
  }
});

test("a good event's parameters, event and entities read the same from the API, as JSON, and from a sparse body", async () => {
  const micro = await startMicro({ schemas: [FIXTURES] });
  try {
    await post(micro.url, body([SIGNUP_EVENT, PAGE_VIEW]));
    // Padding around one event: that body is not kept as bytes, the event keeps its parts decoded.
    await post(micro.url, JSON.stringify({ schema: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", data: [{ ...SIGNUP_EVENT, eid: "sparse" }], pad: "x".repeat(20_000) }));
    for (const eid of [SIGNUP_EVENT.eid, "sparse"]) {
      const e = micro.event(eid)!;
      assert.equal(e.valid, true);
      assert.deepEqual(e.parameters, { ...SIGNUP_EVENT, eid });
      assert.deepEqual(e.event, { schema: SIGNUP, data: { email: "ada@example.com" } });
      assert.deepEqual(e.entities, [{ schema: USER, data: { id: "u1" } }]);
      assert.deepEqual(e.contexts, [USER]);
      const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
      assert.deepEqual([json.eventId, json.event, json.entities, json.parameters], [eid, e.event, e.entities, { ...SIGNUP_EVENT, eid }]);
      assert.equal(micro.event(eid)!.event, e.event, "decoded once, then kept while in use");
      // What a test gets is a plain object: spreading it keeps every field.
      const spread = { ...micro.good().find((g) => g.eventId === eid)! };
      assert.deepEqual(Object.keys(spread).sort(), ["contexts", "entities", "event", "eventId", "eventType", "messages", "parameters", "receivedAt", "request", "schema", "seq", "valid"]);
      assert.deepEqual(spread.event, e.event);
    }
  } finally {
    await micro.close();
  }
});
