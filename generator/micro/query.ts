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
  }
  const valid = q.validEvents ?? undefined;
  if (valid !== undefined && typeof valid !== "boolean") return `"validEvents" must be true, false or null (got ${showValue(valid)})`;
  const range = q.timeRange ?? {};
  if (typeof range !== "object" || Array.isArray(range)) return `"timeRange" must be { "start", "end" } or null (got ${showValue(range)})`;
  const bounds: (number | undefined)[] = [];
  for (const key of ["start", "end"] as const) {
    const at = (range as Record<string, unknown>)[key] ?? undefined;
    const ms = typeof at === "string" ? Date.parse(at) : Number.NaN;
    if (at !== undefined && Number.isNaN(ms)) return `"timeRange.${key}" must be an ISO 8601 timestamp or null (got ${showValue(at)})`;
    bounds.push(at === undefined ? undefined : ms);
  }
  const sorting = q.sorting ?? { column: "collector_tstamp", desc: true };
  if (typeof sorting !== "object" || Array.isArray(sorting)) return `"sorting" must be { "column", "desc" } or null (got ${showValue(sorting)})`;
  const { column, desc } = sorting as { column?: unknown; desc?: unknown };
  if (typeof column !== "string") return `"sorting.column" must be a column name (got ${showValue(column)})`;
  if (desc !== undefined && typeof desc !== "boolean") return `"sorting.desc" must be true or false (got ${showValue(desc)})`;
  return {
    page: q.page as number, pageSize: q.pageSize as number, filters: filters as EventsQuery["filters"], validEvents: valid as boolean | undefined,
    start: bounds[0], end: bounds[1], sortColumn: column, descending: desc === true,
  };
}

/** A column's value as filters see it: text as is, numbers and booleans as written, objects and lists as JSON. */
function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Ascending order of two column values: numbers by value, the rest by text; missing values after all others. */
function compare(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = asText(a)!;
  const y = asText(b)!;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * One page of the events (oldest first in `events`) that decoded, as
 * `flat` lists them. Events of one request share their arrival time: ties
 * keep arrival order (reversed when descending).
 */
export function queryEvents(q: EventsQuery, events: readonly MicroEvent[], flat: (e: MicroEvent) => Record<string, unknown>): { events: unknown[]; totalPages: number; totalItems: number } {
  const picked: { seq: number; row: Record<string, unknown> | undefined; e: MicroEvent }[] = [];
  for (const e of events) {
    if (e.eventType === undefined) continue;
    if (q.validEvents !== undefined && e.valid !== q.validEvents) continue;
    const at = Date.parse(e.receivedAt);
    if ((q.start !== undefined && at < q.start) || (q.end !== undefined && at >= q.end)) continue;
    picked.push({ seq: e.seq, row: undefined, e });
  }
  // Flattening decodes a good event's parts again: only when a filter or the sort needs its columns.
  const byArrival = q.sortColumn === "collector_tstamp";
  let rows = picked;
  if (q.filters.length > 0 || !byArrival) {
    for (const p of picked) p.row = flat(p.e);
    const wanted = q.filters.map((f) => ({ column: f.column, value: f.value.toLowerCase() }));
    rows = picked.filter((p) => wanted.every((f) => asText(p.row![f.column])?.toLowerCase().includes(f.value) === true));
  }
  const sign = q.descending ? -1 : 1;
  rows.sort((a, b) => {
    const byValue = byArrival ? 0 : compare(a.row![q.sortColumn], b.row![q.sortColumn]);
    // Missing values stay last whichever the direction.
    const missing = a.row !== undefined && (a.row[q.sortColumn] == null) !== (b.row![q.sortColumn] == null);
    return (missing ? byValue : sign * byValue) || sign * (a.seq - b.seq);
  });
  const from = (q.page - 1) * q.pageSize;
  const page = from >= rows.length ? [] : rows.slice(from, from + q.pageSize);
  return { events: page.map((p) => p.row ?? flat(p.e)), totalPages: Math.ceil(rows.length / q.pageSize), totalItems: rows.length };
}
