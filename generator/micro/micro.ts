/**
 * `startMicro()`: igluc micro for tests (node:test, vitest, jest): a
 * validating collector on a free loopback port, and helpers to look at what
 * it received: counts, good and bad events, one event by id, a bounded wait
 * for N events, and `expectGood`, an assertion whose failure lists the bad
 * events' messages.
 */
import { AssertionError } from "node:assert";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { formatDiagnostic, type Diagnostic } from "../diagnostics.js";
import { OptionsError, optionProblem } from "../errors.js";
import { resolveRemote, type GenerateOptions } from "../options/resolve.js";
import { syncSchemas } from "../remote/sync.js";
import { SchemaSet } from "./schemas.js";
import { listen, type ServerLimits } from "./server.js";
import { EventStore, type Counts, type MicroEvent } from "./store.js";


/**
 * What tests get: plain objects, every field an own property (the store
 * keeps good events' parts encoded and decodes them when read), so
 * spreading, Object.keys and deepEqual see what JSON does.
 */
function plain(event: MicroEvent): MicroEvent {
  const json = (event as { toJSON?: () => MicroEvent }).toJSON;
  return typeof json === "function" ? json.call(event) : event;
}

export type { MicroEvent, Counts };

/** Where schemas come from (as for `generate`), and micro's own settings. */
export type StartMicroOptions = Pick<GenerateOptions, "schemas" | "registries" | "resolver" | "lockfile" | "cacheDir" | "offline" | "apikey" | "http" | "cwd"> & {
  /** 0 (the default here; the CLI's is 9090) takes a free port. */
  port?: number;
  /** Largest request body, in bytes. @defaultValue 1 MB */
  maxBodyBytes?: number;
  /** Events in one POST at most. @defaultValue 1000 */
  maxEventsPerRequest?: number;
  /** Entities in one event at most. @defaultValue 1000 */
  maxEntities?: number;
  /** Events kept; past it the oldest are dropped (and counted). @defaultValue 100000 */
  maxStoredEvents?: number;
  /** Bytes of kept events, as they were sent; past it the oldest are dropped (and counted). @defaultValue 256 MiB */
  maxStoredBytes?: number;
  /** @defaultValue 10000 */
  requestTimeoutMs?: number;
  /** Called with each event as it is kept (the CLI logs the bad ones). */
  onEvent?: (event: MicroEvent) => void;
};

export const MICRO_DEFAULTS = {
  maxBodyBytes: 1024 * 1024, maxEventsPerRequest: 1000, maxEntities: 1000, maxStoredEvents: 100_000, maxStoredBytes: 256 * 1024 * 1024, requestTimeoutMs: 10_000, maxMessages: 50,
} as const;

/** What `expectGood` looks for: an event of this schema (unstructured), or of this type, with this data (deep equality) if given. */
export interface Expected {
  readonly schema?: string;
  readonly eventType?: string;
  readonly data?: unknown;
}

export interface Micro {
  /** `http://127.0.0.1:PORT`: the tracker's endpoint. */
  readonly url: string;
  readonly port: number;
  /** Schemas micro knows, and notices from reading the registries. */
  readonly schemas: { readonly count: number; readonly diagnostics: readonly Diagnostic[] };
  good(): MicroEvent[];
  bad(): MicroEvent[];
  all(): Counts;
  reset(): void;
  /** The event sent with this `eid` (the last one, if sent twice). */
  event(eventId: string): MicroEvent | undefined;
  /**
   * Resolves with every event kept once at least `count` arrived (good or bad, those dropped past the store's
   * bounds included); rejects after `timeoutMs` (default 5000).
   */
  waitFor(count: number, options?: { timeoutMs?: number }): Promise<MicroEvent[]>;
  /** Resolves with the first good event matching; otherwise throws, after `timeoutMs` (default 2000), an AssertionError listing the bad events' messages. */
  expectGood(expected: Expected, options?: { timeoutMs?: number }): Promise<MicroEvent>;
  close(): Promise<void>;
}

/** Events that arrived since the last reset: those kept, and those dropped past the store's bounds. */
function arrived(c: Counts): number {
  return c.total + c.dropped;
}

function matches(e: MicroEvent, expected: Expected): boolean {
  if (expected.schema !== undefined && e.schema !== expected.schema) return false;
  if (expected.eventType !== undefined && e.eventType !== expected.eventType) return false;
  return !("data" in expected) || isDeepStrictEqual(e.event?.data, expected.data);
}

/** The bad events' messages, for an assertion that failed. */
function describeBad(bad: readonly MicroEvent[], max = 20): string {
  if (bad.length === 0) return "no bad events";
  const lines = bad.slice(0, max).map((e) => `  ${e.eventId ?? "(no eid)"}: ${e.messages.join("\n    ")}`);
  return `${bad.length} bad event${bad.length === 1 ? "" : "s"}:\n${lines.join("\n")}${bad.length > max ? `\n  … and ${bad.length - max} more` : ""}`;
}

