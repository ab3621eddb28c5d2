/**
 * The emitter: buffers events in an event store and delivers them to a
 * collector in batches, with bounded concurrency, a deadline per request,
 * retries with backoff, and callbacks. It never throws into the host because
 * of the network or the store: every failure is reported through `onFailure`
 * and the logger, and every wait it makes ends by a deadline.
 */
import { within } from "../within.js";
import { describeValue } from "../describe.js";
import type { Payload } from "../protocol.js";
import { InMemoryEventStore } from "../store/in-memory.js";
import type { EventStore, StoredEvent } from "../store/event-store.js";
import { positiveInt, resolveEmitterConfig, type EmitterConfig, type EmitterSettings } from "./config.js";
import { Deliveries, type Sent } from "./deliveries.js";
import { beaconWaiting } from "./beacon.js";
import { Intake } from "./intake.js";
import type { EmitterPlatform } from "./platform.js";
import type { Transport } from "./transport-types.js";
import { INPUT_JSON, type CloseOptions, type CloseReport, type EmitterStats, type TrackerEmitter } from "./types.js";
import { toWirePayload } from "./wire.js";

export type { EmitterConfig } from "./config.js";

/** Most events taken from a store by one call at close, when what is left is reported lost. */
const DRAIN_CHUNK = 10_000;

/**
 * The emitter itself; each package entry exports it as `Emitter`, bound to
 * what its JavaScript runtime offers (see platform.ts).
 */
export class EmitterCore implements TrackerEmitter {
  readonly #s: EmitterSettings;
  readonly #store: EventStore;
  readonly #transport: Transport;
  readonly #abort = new AbortController();
  readonly #deliveries: Deliveries;
  readonly #inFlight = new Set<Promise<Sent>>();
  #slotWaiters: (() => void)[] = [];
  readonly #intake: Intake;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #flushTimer: ReturnType<typeof setInterval> | undefined;
  /** The flush timer could not be set when the emitter was made; the first event sets it. */
  #flushTimerDue = false;
  #pumping = false;
  #pumpAgain = false;
  #partialWanted = false;
  #passes: Promise<void> = Promise.resolve();
  #closed = false;
  #closing: Promise<CloseReport> | undefined;
  readonly #unregisterExit: () => void;

