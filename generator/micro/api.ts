/**
 * Snowplow Micro's REST API over the event store, so tools written for
 * Micro work unchanged: /micro/all, /micro/good (GET, and POST with the
 * filters schema, event_type, contexts and limit), /micro/bad (filters
 * vendor, version, limit), /micro/reset and /micro/iglu/{vendor}/{name}/
 * {format}/{version}, and /micro/events (each event that decoded, good or
 * not, as the flattened JSON of Snowplow's analytics SDKs, as Micro lists its
 * good and incomplete events; POST filters, sorts and pages them: query.ts). Beyond Micro: /micro/events/{eventId}, one
 * event with its verdict. Responses keep Micro's field names (rawEvent, event,
 * eventType, schema, contexts; collectorPayload, errors); the canonical
 * `event` holds the fields a tracker sends, without enrichments.
 */
import { parseIgluUri } from "@igluc/runtime/iglu";
import { escapeText, showValue } from "@igluc/runtime/validation";
import type { EventStore, MicroEvent } from "./store.js";
import { parseEventsQuery, queryEvents } from "./query.js";
import type { SchemaSet } from "./schemas.js";

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

const VENDOR = "com.snowplowanalytics.snowplow";

const TIMESTAMPS: Readonly<Record<string, string>> = { dtm: "dvce_created_tstamp", stm: "dvce_sent_tstamp", ttm: "true_tstamp" };
const FIELDS: Readonly<Record<string, string>> = {
  aid: "app_id", p: "platform", eid: "event_id", tna: "name_tracker", tv: "v_tracker", uid: "user_id", duid: "domain_userid",
  sid: "domain_sessionid", nuid: "network_userid", url: "page_url", refr: "page_referrer", page: "page_title", tz: "os_timezone",
  lang: "br_lang", cs: "doc_charset", res: "dvce_screenresolution", ua: "useragent", ip: "user_ipaddress",
  se_ca: "se_category", se_ac: "se_action", se_la: "se_label", se_pr: "se_property",
};
const NUMBERS: Readonly<Record<string, string>> = { vid: "domain_sessionidx", se_va: "se_value" };

/** The canonical event's fields that come from what the tracker sent (enrichments are not run). */
function canonicalEvent(e: MicroEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { collector_tstamp: e.receivedAt, event: e.eventType ?? null };
  for (const [key, value] of Object.entries(e.parameters)) {
    if (typeof value !== "string") continue;
    if (Object.hasOwn(FIELDS, key)) out[FIELDS[key]!] = value;
    else if (Object.hasOwn(NUMBERS, key) && value !== "" && Number.isFinite(Number(value))) out[NUMBERS[key]!] = Number(value);
    else if (Object.hasOwn(TIMESTAMPS, key) && /^\d{1,15}$/.test(value)) out[TIMESTAMPS[key]!] = new Date(Number(value)).toISOString();
  }
  if (e.event !== undefined) {
    const key = parseIgluUri(e.event.schema);
    Object.assign(out, { event_vendor: key?.vendor, event_name: key?.name, event_format: key?.format, event_version: key?.version, unstruct_event: e.event });
  } else if (e.eventType !== undefined) {
    Object.assign(out, { event_vendor: VENDOR, event_name: e.eventType, event_format: "jsonschema", event_version: "1-0-0" });
  }
  if (e.entities.length > 0) out.contexts = { schema: `iglu:${VENDOR}/contexts/jsonschema/1-0-0`, data: e.entities };
  return out;
}

/**
 * The analytics SDKs' flattened column name of a self-describing type:
 * `contexts_com_acme_user_1` for iglu:com.acme/user/jsonschema/1-0-0 (vendor's
 * dots and dashes as underscores, the name in snake_case, the MODEL).
 */
export function flatColumn(prefix: "unstruct_event" | "contexts", uri: string): string | undefined {
  const key = parseIgluUri(uri);
  if (key === undefined) return undefined;
  const vendor = key.vendor.replace(/[.-]/g, "_").toLowerCase();
  const name = key.name.replace(/([^A-Z_])([A-Z])/g, "$1_$2").replace(/-/g, "_").toLowerCase();
  return `${prefix}_${vendor}_${name}_${key.version.split("-")[0]}`;
}

/** The event as GET /micro/events lists it: canonical fields, with the event's data and each entity type's data under their flattened columns. */
function flatEvent(e: MicroEvent): Record<string, unknown> {
  const { unstruct_event: _u, contexts: _c, ...out } = canonicalEvent(e);
  if (e.event !== undefined) {
    const column = flatColumn("unstruct_event", e.event.schema);
    if (column !== undefined) out[column] = e.event.data;
  }
  for (const entity of e.entities) {
    const column = flatColumn("contexts", entity.schema);
    if (column === undefined) continue;
    const list = (out[column] ??= []) as unknown[];
    list.push(entity.data);
  }
  return out;
}

/** Micro's RawEvent: the parameters and where they came from. */
function rawEvent(e: MicroEvent): Record<string, unknown> {
  return {
    api: { vendor: VENDOR, version: e.request.api },
    parameters: e.parameters,
    contentType: e.request.contentType ?? null,
    source: { name: "igluc-micro", encoding: "UTF-8", hostname: "127.0.0.1" },
    context: { timestamp: e.receivedAt, ipAddress: null, useragent: e.request.userAgent ?? null, refererUri: null, headers: [], userId: null },
  };
}

function goodEvent(e: MicroEvent): Record<string, unknown> {
  return { rawEvent: rawEvent(e), event: canonicalEvent(e), eventType: e.eventType ?? null, schema: e.schema ?? null, contexts: e.contexts };
}

