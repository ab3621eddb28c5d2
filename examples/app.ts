/**
 * The example app: typed tracking generated from examples/registry.
 *
 * `npm run example` first runs `igluc generate` (examples/igluc.config.json:
 * examples/registry and examples/tracking-plan.yaml → examples/tracking), then this file. It starts a
 * throwaway collector on 127.0.0.1, tracks typed events through the generated
 * functions, and prints each event as the collector received it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Snowplow, Subject } from "@igluc/runtime";
import { createProduct, createUser, trackCheckoutInEuros, trackCheckoutStarted } from "./tracking/index.js";

const received: Record<string, string>[] = [];
const collector = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => { body += chunk.toString("utf8"); });
  req.on("end", () => {
    if (req.method === "POST") received.push(...(JSON.parse(body) as { data: Record<string, string>[] }).data);
    res.end("ok");
  });
});
await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;

const tracker = Snowplow.createTracker({ namespace: "shop", endpoint, appId: "example-shop", subject: new Subject().setUserId("user-1") });

// Typed: a misspelt field, a missing cartId, currency "JPY" or a wrong entity fail to compile.
trackCheckoutStarted(tracker, { cartId: "c-42", total: 27.5, currency: "EUR", coupon: null }, {
  context: [createUser({ id: "user-1", plan: "plus" }), createProduct({ sku: "hat-7", quantity: 1, unitPrice: 19.5 }), createProduct({ sku: "sock-2", quantity: 2, unitPrice: 4 })],
});
// The tracking plan's "Checkout in euros": one user and at least one product, no other entity, currency EUR.
// Leaving out the user, an empty product list, another entity or currency "USD" fail to compile.
trackCheckoutInEuros(tracker, { cartId: "c-43", total: 8 }, {
  entities: { user: { id: "user-1" }, products: [{ sku: "sock-2", quantity: 2, unitPrice: 4 }] },
});
tracker.trackPageView({ pageUrl: "https://shop.example/checkout", pageTitle: "Checkout" });

await Snowplow.shutdown();
collector.close();

const decode = (value: string): unknown => JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
for (const event of received) {
  const shown: Record<string, unknown> = { ...event };
  for (const key of ["ue_px", "cx"]) if (typeof event[key] === "string") shown[key] = decode(event[key]);
  console.log(JSON.stringify(shown, null, 2));
}
console.log(`\n${received.length} events delivered to the collector at ${endpoint}.`);
