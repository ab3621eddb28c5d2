/**
 * The emitter: buffers events in an event store and delivers them to a
 * collector in batches, with bounded concurrency, retries with backoff, and
 * callbacks. It never throws into the host because of the network: every
 * failure is reported through `onFailure` and the logger.
 */
import { resolveLogger, type Logger, type LogLevel } from "../logger.js";
import type { Payload } from "../protocol.js";
import type { EventStore, StoredEvent } from "../store/event-store.js";
import type { Dispatcher } from "undici";
import { InMemoryEventStore } from "../store/in-memory.js";
import { parseEndpoint } from "./endpoint.js";
import { createRetryPolicy, type RetryOptions, type RetryPolicy } from "./retry.js";
import { createUndiciTransport } from "./transport.js";
import type { HttpOutcome, Transport } from "./transport-types.js";
import { decodeEvents, ENVELOPE_BYTES, getRequest, PER_EVENT_OVERHEAD, postRequest } from "./wire.js";

/** Why events were handed to `onFailure`. */
export type FailureReason = "status" | "network" | "timeout" | "store-full" | "closed";

export interface FailureInfo {
  /** The events concerned, as they were (or would have been) sent. */
  readonly events: readonly Payload[];
  /** The collector's HTTP status, when it answered. */
  readonly status?: number;
  readonly reason: FailureReason;
  /** True when the events went back to the store and will be sent again. */
  readonly willRetry: boolean;
  readonly error?: Error;
}

export interface EmitterConfig {
  /** Collector host or URL; a bare host means https on 443. Required. */
  endpoint: string;
  /** @defaultValue "post" */
  method?: "get" | "post";
  /** Scheme for a bare-host endpoint. @defaultValue "https" */
  protocol?: "http" | "https";
  /** Port for an endpoint that names none. */
  port?: number;
  /**
   * How many events must wait before a request is sent (as the Python tracker's
   * batch_size); each POST then carries every waiting event that fits in
   * byteLimit. @defaultValue 10 for POST, 1 for GET (one event per GET request)
   */
  batchSize?: number;
  /** Largest POST body in bytes; a single larger event is sent alone, with a warning. @defaultValue 40_000 */
  byteLimit?: number;
  /** Ms to wait for the collector's response headers, and then for its body. @defaultValue 5_000 */
  requestTimeout?: number;
  /** Requests in flight at once. @defaultValue 4 */
  maxConcurrentRequests?: number;
  /** Per-status retry decisions overriding the defaults (400, 401, 403, 410, 422 are not retried; other failures are). */
  customRetryCodes?: Readonly<Record<number, boolean>>;
  /** Backoff settings, or `false` to never retry (not even network errors). */
  retry?: false | RetryOptions;
  /** Where events wait. @defaultValue new InMemoryEventStore({ capacity: 10_000 }) */
  eventStore?: EventStore;
  /**
   * Ms between automatic flushes of a partial batch, so a lone event does not
   * wait for the batch to fill; `0` turns it off. @defaultValue 1_000
   */
  flushInterval?: number;
  /** Called after each successful request with the events it carried. */
  onSuccess?: (events: readonly Payload[]) => void;
  /** Called after each failed request, and for events dropped because the store was full. */
  onFailure?: (failure: FailureInfo) => void;
  /** A Logger, or a level for the console logger. @defaultValue "warn" */
  logger?: Logger | LogLevel;
  /** Extra request headers, e.g. `{ "SP-Anonymous": "*" }`. */
  headers?: Readonly<Record<string, string>>;
  /** Send through this instead of undici (tests, proxies). */
  transport?: Transport;
  /**
   * An undici Dispatcher (an Agent, a ProxyAgent…) for the default transport.
   * Typed loosely so the runtime's declarations need no undici types.
   */
  dispatcher?: object;
}

export interface CloseOptions {
  /** How long to keep trying to send what is left, in ms. @defaultValue 5_000 */
  timeoutMs?: number;
}