function badEvent(e: MicroEvent): Record<string, unknown> {
  return {
    collectorPayload: { api: { vendor: VENDOR, version: e.request.api }, method: e.request.method, contentType: e.request.contentType ?? null, timestamp: e.receivedAt },
    rawEvent: rawEvent(e), errors: e.messages,
  };
}

/** igluc's own view of one event: its verdict, messages, and what was decoded. */
function eventView(e: MicroEvent): Record<string, unknown> {
  return {
    eventId: e.eventId ?? null, valid: e.valid, messages: e.messages, eventType: e.eventType ?? null, schema: e.schema ?? null,
    contexts: e.contexts, receivedAt: e.receivedAt, event: e.event ?? null, entities: e.entities, parameters: e.parameters,
  };
}

/** Filters of POST /micro/good and /micro/bad, checked: a wrong one is a 400 naming it, never ignored. */
export interface Filters {
  readonly schema?: string;
  readonly event_type?: string;
  readonly contexts?: readonly string[];
  readonly vendor?: string;
  readonly version?: string;
  readonly limit?: number;
}

function parseFilters(text: string, allowed: readonly (keyof Filters)[]): Filters | string {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "filters must be a JSON object";
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return `filters must be a JSON object (got ${showValue(value)})`;
  const filters = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(filters)) {
    if (!(allowed as readonly string[]).includes(key)) return `unknown filter ${showValue(key)}; this endpoint takes ${allowed.join(", ")}`;
    if (v === null || v === undefined) continue;
    if (key === "limit" && !(Number.isInteger(v) && (v as number) >= 0)) return `filter "limit" must be a whole number (got ${showValue(v)})`;
    if (key === "contexts" && !(Array.isArray(v) && v.every((c) => typeof c === "string"))) return `filter "contexts" must be an array of schema URIs (got ${showValue(v)})`;
    if (key !== "limit" && key !== "contexts" && typeof v !== "string") return `filter ${showValue(key)} must be a string (got ${showValue(v)})`;
  }
  return filters as Filters;
}

/** Newest first, as Micro answers; `limit` keeps the newest ones. */
function select(events: MicroEvent[], f: Filters, good: boolean): MicroEvent[] {
  const out: MicroEvent[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.valid !== good) continue;
    if (f.schema != null && e.schema !== f.schema) continue;
    if (f.event_type != null && e.eventType !== f.event_type) continue;
    if (f.contexts != null && !f.contexts.every((c) => e.contexts.includes(c))) continue;
    if (f.vendor != null && f.vendor !== VENDOR) continue;
    if (f.version != null && f.version !== e.request.api) continue;
    out.push(e);
    if (f.limit != null && out.length >= f.limit) break;
  }
  return out;
}

/** The answer to a /micro/… request, or undefined when the path is not the API's. */
export function answerApi(method: string, pathname: string, body: string, store: EventStore, schemas: SchemaSet): ApiAnswer | Promise<ApiAnswer> | undefined {
  const read = method === "GET" || method === "POST";
  const counts = (): Record<string, number> => {
    const c = store.counts();
    return { total: c.total, good: c.good, bad: c.bad, ...(c.dropped > 0 ? { dropped: c.dropped } : {}) };
  };
  switch (pathname) {
    case "/micro/all": return read ? { status: 200, body: counts() } : notAllowed();
    case "/micro/reset":
      if (!read) return notAllowed();
      store.reset();
      return { status: 200, body: counts() };
    case "/micro/good":
    case "/micro/bad": {
      if (!read) return notAllowed();
      const good = pathname === "/micro/good";
      const filters = method === "POST" ? parseFilters(body, good ? ["schema", "event_type", "contexts", "limit"] : ["vendor", "version", "limit"]) : {};
      if (typeof filters === "string") return { status: 400, body: { error: filters } };
      return { status: 200, body: select(store.all(), filters, good).map(good ? goodEvent : badEvent) };
    }
    case "/micro/events": {
      // Micro lists good and incomplete (decoded, then failed) events; a request that never decoded to an event is not one.
      if (method === "GET") return { status: 200, body: store.all().filter((e) => e.eventType !== undefined).reverse().map(flatEvent) };
      if (method !== "POST") return notAllowed();
      const q = parseEventsQuery(body);
      return typeof q === "string" ? { status: 400, body: { error: q } } : queryEvents(q, store.all(), flatEvent).then((page) => ({ status: 200, body: page }));
    }
    default: break;
  }
  const iglu = /^\/micro\/iglu\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (iglu !== null) {
    if (method !== "GET") return notAllowed();
    const uri = `iglu:${iglu.slice(1).map(safeDecode).join("/")}`;
    const document = schemas.document(uri);
    return document === undefined ? { status: 404, body: { error: `${escapeText(uri)}: not in the registries micro reads` } } : { status: 200, body: document };
  }
  const one = /^\/micro\/events\/([^/]+)$/.exec(pathname);
  if (one !== null) {
    if (method !== "GET") return notAllowed();
    const id = safeDecode(one[1]!);
    const e = store.get(id);
    return e === undefined ? { status: 404, body: { error: `no event with event id ${showValue(id)}` } } : { status: 200, body: eventView(e) };
  }
  return pathname.startsWith("/micro/") ? { status: 404, body: { error: `no such endpoint ${showValue(pathname)}` } } : undefined;
}

function notAllowed(): ApiAnswer {
  return { status: 405, body: { error: "method not allowed" } };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
