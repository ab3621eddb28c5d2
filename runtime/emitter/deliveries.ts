/**
 * What happens to a batch once it is taken from the store: one request (a
 * batch the collector finds too large is split in halves and sent again),
 * then the store is told (`ack` for delivered or given up, `release` for a
 * retry), the callbacks are called and the counts kept. A store operation
 * that fails is kept and tried again, so no batch is stranded in flight.
 */
import type { EventStore, StoredEvent } from "../store/event-store.js";
import type { EmitterSettings } from "./config.js";
import { RequestSender } from "./request.js";
import type { Transport } from "./transport-types.js";
import type { EmitterStats, FailureInfo, FailureReason } from "./types.js";
import { decodeEvents, ENVELOPE_BYTES, PER_EVENT_OVERHEAD } from "./wire.js";

/** What became of a batch: the events to try again, and whether close stopped it. */
export interface Sent {
  readonly retry: readonly StoredEvent[];
  readonly closed: boolean;
  /** The collector's Retry-After, in ms, when it gave one. */
  readonly retryAfterMs?: number;
}

interface Unsettled {
  readonly op: "ack" | "release";
  readonly events: readonly StoredEvent[];
}

export class Deliveries {
  readonly #s: EmitterSettings;
  readonly #store: EventStore;
  readonly #sender: RequestSender;
  readonly #onStoreFailure: () => void;
  readonly #stats = { accepted: 0, sent: 0, dropped: 0, failedRequests: 0 };
  /** Accepted events dropped since (a status not retried, close, exit), as opposed to events refused at the door. */
  #droppedAccepted = 0;
  #unsettled: Unsettled[] = [];
  #failures = 0;
  #retryAfterMs: number | undefined;
  /** Events taken from the store and not yet acknowledged or released. */
  #held = 0;

  constructor(settings: EmitterSettings, store: EventStore, transport: Transport, closing: AbortSignal, onStoreFailure: () => void) {
    this.#s = settings;
    this.#store = store;
    this.#sender = new RequestSender(settings, transport, closing);
    this.#onStoreFailure = onStoreFailure;
  }

  get held(): number {
    return this.#held;
  }

  /**
   * Events accepted and neither sent nor dropped yet. A durable store may
   * also hold events an earlier run accepted; they are counted when sent, but
   * were never accepted here, so this never goes below zero.
   */
  outstanding(): number {
    return Math.max(0, this.#stats.accepted - this.#stats.sent - this.#droppedAccepted);
  }

  stats(): EmitterStats {
    return { ...this.#stats, pending: this.outstanding() };
  }

  accepted(): void {
    this.#stats.accepted++;
  }

  /** Takes the next batch: one event for GET; for POST as many as fit in byteLimit, at most `maxEvents`. */
  async take(maxEvents: number): Promise<readonly StoredEvent[]> {
    const batch = this.#s.method === "GET"
      ? await this.#store.take(1, Number.POSITIVE_INFINITY)
      : await this.#store.take(maxEvents, this.#s.byteLimit - ENVELOPE_BYTES + 1, PER_EVENT_OVERHEAD);
    this.#held += batch.length;
    return batch;
  }

  /** Sends a batch, splitting it on 413, and settles every event in it with the store. */
  async deliver(batch: readonly StoredEvent[]): Promise<Sent> {
    if (this.#sender.oversized(batch)) {
      this.#s.logger.warn(`event of ${batch[0]!.bytes} bytes exceeds byteLimit ${this.#s.byteLimit}; sending it alone`);
    }
    const { outcome, stm, closed } = await this.#sender.send(batch);
    if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) {
      await this.#settle("ack", batch);
      this.#stats.sent += batch.length;
      this.#failures = 0;
      this.#retryAfterMs = undefined;
      const onSuccess = this.#s.onSuccess;
      if (onSuccess !== undefined) this.#callback("onSuccess", () => onSuccess(decodeEvents(batch, stm)));
      return { retry: [], closed: false };
    }
    if (closed) return { retry: batch, closed: true };
    const status = outcome.kind === "response" ? outcome.status : undefined;
    if (status === 413 && batch.length > 1) return this.#split(batch);
    this.#stats.failedRequests++;
    const willRetry = this.#s.retry.shouldRetry(status);
    const reason: FailureReason = outcome.kind === "response" ? "status" : outcome.kind === "timeout" ? "timeout" : "network";
    const error = outcome.kind === "response" ? undefined : outcome.error;
    const retryAfterMs = outcome.kind === "response" ? outcome.retryAfterMs : undefined;
    if (status === 413 && !willRetry) {
      this.#s.logger.warn(`the collector refused an event of ${batch[0]!.bytes} bytes as too large (HTTP 413); dropped`);
    } else {
      this.#s.logger.warn(
        `request of ${batch.length} event(s) failed (${status !== undefined ? `HTTP ${status}` : reason}); ${willRetry ? "will retry" : "dropped"}`,
        error === undefined ? undefined : { error: error.message },
      );
    }
    if (!willRetry) {
      await this.#settle("ack", batch);
      this.#stats.dropped += batch.length;
      this.#droppedAccepted += batch.length;
    }
    const onFailure = this.#s.onFailure;
    if (onFailure !== undefined) {
      const info: FailureInfo = {
        events: decodeEvents(batch, stm), reason, willRetry,
        ...(status !== undefined ? { status } : {}), ...(error !== undefined ? { error } : {}),
      };
      this.#callback("onFailure", () => onFailure(info));
    }
    if (!willRetry) return { retry: [], closed: false };
    return retryAfterMs === undefined ? { retry: batch, closed: false } : { retry: batch, closed: false, retryAfterMs };
  }

