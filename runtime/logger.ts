/**
 * Logging for the runtime: levels, silence, and a pluggable sink.
 *
 * The runtime reports everything it cannot throw (network failures, dropped
 * events, callback errors) through a Logger, never through exceptions.
 */

export type LogLevel = "silent" | "error" | "warn" | "info" | "debug";

/** Anything with these four methods can receive the runtime's messages. */
export interface Logger {
  error(message: string, details?: Readonly<Record<string, unknown>>): void;
  warn(message: string, details?: Readonly<Record<string, unknown>>): void;
  info(message: string, details?: Readonly<Record<string, unknown>>): void;
  debug(message: string, details?: Readonly<Record<string, unknown>>): void;
}

const RANK: Readonly<Record<LogLevel, number>> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export interface LoggerOptions {
  /** Messages below this level are discarded. @defaultValue "warn" */
  level?: LogLevel;
  /** Where messages go. @defaultValue the global `console` */
  sink?: Logger;
  /** Text put before every message. @defaultValue "[igluc]" */
  prefix?: string;
}

/**
 * Creates a logger that forwards messages at or above `level` to `sink`.
 * A sink that throws is ignored: logging never breaks the host.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? "warn"];
  const sink: Logger = options.sink ?? console;
  const prefix = options.prefix ?? "[igluc]";
  const emit = (level: Exclude<LogLevel, "silent">) =>
    (message: string, details?: Readonly<Record<string, unknown>>): void => {
      if (RANK[level] > threshold) return;
      try {
        const text = prefix === "" ? message : `${prefix} ${message}`;
        if (details === undefined) sink[level](text);
        else sink[level](text, details);
      } catch {
        // A broken sink must not break tracking.
      }
    };
  return { error: emit("error"), warn: emit("warn"), info: emit("info"), debug: emit("debug") };
}

/** A logger that discards everything. */
export const silentLogger: Logger = createLogger({ level: "silent" });

/** Accepts a Logger, a level for the console logger, or nothing (console at "warn"). */
export function resolveLogger(logger: Logger | LogLevel | undefined): Logger {
  if (logger === undefined) return createLogger();
  if (typeof logger === "string") return createLogger({ level: logger });
  return logger;
}
