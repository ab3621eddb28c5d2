/**
 * Taking events in: each goes to the store, which answers at once (the
 * in-memory store) or later (a store across the network, whose answers are
 * awaited by flush and close). An event the store refuses, or that comes
 * after close, is counted, reported to onFailure and logged: once when
 * refusing starts, once with the total when it ends.
 */
import type { Payload } from "../protocol.js";
import type { EventStore } from "../store/event-store.js";
import type { EmitterSettings } from "./config.js";
import type { Deliveries } from "./deliveries.js";
import type { FailureReason } from "./types.js";

type Refusal = "store-full" | "store-unavailable" | "closed";

export class Intake {
  readonly #s: EmitterSettings;
  readonly #store: EventStore;
  readonly #deliveries: Deliveries;
  readonly #onAccepted: () => void;
  /** Store adds not yet answered. */
  readonly #adds = new Set<Promise<void>>();
  /** Per reason, events refused since the episode began. */
  readonly #episodes = new Map<FailureReason, number>();

  constructor(settings: EmitterSettings, store: EventStore, deliveries: Deliveries, onAccepted: () => void) {
    this.#s = settings;
    this.#store = store;
    this.#deliveries = deliveries;
    this.#onAccepted = onAccepted;
  }

  /** Adds handed to the store and not answered yet. */
  get waiting(): number {
    return this.#adds.size;
  }

  /** Resolves when every add handed to the store so far has been answered. */
  answered(): Promise<unknown> {
    return Promise.all([...this.#adds]);
  }

  /** `payload` is only needed to report a refused event, so it is made on demand. */
  accept(body: string, payload: () => Payload, closed: boolean): void {
    if (closed) {
      this.refuse([payload()], "closed", "emitter is closed; event dropped");
      return;
    }
    let added: boolean | Promise<boolean>;
    try {
      added = this.#store.add(body);
    } catch (error) {
      this.refuse([payload()], "store-unavailable", "event store could not take the event", error);
      return;
    }
    if (added === true) this.#accepted();
    else if (added === false) this.refuse([payload()], "store-full", "event store is full");
    else {
      const settled = added.then(
        (ok) => (ok ? this.#accepted() : this.refuse([payload()], "store-full", "event store is full")),
        (error: unknown) => this.refuse([payload()], "store-unavailable", "event store could not take the event", error),
      );
      this.#adds.add(settled);
      void settled.finally(() => this.#adds.delete(settled));
    }
  }

  refuse(events: readonly Payload[], reason: Refusal, message: string, error?: unknown): void {
    const count = this.#episodes.get(reason) ?? 0;
    if (count === 0 || (reason === "closed" && count % 1000 === 0)) {
      const text = reason === "closed" ? message : `${message}; dropping new events until it can take them again`;
      this.#s.logger.warn(text, error === undefined ? undefined : { error: error instanceof Error ? error.message : String(error) });
    }
    this.#episodes.set(reason, count + events.length);
    this.#deliveries.report({ events, reason, willRetry: false, ...(error instanceof Error ? { error } : {}) }, events.length);
  }

  #accepted(): void {
    this.#deliveries.accepted();
    this.#endEpisode("store-full", "were dropped while the event store was full");
    this.#endEpisode("store-unavailable", "were dropped while the event store could not take events");
    this.#onAccepted();
  }

  #endEpisode(reason: FailureReason, what: string): void {
    const count = this.#episodes.get(reason) ?? 0;
    if (count === 0) return;
    this.#s.logger.warn(`${count} event(s) ${what}`);
    this.#episodes.delete(reason);
  }
}
