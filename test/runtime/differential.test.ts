/**
 * Differential test against the official @snowplow/node-tracker (4.8.0).
 *
 * Every event type both trackers support is sent through both, over real HTTP
 * POST on 127.0.0.1, to two local collectors (one per tracker). The captured
 * events must have the same keys and the same decoded values (ue_px/cx
 * base64url-decoded and JSON-parsed, ue_pr/co JSON-parsed, compared
 * structurally), apart from the per-event values `eid`, `dtm`, `stm`, `tv`
 * and the deliberate differences listed in DELIBERATE DIFFERENCES below.
 * Anything else that differs fails the test.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  buildAddToCart, buildEcommerceTransaction, buildEcommerceTransactionItem, buildFormFocusOrChange, buildFormSubmission,
  buildLinkClick, buildPagePing, buildPageView, buildRemoveFromCart, buildScreenView, buildSelfDescribingEvent,
  buildSiteSearch, buildStructEvent, newTracker,
  type Timestamp as NodeTimestamp, type Tracker as NodeTracker,
} from "@snowplow/node-tracker";
import { Emitter, Subject, Tracker, type SelfDescribingJson, type Timestamp, type TrackOptions } from "../../runtime/node.js";
import { startCollector, type Collector, type Payload } from "../support/collector.js";

/*
 * DELIBERATE DIFFERENCES (the only ones tolerated; each is asserted where it applies):
 * 1. Network user id: we send `tnuid` (the override enrich applies over the collector cookie); node sends `nuid`.
 * 2. True timestamp: we send `ttm` and `dtm` (device time of tracking); node sends only `ttm`.
 * 3. Page-ping offsets of 0: we keep `pp_mix: "0"` (etc.); node drops them.
 * 4. `tv`: ours is "igluc-<version>", node's "node-<version>".
 */

