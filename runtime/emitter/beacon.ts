/**
 * The last send of a page: `navigator.sendBeacon` queues a request that the
 * browser delivers after the page is gone. It takes no headers but the
 * content type and at most 64 KiB, so it is used only for POST without extra
 * headers, from the in-memory store (whose events would otherwise be lost
 * with the page), a batch at a time. What a beacon refuses stays in the store.
 */
import { POST_CONTENT_TYPE } from "../protocol.js";
import type { EventStore } from "../store/event-store.js";
import { InMemoryEventStore } from "../store/in-memory.js";
import type { EmitterSettings } from "./config.js";
import type { Deliveries } from "./deliveries.js";
import { ENVELOPE_BYTES, PER_EVENT_OVERHEAD, postRequest } from "./wire.js";

/** Under the 64 KiB every beacon of a page shares. */
const BEACON_BYTES = 60 * 1024;

interface BeaconNavigator {
  sendBeacon(url: string, data: Blob): boolean;
}

/** Sends what waits by beacon; answers false when beacons do not apply here (then the caller flushes instead). */
export function beaconWaiting(settings: EmitterSettings, store: EventStore, deliveries: Deliveries): boolean {
  const navigator = (globalThis as { navigator?: Partial<BeaconNavigator> }).navigator;
  if (typeof navigator?.sendBeacon !== "function" || typeof Blob !== "function") return false;
  if (settings.method !== "POST" || Object.keys(settings.headers).length > 0) return false;
  if (!(store instanceof InMemoryEventStore)) return false;
  const byteLimit = Math.min(settings.byteLimit, BEACON_BYTES);
  for (let round = 0; round < 1_000; round++) {
    const batch = store.take(Number.MAX_SAFE_INTEGER, byteLimit - ENVELOPE_BYTES + 1, PER_EVENT_OVERHEAD);
    if (batch.length === 0) return true;
    const stm = Date.now();
    const request = postRequest(settings.basePath, batch, stm, {});
    const body = request.body as Uint8Array;
    // A copy the exact size of the body: a Blob of a view would take the whole backing array.
    const queued = body.byteLength <= BEACON_BYTES && navigator.sendBeacon(settings.origin + request.path, new Blob([body.slice()], { type: POST_CONTENT_TYPE }));
    if (!queued) {
      store.release(batch);
      return false;
    }
    store.ack(batch);
    deliveries.beaconed(batch, stm);
  }
  return true;
}
