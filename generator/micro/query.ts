/**
 * POST /micro/events, as newer Snowplow Micro releases answer it: the
 * decoded events (good and failed), filtered, sorted and paginated on the
 * server. The request is `{ page, pageSize, filters: [{ column, value }],
 * validEvents, timeRange: { start, end }, sorting: { column, desc } }`; the
 * answer `{ events, totalPages, totalItems }`, each event flattened as
 * GET /micro/events lists it. Filters match as Micro's in-memory mode does:
 * the column's value contains the filter's text, ignoring case. Every field
 * is checked: a wrong one is a 400 naming it, never ignored.
 */
import { showValue } from "@igluc/runtime/validation";
import type { MicroEvent } from "./store.js";

/** Filters in one query at most. */
const MAX_FILTERS = 50;
/** Events flattened between two turns of the event loop (about 10 ms of work). */
const YIELD_EVERY = 500;

export interface EventsQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly filters: readonly { readonly column: string; readonly value: string }[];
  /** true: good events only; false: failed ones only; undefined: both. */
  readonly validEvents: boolean | undefined;
  /** Arrival time, start inclusive, end exclusive (ms since the epoch). */
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly sortColumn: string;
  readonly descending: boolean;
}

/** The request, checked; a string says what is wrong with it. */
export function parseEventsQuery(text: string): EventsQuery | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the request must be a JSON object { "page", "pageSize", "filters", "validEvents", "timeRange", "sorting" }';
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return `the request must be a JSON object (got ${showValue(value)})`;
  const q = value as Record<string, unknown>;
  const known = ["page", "pageSize", "filters", "validEvents", "timeRange", "sorting"];
  const unknown = Object.keys(q).find((key) => !known.includes(key));
  if (unknown !== undefined) return `unknown field ${showValue(unknown)}; this endpoint takes ${known.join(", ")}`;
  for (const key of ["page", "pageSize"]) {
    const n = q[key];
    if (!(Number.isSafeInteger(n) && (n as number) >= 1)) return `"${key}" must be a whole number from 1 (got ${showValue(n)})`;
  }
  const filters = q.filters ?? [];
  if (!Array.isArray(filters)) return `"filters" must be an array of { "column", "value" } (got ${showValue(filters)})`;
  // Each filter is checked against every event kept: their number is bounded as the store is.
  if (filters.length > MAX_FILTERS) return `"filters" holds ${filters.length} filters, more than the ${MAX_FILTERS} accepted`;
  for (const [i, f] of filters.entries()) {
    const ok = f !== null && typeof f === "object" && typeof (f as { column?: unknown }).column === "string" && typeof (f as { value?: unknown }).value === "string";
    if (!ok) return `"filters" item ${i} must be { "column": string, "value": string } (got ${showValue(f)})`;
    const extra = unknownField(f as object, `filters[${i}]`, ["column", "value"]);
    if (extra !== undefined) return extra;
  }
  const valid = q.validEvents ?? undefined;
  if (valid !== undefined && typeof valid !== "boolean") return `"validEvents" must be true, false or null (got ${showValue(valid)})`;
  const range = q.timeRange ?? {};
  if (typeof range !== "object" || Array.isArray(range)) return `"timeRange" must be { "start", "end" } or null (got ${showValue(range)})`;
  // A misspelt bound would match every event: named, never ignored.
  const rangeExtra = unknownField(range as object, "timeRange", ["start", "end"]);
  if (rangeExtra !== undefined) return rangeExtra;
  const bounds: (number | undefined)[] = [];
  for (const key of ["start", "end"] as const) {
    const at = (range as Record<string, unknown>)[key] ?? undefined;
    const ms = typeof at === "string" ? isoTime(at) : undefined;
    if (at !== undefined && ms === undefined) return `"timeRange.${key}" must be an ISO 8601 date-time with a zone, like "2026-12-03T10:00:00Z", or null (got ${showValue(at)})`;
    bounds.push(ms);
  }
  const sorting = q.sorting ?? { column: "collector_tstamp", desc: true };
  if (typeof sorting !== "object" || Array.isArray(sorting)) return `"sorting" must be { "column", "desc" } or null (got ${showValue(sorting)})`;
  const sortingExtra = unknownField(sorting as object, "sorting", ["column", "desc"]);
  if (sortingExtra !== undefined) return sortingExtra;
  const { column, desc } = sorting as { column?: unknown; desc?: unknown };
  if (typeof column !== "string") return `"sorting.column" must be a column name (got ${showValue(column)})`;
  if (desc !== undefined && typeof desc !== "boolean") return `"sorting.desc" must be true or false (got ${showValue(desc)})`;
  return {
    page: q.page as number, pageSize: q.pageSize as number, filters: filters as EventsQuery["filters"], validEvents: valid as boolean | undefined,
    start: bounds[0], end: bounds[1], sortColumn: column, descending: desc === true,
  };
}

