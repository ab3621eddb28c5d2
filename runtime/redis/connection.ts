/**
 * The little of Redis the runtime needs: send a command, run a Lua script,
 * each within a deadline whatever Redis does (unreachable, wrong password,
 * paused, slow).
 *
 * A connection is either given (any client with node-redis's
 * `sendCommand(args)`, so an application shares its own) or made from a URL
 * with @redis/client, an optional peer dependency that is loaded only then.
 * A connection igluc makes does not keep the process alive on its own (the
 * emitter's exit handling sends what is left), does not queue commands while
 * disconnected (so nothing stale runs later), and reconnects in the background.
 */
import { createHash } from "node:crypto";
import { requireOptional } from "../platform/optional.js";
import { describeValue } from "../describe.js";
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
  /** The deadline of one Redis command, waiting for the connection included, in ms. @defaultValue 5_000 */
  commandTimeout?: number;
}

export interface RedisConnection {
  readonly commander: RedisCommander;
  /** The deadline of one command, in ms. */
  readonly timeout: number;
  /** Closes the connection if igluc made it, within `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

interface OwnedClient extends RedisCommander {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): void;
  ref?(): void;
  unref?(): void;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "ready", listener: () => void): unknown;
  sendCommand(args: readonly string[], options?: { timeout?: number }): Promise<unknown>;
}

type CreateClient = (options: object) => OwnedClient;

/** Logs a repeated connection error once a minute, not once per reconnection attempt. */
const REPEAT_LOG_MS = 60_000;

/**
 * Opens (lazily, on the first command) the connection the options describe.
 * Throws at once when the options are wrong or @redis/client is missing.
 */
export function openRedis(options: RedisConnectionOptions, logger: Logger, owner: string): RedisConnection {
  const timeout = options.commandTimeout ?? 5_000;
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 1) {
    throw new TypeError(`${owner}: commandTimeout must be a positive integer of ms, got ${describeValue(timeout)}`);
  }
  if (options.client !== undefined) {
    if (typeof options.client?.sendCommand !== "function") throw new TypeError(`${owner}: client must be a Redis client with sendCommand(args), such as node-redis's`);
    const client = options.client;
    return {
      timeout,
      commander: { sendCommand: (args) => deadline(client.sendCommand(args), timeout, () => `Redis did not answer ${args[0]} within ${timeout} ms`) },
      close: async () => undefined,
    };
  }
  const url = options.url ?? "redis://127.0.0.1:6379";
  if (typeof url !== "string") throw new TypeError(`${owner}: url must be a redis:// URL, got ${describeValue(url)}`);
  const where = describeServer(url, owner);
  const createClient = loadCreateClient(owner);

  let client: OwnedClient | undefined;
  let lastError: Error | undefined;
  let lastLogged = { message: "", at: 0 };
  let busy = 0;
  let closed = false;
  const connect = (): OwnedClient => {
    if (client !== undefined) return client;
    if (closed) throw new Error(`${owner}: the Redis connection is closed`);
    const made = createClient({
      url,
      disableOfflineQueue: true,
      socket: { connectTimeout: timeout, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 3_000) },
    });
    made.on("error", (error) => {
      lastError = error;
      const message = explain(error, where);
      const now = Date.now();
      if (message === lastLogged.message && now - lastLogged.at < REPEAT_LOG_MS) return;
      lastLogged = { message, at: now };
      if (isAuthError(error)) logger.error(`${owner}: ${message}`);
      else logger.warn(`${owner}: ${message} (reconnecting)`);
    });
    made.on("ready", () => {
      if (lastError !== undefined) logger.info(`${owner}: connected to Redis at ${where} again`);
      lastError = undefined;
      lastLogged = { message: "", at: 0 };
    });
    // node-redis reconnects by itself; the promise settles only once it is up.
    made.connect().catch((error: unknown) => { lastError = error instanceof Error ? error : new Error(String(error)); });
    made.unref?.();
    client = made;
    return made;
  };
  /** Waits (at most the command deadline) for the connection to be up; then fails with why it is not. */
  const ready = (c: OwnedClient): Promise<void> => {
    if (c.isReady) return Promise.resolve();
    const started = Date.now();
    return new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (c.isReady) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() - started >= timeout || client !== c) {
          clearInterval(poll);
          reject(new Error(`Redis at ${where} is not reachable${lastError === undefined ? ` within ${timeout} ms` : `: ${explain(lastError, where)}`}`));
        }
      }, 10);
    });
  };
  return {
    timeout,
    commander: {
      async sendCommand(args) {
        const c = connect();
        // Held open while a command waits, as an HTTP request is; idle, the connection lets the process end.
        if (busy++ === 0) c.ref?.();
        try {
          await ready(c);
          return await deadline(c.sendCommand(args, { timeout }), timeout + 50, () => `Redis at ${where} did not answer ${args[0]} within ${timeout} ms`);
        } finally {
          if (--busy === 0) c.unref?.();
        }
      },
    },
    async close(timeoutMs = timeout) {
      closed = true;
      const c = client;
      client = undefined;
      if (c === undefined) return;
      try {
        if (c.isReady) await deadline(Promise.resolve(c.close?.() ?? c.quit?.()), timeoutMs, () => "close timed out");
      } catch (error) {
        logger.debug(`${owner}: closing the Redis connection did not finish cleanly`, { error: String(error) });
      }
      try {
        c.destroy?.();
      } catch {
        // already closed
      }
    },
  };
}

/** @redis/client, loaded now so a missing package is a configuration error at construction, not a network failure later. */
function loadCreateClient(owner: string): CreateClient {
  const module = requireOptional<{ createClient?: unknown }>("@redis/client", owner, "");
  if (typeof module.createClient !== "function") throw new Error(`${owner}: the installed @redis/client has no createClient`);
  return module.createClient as CreateClient;
}

/** `host:port` of a Redis URL, for messages: never the password. */
function describeServer(url: string, owner: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${owner}: url must be a redis:// or rediss:// URL, got a string that is not a URL`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new TypeError(`${owner}: url must start with redis:// or rediss://, not ${parsed.protocol}//`);
  }
  return `${parsed.hostname}:${parsed.port === "" ? "6379" : parsed.port}`;
}

function isAuthError(error: Error): boolean {
  return /WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(error.message);
}

function explain(error: Error, where: string): string {
  const code = (error as { code?: unknown }).code;
  if (isAuthError(error)) return `Redis at ${where} rejected the credentials (${error.message.split("\n")[0]}); check the user and password in the URL`;
  if (code === "ECONNREFUSED") return `Redis at ${where} refused the connection`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `Redis host ${where} could not be resolved`;
  return `Redis at ${where}: ${error.message.split("\n")[0]}`;
}

/** `promise`, or a rejection with `message()` once `ms` have passed. */
export function deadline<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
    timer.unref?.();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
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
