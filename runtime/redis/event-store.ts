/**
 * RedisEventStore: the emitter's queue kept in Redis, so nothing accepted is
 * lost when the process dies, restarts or freezes.
 *
 * A reliable queue: `take` moves events from the shared list into this
 * store's own in-flight hash, `ack` deletes them after the collector has
 * them, `release` puts them back at the head. Each store holds a lease
 * (a key with a time to live, renewed while it runs); when a process dies,
 * its lease lapses and any other store on the same key (or the same one
 * restarted) moves the dead one's in-flight events back to the head of the
 * queue. Delivery is therefore at least once: events a dead process had sent
 * but not yet acknowledged are sent again.
 *
 * Several processes may share one store (one `key`); each runs its own
 * emitter over it. Capacity bounds what is held in all, waiting and in
 * flight; beyond it `add` refuses and the emitter reports the drop.
 *
 * Every change is one Lua script, so the queue stays consistent whoever
 * crashes when. Adds made in the same tick go to Redis as one script call.
 */
import { randomUUID } from "node:crypto";
import { describeValue } from "../describe.js";
import { resolveLogger, type Logger, type LogLevel } from "../logger.js";
import type { EventStore, StoredEvent } from "../store/event-store.js";
import { deadline, openRedis, redisScript, type RedisCommander, type RedisConnection, type RedisConnectionOptions } from "./connection.js";
import { createLease, type Lease } from "./lease.js";

export interface RedisEventStoreOptions extends RedisConnectionOptions {
  /** Prefix of the store's keys; stores with the same key share one queue. @defaultValue "igluc:events" */
  key?: string;
  /** Most events held, waiting and in flight, across all processes. @defaultValue 1_000_000 */
  capacity?: number;
  /** How long a process's in-flight events stay its own after it stops renewing its lease, in ms. @defaultValue 30_000 */
  leaseMs?: number;
  /**
   * Most events held in this process's memory while Redis cannot take them
   * (unreachable, refusing the password, too slow); they are added in order
   * once it can. Beyond it, events are refused and reported (`store-unavailable`).
   * @defaultValue 10_000
   */
  bufferCapacity?: number;
  logger?: Logger | LogLevel;
}

/** Lua: appends bodies while the store has room, in one RPUSH; answers how many it took (a prefix of ARGV). */
const ADD = redisScript(`
local count = tonumber(redis.call('GET', KEYS[3]) or '0')
local n = math.min(#ARGV - 1, tonumber(ARGV[1]) - count)
if n <= 0 then return 0 end
local first = redis.call('INCRBY', KEYS[2], n) - n
local elements = {}
for i = 1, n do elements[i] = (first + i) .. ':' .. ARGV[i + 1] end
redis.call('RPUSH', KEYS[1], unpack(elements))
redis.call('INCRBY', KEYS[3], n)
return n
`);

/**
 * Lua: moves events from the head into the in-flight hash within the limits
 * (a first event over the byte limit goes alone), reading the head a chunk at
 * a time and moving what fits with one LTRIM and one HSET.
 */
const TAKE = redisScript(`
local max = tonumber(ARGV[1])
local maxBytes = tonumber(ARGV[2])
local overhead = tonumber(ARGV[3])
local out = {}
local fields = {}
local total = 0
local start = 0
local full = false
while not full and #out < max do
  local chunk = redis.call('LRANGE', KEYS[1], start, start + math.min(255, max - #out - 1))
  if #chunk == 0 then break end
  for _, element in ipairs(chunk) do
    local sep = string.find(element, ':', 1, true)
    local bytes = #element - sep + overhead
    if #out > 0 and maxBytes >= 0 and total + bytes > maxBytes then
      full = true
      break
    end
    out[#out + 1] = element
    fields[#fields + 1] = string.sub(element, 1, sep - 1)
    fields[#fields + 1] = element
    total = total + bytes
  end
  start = start + #chunk
end
if #out > 0 then
  redis.call('LTRIM', KEYS[1], #out, -1)
  redis.call('HSET', KEYS[2], unpack(fields))
end
return out
`);

/** Lua: forgets delivered events. */
const ACK = redisScript(`
local n = redis.call('HDEL', KEYS[1], unpack(ARGV))
if n > 0 then redis.call('DECRBY', KEYS[2], n) end
return n
`);

/** Lua: puts in-flight events back at the head; ARGV holds their ids, highest first, so the oldest ends up first. */
const RELEASE = redisScript(`
local n = 0
for i = 1, #ARGV do
  local element = redis.call('HGET', KEYS[1], ARGV[i])
  if element then
    redis.call('HDEL', KEYS[1], ARGV[i])
    redis.call('LPUSH', KEYS[2], element)
    n = n + 1
  end
end
return n
`);