async function loadSchemas(options: StartMicroOptions, cwd: string): Promise<SchemaSet> {
  const dirs = (options.schemas ?? []).map((s) => path.resolve(cwd, s));
  const diagnostics: Diagnostic[] = [];
  const remote = resolveRemote(options, cwd);
  if (remote !== undefined) {
    // The lockfile is read, never written: micro validates, generate decides versions.
    const synced = await syncSchemas({ ...remote, check: true });
    diagnostics.push(...synced.diagnostics.filter((d) => d.code !== "lockfile-stale"));
    if (synced.dirs.length === 0 || diagnostics.some((d) => d.level === "error")) {
      throw new OptionsError(`cannot read the repositories:\n${diagnostics.map(formatDiagnostic).join("\n")}`);
    }
    dirs.unshift(...synced.dirs);
  }
  const set = new SchemaSet(dirs, cwd);
  const missing = set.diagnostics.find((d) => d.code === "registry-missing");
  if (missing !== undefined) throw new OptionsError(formatDiagnostic(missing));
  return set;
}

export async function startMicro(options: StartMicroOptions = {}): Promise<Micro> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  for (const key of ["port", "maxBodyBytes", "maxEventsPerRequest", "maxEntities", "maxStoredEvents", "maxStoredBytes", "requestTimeoutMs"] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= (key === "port" ? 0 : 1) && v <= (key === "port" ? 65535 : Number.MAX_SAFE_INTEGER))) {
      throw optionProblem(key, `must be a whole number ${key === "port" ? "from 0 to 65535" : `from 1 to ${Number.MAX_SAFE_INTEGER}`} (got ${String(v)})`);
    }
  }
  const schemas = await loadSchemas(options, cwd);
  const limits: ServerLimits = {
    maxBodyBytes: options.maxBodyBytes ?? MICRO_DEFAULTS.maxBodyBytes,
    maxEventsPerRequest: options.maxEventsPerRequest ?? MICRO_DEFAULTS.maxEventsPerRequest,
    maxEntities: options.maxEntities ?? MICRO_DEFAULTS.maxEntities,
    requestTimeoutMs: options.requestTimeoutMs ?? MICRO_DEFAULTS.requestTimeoutMs,
    maxMessages: MICRO_DEFAULTS.maxMessages,
  };
  const store = new EventStore(options.maxStoredEvents ?? MICRO_DEFAULTS.maxStoredEvents, options.maxStoredBytes ?? MICRO_DEFAULTS.maxStoredBytes);
  const server = await listen({ store, schemas, limits, ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}) }, options.port ?? 0);

  /**
   * Resolves with `found()`'s answer once it has one, rejecting with `fail()`'s error after `timeoutMs`.
   * `found` is asked with the event just added, or with undefined to look at every event (at first, and
   * after a reset), so waiting while many events stream in costs one look per event, not a scan each.
   */
  const until = <T>(found: (added: MicroEvent | undefined) => T | undefined, timeoutMs: number, fail: () => Error): Promise<T> => new Promise((resolve, reject) => {
    const now = found(undefined);
    if (now !== undefined) {
      resolve(now);
      return;
    }
    const timer = setTimeout(() => { stop(); reject(fail()); }, timeoutMs);
    const stop = store.subscribe((added) => {
      const answer = found(added);
      if (answer === undefined) return;
      clearTimeout(timer);
      stop();
      resolve(answer);
    });
  });

  const micro: Micro = {
    url: server.url, port: server.port,
    schemas: { count: schemas.size, diagnostics: schemas.diagnostics },
    good: () => store.all().filter((e) => e.valid).map(plain),
    bad: () => store.all().filter((e) => !e.valid).map(plain),
    all: () => store.counts(),
    reset: () => store.reset(),
    event: (eventId) => {
      const found = store.get(eventId);
      return found === undefined ? undefined : plain(found);
    },
    waitFor: (count, { timeoutMs = 5000 } = {}) => until(
      () => (arrived(store.counts()) >= count ? store.all().map(plain) : undefined), timeoutMs,
      () => {
        const c = store.counts();
        return new Error(`igluc micro: waited ${timeoutMs} ms for ${count} events; ${arrived(c)} arrived (${c.good} good${c.dropped > 0 ? `, ${c.dropped} dropped` : ""}). ${describeBad(micro.bad())}`);
      },
    ),
    expectGood: (expected, { timeoutMs = 2000 } = {}) => until(
      (added) => {
        const wanted = (e: MicroEvent): boolean => e.valid && matches(e, expected);
        const found = added === undefined ? store.all().find(wanted) : wanted(added) ? added : undefined;
        return found === undefined ? undefined : plain(found);
      }, timeoutMs,
      () => {
        const good = micro.good();
        const seen = [...new Set(good.map((e) => e.schema ?? e.eventType ?? "?"))].slice(0, 20);
        return new AssertionError({
          message: `igluc micro: no good event ${JSON.stringify(expected)} within ${timeoutMs} ms.\n` +
            `${good.length} good event${good.length === 1 ? "" : "s"}${seen.length > 0 ? ` (${seen.join(", ")})` : ""}; ${describeBad(micro.bad())}`,
          expected, actual: good.map((e) => ({ schema: e.schema, eventType: e.eventType, data: e.event?.data })),
          operator: "expectGood",
        });
      },
    ),
    close: () => server.close(),
  };
  return micro;
}
