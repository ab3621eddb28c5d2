/**
 * Turning stored events into request bodies and URLs. Events are stored as
 * JSON without `stm`; `stm` is written into each at send time.
 */
import { GET_PATH, PAYLOAD_DATA_SCHEMA, POST_CONTENT_TYPE, POST_PATH, type Payload } from "../protocol.js";
import type { StoredEvent } from "../store/event-store.js";
import type { HttpRequest } from "./transport.js";

const ENVELOPE_HEAD = `{"schema":"${PAYLOAD_DATA_SCHEMA}","data":[`;
const ENVELOPE_TAIL = "]}";
/** Bytes of the POST envelope around the events. */
export const ENVELOPE_BYTES = ENVELOPE_HEAD.length + ENVELOPE_TAIL.length;
/** Bytes `"stm":"<13 digits>",` and the comma between events add to each event. */
export const PER_EVENT_OVERHEAD = `"stm":"${"0".repeat(13)}",`.length + 1;

/** What one event adds to a POST body (its JSON, its `stm`, one comma). */
export function postBytes(body: string): number {
  return Buffer.byteLength(body, "utf8") + PER_EVENT_OVERHEAD;
}

export function postRequest(basePath: string, events: readonly StoredEvent[], stm: number, headers: Readonly<Record<string, string>>): HttpRequest {
  const head = `{"stm":"${stm}",`;
  let body = ENVELOPE_HEAD;
  for (let i = 0; i < events.length; i++) {
    if (i > 0) body += ",";
    body += head + events[i]!.body.slice(1);
  }
  body += ENVELOPE_TAIL;
  return { method: "POST", path: basePath + POST_PATH, headers: { ...headers, "content-type": POST_CONTENT_TYPE }, body };
}

/** GET carries one event in the query string: `stm` first, `co`/`cx` last (as the Node tracker does). */
export function getRequest(basePath: string, event: StoredEvent, stm: number, headers: Readonly<Record<string, string>>): HttpRequest {
  const payload = JSON.parse(event.body) as Payload;
  let query = `stm=${stm}`;
  let contexts = "";
  for (const [key, value] of Object.entries(payload)) {
    const pair = `&${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
    if (key === "co" || key === "cx") contexts += pair;
    else query += pair;
  }
  return { method: "GET", path: `${basePath}${GET_PATH}?${query}${contexts}`, headers };
}

/** The events as the callbacks see them: payload objects with the `stm` that was sent. */
export function decodeEvents(events: readonly StoredEvent[], stm: number | undefined): Payload[] {
  return events.map((event) => {
    const payload = JSON.parse(event.body) as Record<string, string>;
    return stm === undefined ? payload : { ...payload, stm: String(stm) };
  });
}