export interface CloseReport {
  /** Events still in the store (or in flight) when the deadline passed. */
  readonly remaining: number;
  /** True when the deadline passed before everything was sent. */
  readonly timedOut: boolean;
}

export interface EmitterStats {
  /** Events accepted into the store. */
  readonly accepted: number;
  /** Events the collector acknowledged. */
  readonly sent: number;
  /** Events dropped: store full, emitter closed, or a status that is not retried. */
  readonly dropped: number;
  /** Requests that failed (each retryable failure counts once). */
  readonly failedRequests: number;
}

/** Anything the tracker can hand events to. */
export interface TrackerEmitter {
  /**
   * Takes one event. `json` is the payload already serialised
   * (`JSON.stringify(payload)` up to key order), for emitters that can use it.
   */
  input(payload: Payload, json?: string): unknown;
  flush(): unknown;
  close?(options?: CloseOptions): Promise<CloseReport>;
}

type Outcome = "sent" | "retry" | "dropped" | "aborted";

/**
 * Internal: how the tracker hands an event to an Emitter as JSON alone, so no
 * payload object is built for it. Not part of the public API.
 */
export const INPUT_JSON: unique symbol = Symbol("igluc.emitter.inputJson");

export class Emitter implements TrackerEmitter {
  readonly #store: EventStore;
  readonly #transport: Transport;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #method: "GET" | "POST";
  readonly #basePath: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #batchSize: number;
  readonly #byteLimit: number;
  readonly #maxConcurrent: number;
  readonly #onSuccess: ((events: readonly Payload[]) => void) | undefined;
  readonly #onFailure: ((failure: FailureInfo) => void) | undefined;
  readonly #abort = new AbortController();
  readonly #inFlight = new Set<Promise<Outcome>>();
  #slotWaiters: (() => void)[] = [];
  /** POST body buffers of byteLimit bytes, reused once their request has settled (one per concurrent request). */
  readonly #spareBodies: Buffer[] = [];
  #failures = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #pumping = false;
  #pumpAgain = false;
  #partialWanted = false;
  #passes: Promise<void> = Promise.resolve();
  #closed = false;
  /** Events dropped since the store was last found full; logged once, then summed up. */
  #droppedInEpisode = 0;
  #stats = { accepted: 0, sent: 0, dropped: 0, failedRequests: 0 };

