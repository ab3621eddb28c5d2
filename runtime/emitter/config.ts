/**
 * The emitter's options: declared once here, checked once, and resolved into
 * a fully defaulted settings object the emitter runs on.
 */
import { describeValue } from "../describe.js";
import { resolveLogger, type Logger, type LogLevel } from "../logger.js";
import type { Payload } from "../protocol.js";
import type { EventStore } from "../store/event-store.js";
import { parseEndpoint } from "./endpoint.js";
import { createRetryPolicy, type RetryOptions, type RetryPolicy } from "./retry.js";
import type { Transport } from "./transport-types.js";
import type { FailureInfo } from "./types.js";

export interface EmitterConfig {
  /** Collector host or URL; a bare host means https on 443. Required. */
  endpoint: string;
  /** @defaultValue "post" */
  method?: "get" | "post";
  /** Scheme for a bare-host endpoint. @defaultValue "https" */
  protocol?: "http" | "https";
  /** Port for an endpoint that names none. */
  port?: number;
  /**
   * How many events must wait before a request is sent (as the Python tracker's
   * batch_size); each POST then carries every waiting event that fits in
   * byteLimit. @defaultValue 10 for POST, 1 for GET (one event per GET request)
   */
  batchSize?: number;
  /** Largest POST body in bytes; a single larger event is sent alone, with a warning. @defaultValue 40_000 */
  byteLimit?: number;
  /**
   * The deadline of one request, in ms, from the moment it is handed to the
   * transport until its response status: connecting, sending and waiting
   * included. @defaultValue 5_000
   */
  requestTimeout?: number;
  /** Requests in flight at once. @defaultValue 4 */
  maxConcurrentRequests?: number;
  /** Per-status retry decisions overriding the defaults (400, 401, 403, 410, 422 are not retried; other failures are). */
  customRetryCodes?: Readonly<Record<number, boolean>>;
  /** Backoff settings, or `false` to never retry (not even network errors). */
  retry?: false | RetryOptions;
  /** Where events wait. @defaultValue new InMemoryEventStore({ capacity: 10_000 }) */
  eventStore?: EventStore;
  /**
   * Ms between automatic flushes of a partial batch, so a lone event does not
   * wait for the batch to fill; `0` turns it off. @defaultValue 1_000
   */
  flushInterval?: number;
  /**
   * On Node, when the event loop empties (`beforeExit`) while events wait,
   * send them before the process exits, trying for at most `timeoutMs`; what
   * still cannot be sent is reported (logger and `onFailure`, reason `exit`).
   * `false` sends nothing at exit and only reports. @defaultValue { timeoutMs: 3_000 }
   */
  flushOnExit?: boolean | { readonly timeoutMs?: number };
  /** Called after each successful request with the events it carried. */
  onSuccess?: (events: readonly Payload[]) => void;
  /** Called after each failed request, and for every event dropped. */
  onFailure?: (failure: FailureInfo) => void;
  /** A Logger, or a level for the console logger. @defaultValue "warn" */
  logger?: Logger | LogLevel;
  /** Extra request headers, e.g. `{ "SP-Anonymous": "*" }`. */
  headers?: Readonly<Record<string, string>>;
  /**
   * How requests are sent: `"http"` (Node's default: Node's own http/https
   * with keep-alive connections), `"fetch"` (the standard fetch: the default
   * everywhere else, and a choice on Node), `"undici"` (on Node, with the
   * optional `undici` package installed), or a Transport of your own.
   */
  transport?: Transport | "http" | "fetch" | "undici";
  /**
   * An `http.Agent` (or `https.Agent`, a proxy agent…) for Node's http
   * transport, used instead of the emitter's own keep-alive agent. Typed
   * loosely so the runtime's declarations need no Node types.
   */
  agent?: object;
  /**
   * An undici Dispatcher (an Agent, a ProxyAgent…): chooses the undici
   * transport. Typed loosely so the runtime's declarations need no undici types.
   */
  dispatcher?: object;
  /** Credentials mode of the fetch transport in browsers (`"include"` sends the collector's cookies). */
  credentials?: "omit" | "same-origin" | "include";
}

