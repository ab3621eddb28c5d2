/**
 * RedisWorker: drains a Redis list of events (as a RedisEmitter, or the
 * Python tracker's, fills it) into any emitter, until stopped.
 *
 * Nothing is lost when the worker dies. It moves a batch from the list into
 * its own processing list (one Lua script), hands the events to the emitter,
 * and removes the batch only once the emitter has delivered it (for this
 * package's Emitter: sent, or dropped for a status that is not retried; for
 * another emitter: its flush() resolved). A worker holds a lease while it
 * runs; the batch of one that died goes back to the head of the list when
 * its lease lapses, for any worker to take: at least once.
 *
 * On SIGINT or SIGTERM (with `handleSignals`), it takes nothing more,
 * delivers what it holds, closes the emitter and resolves `run()`.
 */
import { randomUUID } from "node:crypto";
import type { CloseOptions, TrackerEmitter } from "../emitter/types.js";
import { describeValue } from "../describe.js";
import { toWirePayload } from "../emitter/wire.js";
import { resolveLogger, type Logger, type LogLevel } from "../logger.js";
import type { Payload } from "../protocol.js";
import { deadline, openRedis, redisScript, type RedisCommander, type RedisConnection, type RedisConnectionOptions } from "./connection.js";
import { createLease, type Lease } from "./lease.js";

export interface RedisWorkerOptions extends RedisConnectionOptions {
  /** Where events go. Its delivery decides when a batch leaves Redis. */
  emitter: TrackerEmitter;
  /** The list to drain. @defaultValue "snowplow" */
  key?: string;
  /** Events taken at a time. @defaultValue 100 */
  batchSize?: number;
  /** How long to wait before looking again when the list is empty, in ms. @defaultValue 200 */
  pollMs?: number;
  /** How long a dead worker's batch stays its own, in ms. @defaultValue 30_000 */
  leaseMs?: number;
  logger?: Logger | LogLevel;
}

export interface RunOptions {
  /** Stop gracefully on SIGINT and SIGTERM. @defaultValue false */
  handleSignals?: boolean;
  /** Deadline for closing the emitter when stopping. @defaultValue 10_000 */
  closeTimeoutMs?: number;
}

export interface WorkerReport {
  /** Events handed to the emitter and delivered. */
  readonly delivered: number;
  /** List entries that were not JSON objects, logged and removed. */
  readonly malformed: number;
  /** Events left with the emitter unsent when it closed (see its report). */
  readonly remaining: number;
}

/** Lua: moves up to ARGV[1] entries from the head of the list to the tail of the processing list. */
const TAKE = redisScript(`
local out = {}
for i = 1, tonumber(ARGV[1]) do
  local entry = redis.call('LPOP', KEYS[1])
  if not entry then break end
  redis.call('RPUSH', KEYS[2], entry)
  out[#out + 1] = entry
end
return out
`);

/** Lua: a dead worker's batch back to the head of the list, in order; the worker forgotten. */
const RECOVER = redisScript(`
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local entries = redis.call('LRANGE', KEYS[1], 0, -1)
for i = #entries, 1, -1 do redis.call('LPUSH', KEYS[2], entries[i]) end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[4], ARGV[1])
return #entries
`);

type Pending = () => number;

export class RedisWorker {
  readonly key: string;
  readonly id = randomUUID();
  readonly #emitter: TrackerEmitter;
  readonly #connection: RedisConnection;
  readonly #redis: RedisCommander;
  readonly #logger: Logger;
  readonly #batchSize: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #lease: Lease;
  #stopping = false;
  #wake: (() => void) | undefined;
  #running: Promise<WorkerReport> | undefined;
  /** True while the processing list holds a batch not yet known to be delivered. */
  #holding = false;
  /** Entries of that batch. */
  #held = 0;
  #stats = { delivered: 0, malformed: 0 };