  constructor(config: EmitterConfig) {
    const address = parseEndpoint(config.endpoint, config.protocol, config.port);
    const method = config.method ?? "post";
    if (method !== "get" && method !== "post") throw new TypeError(`Emitter: method must be "get" or "post", got "${String(method)}"`);
    this.#method = method === "get" ? "GET" : "POST";
    this.#basePath = address.basePath;
    this.#batchSize = positiveInt("batchSize", config.batchSize ?? (method === "get" ? 1 : 10));
    this.#byteLimit = positiveInt("byteLimit", config.byteLimit ?? 40_000);
    this.#maxConcurrent = positiveInt("maxConcurrentRequests", config.maxConcurrentRequests ?? 4);
    const timeout = positiveInt("requestTimeout", config.requestTimeout ?? 5_000);
    this.#retry = createRetryPolicy(config.retry, config.customRetryCodes);
    this.#store = config.eventStore ?? new InMemoryEventStore();
    this.#logger = resolveLogger(config.logger);
    this.#headers = { ...config.headers };
    this.#onSuccess = config.onSuccess;
    this.#onFailure = config.onFailure;
    this.#transport = config.transport ?? createUndiciTransport({
      origin: address.origin, connections: this.#maxConcurrent, timeout, dispatcher: config.dispatcher as Dispatcher | undefined,
    });
    const interval = config.flushInterval ?? 1_000;
    if (interval > 0) this.setFlushTimer(interval);
    else if (interval !== 0) throw new TypeError(`Emitter: flushInterval must be >= 0, got ${String(interval)}`);
  }

  /** Accepts one event. Never throws because of the store or the network. */
  input(payload: Payload, json?: string): void {
    let body: string;
    try {
      body = json ?? JSON.stringify(payload);
    } catch (error) {
      this.#logger.error("event could not be serialised and was dropped", { error });
      return;
    }
    this.#accept(body, () => payload);
  }

  /** The tracker's way in: the event as JSON only (see INPUT_JSON). */
  [INPUT_JSON](json: string): void {
    this.#accept(json, () => JSON.parse(json) as Payload);
  }

  /** `payload` is only needed to report a dropped event, so it is made on demand. */
  #accept(body: string, payload: () => Payload): void {
    if (this.#closed) {
      this.#drop([payload()], "closed", "emitter is closed; event dropped");
      return;
    }
    let added: boolean | Promise<boolean>;
    try {
      added = this.#store.add(body);
    } catch (error) {
      added = Promise.reject(error);
    }
    if (added === true) this.#accepted();
    else if (added === false) this.#drop([payload()], "store-full", "event store is full");
    else {
      added.then(
        (ok) => (ok ? this.#accepted() : this.#drop([payload()], "store-full", "event store is full")),
        (error: unknown) => this.#drop([payload()], "store-full", "event store refused the event", error),
      );
    }
  }

  /**
   * Sends every event waiting now, each at least once, and resolves when each
   * of them, and every request already in flight, has been sent or handed to
   * `onFailure`. Never rejects.
   */
  flush(): Promise<void> {
    const inFlight = [...this.#inFlight];
    const pass = this.#passes.then(() => this.#drainPass());
    this.#passes = pass;
    return Promise.all([pass, ...inFlight]).then(() => undefined, (error: unknown) => {
      this.#logger.error("flush failed", { error });
    });
  }

  /** Flushes a partial batch every `ms` milliseconds (the timer never keeps the process alive). */
  setFlushTimer(ms: number): void {
    positiveInt("setFlushTimer", ms);
    this.cancelFlushTimer();
    this.#flushTimer = setInterval(() => this.#wake(true), ms);
    this.#flushTimer.unref();
  }

  cancelFlushTimer(): void {
    if (this.#flushTimer !== undefined) clearInterval(this.#flushTimer);
    this.#flushTimer = undefined;
  }

  /**
   * Flushes within a deadline, then stops timers, aborts what is still in
   * flight and releases connections. What was not sent stays in the store
   * (and is lost with it, for the in-memory store) and is reported.
   */
  async close(options: CloseOptions = {}): Promise<CloseReport> {
    const timeoutMs = options.timeoutMs ?? 5_000;
    this.cancelFlushTimer();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<true>((resolve) => { timer = setTimeout(() => resolve(true), timeoutMs); });
    const timedOut = await Promise.race([this.flush().then(() => false as const), deadline]);
    clearTimeout(timer);
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#abort.abort();
    await Promise.allSettled([...this.#inFlight]);
    await this.#passes.catch(() => undefined);
    await this.#transport.close();
    let remaining = 0;
    try {
      remaining = await this.#store.size();
    } catch (error) {
      this.#logger.error("event store could not be read while closing", { error });
    }
    if (remaining > 0) {
      this.#logger.warn(`${remaining} event(s) not sent before the close deadline (${timeoutMs} ms); they remain in the event store`);
    }
    try {
      await this.#store.close?.();
    } catch (error) {
      this.#logger.error("event store could not be closed", { error });
    }
    return { remaining, timedOut: timedOut || remaining > 0 };
  }

  stats(): EmitterStats {
    return { ...this.#stats };
  }

  #accepted(): void {
    this.#stats.accepted++;
    if (this.#droppedInEpisode > 0) {
      this.#logger.warn(`${this.#droppedInEpisode} event(s) were dropped while the event store was full`);
      this.#droppedInEpisode = 0;
    }
    if (!this.#pumping) this.#wake(false);
  }

  /** Starts (or re-runs) the background pump; `partial` also sends batches that are not full. */
  #wake(partial: boolean): void {
    if (partial) this.#partialWanted = true;
    if (this.#closed) return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    queueMicrotask(() => void this.#pump());
  }

  async #pump(): Promise<void> {
    try {
      do {
        this.#pumpAgain = false;
        while (!this.#closed && this.#retryTimer === undefined && this.#inFlight.size < this.#maxConcurrent) {
          const waiting = await this.#store.size();
          if (waiting === 0) {
            this.#partialWanted = false;
            break;
          }
          if (waiting < this.#batchSize && !this.#partialWanted) break;
          const batch = await this.#take(Number.MAX_SAFE_INTEGER);
          if (batch.length === 0) break;
          void this.#launch(batch, "release");
        }
      } while (this.#pumpAgain);
    } catch (error) {
      this.#logger.error("event store failed; delivery will be tried again", { error });
    } finally {
      this.#pumping = false;
    }
  }

  /**
   * One flush: takes what waits now, at most once each, and sends it using
   * the shared request slots. Failures are held back until the pass ends, so
   * the pass never picks them up twice, then go back to the store.
   */
  async #drainPass(): Promise<void> {
    let remaining: number;
    try {
      remaining = await this.#store.size();
    } catch (error) {
      this.#logger.error("event store could not be read; flush skipped", { error });
      return;
    }
    const parked: StoredEvent[] = [];
    const running = new Set<Promise<Outcome>>();
    while (remaining > 0 && !this.#abort.signal.aborted) {
      await this.#slot();
      if (this.#abort.signal.aborted) break;
      const batch = await this.#take(remaining);
      if (batch.length === 0) break;
      remaining -= batch.length;
      const sending = this.#launch(batch, "park");
      running.add(sending);
      void sending.then((outcome) => {
        running.delete(sending);
        if (outcome === "retry" || outcome === "aborted") parked.push(...batch);
      });
    }
    while (running.size > 0) await Promise.race(running);
    // The background pump may have taken some of the same events meanwhile.
    await Promise.allSettled([...this.#inFlight]);
    if (parked.length > 0) {
      await this.#release(parked);
      if (!this.#abort.signal.aborted) this.#backOff();
    } else if (this.#retryTimer !== undefined) {
      // Everything went through: the collector is back, so stop waiting.
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
      this.#failures = 0;
      this.#wake(true);
    }
  }

  #take(maxEvents: number): Promise<readonly StoredEvent[]> | readonly StoredEvent[] {
    if (this.#method === "GET") return this.#store.take(1, Number.POSITIVE_INFINITY);
    return this.#store.take(maxEvents, this.#byteLimit - ENVELOPE_BYTES + 1, PER_EVENT_OVERHEAD);
  }

  /** Resolves when fewer than maxConcurrentRequests are in flight. */
  #slot(): Promise<void> {
    if (this.#inFlight.size < this.#maxConcurrent) return Promise.resolve();
    return new Promise((resolve) => this.#slotWaiters.push(resolve));
  }

  /** Sends one batch; on a retryable failure either releases it to the store and backs off, or leaves it to the caller. */
  #launch(batch: readonly StoredEvent[], onRetry: "release" | "park"): Promise<Outcome> {
    const sending = this.#send(batch).then(async (outcome) => {
      if (onRetry === "release" && (outcome === "retry" || outcome === "aborted")) {
        await this.#release(batch);
        if (outcome === "retry") this.#backOff();
      }
      return outcome;
    });
    this.#inFlight.add(sending);
    void sending.finally(() => {
      this.#inFlight.delete(sending);
      const waiter = this.#slotWaiters.shift();
      if (waiter !== undefined) waiter();
      else if (this.#retryTimer === undefined) this.#wake(false);
    });
    return sending;
  }

  async #send(batch: readonly StoredEvent[]): Promise<Outcome> {
    const stm = Date.now();
    if (this.#method === "POST" && batch.length === 1 && batch[0]!.bytes + PER_EVENT_OVERHEAD + ENVELOPE_BYTES - 1 > this.#byteLimit) {
      this.#logger.warn(`event of ${batch[0]!.bytes} bytes exceeds byteLimit ${this.#byteLimit}; sending it alone`);
    }
    const scratch = this.#method === "POST" ? this.#spareBodies.pop() ?? Buffer.allocUnsafeSlow(this.#byteLimit) : undefined;
    const request = this.#method === "POST"
      ? postRequest(this.#basePath, batch, stm, this.#headers, scratch)
      : getRequest(this.#basePath, batch[0]!, stm, this.#headers);
    let outcome: HttpOutcome;
    try {
      outcome = await this.#transport.send(request, this.#abort.signal);
    } catch (cause) {
      outcome = { kind: "network", error: cause instanceof Error ? cause : new Error(String(cause)) };
    }
    if (scratch !== undefined && this.#spareBodies.length < this.#maxConcurrent) this.#spareBodies.push(scratch);
    if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) {
      await this.#settle(() => this.#store.ack(batch));
      this.#stats.sent += batch.length;
      this.#failures = 0;
      if (this.#onSuccess !== undefined) this.#callback("onSuccess", () => this.#onSuccess!(decodeEvents(batch, stm)));
      return "sent";
    }
    if (outcome.kind === "aborted") return "aborted";
    this.#stats.failedRequests++;
    const status = outcome.kind === "response" ? outcome.status : undefined;
    const willRetry = this.#retry.shouldRetry(status);
    const reason: FailureReason = outcome.kind === "response" ? "status" : outcome.kind;
    const error = outcome.kind === "response" ? undefined : outcome.error;
    this.#logger.warn(
      `request of ${batch.length} event(s) failed (${status !== undefined ? `HTTP ${status}` : reason}); ${willRetry ? "will retry" : "dropped"}`,
      error === undefined ? undefined : { error: error.message },
    );
    if (!willRetry) {
      await this.#settle(() => this.#store.ack(batch));
      this.#stats.dropped += batch.length;
    }
    if (this.#onFailure !== undefined) {
      const info: FailureInfo = {
        events: decodeEvents(batch, stm), reason, willRetry,
        ...(status !== undefined ? { status } : {}), ...(error !== undefined ? { error } : {}),
      };
      this.#callback("onFailure", () => this.#onFailure!(info));
    }
    return willRetry ? "retry" : "dropped";
  }

  async #release(events: readonly StoredEvent[]): Promise<void> {
    await this.#settle(() => this.#store.release(events));
  }

  #backOff(): void {
    if (this.#closed || this.#retryTimer !== undefined) return;
    this.#failures++;
    const delay = this.#retry.delay(this.#failures);
    this.#logger.info(`collector unavailable; next attempt in ${delay} ms`);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#wake(true);
    }, delay);
    this.#retryTimer.unref();
  }

  #drop(events: readonly Payload[], reason: "store-full" | "closed", message: string, error?: unknown): void {
    this.#stats.dropped += events.length;
    if (reason === "closed" || this.#droppedInEpisode === 0) {
      this.#logger.warn(reason === "closed" ? message : `${message}; dropping new events until there is room again`, error === undefined ? undefined : { error });
    }
    if (reason === "store-full") this.#droppedInEpisode += events.length;
    if (this.#onFailure !== undefined) {
      this.#callback("onFailure", () => this.#onFailure!({ events, reason, willRetry: false }));
    }
  }

  async #settle(operation: () => unknown): Promise<void> {
    try {
      await operation();
    } catch (error) {
      this.#logger.error("event store operation failed", { error });
    }
  }

  #callback(name: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#logger.error(`${name} callback threw`, { error });
    }
  }
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`Emitter: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}
