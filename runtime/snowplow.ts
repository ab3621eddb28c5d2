/**
 * A process-wide registry of trackers by namespace, with the Python tracker's
 * one-call set-up: `Snowplow.createTracker({ namespace, endpoint, … })`.
 */
import { Emitter, type CloseOptions, type CloseReport, type EmitterConfig } from "./emitter/emitter.js";
import { resolveLogger, type Logger, type LogLevel } from "./logger.js";
import type { Subject } from "./subject.js";
import { Tracker } from "./tracker.js";

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
  /** Shared by the tracker and its emitter. @defaultValue "warn" */
  logger?: Logger | LogLevel;
}

const trackers = new Map<string, Tracker>();

export const Snowplow = {
  /** Builds an emitter and a tracker around it, and registers the tracker under its namespace. */
  createTracker(options: CreateTrackerOptions): Tracker {
    if (trackers.has(options.namespace)) {
      throw new TypeError(`Snowplow.createTracker: a tracker with namespace "${options.namespace}" already exists; remove it first or choose another namespace`);
    }
    const logger = resolveLogger(options.logger);
    const emitter = new Emitter({
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
    });
    trackers.set(tracker.namespace, tracker);
    return tracker;
  },

  /** Registers a tracker built with `new Tracker(…)`. */
  addTracker(tracker: Tracker): Tracker {
    if (trackers.has(tracker.namespace)) {
      throw new TypeError(`Snowplow.addTracker: a tracker with namespace "${tracker.namespace}" already exists`);
    }
    trackers.set(tracker.namespace, tracker);
    return tracker;
  },

  getTracker(namespace: string): Tracker | undefined {
    return trackers.get(namespace);
  },

  /** Unregisters a tracker (by namespace or instance); answers whether one was registered. Does not close it. */
  removeTracker(tracker: string | Tracker): boolean {
    const namespace = typeof tracker === "string" ? tracker : tracker.namespace;
    if (typeof tracker !== "string" && trackers.get(namespace) !== tracker) return false;
    return trackers.delete(namespace);
  },

  /** Forgets every tracker without flushing them (use shutdown() to flush and close). */
  reset(): void {
    trackers.clear();
  },

  /** Closes every registered tracker (flush within the deadline, stop timers) and empties the registry. */
  async shutdown(options: CloseOptions = {}): Promise<CloseReport> {
    const all = [...trackers.values()];
    trackers.clear();
    const reports = await Promise.all(all.map((t) => t.close(options)));
    return {
      remaining: reports.reduce((sum, r) => sum + r.remaining, 0),
      timedOut: reports.some((r) => r.timedOut),
    };
  },
};
