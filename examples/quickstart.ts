/**
 * Quickstart: nothing to configure, no server to set up.
 *
 * Starts a throwaway collector on 127.0.0.1, tracks a few events with the
 * igluc runtime, flushes, and prints each event as the collector received
 * it (base64 fields decoded). Run with: npm run example
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Snowplow, Subject } from "igluc/runtime";

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

const tracker = Snowplow.createTracker({
  namespace: "quickstart",
  endpoint,
  appId: "igluc-example",
  subject: new Subject().setUserId("user-1").setLang("en-GB"),
});

const user = { schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { id: "user-1", plan: "pro" } };
tracker
  .trackPageView({ pageUrl: "https://shop.example/", pageTitle: "Home" }, { context: [user] })
  .trackLinkClick({ targetUrl: "https://shop.example/sale", elementId: "banner" })
  .trackAddToCart({ sku: "hat-7", quantity: 1, unitPrice: 19.5, currency: "EUR" }, { timestamp: { type: "true", value: Date.now() - 1_000 } })
  .trackStructEvent({ category: "checkout", action: "start", value: 0 });

await tracker.flush();
const report = await Snowplow.shutdown();
collector.close();

const decode = (value: string): unknown => JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
for (const event of received) {
  const shown: Record<string, unknown> = { ...event };
  for (const key of ["ue_px", "cx"]) if (typeof event[key] === "string") shown[key] = decode(event[key]);
  console.log(JSON.stringify(shown, null, 2));
}
console.log(`\n${received.length} events delivered to ${endpoint}; ${report.remaining} left unsent.`);