/** What is wrong when `value` (the request's `where`) has a field other than `known`. */
function unknownField(value: object, where: string, known: readonly string[]): string | undefined {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  return unknown === undefined ? undefined : `unknown field ${showValue(`${where}.${unknown}`)}; it takes ${known.join(", ")}`;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Milliseconds since the epoch of an ISO 8601 date-time with its zone, or
 * undefined. Date.parse alone would take "2026-02-31" (as March 3rd), a
 * date without a time or zone (read in this machine's zone), or any text
 * its engine guesses at.
 */
function isoTime(text: string): number | undefined {
  const m = ISO_TIME.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [number, number, number, number, number, number];
  // setUTCFullYear, not Date.UTC: that reads years 0 to 99 as 1900 to 1999 (and 1900 is no leap year, year 0 is).
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  const daysInMonth = lastDay.getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A column's value; only the row's own columns (never `constructor` or `__proto__` from Object.prototype). */
function column(row: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(row, name) ? row[name] : undefined;
}

/** A column's value as filters see it: text as is, numbers and booleans as written, objects and lists as JSON. */
function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** A sort key: numbers by value, before everything else, which sorts by its text; missing values are undefined. */
type SortKey = number | string | undefined;

function sortKey(value: unknown): SortKey {
  return typeof value === "number" && Number.isFinite(value) ? value : asText(value);
}

/** Ascending order of two present keys: every number before every text, so the order is the same whatever the mix. */
function compare(a: number | string, b: number | string): number {
  if (typeof a === "number") return typeof b === "number" ? a - b : -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One page of the events (oldest first in `events`) that decoded, as
 * `flat` lists them; the event loop turns while they are flattened. Events of one request share their arrival time: ties
 * keep arrival order (reversed when descending).
 */
export async function queryEvents(q: EventsQuery, events: readonly MicroEvent[], flat: (e: MicroEvent) => Record<string, unknown>): Promise<{ events: unknown[]; totalPages: number; totalItems: number }> {
  const picked: { seq: number; key: SortKey; e: MicroEvent }[] = [];
  for (const e of events) {
    if (e.eventType === undefined) continue;
    if (q.validEvents !== undefined && e.valid !== q.validEvents) continue;
    const at = Date.parse(e.receivedAt);
    if ((q.start !== undefined && at < q.start) || (q.end !== undefined && at >= q.end)) continue;
    picked.push({ seq: e.seq, key: undefined, e });
  }
  // Flattening decodes a good event's parts again: only when a filter or the sort needs its columns. Rows are
  // not kept (a full store's would be several times its bytes): the page's are flattened again at the end.
  const byArrival = q.sortColumn === "collector_tstamp";
  let rows = picked;
  if (q.filters.length > 0 || !byArrival) {
    const wanted = q.filters.map((f) => ({ column: f.column, value: f.value.toLowerCase() }));
    rows = [];
    for (const [i, p] of picked.entries()) {
      // Flattening a full store takes a second or two: the server goes on taking events meanwhile.
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const row = flat(p.e);
      if (!wanted.every((f) => asText(column(row, f.column))?.toLowerCase().includes(f.value) === true)) continue;
      // Each key computed once, not once for each comparison the sort makes.
      if (!byArrival) p.key = sortKey(column(row, q.sortColumn));
      rows.push(p);
    }
  }
  const sign = q.descending ? -1 : 1;
  rows.sort((a, b) => {
    if (!byArrival && a.key !== b.key) {
      // Missing values stay last whichever the direction.
      if (a.key === undefined) return 1;
      if (b.key === undefined) return -1;
      const byValue = compare(a.key, b.key);
      if (byValue !== 0) return sign * byValue;
    }
    return sign * (a.seq - b.seq);
  });
  const from = (q.page - 1) * q.pageSize;
  const page = from >= rows.length ? [] : rows.slice(from, from + q.pageSize);
  return { events: page.map((p) => flat(p.e)), totalPages: Math.ceil(rows.length / q.pageSize), totalItems: rows.length };
}
