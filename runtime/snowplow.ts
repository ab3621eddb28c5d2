/**
 * A process-wide registry of trackers by namespace, with the Python tracker's
 * one-call set-up: `Snowplow.createTracker({ namespace, endpoint, … })`.
 */
import type { EmitterConfig } from "./emitter/config.js";
import type { CloseOptions, CloseReport, TrackerEmitter } from "./emitter/types.js";
import { describeValue } from "./describe.js";
import { resolveLogger, type Logger, type LogLevel } from "./logger.js";
import { registry } from "./registry.js";
import type { Subject } from "./subject.js";
import { Tracker, type TrackerConfig } from "./tracker.js";

export interface CreateTrackerOptions {
  /** Tracker namespace; unique in the registry. Required. */
  namespace: string;
  /** Collector host or URL; a bare host means https on 443. Required. */
  endpoint: string;
  /** @defaultValue "post" */
  method?: "get" | "post";
  appId?: string;
  subject?: Subject;
  trackerConfig?: {
    /** @defaultValue true */
    encodeBase64?: boolean;
    jsonEncoder?: (value: unknown) => unknown;
  };
  emitterConfig?: Omit<EmitterConfig, "endpoint" | "method" | "logger">;
  /** Dev-time validation of event data and entities (the Tracker's `validation` option). */
  validation?: TrackerConfig["validation"];
  /** Shared by the tracker and its emitter. @defaultValue "warn" */
  logger?: Logger | LogLevel;
}

/** The registry's API; each package entry binds it to its own Emitter. */
export interface SnowplowApi {
  createTracker(options: CreateTrackerOptions): Tracker;
  addTracker(tracker: Tracker): Tracker;
  getTracker(namespace: string): Tracker | undefined;
  removeTracker(tracker: string | Tracker): boolean;
  reset(): void;
  shutdown(options?: CloseOptions): Promise<CloseReport>;
}

export function createSnowplow(makeEmitter: (config: EmitterConfig) => TrackerEmitter): SnowplowApi {
  return {
    /** Builds an emitter and a tracker around it, and registers the tracker under its namespace. */
    createTracker(options: CreateTrackerOptions): Tracker {
      if (options === null || typeof options !== "object" || Array.isArray(options)) {
        const hint = typeof options === "string" ? `; the Python tracker's create_tracker(namespace, endpoint) is createTracker({ namespace: ${JSON.stringify(options)}, endpoint: … }) here` : "";
        throw new TypeError(`Snowplow.createTracker: expected one options object { namespace, endpoint, … }, got ${describeValue(options)}${hint}`);
      }
      if (registry.has(options.namespace)) {
        throw new TypeError(`Snowplow.createTracker: a tracker with namespace "${options.namespace}" already exists; remove it first or choose another namespace`);
      }
      const logger = resolveLogger(options.logger);
      const emitter = makeEmitter({
        ...options.emitterConfig,
        endpoint: options.endpoint,
        logger,
        ...(options.method !== undefined ? { method: options.method } : {}),
      });
      const tracker = new Tracker({
        namespace: options.namespace,
        emitters: emitter,
        logger,
        ...(options.appId !== undefined ? { appId: options.appId } : {}),
        ...(options.subject !== undefined ? { subject: options.subject } : {}),
        ...(options.trackerConfig?.encodeBase64 !== undefined ? { encodeBase64: options.trackerConfig.encodeBase64 } : {}),
        ...(options.trackerConfig?.jsonEncoder !== undefined ? { jsonEncoder: options.trackerConfig.jsonEncoder } : {}),
        ...(options.validation !== undefined ? { validation: options.validation } : {}),
      });
      registry.add(tracker);
      return tracker;
    },

    /** Registers a tracker built with `new Tracker(…)`; it leaves the registry when it is closed. */
    addTracker(tracker: Tracker): Tracker {
      if (!(tracker instanceof Tracker)) throw new TypeError(`Snowplow.addTracker: expected a Tracker, got ${describeValue(tracker)}`);
      if (registry.has(tracker.namespace)) {
        throw new TypeError(`Snowplow.addTracker: a tracker with namespace "${tracker.namespace}" already exists`);
      }
      registry.add(tracker);
      return tracker;
    },

    /** The open tracker registered under `namespace` (a closed tracker has left the registry). */
    getTracker(namespace: string): Tracker | undefined {
      return registry.get(namespace) as Tracker | undefined;
    },

    /** Unregisters a tracker (by namespace or instance); answers whether one was registered. Does not close it. */
    removeTracker(tracker: string | Tracker): boolean {
      const entry = typeof tracker === "string" ? registry.get(tracker) : tracker;
      return entry !== undefined && registry.remove(entry);
    },

    /** Forgets every tracker without flushing them (use shutdown() to flush and close). */
    reset(): void {
      registry.clear();
    },

    /** Closes every registered tracker (flush within the deadline, stop timers) and empties the registry. */
    async shutdown(options: CloseOptions = {}): Promise<CloseReport> {
      const all = registry.clear() as Tracker[];
      const reports = await Promise.all(all.map((t) => t.close(options)));
      return {
        remaining: reports.reduce((sum, r) => sum + r.remaining, 0),
        timedOut: reports.some((r) => r.timedOut),
      };
    },
  };
}