/** Per-event values never compared between the trackers (each is checked on its own instead). */
const PER_EVENT = new Set(["eid", "dtm", "stm", "tv"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MILLIS = /^\d{13}$/;

const NAMESPACE = "cf";
const APP_ID = "cfe35";
const SESSION_ID = "8f5b1a3c-2d4e-4f60-9a7b-1c2d3e4f5a6b";
const NETWORK_USER_ID = "ecdff4d0-9175-40ac-a8bb-325c49733607";
const DEVICE_TS = 1_700_000_000_123;
const TRUE_TS = 1_700_000_000_456;

const CONTEXT: SelfDescribingJson<string, Record<string, unknown>>[] = [
  { schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { id: 42, name: "Zoë ☕ 日本", tags: ["a", "b"], active: true, manager: null } },
  { schema: "iglu:com.acme/page/jsonschema/2-1-0", data: { nested: { depth: 2, ratio: 0.25, list: [{ x: 1 }, { y: "/?&=+" }] } } },
];
const ITEM_CONTEXT: SelfDescribingJson<string, Record<string, unknown>>[] = [
  { schema: "iglu:com.acme/item_extra/jsonschema/1-0-0", data: { gift: true } },
];

/** One way of sending an event: the options passed to both trackers. */
interface Variant {
  readonly name: string;
  readonly encodeBase64: boolean;
  readonly context?: SelfDescribingJson<string, Record<string, unknown>>[];
  readonly timestamp?: "device" | "true";
}

const VARIANTS: readonly Variant[] = [
  { name: "base64, no context, default timestamp", encodeBase64: true },
  { name: "plain JSON, no context, default timestamp", encodeBase64: false },
  { name: "base64, context, number timestamp", encodeBase64: true, context: CONTEXT, timestamp: "device" },
  { name: "plain JSON, context, number timestamp", encodeBase64: false, context: CONTEXT, timestamp: "device" },
  { name: "base64, context, true timestamp", encodeBase64: true, context: CONTEXT, timestamp: "true" },
  { name: "plain JSON, no context, true timestamp", encodeBase64: false, timestamp: "true" },
];

function ourOptions(v: Variant): TrackOptions {
  const timestamp: Timestamp | undefined =
    v.timestamp === "device" ? DEVICE_TS : v.timestamp === "true" ? { type: "true", value: TRUE_TS } : undefined;
  return { context: v.context, timestamp };
}

interface NodeArgs {
  readonly context: SelfDescribingJson<string, Record<string, unknown>>[] | undefined;
  readonly timestamp: NodeTimestamp | undefined;
}

function nodeArgs(v: Variant): NodeArgs {
  const timestamp: NodeTimestamp | undefined =
    v.timestamp === "device" ? DEVICE_TS : v.timestamp === "true" ? { type: "ttm", value: TRUE_TS } : undefined;
  return { context: v.context, timestamp };
}

/** One event type: the same event sent through each tracker. */
interface Row {
  readonly name: string;
  /** Events the row sends (a transaction sends one per item too). */
  readonly events?: number;
  ours(t: Tracker, options: TrackOptions): void;
  node(t: NodeTracker, args: NodeArgs): void;
}

const ROWS: readonly Row[] = [
  {
    name: "page view",
    ours: (t, o) => t.trackPageView({ pageUrl: "https://example.com/a?q=1&r=é", pageTitle: "Title ☕ \"quoted\"", referrer: "https://ref.example/" }, o),
    node: (t, a) => t.track(buildPageView({ pageUrl: "https://example.com/a?q=1&r=é", pageTitle: "Title ☕ \"quoted\"", referrer: "https://ref.example/" }), a.context, a.timestamp),
  },
  {
    name: "page view (url only)",
    ours: (t, o) => t.trackPageView({ pageUrl: "https://example.com/" }, o),
    node: (t, a) => t.track(buildPageView({ pageUrl: "https://example.com/" }), a.context, a.timestamp),
  },
  {
    name: "page ping (non-zero offsets)",
    ours: (t, o) => t.trackPagePing({ pageUrl: "https://example.com/p", pageTitle: "P", referrer: "https://ref.example/", minX: 5, maxX: 120, minY: 7, maxY: 640 }, o),
    node: (t, a) => t.track(buildPagePing({ pageUrl: "https://example.com/p", pageTitle: "P", referrer: "https://ref.example/", minXOffset: 5, maxXOffset: 120, minYOffset: 7, maxYOffset: 640 }), a.context, a.timestamp),
  },
  {
    name: "structured event",
    ours: (t, o) => t.trackStructEvent({ category: "shop", action: "add", label: "red shoes", property: "size 9", value: 12.5 }, o),
    node: (t, a) => t.track(buildStructEvent({ category: "shop", action: "add", label: "red shoes", property: "size 9", value: 12.5 }), a.context, a.timestamp),
  },
  {
    name: "structured event (value 0, no label/property)",
    ours: (t, o) => t.trackStructEvent({ category: "shop", action: "view", value: 0 }, o),
    node: (t, a) => t.track(buildStructEvent({ category: "shop", action: "view", value: 0 }), a.context, a.timestamp),
  },
  {
    name: "self-describing event",
    ours: (t, o) => t.trackSelfDescribingEvent({ schema: "iglu:com.acme/checkout/jsonschema/1-2-0", data: { step: 2, total: 99.95, coupon: null, ok: true, note: "naïve ✓", lines: [{ sku: "A", n: 1 }] } }, o),
    node: (t, a) => t.track(buildSelfDescribingEvent({ event: { schema: "iglu:com.acme/checkout/jsonschema/1-2-0", data: { step: 2, total: 99.95, coupon: null, ok: true, note: "naïve ✓", lines: [{ sku: "A", n: 1 }] } } }), a.context, a.timestamp),
  },
  {
    name: "screen view",
    ours: (t, o) => t.trackScreenView({ name: "Home", id: "6a1f2f3e-6f56-4d7c-9a0e-2f8f3b1c4d5e" }, o),
    node: (t, a) => t.track(buildScreenView({ name: "Home", id: "6a1f2f3e-6f56-4d7c-9a0e-2f8f3b1c4d5e" }), a.context, a.timestamp),
  },
  {
    name: "link click",
    ours: (t, o) => t.trackLinkClick({ targetUrl: "https://example.com/next", elementId: "cta", elementClasses: ["btn", "primary"], elementTarget: "_blank", elementContent: "Go →" }, o),
    node: (t, a) => t.track(buildLinkClick({ targetUrl: "https://example.com/next", elementId: "cta", elementClasses: ["btn", "primary"], elementTarget: "_blank", elementContent: "Go →" }), a.context, a.timestamp),
  },
  {
    name: "link click (target url only)",
    ours: (t, o) => t.trackLinkClick({ targetUrl: "https://example.com/x" }, o),
    node: (t, a) => t.track(buildLinkClick({ targetUrl: "https://example.com/x" }), a.context, a.timestamp),
  },
  {
    name: "add to cart",
    ours: (t, o) => t.trackAddToCart({ sku: "SKU-1", quantity: 2, name: "Shoe", category: "Footwear", unitPrice: 49.99, currency: "GBP" }, o),
    node: (t, a) => t.track(buildAddToCart({ sku: "SKU-1", quantity: 2, name: "Shoe", category: "Footwear", unitPrice: 49.99, currency: "GBP" }), a.context, a.timestamp),
  },
  {
    name: "remove from cart",
    ours: (t, o) => t.trackRemoveFromCart({ sku: "SKU-2", quantity: 1, unitPrice: 0 }, o),
    node: (t, a) => t.track(buildRemoveFromCart({ sku: "SKU-2", quantity: 1, unitPrice: 0 }), a.context, a.timestamp),
  },
  {
    name: "form change",
    ours: (t, o) => t.trackFormChange({ formId: "signup", elementId: "email", nodeName: "INPUT", value: "a@b.example", type: "email", elementClasses: ["field", "wide"] }, o),
    node: (t, a) => t.track(buildFormFocusOrChange({ schema: "change_form", formId: "signup", elementId: "email", nodeName: "INPUT", value: "a@b.example", type: "email", elementClasses: ["field", "wide"] }), a.context, a.timestamp),
  },
  {
    name: "form change (null value, no type/classes)",
    ours: (t, o) => t.trackFormChange({ formId: "signup", elementId: "notes", nodeName: "TEXTAREA", value: null }, o),
    node: (t, a) => t.track(buildFormFocusOrChange({ schema: "change_form", formId: "signup", elementId: "notes", nodeName: "TEXTAREA", value: null }), a.context, a.timestamp),
  },
  {
    name: "form submit",
    ours: (t, o) => t.trackFormSubmit({
      formId: "signup",
      formClasses: ["form", "dark"],
      elements: [{ name: "email", value: "a@b.example", nodeName: "INPUT", type: "email" }, { name: "notes", value: null, nodeName: "TEXTAREA" }],
    }, o),
    node: (t, a) => t.track(buildFormSubmission({
      formId: "signup",
      formClasses: ["form", "dark"],
      elements: [{ name: "email", value: "a@b.example", nodeName: "INPUT", type: "email" }, { name: "notes", value: null, nodeName: "TEXTAREA" }],
    }), a.context, a.timestamp),
  },
  {
    name: "form submit (form id only)",
    ours: (t, o) => t.trackFormSubmit({ formId: "bare" }, o),
    node: (t, a) => t.track(buildFormSubmission({ formId: "bare" }), a.context, a.timestamp),
  },
  {
    name: "site search",
    ours: (t, o) => t.trackSiteSearch({ terms: ["red", "shoes"], filters: { colour: "red", inStock: true }, totalResults: 0, pageResults: 10 }, o),
    node: (t, a) => t.track(buildSiteSearch({ terms: ["red", "shoes"], filters: { colour: "red", inStock: true }, totalResults: 0, pageResults: 10 }), a.context, a.timestamp),
  },
  {
    name: "ecommerce transaction with items",
    events: 3,
    ours: (t, o) => t.trackEcommerceTransaction({
      orderId: "order-1", totalValue: 120.5, affiliation: "web", taxValue: 20.08, shipping: 4.99,
      city: "London", state: "Greater London", country: "UK", currency: "GBP",
      items: [
        { sku: "SKU-1", price: 49.99, quantity: 2, name: "Shoe", category: "Footwear" },
        { sku: "SKU-3", price: 20.52, quantity: 1, context: ITEM_CONTEXT },
      ],
    }, o),
    node: (t, a) => {
      // The node tracker has no transaction-with-items call: track the transaction, then each item
      // (same order id, currency, timestamp; the transaction's entities followed by the item's own).
      t.track(buildEcommerceTransaction({
        orderId: "order-1", total: 120.5, affiliation: "web", tax: 20.08, shipping: 4.99,
        city: "London", state: "Greater London", country: "UK", currency: "GBP",
      }), a.context, a.timestamp);
      t.track(buildEcommerceTransactionItem({ orderId: "order-1", sku: "SKU-1", price: 49.99, quantity: 2, name: "Shoe", category: "Footwear", currency: "GBP" }), a.context, a.timestamp);
      t.track(buildEcommerceTransactionItem({ orderId: "order-1", sku: "SKU-3", price: 20.52, quantity: 1, currency: "GBP" }), [...(a.context ?? []), ...ITEM_CONTEXT], a.timestamp);
    },
  },
  {
    name: "ecommerce transaction (minimal, no items)",
    ours: (t, o) => t.trackEcommerceTransaction({ orderId: "order-2", totalValue: 0, items: [] }, o),
    node: (t, a) => t.track(buildEcommerceTransaction({ orderId: "order-2", total: 0 }), a.context, a.timestamp),
  },
  {
    name: "ecommerce transaction item",
    ours: (t, o) => t.trackEcommerceTransactionItem({ orderId: "order-1", sku: "SKU-9", price: 3.5, quantity: 4, name: "Lace", category: "Extras", currency: "EUR" }, o),
    node: (t, a) => t.track(buildEcommerceTransactionItem({ orderId: "order-1", sku: "SKU-9", price: 3.5, quantity: 4, name: "Lace", category: "Extras", currency: "EUR" }), a.context, a.timestamp),
  },
];

/** The same subject on both sides: every field either tracker can set. */
function ourSubject(): Subject {
  return new Subject()
    .setPlatform("pc")
    .setUserId("jacob")
    .setScreenResolution(1920, 1080)
    .setViewport(1280, 720)
    .setColorDepth(24)
    .setTimezone("Europe/London")
    .setLang("en-GB")
    .setIpAddress("203.0.113.7")
    .setUseragent("Mozilla/5.0 (differential test)")
    .setDomainUserId("duid-4f2a")
    .setDomainSessionId(SESSION_ID)
    .setDomainSessionIndex(3)
    .setNetworkUserId(NETWORK_USER_ID);
}

function setNodeSubject(t: NodeTracker): void {
  t.setPlatform("pc");
  t.setUserId("jacob");
  t.setScreenResolution("1920", "1080");
  t.setViewport("1280", "720");
  t.setColorDepth("24");
  t.setTimezone("Europe/London");
  t.setLang("en-GB");
  t.setIpAddress("203.0.113.7");
  t.setUseragent("Mozilla/5.0 (differential test)");
  t.setDomainUserId("duid-4f2a");
  t.setSessionId(SESSION_ID);
  t.setSessionIndex(3);
  t.setNetworkUserId(NETWORK_USER_ID);
}

let oursCollector: Collector;
let nodeCollector: Collector;

before(async () => {
  oursCollector = await startCollector();
  nodeCollector = await startCollector();
});

after(async () => {
  await oursCollector.close();
  await nodeCollector.close();
});

interface Captured {
  readonly ours: Payload[];
  readonly node: Payload[];
}

/**
 * Sends one event (or a transaction's events) through fresh trackers of each
 * kind and returns what each collector recorded, in a matching order.
 */
async function send(
  encodeBase64: boolean,
  count: number,
  ours: (t: Tracker) => void,
  node: (t: NodeTracker) => void,
  subjects = true,
): Promise<Captured> {
  const oursBefore = oursCollector.delivered.length;
  const nodeBefore = nodeCollector.delivered.length;

  const tracker = new Tracker({
    namespace: NAMESPACE,
    appId: APP_ID,
    encodeBase64,
    emitters: new Emitter({ endpoint: oursCollector.url, batchSize: 1, logger: "silent" }),
    ...(subjects ? { subject: ourSubject() } : {}),
    logger: "silent",
  });
  try {
    ours(tracker);
    await tracker.flush();
  } finally {
    await tracker.close();
  }

  const nodeTracker = newTracker(
    { namespace: NAMESPACE, appId: APP_ID, encodeBase64 },
    { endpoint: "127.0.0.1", port: nodeCollector.port, protocol: "http", eventMethod: "post", bufferSize: 1 },
  );
  if (subjects) setNodeSubject(nodeTracker);
  node(nodeTracker);
  await nodeTracker.flush();

  await Promise.all([oursCollector.waitForEvents(oursBefore + count), nodeCollector.waitForEvents(nodeBefore + count)]);
  // Give any stray extra event a moment to arrive, so the counts below are exact.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const oursEvents = oursCollector.delivered.slice(oursBefore);
  const nodeEvents = nodeCollector.delivered.slice(nodeBefore);
  assert.equal(oursEvents.length, count, "events captured from our tracker");
  assert.equal(nodeEvents.length, count, "events captured from the node tracker");
  // Requests may complete out of order: pair the events by type and item sku.
  const order = (p: Payload): string => `${p.e ?? ""}|${p.ti_sk ?? ""}`;
  const byOrder = (a: Payload, b: Payload): number => order(a).localeCompare(order(b));
  return { ours: [...oursEvents].sort(byOrder), node: [...nodeEvents].sort(byOrder) };
}

/** The payload with JSON values decoded and the per-event values removed. */
function decode(payload: Payload): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (PER_EVENT.has(key)) continue;
    if (key === "ue_px" || key === "cx") out[key] = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    else if (key === "ue_pr" || key === "co") out[key] = JSON.parse(value);
    else out[key] = value;
  }
  return out;
}

