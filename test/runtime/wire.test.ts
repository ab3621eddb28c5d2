/**
 * What goes on the wire: every event type, captured by a real collector on
 * loopback, validated against payload_data, unstruct_event, contexts and the
 * event's own schema; plus the protocol's encoding rules one by one.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Emitter, Subject, Tracker, type TrackOptions } from "../../runtime/node.js";
import { startCollector, type Collector } from "../support/collector.js";
import { createValidator, decodeJson, type Payload } from "../support/iglu.js";

const validator = createValidator();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ENTITY = { schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { type: "tester" } } as const;

let collector: Collector;
before(async () => { collector = await startCollector(); });
after(async () => { await collector.close(); });

interface Setup { method?: "get" | "post"; encodeBase64?: boolean; subject?: Subject; appId?: string }

/** Tracks with a fresh tracker, flushes, and returns the events the collector received from it. */
async function capture(setup: Setup, track: (t: Tracker) => void): Promise<{ events: Payload[]; requests: typeof collector.requests }> {
  const from = collector.requests.length;
  const emitter = new Emitter({ endpoint: collector.url, method: setup.method ?? "post", flushInterval: 0, batchSize: 100, logger: "silent" });
  const tracker = new Tracker({
    namespace: "wire", emitters: emitter, logger: "silent", encodeBase64: setup.encodeBase64 ?? true,
    ...(setup.appId !== undefined ? { appId: setup.appId } : {}), ...(setup.subject !== undefined ? { subject: setup.subject } : {}),
  });
  track(tracker);
  await tracker.flush();
  await tracker.close();
  const requests = collector.requests.slice(from);
  return { events: requests.flatMap((r) => r.events), requests };
}

type Row = [name: string, track: (t: Tracker, o: TrackOptions) => void, expect: { e: string; pairs?: Payload; schema?: string; data?: unknown }];

