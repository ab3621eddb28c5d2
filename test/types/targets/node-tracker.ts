/**
 * The type-level guarantees of generated-usage.ts, for the node-tracker target
 * (test/golden/targets/node-tracker): the same clean uses and the same
 * @ts-expect-error per mistake (types.test.ts checks that every mistake there
 * is here too), against @snowplow/node-tracker's published types, then this
 * target's own. Compiled by npm run typecheck and by
 * test/generator/types.test.ts under TypeScript 5 and 7, nodenext and bundler,
 * with and without exactOptionalPropertyTypes. Never executed.
 */
import { newTracker, type Timestamp, type Tracker } from "@snowplow/node-tracker";
import type { Tracker as IglucTracker } from "@igluc/runtime";
import {
  createExampleAddToCart, createFormField, createOpenPayload, createOrder, createOtherAddToCart, createProduct, createProductV1,
  createSearchResult, createUser, trackCheckoutStarted, trackContext, trackNavigation, trackReturn, trackScreen, uncheckedEntity,
  USER_SCHEMA, type CheckoutStarted, type CheckoutStartedItem, type Entity,
} from "../../golden/targets/node-tracker/index.js";

declare const tracker: Tracker;
const checkout: CheckoutStarted = { cartId: "c1", total: 12.5, currency: "EUR" };

// ---- Clean uses: all must compile.
// Mixed entities of different schemas, no type arguments.
trackCheckoutStarted(tracker, { ...checkout, coupon: null, startedAt: "2024-05-01T10:00:00Z", deliveryDate: "2024-05-03", items: [{ sku: "a", quantity: 2 }] }, {
  context: [createUser({ id: "u1", plan: null, age: null }), createProduct({ sku: "p1", price: 3 }), createProductV1({ sku: "p0" }), createOrder({ total: { amount: 1, currency: "EUR" }, buyer: { id: "u1" } })],
  timestamp: 1_700_000_000_000,
});
// A schema field named timestamp (required), context and subject: data, not options.
trackNavigation(tracker, { timestamp: 1_700_000_000_000, context: "menu", subject: null, target: "https://example.com" }, { timestamp: { type: "ttm", value: 1 } });
// A hand-written entity that matches its schema is accepted; so is an explicit unchecked one.
trackCheckoutStarted(tracker, checkout, { context: [{ schema: USER_SCHEMA, data: { id: "u2" } }, { schema: "iglu:com.example/user/jsonschema/1-0-1", data: { id: "u3", plan: "pro" } }] });
trackCheckoutStarted(tracker, checkout, { context: [uncheckedEntity({ schema: "iglu:com.other/thing/jsonschema/1-0-0", data: { anything: 1 } })] });
// Schemas named after keywords and after the options; vendor-qualified names; open objects.
trackReturn(tracker, { reason: "damaged" });
trackContext(tracker, { page: "/" });
const entities: Entity[] = [createExampleAddToCart({ sku: "s" }), createOtherAddToCart({ productId: 7 }), createOpenPayload({ source: "hook", anything: { goes: true } })];
trackScreen(tracker, { name: "home" }, { context: entities });
createSearchResult({ query: ["a"], point: [1, 2] });
createFormField({ kind: "text", mixed: "a" });

// ---- Mistakes: each must fail to compile.
// @ts-expect-error a wrong field name (typo) is an excess property
trackCheckoutStarted(tracker, { cartID: "c1", total: 1, currency: "EUR" });
// @ts-expect-error a missing required field
trackCheckoutStarted(tracker, { cartId: "c1", currency: "EUR" });
// @ts-expect-error a wrong type
trackCheckoutStarted(tracker, { cartId: "c1", total: "12.5", currency: "EUR" });
// @ts-expect-error a value outside the enum
trackCheckoutStarted(tracker, { cartId: "c1", total: 1, currency: "JPY" });
// @ts-expect-error null where the schema forbids it
trackCheckoutStarted(tracker, { cartId: null, total: 1, currency: "EUR" });
// @ts-expect-error null that the type allows but the enum does not list
createFormField({ kind: null });
// @ts-expect-error an entity built with the wrong data
createUser({ id: 1 });
// @ts-expect-error a hand-written entity whose data does not match its schema
trackCheckoutStarted(tracker, checkout, { context: [{ schema: USER_SCHEMA, data: { id: 5 } }] });
// @ts-expect-error a hand-written entity of a schema that was not generated (use uncheckedEntity)
trackCheckoutStarted(tracker, checkout, { context: [{ schema: "iglu:com.other/thing/jsonschema/1-0-0", data: {} }] });
// @ts-expect-error a date-time field takes the string that is sent, not a Date
trackCheckoutStarted(tracker, { ...checkout, startedAt: new Date() });
// @ts-expect-error a typo inside a nested exact object
trackCheckoutStarted(tracker, { ...checkout, items: [{ sku: "a", quantity: 1, qty: 2 }] });
// @ts-expect-error an item type is as exact as the array it names
const badLine: CheckoutStartedItem = { sku: "a", quantity: 1, qty: 2 };
// @ts-expect-error a required timestamp field cannot be left out because options carry one
trackNavigation(tracker, { target: "https://example.com" }, { timestamp: 1 });
// @ts-expect-error the timestamp option is a number or { type, value }
trackNavigation(tracker, { timestamp: 1, target: "x" }, { timestamp: "now" });
// @ts-expect-error minProperties 1: a screen needs a name or an id
trackScreen(tracker, {});
// @ts-expect-error a two-number tuple
createSearchResult({ query: "q", point: [1, 2, 3] });
// @ts-expect-error minItems 1
createSearchResult({ query: [] });
// @ts-expect-error the latest model requires a price; the older model is a separate type (createProductV1)
createProduct({ sku: "p" });
// @ts-expect-error vendor-qualified names keep each vendor's shape
createOtherAddToCart({ sku: "s" });

// ---- This target's own.
// The tracker newTracker makes, and anything with its track; the options are the tracker's, null where it takes null.
const sent: Timestamp = { type: "ttm", value: 1 };
trackCheckoutStarted(newTracker({ namespace: "ns", appId: "app" }, { endpoint: "collector.example.com" }), checkout, { context: null, timestamp: sent });
trackCheckoutStarted({ track: () => undefined }, checkout, { timestamp: null });
declare const igluc: IglucTracker;
// @ts-expect-error igluc's own Tracker is not a node tracker
trackCheckoutStarted(igluc, checkout);
// @ts-expect-error the timestamp type is the tracker's: igluc's { type: "true" } is not one
trackCheckoutStarted(tracker, checkout, { timestamp: { type: "true", value: 1 } });
// @ts-expect-error the tracker comes first
trackCheckoutStarted(checkout, tracker);
// @ts-expect-error an option the tracker does not take
trackCheckoutStarted(tracker, checkout, { trackers: ["sp"] });
