/**
 * bullmq (and ioredis, which BullMQ connects with when given a URL or
 * connection options) are optional peers of @igluc/runtime: loaded here, only
 * when a BullMQEmitter or a worker is made, so a missing package is a
 * configuration error at once ("npm install bullmq"), and the package's main
 * entry never loads them.
 */
import type * as BullMQ from "bullmq";
import type { ConnectionOptions } from "bullmq";
import { describeValue } from "../describe.js";
import { requireOptional } from "../platform/optional.js";
import { settledWithin } from "../within.js";

type BullMQModule = typeof BullMQ;

/** How to reach the Redis that holds the queue. */
export interface BullMQConnectionOptions {
  /** `redis://[[user]:password@]host[:port][/db]`; igluc makes the connection (with ioredis) and closes it. @defaultValue "redis://127.0.0.1:6379" */
  url?: string;
  /**
   * BullMQ's `connection` option as is: connection options, or a client of
   * the application's (an ioredis instance), which igluc never closes.
   */
  connection?: ConnectionOptions;
  /** BullMQ's key prefix. @defaultValue "bull" */
  prefix?: string;
}

export function loadBullMQ(owner: string): BullMQModule {
  return requireOptional<BullMQModule>("bullmq", owner, "(an optional peer dependency of @igluc/runtime)");
}

/** The application's own `connection` option, checked (a connection from a URL is openIORedis's). */
export function connectionOf(options: BullMQConnectionOptions, owner: string): ConnectionOptions {
  if (options.connection === null || typeof options.connection !== "object") throw new TypeError(`${owner}: connection must be BullMQ connection options or a Redis client, got ${describeValue(options.connection)}`);
  if (options.url !== undefined) throw new TypeError(`${owner}: give url or connection, not both`);
  return options.connection as ConnectionOptions;
}

/** The `url` option, checked; the default Redis when there is none. */
export function connectionUrl(options: BullMQConnectionOptions, owner: string): string {
  const url = options.url ?? "redis://127.0.0.1:6379";
  if (typeof url !== "string" || !/^rediss?:\/\//.test(url)) throw new TypeError(`${owner}: url must be a redis:// or rediss:// URL, got ${describeValue(url)}`);
  return url;
}

/** The little of an ioredis client igluc uses. */
interface IORedisClient {
  readonly stream?: { unref?(): void };
  /** ioredis's timer before its next connection attempt. */
  readonly reconnectTimeout?: { unref?(): void };
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
  duplicate(...args: unknown[]): IORedisClient;
}

/**
 * An ioredis connection from a URL, which igluc closes itself, with every
 * copy BullMQ makes of it (a worker's blocking connection): when Redis is out
 * of reach BullMQ's own close cannot finish, and a connection left retrying
 * would keep the process alive after close().
 * - For an emitter (`worker` false): commands fail at once while Redis is out
 *   of reach (no offline queue growing in memory), and the socket does not
 *   keep the process alive on its own (as igluc's other Redis connections):
 *   a script that tracks and ends still reaches beforeExit, where the emitter
 *   sends what waits and closes.
 * - For a worker: the options BullMQ requires of a worker's connection
 *   (commands wait for a reconnection), and a process kept alive by it.
 */
export function openIORedis(url: string, owner: string, worker = false): { client: ConnectionOptions; close(timeoutMs: number): Promise<void> } {
  const loaded = requireOptional<{ default?: unknown }>("ioredis", owner, "to connect to Redis from a URL (BullMQ connects with it; or pass connection: a client of your own)");
  const IORedis = (loaded.default ?? loaded) as new (url: string, options: object) => IORedisClient;
  const client = new IORedis(url, worker ? { maxRetriesPerRequest: null } : { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const clients: IORedisClient[] = [];
  const track = (made: IORedisClient): IORedisClient => {
    clients.push(made);
    if (!worker) {
      // Neither the socket nor, while Redis is out of reach, the timer of the next attempt keeps the process alive.
      const unref = (): void => { made.stream?.unref?.(); made.reconnectTimeout?.unref?.(); };
      made.on("connect", unref);
      made.on("reconnecting", unref);
      queueMicrotask(unref);
    }
    // Errors reach BullMQ's own 'error' listeners; this one only keeps an unheard one from throwing.
    made.on("error", () => undefined);
    const duplicate = made.duplicate.bind(made);
    made.duplicate = (...args: unknown[]) => track(duplicate(...args));
    return made;
  };
  track(client);
  return {
    client: client as unknown as ConnectionOptions,
    async close(timeoutMs) {
      // QUIT when connected; a QUIT refused (Redis out of reach) or late, and reconnecting, must stop too.
      await settledWithin(Promise.all(clients.map((made) => made.quit().catch(() => undefined))), timeoutMs);
      for (const made of clients) made.disconnect();
    },
  };
}

export function queueName(name: unknown, owner: string): string {
  if (typeof name !== "string" || name === "" || name.includes(":")) throw new TypeError(`${owner}: queue must be a non-empty queue name without ':', got ${describeValue(name)}`);
  return name;
}

