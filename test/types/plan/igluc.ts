/**
 * Type-level guarantees of the event specifications' functions
 * (test/golden/plan/igluc, generated from test/fixtures/plans/ecommerce.yaml):
 * clean uses that must compile, and one @ts-expect-error per rule of a
 * specification. The same uses for each target are in the files beside this
 * one (types.test.ts checks they list the same mistakes). Checked by npm run
 * typecheck and by test/generator/types.test.ts under TypeScript 5 and 7,
 * with and without exactOptionalPropertyTypes; which error each mistake is
 * is checked there too (its MESSAGES). Never executed.
 */
import type { Tracker } from "@igluc/runtime";
import {
  createUser, trackAddToCart, trackCheckoutProgress, trackProductListView, trackProductView, trackPromotionInteraction, trackPurchase,
  trackRemoveFromCart, trackSearch, uncheckedEntity, type AddToCartEntities, type Cart, type Product,
} from "../../golden/plan/igluc/index.js";

declare const tracker: Tracker;
const shirt: Product = { id: "p1", category: "shirts", price: 20, currency: "EUR" };
const socks: Product = { id: "p2", category: "socks", price: 5, currency: "EUR" };
const cart: Cart = { total_value: 25, currency: "EUR" };
declare const more: Product[];

// ---- Clean uses: all must compile.
// Exactly one: a value, not a list; optional ones may be left out; the fixed type may be left out or given as it is.
trackProductView(tracker, {}, { entities: { product: shirt } });
trackProductView(tracker, { type: "product_view" }, { entities: { product: shirt, page: { type: "product_page" }, user: { id: "u1" } }, timestamp: 1_700_000_000_000 });
// One or more: a non-empty list (a list literal, or one element and a spread).
trackAddToCart(tracker, {}, { entities: { product: [shirt, socks], cart } });
trackRemoveFromCart(tracker, {}, { entities: { product: [shirt, ...more], cart } });
const entities: AddToCartEntities = { product: [socks], cart, user: { id: "u1", is_guest: null } };
trackAddToCart(tracker, { name: null }, { entities });
trackCheckoutProgress(tracker, {}, { entities: { step: { step: 2 }, user: { id: "u1" } } });
// additionalEntities: other entities go in context, generated or unchecked.
trackPurchase(tracker, {}, {
  entities: { transaction: { transaction_id: "t1", revenue: 25, currency: "EUR", payment_method: "card", total_quantity: 2 }, product: [shirt, socks] },
  context: [createUser({ id: "u1" }), uncheckedEntity({ schema: "iglu:com.acme/basket_id/jsonschema/1-0-0", data: { id: "b1" } })],
});
// One of the listed values.
trackPromotionInteraction(tracker, { type: "promo_view" }, { entities: { promotion: { id: "summer" } } });
trackPromotionInteraction(tracker, { type: "promo_click" }, { entities: { promotion: { id: "summer", slot: "hero" } } });
// One to four: each length.
trackProductListView(tracker, {}, { entities: { product: [shirt] } });
trackProductListView(tracker, { name: "Shirts" }, { entities: { product: [shirt, socks, shirt, socks] } });
// Nothing required: no options at all, or only some entities.
trackSearch(tracker, { terms: ["shirt"] });
trackSearch(tracker, { terms: ["shirt"], totalResults: 2 }, { entities: { product: [shirt, socks], page: { id: "0f1e2d3c" } }, context: [createUser({ id: "u1" })] });
trackSearch(tracker, { terms: ["shirt"] }, { entities: {} });

// ---- Mistakes: each line must be a compile error, for the reason given.
// @ts-expect-error a required entity is missing
trackAddToCart(tracker, {}, { entities: { product: [shirt] } });
// @ts-expect-error entities are missing where one is required
trackAddToCart(tracker, {});
// @ts-expect-error too many of an entity
trackProductListView(tracker, {}, { entities: { product: [shirt, socks, shirt, socks, shirt] } });
// @ts-expect-error too few of an entity
trackAddToCart(tracker, {}, { entities: { product: [], cart } });
// @ts-expect-error a list where exactly one is allowed
trackProductView(tracker, {}, { entities: { product: [shirt] } });
// @ts-expect-error an entity the specification does not list
trackAddToCart(tracker, {}, { entities: { product: [shirt], cart, promotion: { id: "summer" } } });
// @ts-expect-error context where the specification allows no other entities
trackAddToCart(tracker, {}, { entities: { product: [shirt], cart }, context: [createUser({ id: "u1" })] });
// @ts-expect-error a fixed property with another value
trackAddToCart(tracker, { type: "remove_from_cart" }, { entities: { product: [shirt], cart } });
// @ts-expect-error a value outside the listed ones
trackPromotionInteraction(tracker, { type: "add_to_cart" }, { entities: { promotion: { id: "summer" } } });
// @ts-expect-error an entity's data that does not match its schema
trackAddToCart(tracker, {}, { entities: { product: [{ id: "p3" }], cart } });
