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
import { resolveLogger, type Logger, type LogLevel } from "../logger.js";
import type { Payload } from "../protocol.js";
import { openRedis, redisScript, type RedisCommander, type RedisConnection, type RedisConnectionOptions } from "./connection.js";
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
    if (!Number.isInteger(this.#batchSize) || this.#batchSize < 1) throw new TypeError(`RedisWorker: batchSize must be a positive integer, got ${String(options.batchSize)}`);
    if (!Number.isInteger(this.#leaseMs) || this.#leaseMs < 100) throw new TypeError(`RedisWorker: leaseMs must be an integer of at least 100, got ${String(options.leaseMs)}`);
    this.#logger = resolveLogger(options.logger);
    this.#connection = openRedis(options, this.#logger, "RedisWorker");
    this.#redis = this.#connection.commander;
    this.#lease = createLease({
      redis: this.#redis, logger: this.#logger, owner: "RedisWorker", id: this.id, leaseMs: this.#leaseMs,
      holdersKey: this.#k("workers"), leaseKey: (id) => this.#k(`worker:${id}`),
      recover: async (dead) => Number(await RECOVER.run(this.#redis, [this.#k(`processing:${dead}`), this.key, this.#k(`worker:${dead}`), this.#k("workers")], [dead])),
      recovered: (n) => `${n} event(s) held by a worker that stopped were put back to be sent again`,
    });
  }

  #k(part: string): string {
    return `${this.key}:${part}`;
  }

  /** Drains the list until stop() (or a signal, with handleSignals); resolves once everything taken was delivered and the emitter closed. */
  run(options: RunOptions = {}): Promise<WorkerReport> {
    this.#running ??= this.#loop(options);
    return this.#running;
  }

  /** Takes nothing more; resolves when run() has finished. */
  async stop(): Promise<WorkerReport> {
    this.#stopping = true;
    this.#wake?.();
    return this.#running ?? { ...this.#stats, remaining: 0 };
  }

  async #loop(options: RunOptions): Promise<WorkerReport> {
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
      await this.#lease.start();
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
        await this.#deliver(entries, pending);
      }
    } finally {
      if (options.handleSignals === true) {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    }
    const closed = await this.#close(options.closeTimeoutMs ?? 10_000);
    return { ...this.#stats, remaining: closed };
  }

  /** Hands a batch to the emitter and waits until it is delivered; only then does the batch leave Redis. */
  async #deliver(entries: readonly string[], pending: Pending | undefined): Promise<void> {
    for (const entry of entries) {
      let payload: unknown;
      try {
        payload = JSON.parse(entry);
      } catch {
        payload = undefined;
      }
      if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
        this.#stats.malformed++;
        this.#logger.error("RedisWorker: a list entry is not an event (a JSON object); removed", { entry: entry.slice(0, 200) });
        continue;
      }
      this.#emitter.input(payload as Payload, entry);
    }
    await this.#emitter.flush();
    // With this package's Emitter, wait until the batch is really sent (a collector that is down keeps it here, in Redis).
    for (let wait = 100; pending !== undefined && pending() > 0; wait = Math.min(wait * 2, 2000)) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      await this.#emitter.flush();
    }
    await this.#redis.sendCommand(["DEL", this.#k(`processing:${this.id}`)]);
    this.#stats.delivered += entries.length;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.#wake = undefined; resolve(); }, ms);
      this.#wake = () => { clearTimeout(timer); this.#wake = undefined; resolve(); };
    });
  }

  async #close(timeoutMs: number): Promise<number> {
    let remaining = 0;
    try {
      const options: CloseOptions = { timeoutMs };
      const report = this.#emitter.close !== undefined ? await this.#emitter.close(options) : (await this.#emitter.flush(), undefined);
      remaining = report?.remaining ?? 0;
    } catch (error) {
      this.#logger.error("RedisWorker: closing the emitter failed", { error: String(error) });
    }
    try {
      await this.#lease.release();
    } catch (error) {
      this.#logger.warn("RedisWorker: could not hand back its lease", { error: String(error) });
    }
    await this.#connection.close();
    return remaining;
  }
}

/** For this package's Emitter: events accepted and neither sent nor dropped. */
function pendingOf(emitter: TrackerEmitter): Pending | undefined {
  const stats = (emitter as { stats?: () => { accepted?: number; sent?: number; dropped?: number } }).stats;
  if (typeof stats !== "function") return undefined;
  return () => {
    const s = stats.call(emitter);
    return (s.accepted ?? 0) - (s.sent ?? 0) - (s.dropped ?? 0);
  };
}