interface Expect {
  /** Which timestamp the event was tracked with. */
  readonly timestamp?: "device" | "true" | undefined;
  /** Keys whose presence in ours (and absence in node's) is a deliberate difference, removed before comparing. */
  readonly oursOnly?: readonly string[];
}

/** Asserts the two captured events equal apart from per-event values and the deliberate differences. */
function assertEquivalent(ours: Payload, node: Payload, expect: Expect, startedAt: number, label: string): void {
  const context = `${label}\n  ours: ${JSON.stringify(ours)}\n  node: ${JSON.stringify(node)}`;

  // Per-event values: present and well-formed on both sides.
  assert.match(ours.eid ?? "", UUID, `ours eid: ${context}`);
  assert.match(node.eid ?? "", UUID, `node eid: ${context}`);
  assert.match(ours.stm ?? "", MILLIS, `ours stm: ${context}`);
  assert.match(node.stm ?? "", MILLIS, `node stm: ${context}`);
  // Deliberate difference 4: tracker version names the tracker.
  assert.match(ours.tv ?? "", /^igluc-\d+\.\d+\.\d+/, `ours tv: ${context}`);
  assert.match(node.tv ?? "", /^node-4\.8\.0$/, `node tv: ${context}`);

  if (expect.timestamp === "device") {
    // A number timestamp is the device timestamp, on both sides.
    assert.equal(ours.dtm, String(DEVICE_TS), `ours dtm: ${context}`);
    assert.equal(node.dtm, String(DEVICE_TS), `node dtm: ${context}`);
  } else if (expect.timestamp === "true") {
    // Deliberate difference 2: with a true timestamp we also send dtm (time of tracking); node sends ttm only.
    assert.match(ours.dtm ?? "", MILLIS, `ours dtm: ${context}`);
    assert.ok(Number(ours.dtm) >= startedAt && Number(ours.dtm) <= Date.now(), `ours dtm is the time of tracking: ${context}`);
    assert.equal(node.dtm, undefined, `node sends no dtm with a true timestamp: ${context}`);
    assert.equal(ours.ttm, String(TRUE_TS), `ours ttm: ${context}`);
    assert.equal(node.ttm, String(TRUE_TS), `node ttm: ${context}`);
  } else {
    for (const [who, p] of [["ours", ours], ["node", node]] as const) {
      assert.match(p.dtm ?? "", MILLIS, `${who} dtm: ${context}`);
      assert.ok(Number(p.dtm) >= startedAt && Number(p.dtm) <= Date.now(), `${who} dtm is now: ${context}`);
    }
  }

  const a = decode(ours);
  const b = decode(node);

  // Deliberate difference 1: the network user id goes in tnuid (ours) rather than nuid (node).
  assert.equal(a.nuid, undefined, `ours sends no nuid: ${context}`);
  assert.equal(b.tnuid, undefined, `node sends no tnuid: ${context}`);
  assert.equal(a.tnuid, b.nuid, `ours.tnuid = node.nuid: ${context}`);
  delete a.tnuid;
  delete b.nuid;

  // Deliberate difference 3 (page ping zero offsets): keys only we send, checked by the caller.
  for (const key of expect.oursOnly ?? []) {
    assert.equal(b[key], undefined, `node omits ${key}: ${context}`);
    delete a[key];
  }

  assert.deepStrictEqual(Object.keys(a).sort(), Object.keys(b).sort(), `same keys: ${context}`);
  assert.deepStrictEqual(a, b, `same decoded values: ${context}`);
}