const EVENTS: Row[] = [
  ["page view", (t, o) => t.trackPageView({ pageUrl: "http://www.example.com/a b?x=1", pageTitle: "example page", referrer: "http://google.com" }, o),
    { e: "pv", pairs: { url: "http://www.example.com/a b?x=1", page: "example page", refr: "http://google.com" } }],
  ["page ping", (t, o) => t.trackPagePing({ pageUrl: "http://x.com", minX: 0, maxX: 10, minY: 5, maxY: 20 }, o),
    { e: "pp", pairs: { url: "http://x.com", pp_mix: "0", pp_max: "10", pp_miy: "5", pp_may: "20" } }],
  ["structured", (t, o) => t.trackStructEvent({ category: "clothes", action: "add_to_basket", label: "red", property: "jumper", value: 15 }, o),
    { e: "se", pairs: { se_ca: "clothes", se_ac: "add_to_basket", se_la: "red", se_pr: "jumper", se_va: "15" } }],
  ["self-describing", (t, o) => t.trackSelfDescribingEvent({ schema: "iglu:com.acme/viewed_product/jsonschema/1-0-0", data: { price: 20 } }, o),
    { e: "ue", schema: "iglu:com.acme/viewed_product/jsonschema/1-0-0", data: { price: 20 } }],
  ["unstruct alias", (t, o) => t.trackUnstructEvent({ schema: "iglu:com.acme/viewed_product/jsonschema/1-0-0", data: { price: 21 } }, o),
    { e: "ue", schema: "iglu:com.acme/viewed_product/jsonschema/1-0-0", data: { price: 21 } }],
  ["screen view", (t, o) => t.trackScreenView({ name: "home", id: "abc" }, o),
    { e: "ue", schema: "iglu:com.snowplowanalytics.snowplow/screen_view/jsonschema/1-0-0", data: { name: "home", id: "abc" } }],
  ["link click", (t, o) => t.trackLinkClick({ targetUrl: "https://t.example", elementId: "l1", elementClasses: ["a", "b"], elementTarget: "_blank", elementContent: "go" }, o),
    { e: "ue", schema: "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
      data: { targetUrl: "https://t.example", elementId: "l1", elementClasses: ["a", "b"], elementTarget: "_blank", elementContent: "go" } }],
  ["add to cart", (t, o) => t.trackAddToCart({ sku: "s1", quantity: 2, name: "hat", category: "c", unitPrice: 9.5, currency: "GBP" }, o),
    { e: "ue", schema: "iglu:com.snowplowanalytics.snowplow/add_to_cart/jsonschema/1-0-0", data: { sku: "s1", quantity: 2, name: "hat", category: "c", unitPrice: 9.5, currency: "GBP" } }],
  ["remove from cart", (t, o) => t.trackRemoveFromCart({ sku: "s1", quantity: 1 }, o),
    { e: "ue", schema: "iglu:com.snowplowanalytics.snowplow/remove_from_cart/jsonschema/1-0-0", data: { sku: "s1", quantity: 1 } }],
  ["form change", (t, o) => t.trackFormChange({ formId: "f", elementId: "e", nodeName: "INPUT", type: "text", value: null, elementClasses: ["x"] }, o),
    { e: "ue", schema: "iglu:com.snowplowanalytics.snowplow/change_form/jsonschema/1-0-0", data: { formId: "f", elementId: "e", nodeName: "INPUT", type: "text", value: null, elementClasses: ["x"] } }],
  ["form submit", (t, o) => t.trackFormSubmit({ formId: "f", formClasses: ["c"], elements: [{ name: "n", value: "v", nodeName: "SELECT" }] }, o),
    { e: "ue", schema: "iglu:com.snowplowanalytics.snowplow/submit_form/jsonschema/1-0-0", data: { formId: "f", formClasses: ["c"], elements: [{ name: "n", value: "v", nodeName: "SELECT" }] } }],
  ["site search", (t, o) => t.trackSiteSearch({ terms: ["a", "b"], filters: { cat: "x", new: true }, totalResults: 10, pageResults: 0 }, o),
    { e: "ue", schema: "iglu:com.snowplowanalytics.snowplow/site_search/jsonschema/1-0-0", data: { terms: ["a", "b"], filters: { cat: "x", new: true }, totalResults: 10, pageResults: 0 } }],
  ["transaction item", (t, o) => t.trackEcommerceTransactionItem({ orderId: "o1", sku: "s", price: 10, quantity: 1, name: "red hat", category: "hats", currency: "GBP" }, o),
    { e: "ti", pairs: { ti_id: "o1", ti_sk: "s", ti_nm: "red hat", ti_ca: "hats", ti_pr: "10", ti_qu: "1", ti_cu: "GBP" } }],
];

for (const method of ["post", "get"] as const) {
  for (const encodeBase64 of [true, false]) {
    describe(`every event type, ${method.toUpperCase()}, encodeBase64 ${encodeBase64}`, () => {
      for (const [name, track, expected] of EVENTS) {
        test(name, async () => {
          const { events } = await capture({ method, encodeBase64, appId: "app" }, (t) => track(t, { context: [ENTITY] }));
          assert.equal(events.length, 1);
          const event = events[0]!;
          validator.assertEvent(event);
          assert.equal(event.e, expected.e);
          assert.match(event.eid!, UUID_V4);
          assert.equal(event.p, "srv");
          assert.equal(event.tna, "wire");
          assert.equal(event.aid, "app");
          assert.equal(event.tv, "igluc-0.1.0");
          for (const [key, value] of Object.entries(expected.pairs ?? {})) assert.equal(event[key], value, key);
          if (expected.schema !== undefined) {
            assert.deepEqual(decodeJson(event, "ue_px", "ue_pr"), {
              schema: "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
              data: { schema: expected.schema, data: expected.data },
            });
            assert.equal(encodeBase64 ? "ue_px" in event : "ue_pr" in event, true);
            assert.equal(encodeBase64 ? "ue_pr" in event : "ue_px" in event, false);
          }
          assert.deepEqual(decodeJson(event, "cx", "co"), { schema: "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0", data: [ENTITY] });
          assert.equal(encodeBase64 ? "co" in event : "cx" in event, false);
        });
      }
    });
  }
}

