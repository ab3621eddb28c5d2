/**
 * Dev-time validation for Snowplow's own trackers (@snowplow/browser-tracker,
 * node-tracker, react-native-tracker): a tracker-core plugin that checks the
 * self-describing event (`ue_pr`/`ue_px`) and each entity (`co`/`cx`) of every
 * event against the validators igluc generated, before the tracker encodes
 * them. Typed structurally, so it needs nothing of @snowplow/tracker-core.
 *
 * tracker-core catches what a plugin throws, so "throw" cannot reach the app
 * here: in "throw" mode the event is dropped (the plugin's filter says no)
 * and each problem is logged as an error; "warn" logs and sends.
 */
import { issuesOf, type ValidationIssue, type ValidationOptions } from "./validate.js";

/** What the plugin reads of tracker-core's PayloadBuilder. */
export interface PayloadBuilderLike {
  getJson(): readonly { readonly keyIfEncoded: string; readonly keyIfNotEncoded: string; readonly json: Readonly<Record<string, unknown>> }[];
}

/** What the plugin uses of tracker-core's Logger (and of `console`). */
export interface PluginLogger {
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** A tracker-core plugin: `tracker.addPlugin({ plugin })`, or `plugins: [plugin]` in the browser tracker's configuration. */
export interface ValidationPlugin {
  logger(logger: PluginLogger): void;
  beforeTrack(payloadBuilder: PayloadBuilderLike): void;
  filter(payload: Readonly<Record<string, unknown>>): boolean;
}

function isSelfDescribing(value: unknown): value is { schema: string; data: unknown } {
  return value !== null && typeof value === "object" && typeof (value as { schema?: unknown }).schema === "string" && "data" in value;
}

export function validationPlugin(options: ValidationOptions): ValidationPlugin {
  const { validators = {}, onError } = options;
  const mode = options.mode ?? (options.validators !== undefined ? "warn" : "off");
  let log: PluginLogger = console;
  /** The problems of the event being tracked (beforeTrack, then filter, run one after the other). */
  let pending: ValidationIssue[] = [];
  return {
    logger(logger) {
      log = logger;
    },
    beforeTrack(payloadBuilder) {
      pending = [];
      if (mode === "off") return;
      for (const { keyIfNotEncoded, json } of payloadBuilder.getJson()) {
        if (keyIfNotEncoded === "ue_pr" && isSelfDescribing(json.data)) pending.push(...issuesOf(validators, json.data.schema, json.data.data));
        if (keyIfNotEncoded === "co" && Array.isArray(json.data)) {
          for (const entity of json.data) if (isSelfDescribing(entity)) pending.push(...issuesOf(validators, entity.schema, entity.data));
        }
      }
      for (const issue of pending) {
        if (mode === "warn") log.warn(`[igluc] ${issue.message}`);
        else log.error(`[igluc] event not sent: ${issue.message}`);
        try {
          onError?.(issue);
        } catch (error) {
          log.error("[igluc] validation onError callback failed", error);
        }
      }
    },
    filter() {
      const drop = mode === "throw" && pending.length > 0;
      pending = [];
      return !drop;
    },
  };
}
