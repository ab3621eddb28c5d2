/**
 * Turning stored events into request bodies and URLs. Events are stored as
 * JSON without `stm`; `stm` is written into each at send time.
 */
import { GET_PATH, PAYLOAD_DATA_SCHEMA, POST_CONTENT_TYPE, POST_PATH, type Payload } from "../protocol.js";
import type { StoredEvent } from "../store/event-store.js";
import type { HttpRequest } from "./transport-types.js";

const ENVELOPE_HEAD = `{"schema":"${PAYLOAD_DATA_SCHEMA}","data":[`;
const ENVELOPE_TAIL = "]}";
/** Bytes of the POST envelope around the events. */
export const ENVELOPE_BYTES = ENVELOPE_HEAD.length + ENVELOPE_TAIL.length;
/** Bytes `"stm":"<13 digits>",` and the comma between events add to each event. */
export const PER_EVENT_OVERHEAD = `"stm":"${"0".repeat(13)}",`.length + 1;

function utf8(body: string | Uint8Array): Uint8Array {
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

/**
 * The POST body as one buffer: the payload_data envelope around each event,
 * whose leading `{` becomes `{"stm":"…",`. Bytes are copied once, no strings built.
 */
export function postRequest(
  basePath: string, events: readonly StoredEvent[], stm: number, headers: Readonly<Record<string, string>>, scratch?: Buffer,
): HttpRequest {
  const bodies = events.map((event) => utf8(event.body));
  const stmHead = `{"stm":"${stm}",`;
  let total = ENVELOPE_BYTES + bodies.length - 1;
  for (const body of bodies) total += stmHead.length + body.length - 1;
  const out = scratch !== undefined && scratch.length >= total ? scratch.subarray(0, total) : Buffer.allocUnsafe(total);
  let at = out.write(ENVELOPE_HEAD, 0, "latin1");
  for (let i = 0; i < bodies.length; i++) {
    const body = bodies[i]!;
    if (i > 0) out[at++] = 0x2c;
    at += out.write(stmHead, at, "latin1");
    out.set(body.subarray(1), at);
    at += body.length - 1;
  }
  out.write(ENVELOPE_TAIL, at, "latin1");
  return { method: "POST", path: basePath + POST_PATH, headers: { ...headers, "content-type": POST_CONTENT_TYPE }, body: out };
}

function text(body: string | Uint8Array): string {
  return typeof body === "string" ? body : Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8");
}

/** GET carries one event in the query string: `stm` first, `co`/`cx` last (as the Node tracker does). */
export function getRequest(basePath: string, event: StoredEvent, stm: number, headers: Readonly<Record<string, string>>): HttpRequest {
  const payload = JSON.parse(text(event.body)) as Payload;
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
    const payload = JSON.parse(text(event.body)) as Record<string, string>;
    return stm === undefined ? payload : { ...payload, stm: String(stm) };
  });
}