describe("requests", () => {
  test("POST goes to /com.snowplowanalytics.snowplow/tp2 with the exact content type and a payload_data body", async () => {
    const { requests } = await capture({}, (t) => t.trackPageView({ pageUrl: "http://a" }).trackPageView({ pageUrl: "http://b" }));
    assert.equal(requests.length, 1);
    const request = requests[0]!;
    assert.equal(request.method, "POST");
    assert.equal(request.path, "/com.snowplowanalytics.snowplow/tp2");
    assert.equal(request.headers["content-type"], "application/json; charset=utf-8");
    const body = JSON.parse(request.body) as { schema: string; data: Payload[] };
    assert.equal(body.schema, "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4");
    assert.deepEqual(body.data.map((e) => e.url), ["http://a", "http://b"]);
    for (const event of body.data) for (const value of Object.values(event)) assert.equal(typeof value, "string");
  });

  test("GET goes to /i with stm first, contexts last, spaces as %20 and no content type", async () => {
    const { requests } = await capture({ method: "get", encodeBase64: false }, (t) =>
      t.trackPageView({ pageUrl: "http://www.example.com/a b?x=1", pageTitle: "example page" }, { context: [ENTITY] }));
    const request = requests[0]!;
    assert.equal(request.method, "GET");
    assert.equal(request.headers["content-type"], undefined);
    assert.match(request.path, /^\/i\?stm=\d{13}&e=pv&url=http%3A%2F%2Fwww\.example\.com%2Fa%20b%3Fx%3D1&page=example%20page&/);
    assert.match(request.path, /&co=[^&]+$/);
  });

  test("one request per event with GET, however many wait", async () => {
    const { requests } = await capture({ method: "get" }, (t) => { for (let i = 0; i < 3; i++) t.trackPageView({ pageUrl: `http://p/${i}` }); });
    assert.equal(requests.length, 3);
  });

  test("stm is set at send time, the same for a whole batch", async () => {
    const emitter = new Emitter({ endpoint: collector.url, flushInterval: 0, batchSize: 100, logger: "silent" });
    const tracker = new Tracker({ namespace: "stm", emitters: emitter, logger: "silent" });
    const from = collector.delivered.length;
    tracker.trackPageView({ pageUrl: "http://a" }, { timestamp: 1_600_000_000_000 }).trackPageView({ pageUrl: "http://b" });
    const trackedAt = Date.now();
    await new Promise((r) => setTimeout(r, 60));
    await tracker.close();
    const [a, b] = collector.delivered.slice(from);
    assert.equal(a!.stm, b!.stm);
    assert.ok(Number(a!.stm) >= trackedAt + 50, `stm ${a!.stm} should be after the 60 ms wait (tracked at ${trackedAt})`);
    assert.equal(a!.dtm, "1600000000000");
  });
});

