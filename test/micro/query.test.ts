/**
 * POST /micro/events' query, table-driven on its two halves: the request
 * checks (each wrong field a message naming it) and the filtering and
 * sorting of kept events (own columns only, one order whatever the mix of
 * numbers and text, missing values last in both directions).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEventsQuery, queryEvents, type EventsQuery } from "../../generator/micro/query.js";
import type { MicroEvent } from "../../generator/micro/store.js";

function event(seq: number, row: Record<string, unknown>, receivedAt = "2026-12-03T10:00:00.000Z"): { e: MicroEvent; row: Record<string, unknown> } {
  const e = { seq, receivedAt, valid: true, messages: [], eventId: `e${seq}`, eventType: "ue", schema: undefined, contexts: [], event: undefined, entities: [], parameters: {}, request: { method: "POST", api: "tp2", contentType: undefined } } as unknown as MicroEvent;
  return { e, row: { seq, ...row } };
}

async function run(request: Record<string, unknown>, rows: Record<string, unknown>[]): Promise<number[]> {
  const q = parseEventsQuery(JSON.stringify({ page: 1, pageSize: 100, ...request }));
  assert.equal(typeof q, "object", String(q));
  const kept = rows.map((r, i) => event(i + 1, r));
  const byEvent = new Map(kept.map((k) => [k.e, k.row]));
  const answer = await queryEvents(q as EventsQuery, kept.map((k) => k.e), (e) => byEvent.get(e)!);
  return answer.events.map((r) => (r as { seq: number }).seq);
}

describe("POST /micro/events: request checks", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["date without a time", { timeRange: { start: "2026-12-03" } }, '"timeRange.start" must be an ISO 8601 date-time with a zone'],
    ["date-time without a zone", { timeRange: { end: "2026-12-03T10:00:00" } }, '"timeRange.end" must be an ISO 8601 date-time with a zone'],
    ["a day February does not have", { timeRange: { start: "2026-02-31T00:00:00Z" } }, '"timeRange.start" must be an ISO 8601 date-time with a zone'],
    ["hour 24", { timeRange: { start: "2026-02-01T24:00:00Z" } }, '"timeRange.start" must be an ISO 8601 date-time with a zone'],
    ["text Date.parse guesses at", { timeRange: { start: "Dec 3 2026" } }, '"timeRange.start" must be an ISO 8601 date-time with a zone'],
    ["a number", { timeRange: { start: 1764756000000 } }, '"timeRange.start" must be an ISO 8601 date-time with a zone'],
    ["a misspelt timeRange field, which would have matched every event", { timeRange: { from: "2026-12-03T10:00:00Z" } }, 'unknown field "timeRange.from"; it takes start, end'],
    ["a misspelt sorting field, which would have sorted ascending", { sorting: { column: "app_id", descending: true } }, 'unknown field "sorting.descending"; it takes column, desc'],
    ["a filter with a field of its own", { filters: [{ column: "app_id", value: "shop", exact: true }] }, 'unknown field "filters[0].exact"; it takes column, value'],
  ];
  for (const [name, request, message] of cases) {
    test(name, () => {
      const q = parseEventsQuery(JSON.stringify({ page: 1, pageSize: 10, ...request }));
      assert.equal(typeof q, "string");
      assert.ok((q as string).startsWith(message), q as string);
    });
  }
  test("year 0000's leap day is a date (Date.UTC would have read year 0 as 1900, no leap year)", () => {
    const q = parseEventsQuery(JSON.stringify({ page: 1, pageSize: 10, timeRange: { start: "0000-02-29T00:00:00Z" } }));
    assert.equal(typeof q, "object", String(q));
    assert.equal((q as EventsQuery).start, -62162121600000);
  });
  test("a leap day, fractions and offsets are accepted", () => {
    const q = parseEventsQuery(JSON.stringify({ page: 1, pageSize: 10, timeRange: { start: "2028-02-29T23:59:59.123+01:00", end: "2028-03-01T00:00:00z" } }));
    assert.equal(typeof q, "object", String(q));
    assert.equal((q as EventsQuery).start, Date.UTC(2028, 1, 29, 22, 59, 59, 123));
    assert.equal((q as EventsQuery).end, Date.UTC(2028, 2, 1));
  });
});

describe("POST /micro/events: filters and sorting", () => {
  test("filters match the row's own columns only, not Object.prototype's", async () => {
    const rows = [{ app_id: "shop" }, { app_id: "blog" }];
    assert.deepEqual(await run({ filters: [{ column: "constructor", value: "function" }] }, rows), []);
    assert.deepEqual(await run({ filters: [{ column: "__proto__", value: "object" }] }, rows), []);
    assert.deepEqual(await run({ filters: [{ column: "toString", value: "" }] }, rows), []);
    assert.deepEqual(await run({ filters: [{ column: "app_id", value: "SHO" }] }, rows), [1]);
  });
  test("sorting by a column of numbers and text: numbers first by value, then text; missing last both ways", async () => {
    const rows = [{ v: "b" }, { v: 10 }, {}, { v: 9 }, { v: "a" }, { v: null }, { v: 100 }];
    assert.deepEqual(await run({ sorting: { column: "v", desc: false } }, rows), [4, 2, 7, 5, 1, 3, 6]);
    assert.deepEqual(await run({ sorting: { column: "v", desc: true } }, rows), [1, 5, 7, 2, 4, 6, 3]);
  });
  test("sorting by a column no row has keeps arrival order, reversed when descending", async () => {
    assert.deepEqual(await run({ sorting: { column: "constructor", desc: false } }, [{}, {}, {}]), [1, 2, 3]);
    assert.deepEqual(await run({ sorting: { column: "constructor", desc: true } }, [{}, {}, {}]), [3, 2, 1]);
  });
  test("flattening many events lets the event loop turn (the server goes on taking events), with the same answer", async () => {
    let turns = 0;
    let spinning = true;
    const spin = (): void => { if (spinning) { turns++; setImmediate(spin); } };
    setImmediate(spin);
    const rows = Array.from({ length: 5_000 }, (_, i) => ({ app_id: i % 2 === 0 ? "shop" : "blog" }));
    const found = await run({ filters: [{ column: "app_id", value: "blog" }], pageSize: 3 }, rows);
    spinning = false;
    assert.deepEqual(found, [5_000, 4_998, 4_996]);
    assert.ok(turns >= 5, `the event loop turned ${turns} times while 5,000 events were flattened`);
  });
});