/** Every setting the emitter runs on, checked and defaulted. */
export interface EmitterSettings {
  readonly origin: string;
  readonly basePath: string;
  readonly method: "GET" | "POST";
  readonly batchSize: number;
  readonly byteLimit: number;
  readonly requestTimeout: number;
  readonly maxConcurrent: number;
  readonly retry: RetryPolicy;
  readonly flushInterval: number;
  /** Ms to try at exit; undefined: report only. */
  readonly exitTimeout: number | undefined;
  readonly onSuccess: ((events: readonly Payload[]) => void) | undefined;
  readonly onFailure: ((failure: FailureInfo) => void) | undefined;
  readonly logger: Logger;
  readonly headers: Readonly<Record<string, string>>;
  readonly transport: Transport | "http" | "fetch" | "undici" | undefined;
  readonly agent: object | undefined;
  readonly dispatcher: object | undefined;
  readonly credentials: "omit" | "same-origin" | "include" | undefined;
  readonly eventStore: EventStore | undefined;
}

/** Checks a configuration as a plain JavaScript caller may pass it; throws a TypeError naming the option. */
export function resolveEmitterConfig(config: EmitterConfig): EmitterSettings {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new TypeError(`Emitter: expected an options object like { endpoint: "collector.example.com" }, got ${describeValue(config)}`);
  }
  const address = parseEndpoint(config.endpoint, config.protocol, config.port);
  const method = config.method ?? "post";
  if (method !== "get" && method !== "post") throw new TypeError(`Emitter: method must be "get" or "post", got ${describeValue(method)}`);
  const flushInterval = config.flushInterval ?? 1_000;
  if (flushInterval !== 0) positiveInt("flushInterval", flushInterval, "a number of ms, or 0 for none");
  return {
    origin: address.origin,
    basePath: address.basePath,
    method: method === "get" ? "GET" : "POST",
    batchSize: positiveInt("batchSize", config.batchSize ?? (method === "get" ? 1 : 10)),
    byteLimit: positiveInt("byteLimit", config.byteLimit ?? 40_000),
    requestTimeout: positiveInt("requestTimeout", config.requestTimeout ?? 5_000),
    maxConcurrent: positiveInt("maxConcurrentRequests", config.maxConcurrentRequests ?? 4),
    retry: createRetryPolicy(config.retry, config.customRetryCodes),
    flushInterval,
    exitTimeout: exitTimeout(config.flushOnExit),
    onSuccess: callback("onSuccess", config.onSuccess),
    onFailure: callback("onFailure", config.onFailure),
    logger: resolveLogger(config.logger),
    headers: headers(config.headers),
    transport: transport(config.transport),
    agent: config.agent,
    dispatcher: config.dispatcher,
    credentials: credentials(config.credentials),
    eventStore: config.eventStore,
  };
}

export function positiveInt(name: string, value: unknown, what = "a positive integer"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`Emitter: ${name} must be ${what}, got ${describeValue(value)}`);
  }
  return value;
}

function exitTimeout(option: EmitterConfig["flushOnExit"]): number | undefined {
  if (option === undefined || option === true) return 3_000;
  if (option === false) return undefined;
  if (option === null || typeof option !== "object") {
    throw new TypeError(`Emitter: flushOnExit must be true, false or { timeoutMs }, got ${describeValue(option)}`);
  }
  return positiveInt("flushOnExit.timeoutMs", option.timeoutMs ?? 3_000);
}

function callback<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") throw new TypeError(`Emitter: ${name} must be a function, got ${describeValue(value)}`);
  return value;
}

function headers(value: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TypeError(`Emitter: headers must be an object of strings, got ${describeValue(value)}`);
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== "string") throw new TypeError(`Emitter: header "${name}" must be a string, got ${describeValue(text)}`);
  }
  return { ...value };
}

function transport(value: EmitterConfig["transport"]): EmitterSettings["transport"] {
  if (value === undefined || value === "http" || value === "fetch" || value === "undici") return value;
  if (value === null || typeof value !== "object" || typeof value.send !== "function" || typeof value.close !== "function") {
    throw new TypeError(`Emitter: transport must be "http", "fetch", "undici" or an object with send(request, signal) and close(), got ${describeValue(value)}`);
  }
  return value;
}

function credentials(value: unknown): EmitterSettings["credentials"] {
  if (value === undefined || value === "omit" || value === "same-origin" || value === "include") return value;
  throw new TypeError(`Emitter: credentials must be "omit", "same-origin" or "include", got ${describeValue(value)}`);
}