describe("encoding rules", () => {
  test("timestamps: none is now as dtm; a number and type device are dtm; type true is ttm with dtm now", async () => {
    const before = Date.now();
    const { events } = await capture({}, (t) => t
      .trackPageView({ pageUrl: "http://1" })
      .trackPageView({ pageUrl: "http://2" }, { timestamp: 1_650_000_000_000 })
      .trackPageView({ pageUrl: "http://3" }, { timestamp: { type: "device", value: 1_650_000_000_001 } })
      .trackPageView({ pageUrl: "http://4" }, { timestamp: { type: "true", value: 1_650_000_000_002 } }));
    const after = Date.now();
    const [none, number, device, trueTs] = events;
    assert.ok(Number(none!.dtm) >= before && Number(none!.dtm) <= after);
    assert.equal(none!.ttm, undefined);
    assert.equal(number!.dtm, "1650000000000");
    assert.equal(device!.dtm, "1650000000001");
    assert.equal(device!.ttm, undefined);
    assert.equal(trueTs!.ttm, "1650000000002");
    assert.ok(Number(trueTs!.dtm) >= before && Number(trueTs!.dtm) <= after);
  });

  test("empty values are omitted, zero values kept", async () => {
    const { events } = await capture({}, (t) => t
      .trackPageView({ pageUrl: "http://x", pageTitle: "", referrer: undefined })
      .trackStructEvent({ category: "c", action: "a", label: "", value: 0 })
      .trackEcommerceTransaction({ orderId: "o", totalValue: 0, shipping: 0, taxValue: 0, affiliation: "", items: [] }));
    const [pv, se, tr] = events;
    assert.deepEqual(Object.keys(pv!).filter((k) => ["page", "refr"].includes(k)), []);
    assert.equal(se!.se_va, "0");
    assert.equal("se_la" in se!, false);
    assert.deepEqual([tr!.tr_tt, tr!.tr_sh, tr!.tr_tx, "tr_af" in tr!], ["0", "0", "0", false]);
  });

  test("contexts: an empty array sends no cx/co at all", async () => {
    const { events } = await capture({}, (t) => t.trackPageView({ pageUrl: "http://x" }, { context: [] }));
    assert.equal("cx" in events[0]!, false);
    assert.equal("co" in events[0]!, false);
  });

  test("base64 is URL-safe and unpadded", async () => {
    // Bytes 0xFB 0xFF encode to "+/" in standard base64; this text forces both and padding.
    const data = { text: "\u00fb\u00ff\u00fe?>>?~~" };
    const { events } = await capture({}, (t) => t.trackSelfDescribingEvent({ schema: "iglu:com.acme/x/jsonschema/1-0-0", data }, { context: [{ schema: "iglu:com.acme/y/jsonschema/1-0-0", data }] }));
    for (const key of ["ue_px", "cx"]) {
      assert.match(events[0]![key]!, /^[A-Za-z0-9_-]+$/, `${key} must be base64url without padding`);
    }
    assert.deepEqual((decodeJson(events[0]!, "ue_px", "ue_pr") as { data: { data: unknown } }).data.data, data);
  });

  test("page-ping offsets are whole pixels", async () => {
    const { events } = await capture({}, (t) => t.trackPagePing({ pageUrl: "http://x", minX: 1.4, maxX: 10.6 }));
    assert.deepEqual([events[0]!.pp_mix, events[0]!.pp_max], ["1", "11"]);
  });

  test("no appId sends no aid", async () => {
    const { events } = await capture({}, (t) => t.trackPageView({ pageUrl: "http://x" }));
    assert.equal("aid" in events[0]!, false);
  });

  test("jsonEncoder replaces values JSON cannot encode", async () => {
    const from = collector.delivered.length;
    const tracker = new Tracker({
      namespace: "enc", logger: "silent", encodeBase64: false,
      emitters: new Emitter({ endpoint: collector.url, flushInterval: 0, logger: "silent" }),
      jsonEncoder: (v) => (typeof v === "bigint" ? v.toString() : v instanceof Set ? [...(v as Set<unknown>)] : v),
    });
    tracker.trackSelfDescribingEvent({ schema: "iglu:com.acme/x/jsonschema/1-0-0", data: { big: 12n, tags: new Set(["a"]) } });
    await tracker.close();
    const event = collector.delivered[from]!;
    assert.deepEqual((JSON.parse(event.ue_pr!) as { data: { data: unknown } }).data.data, { big: "12", tags: ["a"] });
  });
});

