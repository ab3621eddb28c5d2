/**
 * Type-level guarantees of the runtime API, checked by `tsc` (npm run
 * typecheck): each @ts-expect-error line must be an error, or tsc fails.
 * Never executed.
 */
import { Emitter, InMemoryEventStore, Snowplow, Subject, Tracker, type EventStore, type SelfDescribingJson, type TrackerEmitter } from "../../runtime/node.js";

declare const t: Tracker;

// Calls that must compile.
t.trackPageView({ pageUrl: "u" }).trackStructEvent({ category: "c", action: "a", value: 0 });
t.trackScreenView({ name: "home" });
t.trackScreenView({ id: "s1" });
t.trackLinkClick({ targetUrl: "u" }, { context: [{ schema: "iglu:a/b/jsonschema/1-0-0", data: { x: 1 } }], timestamp: { type: "true", value: 1 } });
t.trackFormChange({ formId: "f", elementId: "e", nodeName: "INPUT", value: null });
t.trackSiteSearch({ terms: ["a"] });
t.trackMobileScreenView({ name: "home" });
t.trackMobileScreenView({ name: "home", id: "2b2f0bd6-7c4a-4bd7-9a8a-0e3a1a1f7f00", previousName: "start", transitionType: "push" });
new Subject().setUserId("").setUserId(null).setColorDepth(null).setScreenResolution(null).setPlatform(null);
new Emitter({ endpoint: "c.example", flushOnExit: false });
new Emitter({ endpoint: "c.example", flushOnExit: { timeoutMs: 1_000 } });
t.trackPageView({ pageUrl: "u", pageTitle: undefined }, { context: undefined, timestamp: undefined, subject: undefined });
const entity: SelfDescribingJson<"iglu:com.acme/user/jsonschema/1-0-0", { id: string }> = { schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { id: "u" } };
t.trackPageView({ pageUrl: "u" }, { context: [entity] });
const store: EventStore = new InMemoryEventStore({ capacity: 10 });
const emitter: TrackerEmitter = new Emitter({ endpoint: "c.example", eventStore: store, customRetryCodes: { 500: false }, retry: false });
new Tracker({ namespace: "n", emitters: [emitter, { input() {}, flush() {} }] });
Snowplow.createTracker({ namespace: "n", endpoint: "c.example", trackerConfig: { encodeBase64: true, jsonEncoder: (v) => v }, emitterConfig: { batchSize: 10, byteLimit: 40_000 } });

// Misuse that must not compile.
// @ts-expect-error pageUrl is required
t.trackPageView({ pageTitle: "t" });
// @ts-expect-error a typo is an excess property
t.trackPageView({ pageUrl: "u", pageTitel: "t" });
// @ts-expect-error targetUrl is required
t.trackLinkClick({ elementId: "e" });
// @ts-expect-error a screen view needs a name or an id
t.trackScreenView({});
// @ts-expect-error nodeName is an enum
t.trackFormChange({ formId: "f", elementId: "e", nodeName: "DIV", value: "v" });
// @ts-expect-error change_form's type enum does not include null
t.trackFormChange({ formId: "f", elementId: "e", nodeName: "INPUT", value: "v", type: null });
// @ts-expect-error site search needs at least one term
t.trackSiteSearch({ terms: [] });
// @ts-expect-error quantity is a number
t.trackAddToCart({ sku: "s", quantity: "1" });
// @ts-expect-error the timestamp type is "true" or "device"
t.trackPageView({ pageUrl: "u" }, { timestamp: { type: "ttm", value: 1 } });
// @ts-expect-error context is an array of self-describing JSON
t.trackPageView({ pageUrl: "u" }, { context: { schema: "iglu:a/b/jsonschema/1-0-0", data: {} } });
// @ts-expect-error items are required on a transaction
t.trackEcommerceTransaction({ orderId: "o", totalValue: 1 });
// @ts-expect-error a mobile screen view needs a name
t.trackMobileScreenView({ id: "2b2f0bd6-7c4a-4bd7-9a8a-0e3a1a1f7f00" });
// @ts-expect-error a typo in a mobile screen view is an excess property
t.trackMobileScreenView({ name: "home", previous_name: "start" });
// @ts-expect-error flushOnExit takes a deadline object, not a number
new Emitter({ endpoint: "c.example", flushOnExit: 1_000 });
// @ts-expect-error platform must be one enrich accepts
new Subject().setPlatform("desktop");
// @ts-expect-error method is get or post
new Emitter({ endpoint: "c.example", method: "put" });
// @ts-expect-error namespace is required
new Tracker({ emitters: emitter });
// @ts-expect-error endpoint is required
Snowplow.createTracker({ namespace: "n" });
