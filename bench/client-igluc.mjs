/**
 * Adapter for our tracker (@igluc/runtime, built into runtime/dist/), used by bench/client.mjs.
 * Same event shape as bench/client-node.mjs.
 */
import { Tracker, Emitter, InMemoryEventStore } from "@igluc/runtime";

export const name = "igluc";

/**
 * @param {{ port: number, capacity: number, batchSize: number, maxConcurrentRequests: number }} options
 */
export function create({ port, capacity, batchSize, maxConcurrentRequests }) {
  const emitter = new Emitter({
    endpoint: `http://127.0.0.1:${port}`,
    method: "post",
    batchSize,
    byteLimit: 40_000,
    eventStore: new InMemoryEventStore({ capacity }),
    logger: "silent",
    maxConcurrentRequests,
  });
  const tracker = new Tracker({ namespace: "bench", appId: "bench", emitters: emitter, logger: "silent" });

  return {
    config: { store: `InMemoryEventStore capacity ${capacity}`, batchSize, byteLimit: 40_000, maxConcurrentRequests },
    track() {
      tracker.trackSelfDescribingEvent(
        { schema: "iglu:com.acme/viewed_product/jsonschema/1-0-0", data: { price: 20, sku: "abc" } },
        { context: [{ schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { type: "tester" } }] },
      );
    },
    /** Events the store still holds (waiting or in flight), for pacing against its capacity. */
    pending() {
      const s = emitter.stats();
      return s.accepted - s.sent - s.dropped;
    },
    capacity,
    flush: () => tracker.flush(),
    stats: () => emitter.stats(),
    async close() {
      return tracker.close({ timeoutMs: 5000 });
    },
  };
}
