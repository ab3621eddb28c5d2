/**
 * Graceful shutdown, opt in: close trackers (or emitters) when the process is
 * asked to stop (SIGINT, SIGTERM) or runs out of work (`beforeExit`), within
 * a deadline, and report what could not be sent. With a durable store
 * (RedisEventStore) what remains is still there for the next run.
 *
 * Serverless handlers, which are frozen rather than stopped, should instead
 * `await tracker.flush()` before returning.
 */
import type { CloseOptions, CloseReport } from "./emitter/types.js";
import { resolveLogger, type Logger, type LogLevel } from "./logger.js";

/** Anything that closes within a deadline: a Tracker, an Emitter, a RedisEmitter. */
export interface Closable {
  close(options?: CloseOptions): Promise<CloseReport | readonly CloseReport[] | void>;
}

export interface ShutdownOptions {
  /** How long closing may take, in ms. @defaultValue 5_000 */
  timeoutMs?: number;
  /** Signals to handle. @defaultValue ["SIGINT", "SIGTERM"] */
  signals?: readonly ("SIGINT" | "SIGTERM" | "SIGHUP" | "SIGQUIT")[];
  /** After a signal, end the process (with 128 + the signal's number) once closed. @defaultValue true */
  exit?: boolean;
  /** Called with what was left unsent, after closing. */
  onClosed?: (remaining: number) => void;
  logger?: Logger | LogLevel;
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 };

/**
 * Hooks process signals and `beforeExit` so `targets` are closed once, in
 * time. Returns a function that removes the hooks.
 */
interface SignalProcess {
  on(event: string, listener: (signal: string) => void): unknown;
  off(event: string, listener: (signal: string) => void): unknown;
  once(event: string, listener: () => void): unknown;
  exit(code: number): never;
}

export function closeOnExit(targets: Closable | readonly Closable[], options: ShutdownOptions = {}): () => void {
  const found = (globalThis as { process?: Partial<SignalProcess> }).process as SignalProcess | undefined;
  if (typeof found?.on !== "function") throw new TypeError("closeOnExit: this runtime has no Node-style process to hook; close the tracker yourself (on Workers: ctx.waitUntil(tracker.flush()))");
  const process: SignalProcess = found;
  const list = Array.isArray(targets) ? [...(targets as readonly Closable[])] : [targets as Closable];
  const logger = resolveLogger(options.logger);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  let closing: Promise<number> | undefined;

  const close = (): Promise<number> => {
    closing ??= (async () => {
      const reports = await Promise.all(list.map(async (t) => {
        try {
          return await t.close({ timeoutMs });
        } catch (error) {
          logger.error("closing on exit failed", { error });
          return undefined;
        }
      }));
      const remaining = reports.flat().reduce((n, r) => n + ((r as CloseReport | undefined)?.remaining ?? 0), 0);
      if (remaining > 0) logger.warn(`${remaining} event(s) were not sent before shutdown`);
      options.onClosed?.(remaining);
      return remaining;
    })();
    return closing;
  };

  const onSignal = (signal: string): void => {
    void close().then(() => {
      if (options.exit === false) return;
      unhook();
      process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0));
    });
  };
  const onBeforeExit = (): void => void close();
  for (const s of signals) process.on(s, onSignal);
  process.once("beforeExit", onBeforeExit);

  function unhook(): void {
    for (const s of signals) process.off(s, onSignal);
    process.off("beforeExit", onBeforeExit);
  }
  return unhook;
}
