/**
 * Adapter for the official @snowplow/node-tracker, used by bench/client.mjs.
 * Its defaults, except bufferSize 10 (the in-memory store then holds 1,000
 * events and drops the oldest beyond that; requests go one at a time and are
 * filled up to maxPostBytes 40,000). Same event shape as bench/client-igluc.mjs.
 */
import { newTracker, buildSelfDescribingEvent } from "@snowplow/node-tracker";

export const name = "node";

/** @param {{ port: number }} options */
export function create({ port }) {
  const t = newTracker(
    { namespace: "bench", appId: "bench" },
    { endpoint: "127.0.0.1", port, protocol: "http", eventMethod: "post", bufferSize: 10 },
  );

  return {
    config: { store: "newInMemoryEventStore default (maxSize 1000)", bufferSize: 10, maxPostBytes: "40000 (default)" },
    track() {
      t.track(
        buildSelfDescribingEvent({ event: { schema: "iglu:com.acme/viewed_product/jsonschema/1-0-0", data: { price: 20, sku: "abc" } } }),
        [{ schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { type: "tester" } }],
      );
    },
    pending: undefined,
    capacity: undefined,
    // Resolves at once if a flush is already running: the parent polls the collector instead.
    flush: () => t.flush(),
    stats: undefined,
    async close() {
      await t.flush();
      return undefined;
    },
  };
}
