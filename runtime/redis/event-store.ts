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
import { resolveLogger, type Logger, type LogLevel } from "../logger.js";
import type { EventStore, StoredEvent } from "../store/event-store.js";
import { openRedis, redisScript, type RedisCommander, type RedisConnection, type RedisConnectionOptions } from "./connection.js";
import { createLease, type Lease } from "./lease.js";

export interface RedisEventStoreOptions extends RedisConnectionOptions {
  /** Prefix of the store's keys; stores with the same key share one queue. @defaultValue "igluc:events" */
  key?: string;
  /** Most events held, waiting and in flight, across all processes. @defaultValue 1_000_000 */
  capacity?: number;
  /** How long a process's in-flight events stay its own after it stops renewing its lease, in ms. @defaultValue 30_000 */
  leaseMs?: number;
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

export class RedisEventStore implements EventStore {
  readonly key: string;
  readonly capacity: number;
  /** This store's name in Redis (its in-flight hash and lease). */
  readonly consumer = randomUUID();
  readonly #connection: RedisConnection;
  readonly #redis: RedisCommander;
  readonly #logger: Logger;
  readonly #leaseMs: number;
  #pending: { body: string; resolve: (ok: boolean) => void; reject: (error: unknown) => void }[] = [];
  readonly #lease: Lease;
  #started: Promise<void> | undefined;
  #closed = false;

  constructor(options: RedisEventStoreOptions = {}) {
    this.key = options.key ?? "igluc:events";
    if (this.key === "" || /\s/.test(this.key)) throw new TypeError(`RedisEventStore: key must be a non-empty name without spaces, got "${this.key}"`);
    this.capacity = options.capacity ?? 1_000_000;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new TypeError(`RedisEventStore: capacity must be a positive integer, got ${String(options.capacity)}`);
    this.#leaseMs = options.leaseMs ?? 30_000;
    if (!Number.isInteger(this.#leaseMs) || this.#leaseMs < 100) throw new TypeError(`RedisEventStore: leaseMs must be an integer of at least 100, got ${String(options.leaseMs)}`);
    this.#logger = resolveLogger(options.logger);
    this.#connection = openRedis(options, this.#logger, "RedisEventStore");
    this.#redis = this.#connection.commander;
    this.#lease = createLease({
      redis: this.#redis, logger: this.#logger, owner: "RedisEventStore", id: this.consumer, leaseMs: this.#leaseMs,
      holdersKey: this.#k("consumers"), leaseKey: (id) => this.#k(`alive:${id}`),
      recover: async (dead) => Number(await RECOVER.run(this.#redis, [this.#k(`inflight:${dead}`), this.#k("queue"), this.#k(`alive:${dead}`), this.#k("consumers")], [dead])),
      recovered: (n) => `${n} event(s) left in flight by a process that stopped were put back to be sent again`,
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

  add(body: string): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      this.#pending.push({ body, resolve, reject });
      if (this.#pending.length === 1) queueMicrotask(() => void this.#flushAdds());
    });
  }

  async #flushAdds(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    try {
      await this.#start();
      for (let i = 0; i < batch.length; i += ADD_BATCH) {
        const part = batch.slice(i, i + ADD_BATCH);
        const added = Number(await ADD.run(this.#redis, [this.#k("queue"), this.#k("seq"), this.#k("count")], [this.capacity, ...part.map((p) => p.body)]));
        part.forEach((p, j) => p.resolve(j < added));
      }
    } catch (error) {
      for (const p of batch) p.reject(error);
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

  async size(): Promise<number> {
    return Number(await this.#redis.sendCommand(["LLEN", this.#k("queue")]));
  }

  /**
   * Gives up the lease (what is still in flight goes back to the queue) and
   * closes the connection if this store opened it. The emitter calls it on close.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#started !== undefined) {
        // Lease given up first, so the recovery below (of this consumer's own in-flight events) goes ahead.
        await this.#lease.release();
        await RECOVER.run(this.#redis, [this.#k(`inflight:${this.consumer}`), this.#k("queue"), this.#k(`alive:${this.consumer}`), this.#k("consumers")], [this.consumer]);
      }
    } catch (error) {
      this.#logger.warn("RedisEventStore: could not hand back its lease; another process will recover its events when the lease lapses", { error: String(error) });
    }
    await this.#connection.close();
  }
}