describe("differential: igluc runtime vs @snowplow/node-tracker 4.8.0", () => {
  for (const variant of VARIANTS) {
    describe(variant.name, () => {
      for (const row of ROWS) {
        test(row.name, async () => {
          const startedAt = Date.now();
          const count = row.events ?? 1;
          const { ours, node } = await send(
            variant.encodeBase64,
            count,
            (t) => row.ours(t, ourOptions(variant)),
            (t) => row.node(t, nodeArgs(variant)),
          );
          for (let i = 0; i < count; i++) {
            const o = ours[i]!;
            const n = node[i]!;
            // The variant's encoding and context really are on the wire.
            const jsonKeys = variant.encodeBase64 ? ["ue_pr", "co"] : ["ue_px", "cx"];
            for (const key of jsonKeys) assert.equal(o[key], undefined, `ours ${key} with encodeBase64 ${String(variant.encodeBase64)}`);
            if (variant.context !== undefined) assert.ok(o[variant.encodeBase64 ? "cx" : "co"] !== undefined, "ours carries the context");
            assertEquivalent(o, n, { timestamp: variant.timestamp }, startedAt, `${variant.name} / ${row.name} #${i}`);
          }
        });
      }
    });
  }

  describe("page ping offsets of 0", () => {
    for (const encodeBase64 of [true, false]) {
      test(`encodeBase64 ${String(encodeBase64)}`, async () => {
        const startedAt = Date.now();
        const { ours, node } = await send(
          encodeBase64,
          1,
          (t) => t.trackPagePing({ pageUrl: "https://example.com/top", minX: 0, maxX: 0, minY: 0, maxY: 300 }),
          (t) => t.track(buildPagePing({ pageUrl: "https://example.com/top", minXOffset: 0, maxXOffset: 0, minYOffset: 0, maxYOffset: 300 })),
        );
        const o = ours[0]!;
        const n = node[0]!;
        // Deliberate difference 3: we keep zero offsets (a real scroll position); node drops them.
        assert.equal(o.pp_mix, "0");
        assert.equal(o.pp_max, "0");
        assert.equal(o.pp_miy, "0");
        assert.equal(o.pp_may, "300");
        assert.equal(n.pp_may, "300");
        assertEquivalent(o, n, { oursOnly: ["pp_mix", "pp_max", "pp_miy"] }, startedAt, "page ping zero offsets");
      });
    }
  });

  describe("without a subject", () => {
    for (const row of ROWS.filter((r) => r.name === "page view" || r.name === "self-describing event")) {
      test(row.name, async () => {
        const startedAt = Date.now();
        const { ours, node } = await send(
          true,
          1,
          (t) => row.ours(t, {}),
          (t) => row.node(t, { context: undefined, timestamp: undefined }),
          false,
        );
        const o = ours[0]!;
        const n = node[0]!;
        // Both default the platform to srv and send no user fields.
        assert.equal(o.p, "srv");
        assertEquivalent(o, n, {}, startedAt, `no subject / ${row.name}`);
      });
    }
  });

  test("both trackers POST to the tp2 path", () => {
    const paths = (c: Collector): string[] => [...new Set(c.requests.map((r) => `${r.method} ${r.path}`))];
    assert.deepStrictEqual(paths(oursCollector), ["POST /com.snowplowanalytics.snowplow/tp2"]);
    assert.deepStrictEqual(paths(nodeCollector), ["POST /com.snowplowanalytics.snowplow/tp2"]);
  });
});