describe("subject", () => {
  test("every setter maps to its parameter", async () => {
    const subject = new Subject()
      .setPlatform("mob").setUserId("jacob").setScreenResolution(400, 200).setViewport(500, 800).setColorDepth(24)
      .setTimezone("Europe/London").setLang("en").setIpAddress("1.2.3.4").setUseragent("UA/1.0")
      .setDomainUserId("duid-1").setDomainSessionId("6f0d4fbf-0d1c-4bfa-a1b2-2c5d7b8e9f10").setDomainSessionIndex(3)
      .setNetworkUserId("nuid-1");
    const { events } = await capture({ subject }, (t) => t.trackPageView({ pageUrl: "http://x" }));
    const event = events[0]!;
    validator.assertEvent(event);
    assert.deepEqual(
      { p: event.p, uid: event.uid, res: event.res, vp: event.vp, cd: event.cd, tz: event.tz, lang: event.lang, ip: event.ip, ua: event.ua, duid: event.duid, sid: event.sid, vid: event.vid, tnuid: event.tnuid },
      { p: "mob", uid: "jacob", res: "400x200", vp: "500x800", cd: "24", tz: "Europe/London", lang: "en", ip: "1.2.3.4", ua: "UA/1.0", duid: "duid-1", sid: "6f0d4fbf-0d1c-4bfa-a1b2-2c5d7b8e9f10", vid: "3", tnuid: "nuid-1" },
    );
  });

  test("an event's subject overrides the tracker's key by key and keeps its platform", async () => {
    const shared = new Subject().setPlatform("web").setUserId("u-tracker").setLang("en");
    const { events } = await capture({ subject: shared }, (t) => t
      .trackPageView({ pageUrl: "http://1" }, { subject: new Subject().setUserId("u-event") })
      .trackPageView({ pageUrl: "http://2" }));
    assert.deepEqual([events[0]!.p, events[0]!.uid, events[0]!.lang], ["web", "u-event", "en"]);
    assert.deepEqual([events[1]!.p, events[1]!.uid], ["web", "u-tracker"]);
  });

  test("setSubject replaces the tracker's subject", async () => {
    const { events } = await capture({ subject: new Subject().setUserId("a") }, (t) => t
      .trackPageView({ pageUrl: "http://1" }).setSubject(new Subject().setUserId("b")).trackPageView({ pageUrl: "http://2" }));
    assert.deepEqual(events.map((e) => e.uid), ["a", "b"]);
  });
});

describe("ecommerce", () => {
  test("a transaction is followed by one item event per item, sharing order id, currency, timestamp", async () => {
    const itemEntity = { schema: "iglu:com.acme/item_info/jsonschema/1-0-0", data: { x: 1 } };
    const { events } = await capture({ encodeBase64: false }, (t) => t.trackEcommerceTransaction({
      orderId: "order-7", totalValue: 15, taxValue: 5, shipping: 0, currency: "GBP", city: "Leeds", state: "WY", country: "UK", affiliation: "shop",
      items: [{ sku: "item-729", price: 10, quantity: 1, name: "red hat", category: "hats", context: [itemEntity] }, { sku: "item-730", price: 5, quantity: 2 }],
    }, { timestamp: 1_650_000_000_000, context: [ENTITY] }));
    assert.deepEqual(events.map((e) => e.e), ["tr", "ti", "ti"]);
    for (const event of events) validator.assertEvent(event);
    const [tr, first, second] = events;
    assert.deepEqual(
      { id: tr!.tr_id, tt: tr!.tr_tt, tx: tr!.tr_tx, sh: tr!.tr_sh, cu: tr!.tr_cu, ci: tr!.tr_ci, st: tr!.tr_st, co: tr!.tr_co, af: tr!.tr_af },
      { id: "order-7", tt: "15", tx: "5", sh: "0", cu: "GBP", ci: "Leeds", st: "WY", co: "UK", af: "shop" },
    );
    assert.deepEqual([first!.ti_id, first!.ti_sk, first!.ti_pr, first!.ti_qu, first!.ti_cu, first!.ti_nm, first!.ti_ca], ["order-7", "item-729", "10", "1", "GBP", "red hat", "hats"]);
    assert.deepEqual([second!.ti_id, second!.ti_sk, second!.ti_qu], ["order-7", "item-730", "2"]);
    assert.deepEqual(events.map((e) => e.dtm), ["1650000000000", "1650000000000", "1650000000000"]);
    assert.deepEqual((JSON.parse(first!.co!) as { data: unknown[] }).data, [ENTITY, itemEntity]);
    assert.deepEqual((JSON.parse(second!.co!) as { data: unknown[] }).data, [ENTITY]);
  });
});