  /** A batch too large for the collector: each half is sent on its own, so one large event holds back nobody. */
  async #split(batch: readonly StoredEvent[]): Promise<Sent> {
    const middle = Math.ceil(batch.length / 2);
    this.#s.logger.debug(`the collector refused ${batch.length} events as too large (HTTP 413); sending them in halves`);
    const first = await this.deliver(batch.slice(0, middle));
    if (first.closed) return { retry: [...first.retry, ...batch.slice(middle)], closed: true };
    const second = await this.deliver(batch.slice(middle));
    const retryAfterMs = second.retryAfterMs ?? first.retryAfterMs;
    const retry = [...first.retry, ...second.retry];
    return retryAfterMs === undefined ? { retry, closed: second.closed } : { retry, closed: second.closed, retryAfterMs };
  }

  /** Puts events back at the head of the store for a later attempt. */
  release(events: readonly StoredEvent[]): Promise<void> {
    return this.#settle("release", events);
  }

  /** Tries again the store operations that failed; answers true when none is left. */
  async retryUnsettled(): Promise<boolean> {
    if (this.#unsettled.length === 0) return true;
    const pending = this.#unsettled;
    this.#unsettled = [];
    for (const [i, { op, events }] of pending.entries()) {
      try {
        await this.#store[op](events);
        this.#held -= events.length;
      } catch (error) {
        this.#unsettled.push(...pending.slice(i));
        this.#s.logger.warn(`event store still failing (${op} of ${events.length} event(s)); trying again later`, { error: errorText(error) });
        this.#onStoreFailure();
        return false;
      }
    }
    this.#s.logger.info("event store recovered; every batch is settled again");
    return true;
  }

  /** One more consecutive failure: answers how long to wait before the next attempt. */
  failed(retryAfterMs?: number): number {
    this.#failures++;
    this.#retryAfterMs = retryAfterMs;
    return this.#s.retry.delay(this.#failures, retryAfterMs);
  }

  /** The wait before the next attempt, as things stand. */
  nextDelay(): number {
    return this.#s.retry.delay(Math.max(1, this.#failures), this.#retryAfterMs);
  }

  /** The collector answered again: backoff starts over. */
  recovered(): void {
    this.#failures = 0;
    this.#retryAfterMs = undefined;
  }

  /** Events the browser took to deliver after the page is gone (sendBeacon): counted as sent, though no answer can come back. */
  beaconed(batch: readonly StoredEvent[], stm: number): void {
    this.#stats.sent += batch.length;
    const onSuccess = this.#s.onSuccess;
    if (onSuccess !== undefined) this.#callback("onSuccess", () => onSuccess(decodeEvents(batch, stm)));
  }

  /** Events given up without a request (close, exit): counted and reported. */
  dropped(batch: readonly StoredEvent[], reason: "closed" | "exit"): void {
    this.#droppedAccepted += batch.length;
    this.report({ events: decodeEvents(batch, undefined), reason, willRetry: false }, batch.length);
  }

  /** Counts `count` dropped events (accepted or not) and hands `info` to onFailure. */
  report(info: FailureInfo, count: number): void {
    this.#stats.dropped += count;
    const onFailure = this.#s.onFailure;
    if (onFailure !== undefined) this.#callback("onFailure", () => onFailure(info));
  }

  async #settle(op: "ack" | "release", events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.#store[op](events);
      this.#held -= events.length;
    } catch (error) {
      this.#unsettled.push({ op, events });
      this.#s.logger.warn(`event store failed to ${op} ${events.length} event(s); trying again`, { error: errorText(error) });
      this.#onStoreFailure();
    }
  }

  #callback(name: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#s.logger.error(`${name} callback threw`, { error });
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
