/**
 * The little of Redis the runtime needs: send a command, run a Lua script.
 * A connection is either given (any client with node-redis's
 * `sendCommand(args)`, so an application shares its own) or made from a URL
 * with @redis/client, which is loaded only then: nothing Redis-related loads
 * unless Redis is used. @redis/client is an optional peer dependency.
 */
import { createHash } from "node:crypto";
import type { Logger } from "../logger.js";

/** A Redis connection: node-redis (`createClient()` from `redis` or `@redis/client`) satisfies it. */
export interface RedisCommander {
  sendCommand(args: readonly string[]): Promise<unknown>;
}

export interface RedisConnectionOptions {
  /** `redis://[[user]:password@]host[:port][/db]`; the connection is made and closed by igluc. */
  url?: string;
  /** A connected client of the application's (it stays open when igluc closes). */
  client?: RedisCommander;
}

export interface RedisConnection {
  readonly commander: RedisCommander;
  /** Closes the connection if igluc made it. */
  close(): Promise<void>;
}

interface OwnedClient extends RedisCommander {
  connect(): Promise<unknown>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** Opens (lazily, on the first command) the connection the options describe. */
export function openRedis(options: RedisConnectionOptions, logger: Logger, owner: string): RedisConnection {
  if (options.client !== undefined) {
    if (typeof options.client.sendCommand !== "function") throw new TypeError(`${owner}: client must be a Redis client with sendCommand(args), such as node-redis's`);
    return { commander: options.client, close: async () => undefined };
  }
  const url = options.url ?? "redis://127.0.0.1:6379";
  let ready: Promise<OwnedClient> | undefined;
  const connect = (): Promise<OwnedClient> => {
    ready ??= (async () => {
      let createClient: (options: { url: string }) => OwnedClient;
      try {
        ({ createClient } = (await import("@redis/client" as string)) as { createClient: typeof createClient });
      } catch {
        throw new Error(`${owner} needs the @redis/client package: npm install @redis/client`);
      }
      const client = createClient({ url });
      // Without a listener a lost connection would throw into the host; node-redis reconnects by itself.
      client.on("error", (error) => logger.warn(`${owner}: Redis connection error (reconnecting)`, { error: error.message }));
      await client.connect();
      return client;
    })();
    ready.catch(() => { ready = undefined; });
    return ready;
  };
  return {
    commander: { sendCommand: async (args) => (await connect()).sendCommand(args) },
    async close() {
      if (ready === undefined) return;
      const client = await ready.catch(() => undefined);
      ready = undefined;
      if (client === undefined) return;
      try {
        await (client.close?.() ?? client.quit?.());
      } catch (error) {
        logger.debug(`${owner}: closing the Redis connection failed`, { error });
      }
    },
  };
}

/** A Lua script run by hash, loaded on first use (EVALSHA, then EVAL when the server does not know it). */
export interface RedisScript {
  run(redis: RedisCommander, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

export function redisScript(source: string): RedisScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return {
    async run(redis, keys, args) {
      const tail = [String(keys.length), ...keys, ...args.map(String)];
      try {
        return await redis.sendCommand(["EVALSHA", sha, ...tail]);
      } catch (error) {
        if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
        return redis.sendCommand(["EVAL", source, ...tail]);
      }
    },
  };
}
