/**
 * RedisEmitter: instead of sending events, puts each one into a Redis list
 * (its payload as JSON, `RPUSH`), for another process (a RedisWorker) to
 * send; as the Snowplow Python tracker's RedisEmitter does, with the same
 * default key, "snowplow". Events pushed in the same tick go as one command.
 * Never throws into the host: a push that fails is retried with backoff, and
 * reported; what cannot be pushed by `close`'s deadline is reported too.
 */
import type { CloseOptions, CloseReport, TrackerEmitter } from "../emitter/types.js";
import { describeValue } from "../describe.js";
import { registerForExit } from "../exit.js";
import { resolveLogger, type Logger, type LogLevel } from "../logger.js";
import type { Payload } from "../protocol.js";
import { openRedis, type RedisCommander, type RedisConnection, type RedisConnectionOptions } from "./connection.js";

export interface RedisEmitterOptions extends RedisConnectionOptions {
  /** The list events are pushed to. @defaultValue "snowplow" */
  key?: string;
  /** Most events held in memory while Redis cannot be reached; more are dropped and reported. @defaultValue 100_000 */
  capacity?: number;
  /**
   * On Node, when the event loop empties (`beforeExit`), push what waits
   * within `timeoutMs`, then close; `false` only reports what is left.
   * @defaultValue { timeoutMs: 3_000 }
   */
  flushOnExit?: boolean | { readonly timeoutMs?: number };
  logger?: Logger | LogLevel;
}

export interface RedisEmitterStats {
  /** Events in Redis. */
  readonly pushed: number;
  /** Events dropped because Redis stayed out of reach and the buffer was full. */
  readonly dropped: number;
  /** Events waiting to be pushed. */
  readonly waiting: number;
}

const PUSH_BATCH = 1000;

export class RedisEmitter implements TrackerEmitter {
  readonly key: string;
  readonly #connection: RedisConnection;
  readonly #redis: RedisCommander;
  readonly #logger: Logger;
  readonly #capacity: number;
  #waiting: string[] = [];
  #pushing: Promise<void> | undefined;
  #scheduled = false;
  #failures = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #stats = { pushed: 0, dropped: 0 };
  #closing: Promise<CloseReport> | undefined;
  readonly #unregisterExit: () => void;

  constructor(options: RedisEmitterOptions = {}) {
    this.key = options.key ?? "snowplow";
    if (typeof this.key !== "string" || this.key === "") throw new TypeError(`RedisEmitter: key must be a non-empty string, got ${describeValue(options.key)}`);
    this.#capacity = options.capacity ?? 100_000;
    if (typeof this.#capacity !== "number" || !Number.isInteger(this.#capacity) || this.#capacity < 1) throw new TypeError(`RedisEmitter: capacity must be a positive integer, got ${describeValue(options.capacity)}`);
    const onExit = options.flushOnExit ?? true;
    const exitTimeout = onExit === false ? 0 : onExit === true ? 3_000 : onExit.timeoutMs ?? 3_000;
    if (typeof exitTimeout !== "number" || !(exitTimeout >= 0)) throw new TypeError(`RedisEmitter: flushOnExit must be true, false or { timeoutMs }, got ${describeValue(onExit)}`);
    this.#logger = resolveLogger(options.logger);
    this.#connection = openRedis(options, this.#logger, "RedisEmitter");
    this.#redis = this.#connection.commander;
    this.#unregisterExit = registerForExit({
      atExit: async () => {
        if (this.#closing !== undefined || this.#waiting.length === 0) return;
        this.#closing = this.#close(exitTimeout, "before the process exited");
        await this.#closing;
      },
      atExitNow: () => {
        if (this.#closing !== undefined || this.#waiting.length === 0) return;
        this.#logger.error(`RedisEmitter: the process is exiting with ${this.#waiting.length} event(s) not pushed to Redis; they are lost (await close() before process.exit())`);
      },
    });
  }

  input(payload: Payload, json?: string): void {
    if (this.#closing !== undefined) {
      this.#stats.dropped++;
      this.#logger.warn("RedisEmitter: closed; event dropped");
      return;
    }
    if (this.#waiting.length >= this.#capacity) {
      this.#stats.dropped++;
      if (this.#stats.dropped === 1 || this.#stats.dropped % 1000 === 0) this.#logger.error(`RedisEmitter: Redis out of reach and ${this.#capacity} events waiting; ${this.#stats.dropped} dropped so far`);
      return;
    }
    this.#waiting.push(json ?? JSON.stringify(payload));
    if (!this.#scheduled && this.#retry === undefined) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        void this.#push();
      });
    }
  }

  /** Resolves when everything input so far is in Redis, or a push failed (it is retried later). Never rejects. */
  async flush(): Promise<void> {
    await this.#push();
  }

  #push(): Promise<void> {
    this.#pushing ??= (async () => {
      try {
        while (this.#waiting.length > 0) {
          const batch = this.#waiting.slice(0, PUSH_BATCH);
          await this.#redis.sendCommand(["RPUSH", this.key, ...batch]);
          this.#waiting.splice(0, batch.length);
          this.#stats.pushed += batch.length;
          if (this.#failures > 0) this.#logger.info("RedisEmitter: Redis takes events again");
          this.#failures = 0;
        }
      } catch (error) {
        this.#failures++;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(this.#failures, 7));
        if (this.#failures === 1) this.#logger.warn(`RedisEmitter: could not push ${this.#waiting.length} event(s) to Redis; they wait in memory (at most ${this.#capacity}) and are tried again`, { error: String(error) });
        this.#retry ??= setTimeout(() => {
          this.#retry = undefined;
          void this.#push();
        }, delay);
        this.#retry.unref?.();
      } finally {
        this.#pushing = undefined;
      }
    })();
    return this.#pushing;
  }

  /** Pushes what waits within the deadline, then closes the connection if it opened it; all by the deadline. */
  close(options: CloseOptions = {}): Promise<CloseReport> {
    this.#closing ??= this.#close(options.timeoutMs ?? 5_000, `before the close deadline (${options.timeoutMs ?? 5_000} ms)`);
    return this.#closing;
  }

  async #close(timeoutMs: number, when: string): Promise<CloseReport> {
    this.#unregisterExit();
    const deadline = Date.now() + timeoutMs;
    /** A short wait, never past the deadline. */
    const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(250, deadline - Date.now()))));
    while (this.#waiting.length > 0 && Date.now() < deadline) {
      await Promise.race([this.#push(), pause()]);
      if (this.#waiting.length > 0 && this.#failures > 0) await pause();
    }
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
    const remaining = this.#waiting.length;
    if (remaining > 0) {
      this.#logger.error(`RedisEmitter: ${remaining} event(s) could not be pushed to Redis ${when} and are lost`);
      this.#stats.dropped += remaining;
      this.#waiting = [];
    }
    await this.#connection.close(Math.max(0, deadline - Date.now()));
    return { remaining, timedOut: remaining > 0 };
  }

  stats(): RedisEmitterStats {
    return { ...this.#stats, waiting: this.#waiting.length };
  }
}
