/**
 * The options every track method takes ({ context, timestamp, subject }) and
 * the self-describing JSON it carries, checked as a plain JavaScript caller
 * may pass them: a TypeError naming the method and the argument, never an
 * event sent without its context or with a timestamp the pipeline rejects.
 */
import { describeValue } from "../describe.js";
import { IGLU_URI } from "../protocol.js";
import { Subject } from "../subject.js";
import type { PayloadWriter } from "./payload-writer.js";
import type { SelfDescribingJson, Timestamp, TrackOptions } from "./types.js";

/** Checks the options a plain JavaScript caller passed; returns them. */
export function checkOptions(method: string, options: TrackOptions | undefined): TrackOptions | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const hint = Array.isArray(options) ? "; pass entities as { context: [...] }" : "";
    throw new TypeError(`${method}: the second argument is the options object { context, timestamp, subject }, got ${describeValue(options)}${hint}`);
  }
  contextOf(method, options.context);
  if (options.subject !== undefined && !(options.subject instanceof Subject)) {
    throw new TypeError(`${method}: options.subject must be a Subject (new Subject()), got ${describeValue(options.subject)}`);
  }
  return options;
}

const TIMESTAMP_SHAPE = "ms since the epoch (a number) or { type: \"true\" | \"device\", value }";

/**
 * No timestamp: `now` as the device time (`dtm`). A number, or type
 * "device": that time as `dtm`. Type "true": `ttm`, with `now` as `dtm` (when
 * it was tracked), as the Python tracker sends. Fractions of a millisecond
 * are truncated, as the Python tracker's `int()` does.
 */
export function addTimestamp(method: string, out: PayloadWriter, timestamp: Timestamp | undefined, now: number): void {
  if (timestamp === undefined) {
    out.addSafe("dtm", String(now));
  } else if (typeof timestamp === "number") {
    out.addSafe("dtm", epochMillis(method, timestamp, "options.timestamp"));
  } else if (timestamp === null || typeof timestamp !== "object" || timestamp instanceof Date) {
    const hint = timestamp instanceof Date ? " (use date.getTime())" : "";
    throw new TypeError(`${method}: options.timestamp must be ${TIMESTAMP_SHAPE}, got ${describeValue(timestamp)}${hint}`);
  } else if (timestamp.type === "true") {
    out.addSafe("dtm", String(now));
    out.addSafe("ttm", epochMillis(method, timestamp.value, "options.timestamp.value"));
  } else if (timestamp.type === "device") {
    out.addSafe("dtm", epochMillis(method, timestamp.value, "options.timestamp.value"));
  } else {
    throw new TypeError(`${method}: options.timestamp.type must be "true" or "device", got ${describeValue((timestamp as { type: unknown }).type)}`);
  }
}

function epochMillis(method: string, value: unknown, field: string): string {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    const hint = value instanceof Date ? " (use date.getTime())" : "";
    throw new TypeError(`${method}: ${field} must be milliseconds since the epoch (a non-negative number), got ${describeValue(value)}${hint}`);
  }
  return String(Math.trunc(value));
}

/** `options.context` as a plain JavaScript caller may pass it: absent, or an array. */
export function contextOf(method: string, context: unknown): readonly SelfDescribingJson[] | undefined {
  if (context === undefined || context === null) return undefined;
  if (!Array.isArray(context)) {
    throw new TypeError(`${method}: options.context must be an array of entities ({ schema, data }), got ${describeValue(context)}`);
  }
  return context as readonly SelfDescribingJson[];
}

export function checkSelfDescribing(method: string, what: string, value: SelfDescribingJson, checkedUris: Set<string>): void {
  if (value === null || typeof value !== "object" || typeof value.schema !== "string") {
    throw new TypeError(`${method}: ${what} must be { schema: "iglu:…", data }, got ${describeValue(value)}`);
  }
  if (!checkedUris.has(value.schema)) {
    if (!IGLU_URI.test(value.schema)) {
      throw new TypeError(`${method}: ${what} has schema "${value.schema}", which is not an Iglu URI (iglu:vendor/name/jsonschema/M-R-A)`);
    }
    if (checkedUris.size < 1_000) checkedUris.add(value.schema);
  }
  if (value.data === undefined) throw new TypeError(`${method}: ${what} (${value.schema}) has no data`);
  if (typeof value.data === "function" || typeof value.data === "symbol") {
    throw new TypeError(`${method}: the data of ${what} (${value.schema}) must be JSON, got ${describeValue(value.data)}`);
  }
}