/** Lua: a dead consumer's in-flight events back to the head, oldest first; the consumer forgotten. */
const RECOVER = redisScript(`
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local entries = redis.call('HGETALL', KEYS[1])
local ids = {}
for i = 1, #entries, 2 do ids[#ids + 1] = tonumber(entries[i]) end
table.sort(ids, function(a, b) return a > b end)
for _, id in ipairs(ids) do redis.call('LPUSH', KEYS[2], redis.call('HGET', KEYS[1], tostring(id))) end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[4], ARGV[1])
return #ids
`);

/** Most bodies sent to Redis in one script call, and most events taken by one (Lua's unpack has a limit). */
const ADD_BATCH = 500;
const TAKE_MAX = 2000;

class RedisEvent implements StoredEvent {
  constructor(readonly id: number, readonly body: string, readonly bytes: number) {}
}

interface PendingAdd {
  readonly body: string;
  resolve(ok: boolean): void;
  reject(error: unknown): void;
}

export class RedisEventStore implements EventStore {
  readonly key: string;
  readonly capacity: number;
  /** What this store holds outlives the process: the emitter leaves unsent events here at close. */
  readonly durable = true;
  /** This store's name in Redis (its in-flight hash and lease). */
  readonly consumer = randomUUID();
  readonly #connection: RedisConnection;
  readonly #redis: RedisCommander;
  readonly #logger: Logger;
  readonly #leaseMs: number;
  readonly #bufferCapacity: number;
  #pending: PendingAdd[] = [];
  #adding = false;
  #addFailures = 0;
  readonly #lease: Lease;
  #started: Promise<void> | undefined;
  #closed = false;
  #accepted = 0;

  constructor(options: RedisEventStoreOptions = {}) {
    if (options === null || typeof options !== "object") throw new TypeError(`RedisEventStore: expected an options object, got ${describeValue(options)}`);
    this.key = options.key ?? "igluc:events";
    if (typeof this.key !== "string" || this.key === "" || /\s/.test(this.key)) throw new TypeError(`RedisEventStore: key must be a non-empty name without spaces, got ${describeValue(this.key)}`);
    this.capacity = positive("capacity", options.capacity ?? 1_000_000);
    this.#leaseMs = options.leaseMs ?? 30_000;
    if (typeof this.#leaseMs !== "number" || !Number.isInteger(this.#leaseMs) || this.#leaseMs < 100) throw new TypeError(`RedisEventStore: leaseMs must be an integer of at least 100, got ${describeValue(options.leaseMs)}`);
    this.#bufferCapacity = positive("bufferCapacity", options.bufferCapacity ?? 10_000);
    this.#logger = resolveLogger(options.logger);
    this.#connection = openRedis(options, this.#logger, "RedisEventStore");
    this.#redis = this.#connection.commander;
    this.#lease = createLease({
      redis: this.#redis, logger: this.#logger, owner: "RedisEventStore", id: this.consumer, leaseMs: this.#leaseMs,
      holdersKey: this.#k("consumers"), leaseKey: (id) => this.#k(`alive:${id}`),
      recover: async (dead) => Number(await RECOVER.run(this.#redis, [this.#k(`inflight:${dead}`), this.#k("queue"), this.#k(`alive:${dead}`), this.#k("consumers")], [dead])),
      recovered: (n) => `${n} event(s) left in flight by a process that stopped were put back to be sent again`,
      lost: () => `events it held for this store (waiting or in flight) are lost; ${this.#accepted} were accepted since the store started. Run Redis with AOF persistence (appendonly yes, appendfsync everysec or always) to keep them across restarts`,
    });
  }

  #k(part: string): string {
    return `${this.key}:${part}`;
  }

