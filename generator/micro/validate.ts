/**
 * One event's verdict, checked as the pipeline checks it: every parameter a
 * string, the payload_data schema, the unstruct_event envelope and the
 * event's own schema, the contexts envelope and every entity against its
 * schema. Each problem is one message in the format dev-time validation
 * uses (runtime/validation/messages.ts).
 */
import { parseIgluUri as parseUri } from "@igluc/runtime/iglu";
import { escapeText, formatSchemaError, showValue } from "@igluc/runtime/validation";
import { EVENT_TYPES, jsonParameter, type Arrived } from "./decode.js";
import { remembered } from "./remember.js";
import type { SchemaSet } from "./schemas.js";

/** parseIgluUri, remembered: every event names the same few schemas. */
const parseIgluUri = remembered(parseUri);

export const PAYLOAD_DATA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4";
const SNOWPLOW = "com.snowplowanalytics.snowplow";

export interface SelfDescribing {
  readonly schema: string;
  readonly data: unknown;
}

export interface Verdict {
  readonly valid: boolean;
  /** Why the event is bad, one line each (empty when good). */
  readonly messages: readonly string[];
  /** Micro's name of the type: page_view, unstruct, struct, … (`e` itself when the protocol has no name for it). */
  readonly eventType: string | undefined;
  readonly eventId: string | undefined;
  /** The self-describing event, for `ue`. */
  readonly event: SelfDescribing | undefined;
  /** The entities, in the order sent. */
  readonly entities: readonly SelfDescribing[];
}

export interface EventLimits {
  /** Entities in one event at most; more make it bad without checking each. */
  readonly maxEntities: number;
  /** Messages kept per event; the rest are counted. */
  readonly maxMessages: number;
}

/** Checks `data` against `uri`, adding a message per error (the path in the data prefixed by `at`). */
function check(set: SchemaSet, uri: string, data: unknown, messages: string[], shown: number, at = "", drop?: (keyword: string) => boolean): boolean {
  const compiled = set.validator(uri);
  if ("problem" in compiled) {
    messages.push(compiled.problem);
    return false;
  }
  if (compiled.validate(data)) return true;
  for (const error of compiled.validate.errors ?? []) {
    if (drop?.(error.keyword) === true) continue;
    // Past the `shown` messages kept, only the count matters: a hostile body can make ajv report 100,000 errors.
    messages.push(messages.length < shown ? formatSchemaError(uri, { ...error, instancePath: at + error.instancePath }) : "");
  }
  return false;
}

/** A self-describing JSON's parts, or a message naming `what` when it is not one. */
function selfDescribing(value: unknown, what: string, messages: string[]): SelfDescribing | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    messages.push(`${what} must be a self-describing JSON object {"schema": "iglu:…", "data": …} (got ${showValue(value)})`);
    return undefined;
  }
  const { schema, data } = value as { schema?: unknown; data?: unknown };
  if (typeof schema !== "string" || parseIgluUri(schema) === undefined) {
    messages.push(`${what}: "schema" must be an Iglu URI iglu:vendor/name/jsonschema/M-R-A (got ${showValue(schema)})`);
    return undefined;
  }
  if (!("data" in value)) {
    messages.push(`${escapeText(schema)} ${what}: must have required property "data"`);
    return undefined;
  }
  return { schema, data };
}

/** An envelope (unstruct_event, contexts) of the right kind, checked against its schema; its `data`, or undefined when bad. */
function envelope(set: SchemaSet, value: unknown, name: string, key: string, messages: string[], shown: number): unknown {
  const outer = selfDescribing(value, key, messages);
  if (outer === undefined) return undefined;
  const parsed = parseIgluUri(outer.schema)!;
  if (parsed.vendor !== SNOWPLOW || parsed.name !== name) {
    messages.push(`${key}: the envelope's schema must be iglu:${SNOWPLOW}/${name}/jsonschema/1-0-x (got ${showValue(outer.schema)})`);
    return undefined;
  }
  // The envelope's schema describes its data: an array of entities, or the event's self-describing JSON.
  return check(set, outer.schema, outer.data, messages, shown) ? outer.data : undefined;
}

export function validateEvent(set: SchemaSet, arrived: Arrived, payloadSchema: string, limits: EventLimits): Verdict {
  const messages = [...arrived.problems];
  const p = arrived.parameters;
  let event: SelfDescribing | undefined;
  const entities: SelfDescribing[] = [];
  const own = (key: string): unknown => (Object.hasOwn(p, key) ? p[key] : undefined);
  if (arrived.problems.length === 0) {
    // The protocol's values are strings; a number or an object is what the pipeline rejects first.
    const nonStrings: string[] = [];
    for (const key in p) if (typeof p[key] !== "string" && Object.hasOwn(p, key)) nonStrings.push(key);
    for (const key of nonStrings.slice(0, limits.maxMessages)) {
      messages.push(`parameter ${showValue(key)} must be a string, as every tracker protocol value is (got ${showValue(p[key])})`);
    }
    const parsed = parseIgluUri(payloadSchema);
    if (parsed?.vendor !== SNOWPLOW || parsed.name !== "payload_data") {
      messages.push(`request body: "schema" must be iglu:${SNOWPLOW}/payload_data/jsonschema/1-0-x (got ${showValue(payloadSchema)})`);
    } else {
      const found: string[] = [];
      check(set, payloadSchema, [p], found, limits.maxMessages, "", (keyword) => keyword === "type" && nonStrings.length > 0);
      // ajv's path is into the one-event array: /0/e → /e.
      for (const m of found) messages.push(m.replace(/^(\S+) \/0(\/|:)/, (_m, uri: string, next: string) => `${uri} ${next === ":" ? "/:" : "/"}`));
    }
    if (own("e") === "ue") {
      const ue = jsonParameter(p, "ue_pr", "ue_px");
      if (ue === undefined) messages.push("unstructured event (e=ue) without ue_pr or ue_px");
      else if ("problem" in ue) messages.push(ue.problem);
      else {
        const inner = envelope(set, ue.value, "unstruct_event", own("ue_px") !== undefined ? "ue_px" : "ue_pr", messages, limits.maxMessages);
        if (inner !== undefined) {
          event = selfDescribing(inner, "the event", messages);
          if (event !== undefined) check(set, event.schema, event.data, messages, limits.maxMessages);
        }
      }
    }
    const co = jsonParameter(p, "co", "cx");
    if (co !== undefined && "problem" in co) messages.push(co.problem);
    else if (co !== undefined) {
      const key = own("cx") !== undefined ? "cx" : "co";
      const list = envelope(set, co.value, "contexts", key, messages, limits.maxMessages);
      if (Array.isArray(list) && list.length > limits.maxEntities) {
        messages.push(`${key} holds ${list.length} entities, more than the ${limits.maxEntities} accepted in one event; they were not checked`);
      } else if (Array.isArray(list)) {
        list.forEach((item: unknown, i) => {
          const entity = selfDescribing(item, `${key} entity ${i}`, messages);
          if (entity === undefined) return;
          entities.push(entity);
          check(set, entity.schema, entity.data, messages, limits.maxMessages);
        });
      }
    }
  }
  const e = own("e");
  const eid = own("eid");
  const kept = messages.length > limits.maxMessages
    ? [...messages.slice(0, limits.maxMessages), `… and ${messages.length - limits.maxMessages} more problems`]
    : messages;
  return {
    valid: messages.length === 0, messages: kept, event, entities,
    eventType: typeof e === "string" ? EVENT_TYPES[e] ?? escapeText(e.slice(0, 40)) : undefined,
    eventId: typeof eid === "string" ? eid : undefined,
  };
}
