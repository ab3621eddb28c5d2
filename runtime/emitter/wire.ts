/**
 * Turning stored events into request bodies and URLs. Events are stored as
 * JSON without `stm`; `stm` is written into each at send time.
 */
import { describeValue } from "../describe.js";
import { GET_PATH, PAYLOAD_DATA_SCHEMA, POST_CONTENT_TYPE, POST_PATH, type Payload } from "../protocol.js";
import type { StoredEvent } from "../store/event-store.js";
import { fromUtf8, utf8Bytes, writeUtf8 } from "../text.js";
import type { HttpRequest } from "./transport-types.js";

const ENVELOPE_HEAD = `{"schema":"${PAYLOAD_DATA_SCHEMA}","data":[`;
const ENVELOPE_TAIL = "]}";
/** Bytes of the POST envelope around the events. */
export const ENVELOPE_BYTES = ENVELOPE_HEAD.length + ENVELOPE_TAIL.length;
/** Bytes `"stm":"<13 digits>",` and the comma between events add to each event. */
export const PER_EVENT_OVERHEAD = `"stm":"${"0".repeat(13)}",`.length + 1;

function utf8(body: string | Uint8Array): Uint8Array {
  return typeof body === "string" ? utf8Bytes(body) : body;
}

/**
 * The POST body as one buffer: the payload_data envelope around each event,
 * whose leading `{` becomes `{"stm":"…",`. Bytes are copied once, no strings built.
 */
export function postRequest(
  basePath: string, events: readonly StoredEvent[], stm: number, headers: Readonly<Record<string, string>>, scratch?: Uint8Array,
): HttpRequest {
  const bodies = events.map((event) => utf8(event.body));
  const stmHead = `{"stm":"${stm}",`;
  let total = ENVELOPE_BYTES + bodies.length - 1;
  for (const body of bodies) total += stmHead.length + body.length - 1;
  const out = scratch !== undefined && scratch.length >= total ? scratch.subarray(0, total) : new Uint8Array(total);
  let at = writeUtf8(ENVELOPE_HEAD, out);
  const head = utf8Bytes(stmHead);
  for (let i = 0; i < bodies.length; i++) {
    const body = bodies[i]!;
    if (i > 0) out[at++] = 0x2c;
    out.set(head, at);
    at += head.length;
    out.set(body.subarray(1), at);
    at += body.length - 1;
  }
  writeUtf8(ENVELOPE_TAIL, out.subarray(at));
  return { method: "POST", path: basePath + POST_PATH, headers: { ...headers, "content-type": POST_CONTENT_TYPE }, body: out };
}

function text(body: string | Uint8Array): string {
  return typeof body === "string" ? body : fromUtf8(body);
}

/** GET carries one event in the query string: `stm` first, `co`/`cx` last (as the Node tracker does). */
export function getRequest(basePath: string, event: StoredEvent, stm: number, headers: Readonly<Record<string, string>>): HttpRequest {
  const payload = JSON.parse(text(event.body)) as Payload;
  let query = `stm=${stm}`;
  let contexts = "";
  for (const [key, value] of Object.entries(payload)) {
    const pair = `&${encodeURIComponent(wellFormed(key))}=${encodeURIComponent(wellFormed(value))}`;
    if (key === "co" || key === "cx") contexts += pair;
    else query += pair;
  }
  return { method: "GET", path: `${basePath}${GET_PATH}?${query}${contexts}`, headers };
}

/** A lone surrogate (half of a cut emoji) is U+FFFD, as the POST body's UTF-8 has it: encodeURIComponent throws on one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** The events as the callbacks see them: payload objects with the `stm` that was sent. */
export function decodeEvents(events: readonly StoredEvent[], stm: number | undefined): Payload[] {
  return events.map((event) => {
    const payload = JSON.parse(text(event.body)) as Record<string, string>;
    return stm === undefined ? payload : { ...payload, stm: String(stm) };
  });
}

/**
 * A payload as the protocol wants it: every value a string (payload_data
 * requires it; a number or boolean, as other trackers' queues may hold, is
 * written as its string), no empty values, and no `stm` (set at send time).
 * Answers the payload itself when nothing needed changing. Throws a TypeError
 * naming `where` for a value that has no string form (an object or array).
 */
export function toWirePayload(payload: Readonly<Record<string, unknown>>, where: string): Payload {
  let clean = true;
  for (const key in payload) {
    const value = payload[key];
    if (typeof value !== "string" || value === "" || key === "stm") {
      clean = false;
      break;
    }
  }
  if (clean) return payload as Payload;
  const out: Record<string, string> = {};
  for (const key of Object.keys(payload)) {
    const value = payload[key];
    if (key === "stm" || value === undefined || value === null || value === "") continue;
    if (typeof value === "string") out[key] = value;
    else if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") out[key] = String(value);
    else throw new TypeError(`${where}: payload value "${key}" must be a string, got ${describeValue(value)}`);
  }
  return out;
}
