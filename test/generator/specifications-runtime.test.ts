/**
 * The specifications' functions at run time (test/golden/plan, from
 * test/fixtures/plans/ecommerce.yaml, igluc target), through the runtime's
 * real Tracker: the event carries its fixed values, the entities built from
 * the data given (in the plan's order), the caller's other entities where
 * allowed, and the event_specification entity; the TypeScript, JavaScript
 * and single-file outputs send the same.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Tracker } from "@igluc/runtime";
import * as js from "../golden/plan/igluc-js/index.js";
import * as single from "../golden/plan/igluc-single/index.js";
import * as ts from "../golden/plan/igluc/index.js";

const CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0";
const ECOMMERCE = "iglu:com.snowplowanalytics.snowplow.ecommerce";
const SPEC = "iglu:com.snowplowanalytics.snowplow/event_specification/jsonschema/1-0-3";
const PRODUCT = { web: "Web shop", id: "5a0c6d1e-8f2b-4c3d-9e4f-1a2b3c4d5e6f", domain: "E-commerce" };

/** A real Tracker whose emitter keeps the payloads it is given. */
function capturingTracker(): { tracker: Tracker; payloads: Record<string, string>[] } {
  const payloads: Record<string, string>[] = [];
  const tracker = new Tracker({
    namespace: "plan", encodeBase64: false, logger: "silent",
    emitters: [{ input: (payload: Record<string, string>) => { payloads.push(payload); }, flush: () => undefined }],
  });
  return { tracker, payloads };
}

const shirt: ts.Product = { id: "p1", category: "shirts", price: 20, currency: "EUR" };
const socks: ts.Product = { id: "p2", category: "socks", price: 5, currency: "EUR" };
const cart: ts.Cart = { total_value: 25, currency: "EUR" };
const spec = (id: string, name: string): unknown => ({ schema: SPEC, data: { id, name, data_product_id: PRODUCT.id, data_product_name: PRODUCT.web, data_product_domain: PRODUCT.domain } });

/** What each output sends for the same calls. */
async function sent(sdk: typeof ts): Promise<{ event: unknown; entities: unknown; timestamp: string | undefined }[]> {
  const { tracker, payloads } = capturingTracker();
  sdk.trackAddToCart(tracker, {}, { entities: { user: { id: "u1" }, cart, product: [shirt, socks] }, timestamp: 1_700_000_000_000 });
  sdk.trackSearch(tracker, { terms: ["shirt"] });
  sdk.trackPurchase(tracker, {}, {
    entities: { transaction: { transaction_id: "t1", revenue: 25, currency: "EUR", payment_method: "card", total_quantity: 2 }, product: [shirt] },
    context: [sdk.uncheckedEntity({ schema: "iglu:com.acme/basket_id/jsonschema/1-0-0", data: { id: "b1" } })],
  });
  await tracker.close();
  return payloads.map((p) => ({ event: JSON.parse(p.ue_pr!).data, entities: JSON.parse(p.co!), timestamp: p.dtm }));
}

test("a specification's function sends its event with the fixed values, its entities in the plan's order, others where allowed, and the event_specification entity", async () => {
  const [addToCart, search, purchase] = await sent(ts);
  assert.deepEqual(addToCart, {
    event: { schema: `${ECOMMERCE}/snowplow_ecommerce_action/jsonschema/1-0-2`, data: { type: "add_to_cart" } },
    entities: { schema: CONTEXTS, data: [
      { schema: `${ECOMMERCE}/product/jsonschema/1-0-0`, data: shirt }, { schema: `${ECOMMERCE}/product/jsonschema/1-0-0`, data: socks },
      { schema: `${ECOMMERCE}/cart/jsonschema/1-0-0`, data: cart }, { schema: `${ECOMMERCE}/user/jsonschema/1-0-0`, data: { id: "u1" } },
      spec("1b7e2d48-2e1f-4d3b-9b9f-8c2a1f3e4d5b", "Add to cart"),
    ] },
    timestamp: "1700000000000",
  });
  assert.deepEqual(search!.entities, { schema: CONTEXTS, data: [spec("71d483ae-8475-4d91-91a5-e2807f9eadb1", "Search")] }, "no options: only the specification's entity");
  assert.deepEqual((purchase!.entities as { data: { schema: string }[] }).data.map((e) => e.schema), [
    `${ECOMMERCE}/transaction/jsonschema/1-0-0`, `${ECOMMERCE}/product/jsonschema/1-0-0`, "iglu:com.acme/basket_id/jsonschema/1-0-0", SPEC,
  ]);
});

test("the JavaScript and single-file outputs send the same", async () => {
  // The events tracked without a timestamp have the time they were tracked at.
  const sameness = async (sdk: typeof ts): Promise<unknown[]> => (await sent(sdk)).map(({ event, entities }) => ({ event, entities }));
  const expected = await sameness(ts);
  assert.deepEqual(await sameness(js as unknown as typeof ts), expected);
  assert.deepEqual(await sameness(single as unknown as typeof ts), expected);
});