  constructor(config: EmitterConfig, platform: EmitterPlatform) {
    const settings = resolveEmitterConfig(config);
    this.#s = settings;
    this.#store = settings.eventStore ?? new InMemoryEventStore();
    this.#transport = platform.transport(settings);
    this.#deliveries = new Deliveries(settings, this.#store, this.#transport, this.#abort.signal, () => this.#backOff());
    this.#intake = new Intake(settings, this.#store, this.#deliveries, () => { if (!this.#pumping) this.#wake(false); });
    if (settings.flushInterval > 0) this.#startFlushTimer();
    this.#unregisterExit = platform.lifecycle({
      atExit: () => this.#atExit(),
      atExitNow: () => this.#atExitNow(),
      atHidden: () => void this.flush(),
      atPageHide: () => this.#atPageHide(),
    });
  }

  /**
   * Accepts one event. Never throws because of the store or the network. A
   * `stm` in the payload (as `onFailure` hands events back) is dropped: it is
   * set again when the event is sent. Values that are numbers or booleans are
   * sent as strings, as the protocol wants.
   */
  input(payload: Payload, json?: string): void {
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
      throw new TypeError(`Emitter.input: expected a payload object of strings, got ${describeValue(payload)}`);
    }
    const wire = toWirePayload(payload, "Emitter.input");
    let body: string;
    try {
      body = wire === payload && json !== undefined ? json : JSON.stringify(wire);
    } catch (error) {
      this.#s.logger.error("event could not be serialised and was dropped", { error });
      return;
    }
    if (this.#flushTimerDue) this.#startFlushTimer();
    this.#intake.accept(body, () => wire, this.#closed);
  }

  /** The tracker's way in: the event as JSON only (see INPUT_JSON). */
  [INPUT_JSON](json: string): void {
    if (this.#flushTimerDue) this.#startFlushTimer();
    this.#intake.accept(json, () => JSON.parse(json) as Payload, this.#closed);
  }

  /**
   * Sends every event accepted before the call (and, with a store that
   * answers later, every event handed to it before the call, once the store
   * has it: at most requestTimeout is waited for that), each at least once,
   * even during a backoff. Resolves when each of them, and every request
   * already in flight, has been sent, or handed to `onFailure` (and, when
   * retryable, put back in the store for a later attempt). It does not wait
   * for those retries; `close` does, until its deadline. Never rejects.
   */
  flush(): Promise<void> {
    if (this.#closed) return this.#closing?.then(() => undefined) ?? Promise.resolve();
    const inFlight = [...this.#inFlight];
    const adds = this.#intake.answered();
    const pass = this.#passes.then(async () => {
      await within(adds, this.#s.requestTimeout);
      await this.#drainPass();
    });
    this.#passes = pass.catch(() => undefined);
    return Promise.all([pass, ...inFlight]).then(() => undefined, (error: unknown) => {
      this.#s.logger.error("flush failed", { error });
    });
  }

  /** Flushes a partial batch every `ms` milliseconds (the timer never keeps the process alive). */
  setFlushTimer(ms: number): void {
    positiveInt("setFlushTimer", ms);
    this.cancelFlushTimer();
    this.#flushTimer = setInterval(() => this.#wake(true), ms);
    this.#flushTimer.unref?.();
  }

  /**
   * Sets the flushInterval timer. Cloudflare Workers refuse timers in a
   * module's global scope ("Disallowed operation called within global
   * scope"), where a tracker is commonly made: then the next event, tracked
   * in a handler, sets it.
   */
  #startFlushTimer(): void {
    try {
      this.setFlushTimer(this.#s.flushInterval);
    } catch {
      this.#flushTimerDue = true;
    }
  }

  cancelFlushTimer(): void {
    this.#flushTimerDue = false;
    if (this.#flushTimer !== undefined) clearInterval(this.#flushTimer);
    this.#flushTimer = undefined;
  }

  /**
   * Keeps sending until everything is delivered or the deadline passes,
   * retrying failures with backoff (each wait cut short by the deadline), so a
   * collector that comes back in time gets every event. Then it stops timers,
   * aborts what is still in flight and releases connections, all by the
   * deadline whatever the collector or the store does. What was not sent stays
   * in a durable store for the next run; with any other store it is reported
   * lost (logger, `onFailure` with reason `closed`). Calling it again returns
   * the same report.
   */
  close(options: CloseOptions = {}): Promise<CloseReport> {
    if (options === null || typeof options !== "object") throw new TypeError(`Emitter.close: expected { timeoutMs }, got ${describeValue(options)}`);
    const timeoutMs = options.timeoutMs ?? 5_000;
    if (typeof timeoutMs !== "number" || !(timeoutMs >= 0) || !Number.isFinite(timeoutMs)) {
      throw new TypeError(`Emitter.close: timeoutMs must be a number of ms (0 or more), got ${describeValue(timeoutMs)}`);
    }
    this.#closing ??= this.#close(timeoutMs, "closed");
    return this.#closing;
  }

  stats(): EmitterStats {
    return this.#deliveries.stats();
  }

  /** At `beforeExit`: with events still to send, close within flushOnExit's deadline (or, with it off, at once). */
  async #atExit(): Promise<void> {
    if (this.#closed) return;
    const busy = this.#intake.waiting > 0 || this.#deliveries.held > 0 || this.#store.close !== undefined
      || (await within(Promise.resolve(this.#store.size()), 1_000).catch(() => 1)) !== 0;
    if (!busy || this.#closed) return;
    this.#closing ??= this.#close(this.#s.exitTimeout ?? 0, "exit");
    await this.#closing;
  }

  /**
   * The page is being unloaded. What waits in a store that does not outlive
   * the page goes with `navigator.sendBeacon`, which the browser delivers after
   * the page is gone; a durable store (or a beacon refused) is flushed
   * instead, with keepalive requests.
   */
  #atPageHide(): void {
    if (this.#closed) return;
    if (!beaconWaiting(this.#s, this.#store, this.#deliveries)) void this.flush();
  }

  /**
   * The process is ending without `beforeExit` (`process.exit()`, an uncaught
   * exception): nothing can be sent any more, but what is lost is said. A
   * synchronous store (the in-memory one) is read; another is only estimated.
   */
  #atExitNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    let lost: number;
    if (this.#store.durable === true) {
      lost = this.#intake.waiting;
    } else if (this.#store instanceof InMemoryEventStore) {
      const batch = this.#store.take(Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY);
      this.#store.ack(batch);
      if (batch.length > 0) this.#deliveries.dropped(batch, "exit");
      lost = batch.length + this.#deliveries.held + this.#intake.waiting;
    } else {
      lost = this.#deliveries.outstanding() + this.#intake.waiting;
    }
    if (lost === 0) return;
    const what = this.#store.durable === true ? "that never reached the event store" : "not sent";
    this.#s.logger.warn(`the process is exiting with ${lost} event(s) ${what}; they are lost (await tracker.close() before process.exit() to send them)`);
  }

  async #close(timeoutMs: number, reason: "closed" | "exit"): Promise<CloseReport> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    // Kept for the clean-up after sending stops: aborting, handing back, reading and closing the store
    // (at once for the in-memory store; a store across the network needs more).
    const cleanup = this.#store instanceof InMemoryEventStore ? Math.min(50, timeoutMs / 10) : Math.min(250, timeoutMs / 4);
    this.cancelFlushTimer();
    this.#unregisterExit();
    const delivered = timeoutMs === 0 ? false : await within(this.#drainUntil(deadline - cleanup), deadline - cleanup - Date.now(), true);
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#abort.abort();
    const left = (): number => Math.max(0, deadline - Date.now());
    // Aborted requests settle at once; a few ms are allowed even at the deadline so their events are accounted for.
    await within(Promise.allSettled([...this.#inFlight, this.#passes]), Math.max(left(), 20), true);
    await within(this.#intake.answered(), left(), true);
    let waiting: number;
    try {
      const size = await within(Promise.resolve(this.#store.size()), left(), true);
      waiting = size ?? this.#deliveries.outstanding();
    } catch (error) {
      this.#s.logger.error("event store could not be read while closing", { error });
      waiting = this.#deliveries.outstanding();
    }
    const remaining = waiting + this.#deliveries.held + this.#intake.waiting;
    const when = reason === "exit" ? "before the process exited" : `before the close deadline (${timeoutMs} ms)`;
    if (remaining > 0 && this.#store.durable === true) {
      this.#s.logger.warn(`${remaining} event(s) not sent ${when}; they remain in the event store for the next run`);
    } else if (remaining > 0) {
      await within(this.#reportLost(reason, when), left(), true);
    }
    await within(Promise.resolve().then(() => this.#store.close?.(left())), left(), true).catch((error: unknown) => {
      this.#s.logger.error("event store could not be closed", { error });
    });
    await within(this.#transport.close(), left(), true).catch(() => undefined);
    return { remaining, timedOut: delivered !== true || remaining > 0 };
  }

  /** Takes what is left out of a store that does not outlive the emitter and reports it lost. */
  async #reportLost(reason: "closed" | "exit", when: string): Promise<void> {
    let lost = 0;
    for (let round = 0; round < 1_000; round++) {
      const batch = await this.#store.take(DRAIN_CHUNK, Number.POSITIVE_INFINITY);
      if (batch.length === 0) break;
      await this.#store.ack(batch);
      lost += batch.length;
      this.#deliveries.dropped(batch, reason);
    }
    const unaccounted = this.#deliveries.held + this.#intake.waiting;
    this.#s.logger.warn(`${lost + unaccounted} event(s) could not be sent ${when} and are lost (the event store does not outlive the emitter)`);
  }

  /** Sends in passes until nothing is left, waiting out each backoff within the deadline. Resolves true when everything went. */
  async #drainUntil(deadline: number): Promise<boolean> {
    for (let pass = 0; ; pass++) {
      await within(this.#intake.answered(), Math.max(0, deadline - Date.now()), true);
      const run = this.#passes.then(() => this.#drainPass());
      this.#passes = run.catch(() => undefined);
      await run;
      const waiting = await Promise.resolve(this.#store.size()).catch(() => 1);
      if (waiting === 0 && this.#deliveries.held === 0 && this.#intake.waiting === 0 && this.#inFlight.size === 0) return true;
      const left = deadline - Date.now();
      if (left <= 0 || this.#abort.signal.aborted) return false;
      await sleep(Math.min(this.#deliveries.nextDelay(), left));
    }
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
        if (!(await this.#deliveries.retryUnsettled())) break;
        while (!this.#closed && this.#retryTimer === undefined && this.#inFlight.size < this.#s.maxConcurrent) {
          const waiting = await this.#store.size();
          if (waiting === 0) {
            this.#partialWanted = false;
            break;
          }
          if (waiting < this.#s.batchSize && !this.#partialWanted) break;
          const batch = await this.#deliveries.take(Number.MAX_SAFE_INTEGER);
          if (batch.length === 0) break;
          void this.#launch(batch, "release");
        }
      } while (this.#pumpAgain);
    } catch (error) {
      this.#s.logger.error("event store failed; delivery will be tried again", { error });
      this.#backOff();
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
      await this.#deliveries.retryUnsettled();
      remaining = await this.#store.size();
    } catch (error) {
      this.#s.logger.error("event store could not be read; flush skipped", { error });
      return;
    }
    const parked: StoredEvent[] = [];
    let retryAfterMs: number | undefined;
    const running = new Set<Promise<Sent>>();
    while (remaining > 0 && !this.#abort.signal.aborted) {
      await this.#slot();
      if (this.#abort.signal.aborted) break;
      let batch: readonly StoredEvent[];
      try {
        batch = await this.#deliveries.take(remaining);
      } catch (error) {
        this.#s.logger.error("event store could not be read; flush stopped", { error });
        break;
      }
      if (batch.length === 0) break;
      remaining -= batch.length;
      const sending = this.#launch(batch, "park");
      running.add(sending);
      void sending.then((sent) => {
        running.delete(sending);
        parked.push(...sent.retry);
        retryAfterMs = sent.retryAfterMs ?? retryAfterMs;
      });
    }
    while (running.size > 0) await Promise.race(running);
    // The background pump may have taken some of the same events meanwhile.
    await Promise.allSettled([...this.#inFlight]);
    if (parked.length > 0) {
      await this.#deliveries.release(parked);
      if (!this.#abort.signal.aborted) this.#backOff(retryAfterMs);
    } else if (this.#retryTimer !== undefined) {
      // Everything went through: the collector is back, so stop waiting.
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
      this.#deliveries.recovered();
      this.#wake(true);
    }
  }

  /** Resolves when fewer than maxConcurrentRequests are in flight. */
  #slot(): Promise<void> {
    if (this.#inFlight.size < this.#s.maxConcurrent) return Promise.resolve();
    return new Promise((resolve) => this.#slotWaiters.push(resolve));
  }

  /** Sends one batch; what must be retried either goes back to the store at once (and backs off) or to the caller. */
  #launch(batch: readonly StoredEvent[], onRetry: "release" | "park"): Promise<Sent> {
    const sending = this.#deliveries.deliver(batch).then(async (sent) => {
      if (onRetry === "release" && sent.retry.length > 0) {
        await this.#deliveries.release(sent.retry);
        if (!sent.closed) this.#backOff(sent.retryAfterMs);
        return { ...sent, retry: [] };
      }
      return sent;
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

  #backOff(retryAfterMs?: number): void {
    if (this.#closed || this.#retryTimer !== undefined) return;
    const delay = this.#deliveries.failed(retryAfterMs);
    this.#s.logger.info(`collector unavailable; next attempt in ${delay} ms`);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#wake(true);
    }, delay);
    this.#retryTimer.unref?.();
  }

}

/** A wait that keeps the process alive (close and exit wait out a backoff). */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
