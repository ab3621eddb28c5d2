/**
 * Requests of the tracker protocol as events: a GET's query string is one
 * event, a tp2 POST body the payload_data envelope around several; and the
 * JSON parameters inside an event (ue_pr / ue_px, co / cx) as JSON, the
 * base64url ones decoded strictly. Nothing here throws on what a client
 * sends: every problem is a message that makes the event (or the request's
 * one stand-in event) bad.
 */
import { isUtf8 } from "node:buffer";
import { escapeText, showValue } from "@igluc/runtime/validation";

/** One event as it arrived: its parameters (strings when well-formed), or why the request carried none that can be read. */
export interface Arrived {
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Problems found before validation: the event is bad whatever its schemas say. */
  readonly problems: readonly string[];
}

export interface DecodeLimits {
  /** Events in one POST body at most; more make the request one bad event. */
  readonly maxEventsPerRequest: number;
}

/** A GET's query (`/i?e=pv&…`): one event, its parameters decoded as the collector does. */
export function decodeQuery(query: string): Arrived {
  const parameters: Record<string, string> = Object.create(null) as Record<string, string>;
  const problems: string[] = [];
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const at = pair.indexOf("=");
    const rawKey = at < 0 ? pair : pair.slice(0, at);
    const rawValue = at < 0 ? "" : pair.slice(at + 1);
    try {
      parameters[decodeURIComponent(rawKey.replace(/\+/g, " "))] = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      problems.push(`query parameter ${showValue(rawKey)} is not valid percent-encoding`);
    }
  }
  if (Object.keys(parameters).length === 0 && problems.length === 0) problems.push("GET request without parameters: no event to read");
  return { parameters, problems };
}

/** The payload_data envelope's schema URI and its events, or one stand-in event saying why the body cannot be read. */
export type DecodedBody =
  | { readonly ok: true; readonly schema: string; readonly events: readonly Arrived[] }
  | { readonly ok: false; readonly problem: string };

/** A tp2 POST body: `{"schema": "iglu:…/payload_data/…", "data": [event, …]}`. */
export function decodeBody(text: string, limits: DecodeLimits): DecodedBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `request body is not JSON: ${escapeText(error instanceof Error ? error.message : String(error)).slice(0, 200)}` };
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, problem: `request body must be a self-describing JSON object {"schema": "iglu:…/payload_data/…", "data": […]} (got ${showValue(body)})` };
  }
  const { schema, data } = body as { schema?: unknown; data?: unknown };
  if (typeof schema !== "string") return { ok: false, problem: `request body: "schema" must be the payload_data schema's Iglu URI (got ${showValue(schema)})` };
  if (!Array.isArray(data)) return { ok: false, problem: `request body: "data" must be an array of events (got ${showValue(data)})` };
  if (data.length > limits.maxEventsPerRequest) {
    return { ok: false, problem: `request body holds ${data.length} events, more than the ${limits.maxEventsPerRequest} accepted in one request` };
  }
  if (data.length === 0) return { ok: false, problem: "request body holds no events (\"data\" is empty)" };
  const events = data.map((item: unknown): Arrived => (item !== null && typeof item === "object" && !Array.isArray(item)
    ? { parameters: item as Record<string, unknown>, problems: [] }
    : { parameters: {}, problems: [`event must be an object of string parameters (got ${showValue(item)})`] }));
  return { ok: true, schema, events };
}

const BASE64URL = /^[A-Za-z0-9+/_-]*={0,2}$/;
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** base64 or base64url text (padding optional, as trackers send it) as UTF-8 text; a message when it is not. */
function decodeBase64(text: string): { text: string } | { problem: string } {
  // Node's decoder skips what is not base64: all of it was when the bytes are as many as the characters make.
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  const bytes = Buffer.from(text, "base64url");
  if (bytes.length === Math.floor((end * 3) / 4) && text.length - end <= 2 && end % 4 !== 1) {
    // isUtf8 + toString is TextDecoder's fatal decode at half the cost; TextDecoder still takes a leading BOM (it drops it).
    if (!isUtf8(bytes)) return { problem: "is base64url, but what it encodes is not UTF-8 text" };
    return { text: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? UTF8.decode(bytes) : bytes.toString("utf8") };
  }
  if (!BASE64URL.test(text)) {
    const bad = /[^A-Za-z0-9+/_=-]/.exec(text) ?? /=[^=]/.exec(text) ?? /={3,}/.exec(text);
    return { problem: `is not base64url: ${showValue(bad?.[0] ?? text)} at offset ${bad?.index ?? 0}` };
  }
  return { problem: "is not base64url: its length cannot be that of encoded bytes" };
}

/**
 * A JSON parameter of an event, plain (`plainKey`) or base64url
 * (`base64Key`); undefined when the event has neither.
 */
export function jsonParameter(parameters: Readonly<Record<string, unknown>>, plainKey: string, base64Key: string): { value: unknown } | { problem: string } | undefined {
  const plain = Object.hasOwn(parameters, plainKey) ? parameters[plainKey] : undefined;
  const encoded = Object.hasOwn(parameters, base64Key) ? parameters[base64Key] : undefined;
  if (plain === undefined && encoded === undefined) return undefined;
  const key = encoded !== undefined ? base64Key : plainKey;
  const raw = encoded ?? plain;
  if (typeof raw !== "string") return { problem: `${key} must be a string (got ${showValue(raw)})` };
  let text = raw;
  if (key === base64Key) {
    const decoded = decodeBase64(raw);
    if ("problem" in decoded) return { problem: `${key} ${decoded.problem}` };
    text = decoded.text;
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const why = escapeText(error instanceof Error ? error.message : String(error)).slice(0, 200);
    return { problem: `${key} is not JSON${key === base64Key ? " once decoded" : ""}: ${why}` };
  }
}

/** Micro's names of the event types, by the protocol's `e`. */
export const EVENT_TYPES: Readonly<Record<string, string>> = {
  pv: "page_view", pp: "page_ping", se: "struct", ue: "unstruct", tr: "transaction", ti: "transaction_item", ad: "ad_impression",
};
