/**
 * Dev-time validation for Snowplow's own trackers (@snowplow/browser-tracker,
 * node-tracker, react-native-tracker): a tracker-core plugin that checks the
 * self-describing event (`ue_pr`/`ue_px`) and each entity (`co`/`cx`) of every
 * event against the validators igluc generated. It reads the payload as
 * built, after every plugin's beforeTrack, so entities other plugins add
 * (`addContextEntity`) are checked too. Typed structurally, so it needs
 * nothing of @snowplow/tracker-core.
 *
 * tracker-core catches what a plugin throws, so "throw" cannot reach the app
 * here: in "throw" mode the event is dropped (the plugin's filter says no)
 * and each problem is logged as an error; "warn" logs and sends.
 */
import { fromBase64Url } from "../text.js";
import { issuesOf, resolveValidation, type ValidationIssue, type ValidationOptions } from "./validate.js";

/** What the plugin uses of tracker-core's Logger (and of `console`). */
export interface PluginLogger {
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** A tracker-core plugin: `tracker.addPlugin({ plugin })`, or `plugins: [plugin]` in the browser tracker's configuration. */
export interface ValidationPlugin {
  logger(logger: PluginLogger): void;
  filter(payload: Readonly<Record<string, unknown>>): boolean;
}

/**
 * The JSON a payload holds at `plain` (as it is) or at `encoded` (base64):
 * undefined when neither is there, `unreadable` when one is but is not
 * base64 or JSON (then it is reported, never passed over in silence).
 */
function jsonAt(payload: Readonly<Record<string, unknown>>, plain: string, encoded: string): unknown {
  const key = typeof payload[plain] === "string" ? plain : typeof payload[encoded] === "string" ? encoded : undefined;
  if (key === undefined) return undefined;
  const text = key === plain ? payload[plain] as string : fromBase64Url(payload[encoded] as string);
  try {
    if (text !== undefined) return JSON.parse(text) as unknown;
  } catch {
    // Reported below.
  }
  return unreadable(key);
}

const UNREADABLE = Symbol("unreadable");
const unreadable = (key: string): { [UNREADABLE]: string } => ({ [UNREADABLE]: key });
const unreadableKey = (value: unknown): string | undefined =>
  value !== null && typeof value === "object" && UNREADABLE in value ? (value as { [UNREADABLE]: string })[UNREADABLE] : undefined;

function isSelfDescribing(value: unknown): value is { schema: string; data: unknown } {
  return value !== null && typeof value === "object" && typeof (value as { schema?: unknown }).schema === "string" && "data" in value;
}

export function validationPlugin(options: ValidationOptions): ValidationPlugin {
  const resolved = resolveValidation(options, "validationPlugin");
  let log: PluginLogger = console;
  return {
    logger(logger) {
      log = logger;
    },
    filter(payload) {
      if (resolved === undefined) return true;
      const { mode, validators, onError } = resolved;
      const issues: ValidationIssue[] = [];
      const read = (plain: string, encoded: string): { data?: unknown } | undefined => {
        const value = jsonAt(payload, plain, encoded);
        const key = unreadableKey(value);
        if (key === undefined) return value as { data?: unknown } | undefined;
        issues.push({ uri: "", pointer: "", keyword: "payload", message: `${key}: not readable as ${key === encoded ? "base64 " : ""}JSON, so not checked` });
        return undefined;
      };
      const event = read("ue_pr", "ue_px");
      if (isSelfDescribing(event?.data)) issues.push(...issuesOf(validators, event.data.schema, event.data.data));
      const entities = read("co", "cx")?.data;
      if (Array.isArray(entities)) for (const entity of entities) if (isSelfDescribing(entity)) issues.push(...issuesOf(validators, entity.schema, entity.data));
      for (const issue of issues) {
        if (mode === "warn") log.warn(`[igluc] ${issue.message}`);
        else log.error(`[igluc] event not sent: ${issue.message}`);
        try {
          onError?.(issue);
        } catch (error) {
          log.error("[igluc] validation onError callback failed", error);
        }
      }
      return !(mode === "throw" && issues.length > 0);
    },
  };
}