  constructor(options: RedisWorkerOptions) {
    if (options?.emitter === undefined || typeof options.emitter.input !== "function" || typeof options.emitter.flush !== "function") {
      throw new TypeError("RedisWorker: emitter must be an emitter with input(payload) and flush()");
    }
    this.#emitter = options.emitter;
    this.key = options.key ?? "snowplow";
    this.#batchSize = options.batchSize ?? 100;
    this.#pollMs = options.pollMs ?? 200;
    this.#leaseMs = options.leaseMs ?? 30_000;
    if (typeof this.key !== "string" || this.key === "") throw new TypeError(`RedisWorker: key must be a non-empty string, got ${describeValue(options.key)}`);
    if (typeof this.#batchSize !== "number" || !Number.isInteger(this.#batchSize) || this.#batchSize < 1) throw new TypeError(`RedisWorker: batchSize must be a positive integer, got ${describeValue(options.batchSize)}`);
    if (typeof this.#pollMs !== "number" || !Number.isInteger(this.#pollMs) || this.#pollMs < 1) throw new TypeError(`RedisWorker: pollMs must be a positive integer, got ${describeValue(options.pollMs)}`);
    if (typeof this.#leaseMs !== "number" || !Number.isInteger(this.#leaseMs) || this.#leaseMs < 100) throw new TypeError(`RedisWorker: leaseMs must be an integer of at least 100, got ${describeValue(options.leaseMs)}`);
    this.#logger = resolveLogger(options.logger);
    this.#connection = openRedis(options, this.#logger, "RedisWorker");
    this.#redis = this.#connection.commander;
    this.#lease = createLease({
      redis: this.#redis, logger: this.#logger, owner: "RedisWorker", id: this.id, leaseMs: this.#leaseMs,
      holdersKey: this.#k("workers"), leaseKey: (id) => this.#k(`worker:${id}`),
      recover: async (dead) => Number(await RECOVER.run(this.#redis, [this.#k(`processing:${dead}`), this.key, this.#k(`worker:${dead}`), this.#k("workers")], [dead])),
      recovered: (n) => `${n} event(s) held by a worker that stopped were put back to be sent again`,
      lost: () => `the list "${this.key}" and the batch this worker held are gone with it. Run Redis with AOF persistence (appendonly yes) to keep them across restarts`,
    });
  }

  #k(part: string): string {
    return `${this.key}:${part}`;
  }

  /**
   * Drains the list until stop() (or a signal, with handleSignals); resolves
   * once what it took was delivered or handed back, the emitter closed.
   * Never rejects because of Redis or the collector: it waits and tries again.
   */
  run(options: RunOptions = {}): Promise<WorkerReport> {
    this.#running ??= this.#loop(options);
    return this.#running;
  }

  /** Takes nothing more; resolves when run() has finished (within its closeTimeoutMs). */
  async stop(): Promise<WorkerReport> {
    this.#stopping = true;
    this.#wake?.();
    return this.#running ?? { ...this.#stats, remaining: 0 };
  }

  async #loop(options: RunOptions): Promise<WorkerReport> {
    const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
    const onSignal = (): void => {
      this.#logger.info("RedisWorker: stopping (signal received); delivering what it holds");
      void this.stop();
    };
    if (options.handleSignals === true) {
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    }
    const pending = pendingOf(this.#emitter);
    try {
      await this.#retrying("take its lease", () => this.#lease.start());
      while (!this.#stopping) {
        let entries: string[];
        try {
          entries = (await TAKE.run(this.#redis, [this.key, this.#k(`processing:${this.id}`)], [this.#batchSize])) as string[];
        } catch (error) {
          this.#logger.warn("RedisWorker: Redis unavailable; trying again", { error: String(error) });
          await this.#sleep(Math.max(this.#pollMs, 1000));
          continue;
        }
        if (entries.length === 0) {
          await this.#sleep(this.#pollMs);
          continue;
        }
        this.#holding = true;
        this.#held = entries.length;
        await this.#deliver(entries, pending);
      }
    } catch (error) {
      this.#logger.error("RedisWorker: stopped by an unexpected error", { error: String(error) });
    } finally {
      if (options.handleSignals === true) {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    }
    const remaining = await this.#close(closeTimeoutMs);
    return { ...this.#stats, remaining };
  }

  /** Hands a batch to the emitter and waits until it is delivered; only then does the batch leave Redis. */
  async #deliver(entries: readonly string[], pending: Pending | undefined): Promise<void> {
    for (const entry of entries) {
      const payload = parseEntry(entry);
      if (payload === undefined) {
        this.#stats.malformed++;
        this.#logger.error("RedisWorker: a list entry is not an event (a JSON object of strings, numbers or booleans); removed", { entry: entry.slice(0, 200) });
        continue;
      }
      // Entries another tracker wrote with numbers (the Python tracker's dtm, tid) are sent as strings.
      this.#emitter.input(payload.wire, payload.changed ? undefined : entry);
    }
    await this.#emitter.flush();
    // With this package's Emitter, wait until the batch is really sent (a collector that is down keeps it here, in Redis).
    for (let wait = 100; pending !== undefined && pending() > 0 && !this.#stopping; wait = Math.min(wait * 2, 2000)) {
      await this.#sleep(wait);
      await this.#emitter.flush();
    }
    if (pending !== undefined && pending() > 0) return;
    const done = await this.#retrying("remove a delivered batch", () => this.#redis.sendCommand(["DEL", this.#k(`processing:${this.id}`)]));
    if (done) {
      this.#holding = false;
      this.#stats.delivered += entries.length;
    }
  }

  /** Runs `operation` until it succeeds, backing off, or until stop; answers whether it succeeded. */
  async #retrying(what: string, operation: () => Promise<unknown>): Promise<boolean> {
    for (let failures = 0; ; failures++) {
      try {
        await operation();
        if (failures > 0) this.#logger.info(`RedisWorker: could ${what} again`);
        return true;
      } catch (error) {
        if (failures === 0) this.#logger.warn(`RedisWorker: could not ${what}; trying again`, { error: String(error) });
        if (this.#stopping) return false;
        await this.#sleep(Math.min(5_000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.#wake = undefined; resolve(); }, ms);
      this.#wake = () => { clearTimeout(timer); this.#wake = undefined; resolve(); };
    });
  }

  /**
   * Closes the emitter, then gives up the lease; a batch not known to be
   * delivered goes back to the head of the list (at least once). All of it
   * within `timeoutMs`, whatever Redis or the collector does.
   */
  async #close(timeoutMs: number): Promise<number> {
    const end = Date.now() + timeoutMs;
    const left = (): number => Math.max(0, end - Date.now());
    let remaining = 0;
    try {
      const options: CloseOptions = { timeoutMs: Math.floor(left() * 0.8) };
      const report = this.#emitter.close !== undefined ? await this.#emitter.close(options) : (await deadline(Promise.resolve(this.#emitter.flush()), left(), () => "flush timed out"), undefined);
      remaining = report?.remaining ?? 0;
    } catch (error) {
      this.#logger.error("RedisWorker: closing the emitter failed", { error: String(error) });
    }
    this.#lease.stop();
    const pending = pendingOf(this.#emitter);
    const handBack = async (): Promise<void> => {
      if (this.#holding && pending !== undefined && pending() === 0) {
        // The emitter delivered the rest of the batch while closing.
        await this.#redis.sendCommand(["DEL", this.#k(`processing:${this.id}`)]);
        this.#holding = false;
        this.#stats.delivered += this.#held;
      }
      await this.#lease.release();
      if (!this.#holding) return;
      const returned = Number(await RECOVER.run(this.#redis, [this.#k(`processing:${this.id}`), this.key, this.#k(`worker:${this.id}`), this.#k("workers")], [this.id]));
      if (returned > 0) this.#logger.warn(`RedisWorker: ${returned} event(s) of a batch not confirmed delivered were put back at the head of the list (they may be sent twice)`);
    };
    try {
      await deadline(handBack(), left(), () => "Redis did not answer in time");
    } catch (error) {
      this.#logger.warn("RedisWorker: could not hand back its lease; another worker will recover its batch when the lease lapses", { error: String(error) });
    }
    await this.#connection.close(left());
    return remaining;
  }
}

/** A list entry as a wire payload, or undefined when it is not an event. */
function parseEntry(entry: string): { wire: Payload; changed: boolean } | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(entry);
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return undefined;
  try {
    const wire = toWirePayload(payload as Record<string, unknown>, "RedisWorker");
    return { wire, changed: wire !== payload };
  } catch {
    return undefined;
  }
}

/** For an emitter that reports it (this package's Emitter): events accepted and neither sent nor dropped. */
function pendingOf(emitter: TrackerEmitter): Pending | undefined {
  const stats = (emitter as { stats?: () => { pending?: unknown } }).stats;
  if (typeof stats !== "function" || typeof stats.call(emitter).pending !== "number") return undefined;
  return () => stats.call(emitter).pending as number;
}