  /** Takes the lease (recovering what dead consumers left in flight) on first use. */
  #start(): Promise<void> {
    this.#started ??= this.#lease.start();
    this.#started.catch(() => { this.#started = undefined; });
    return this.#started;
  }

  /**
   * Moves the in-flight events of consumers whose lease has lapsed back to
   * the head of the queue. Runs on start and with every lease renewal;
   * answers how many events it recovered.
   */
  recover(): Promise<number> {
    return this.#lease.recoverDead();
  }

  /**
   * Adds an event: answers true once it is in Redis, false when the store is
   * at capacity. While Redis cannot take events, they wait here (in order,
   * at most bufferCapacity of them) and are added when it can; beyond that,
   * or once the store is closed, the answer is a rejection.
   */
  add(body: string): Promise<boolean> {
    if (this.#closed) return Promise.reject(new Error("RedisEventStore is closed"));
    if (this.#pending.length >= this.#bufferCapacity) {
      return Promise.reject(new Error(`RedisEventStore: Redis is not taking events and ${this.#bufferCapacity} already wait in memory (bufferCapacity)`));
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ body, resolve, reject });
      if (!this.#adding) {
        this.#adding = true;
        queueMicrotask(() => void this.#flushAdds());
      }
    });
  }

  /** Adds what waits, in order, a script call per ADD_BATCH; on failure waits (backoff) and tries again. */
  async #flushAdds(): Promise<void> {
    try {
      while (this.#pending.length > 0 && !this.#closed) {
        const part = this.#pending.slice(0, ADD_BATCH);
        let added: number;
        try {
          await this.#start();
          added = Number(await ADD.run(this.#redis, [this.#k("queue"), this.#k("seq"), this.#k("count")], [this.capacity, ...part.map((p) => p.body)]));
        } catch (error) {
          this.#addFailures++;
          if (this.#addFailures === 1) {
            this.#logger.warn(`RedisEventStore: Redis did not take ${this.#pending.length} event(s); they wait in memory (at most ${this.#bufferCapacity}) and are tried again`, { error: String(error) });
          }
          await sleep(Math.min(2_000, 50 * 2 ** Math.min(this.#addFailures, 6)));
          continue;
        }
        if (this.#addFailures > 0) this.#logger.info("RedisEventStore: Redis takes events again");
        this.#addFailures = 0;
        this.#pending.splice(0, part.length);
        this.#accepted += Math.min(added, part.length);
        part.forEach((p, j) => p.resolve(j < added));
      }
    } finally {
      this.#adding = false;
    }
  }

  async take(maxEvents: number, maxBytes: number, overheadPerEvent = 0): Promise<readonly StoredEvent[]> {
    await this.#start();
    const limit = Number.isFinite(maxBytes) ? maxBytes : -1;
    const elements = (await TAKE.run(this.#redis, [this.#k("queue"), this.#k(`inflight:${this.consumer}`)], [Math.min(maxEvents, TAKE_MAX), limit, overheadPerEvent])) as string[];
    return elements.map((element) => {
      const sep = element.indexOf(":");
      const body = element.slice(sep + 1);
      return new RedisEvent(Number(element.slice(0, sep)), body, Buffer.byteLength(body, "utf8"));
    });
  }

  async ack(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    await ACK.run(this.#redis, [this.#k(`inflight:${this.consumer}`), this.#k("count")], events.map((e) => e.id));
  }

  async release(events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const ids = events.map((e) => e.id).sort((a, b) => b - a);
    await RELEASE.run(this.#redis, [this.#k(`inflight:${this.consumer}`), this.#k("queue")], ids);
  }

  /** Events waiting in Redis to be taken, by any process sharing the key. */
  async size(): Promise<number> {
    return Number(await this.#redis.sendCommand(["LLEN", this.#k("queue")]));
  }

  /**
   * Gives up the lease (what is still in flight goes back to the queue) and
   * closes the connection if this store opened it, within a few command
   * deadlines at most. Events still waiting in memory for Redis are refused.
   * The emitter calls it on close.
   */
  async close(timeoutMs = 2 * this.#connection.timeout): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const end = Date.now() + timeoutMs;
    const unsent = this.#pending.splice(0);
    for (const p of unsent) p.reject(new Error("RedisEventStore closed before Redis took the event"));
    if (unsent.length > 0) this.#logger.error(`RedisEventStore: ${unsent.length} event(s) Redis never took are lost at close`);
    this.#lease.stop();
    try {
      if (this.#started !== undefined) {
        const handBack = async (): Promise<void> => {
          // Lease given up first, so the recovery below (of this consumer's own in-flight events) goes ahead.
          await this.#lease.release();
          await RECOVER.run(this.#redis, [this.#k(`inflight:${this.consumer}`), this.#k("queue"), this.#k(`alive:${this.consumer}`), this.#k("consumers")], [this.consumer]);
        };
        await deadline(handBack(), Math.max(0, end - Date.now()), () => "Redis did not answer in time");
      }
    } catch (error) {
      this.#logger.warn("RedisEventStore: could not hand back its lease; another process will recover its events when the lease lapses", { error: String(error) });
    }
    await this.#connection.close(Math.max(0, end - Date.now()));
  }
}

function positive(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new TypeError(`RedisEventStore: ${name} must be a positive integer, got ${describeValue(value)}`);
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
