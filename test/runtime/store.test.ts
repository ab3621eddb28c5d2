/**
 * InMemoryEventStore: the reliable-queue contract (take, ack, release in
 * order), its bound, and bodies kept as UTF-8 across chunk boundaries.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InMemoryEventStore, type StoredEvent } from "../../runtime/node.js";

const text = (e: StoredEvent): string => (typeof e.body === "string" ? e.body : Buffer.from(e.body).toString("utf8"));
const bodies = (events: readonly StoredEvent[]): string[] => events.map(text);
const fill = (store: InMemoryEventStore, n: number): void => {
  for (let i = 0; i < n; i++) assert.equal(store.add(`{"n":${i}}`), true);
};

describe("InMemoryEventStore", () => {
  test("take moves events from the head, oldest first, bounded by count and by bytes plus overhead", () => {
    const store = new InMemoryEventStore();
    fill(store, 8);
    assert.deepEqual(bodies(store.take(2, 1_000)), ['{"n":0}', '{"n":1}']);
    // Each body is 7 bytes: with no overhead 3 fit in 21, with 5 bytes of overhead each only 2 fit in 24.
    assert.deepEqual(bodies(store.take(10, 21)), ['{"n":2}', '{"n":3}', '{"n":4}']);
    assert.deepEqual(bodies(store.take(10, 24, 5)), ['{"n":5}', '{"n":6}']);
    assert.equal(store.size(), 1);
  });

  test("bytes is the UTF-8 length of the body", () => {
    const store = new InMemoryEventStore();
    store.add('{"s":"é☕𝄞"}');
    assert.equal(store.take(1, 1_000)[0]!.bytes, Buffer.byteLength('{"s":"é☕𝄞"}'));
  });

  test("a first event larger than maxBytes is taken alone", () => {
    const store = new InMemoryEventStore();
    store.add(`{"big":"${"x".repeat(200)}"}`);
    store.add('{"small":1}');
    assert.deepEqual(bodies(store.take(10, 100)), [`{"big":"${"x".repeat(200)}"}`]);
    assert.deepEqual(bodies(store.take(10, 100)), ['{"small":1}']);
    assert.deepEqual(store.take(10, 100), []);
  });

  test("release puts events back before newer ones, in their original order, whatever the order of releases", () => {
    const cases: [string, (a: readonly StoredEvent[], b: readonly StoredEvent[], s: InMemoryEventStore) => void][] = [
      ["older batch released first", (a, b, s) => { s.release(a); s.release(b); }],
      ["newer batch released first", (a, b, s) => { s.release(b); s.release(a); }],
      ["one acked, the other released", (a, b, s) => { s.ack(a); s.release(b); }],
    ];
    for (const [name, settle] of cases) {
      const store = new InMemoryEventStore();
      fill(store, 7);
      const a = store.take(2, 1_000);
      const b = store.take(2, 1_000);
      settle(a, b, store);
      const expected = name === "one acked, the other released" ? [2, 3, 4, 5, 6] : [0, 1, 2, 3, 4, 5, 6];
      assert.deepEqual(bodies(store.take(100, 10_000)), expected.map((n) => `{"n":${n}}`), name);
    }
  });

  test("capacity counts events in flight; release never drops", () => {
    const store = new InMemoryEventStore({ capacity: 3 });
    fill(store, 3);
    assert.equal(store.add("{}"), false);
    const taken = store.take(2, 1_000);
    assert.equal(store.add("{}"), false, "in-flight events still count");
    store.ack(taken.slice(0, 1));
    assert.equal(store.add('{"n":9}'), true);
    store.release(taken.slice(1));
    assert.deepEqual(bodies(store.take(10, 1_000)), ['{"n":1}', '{"n":2}', '{"n":9}']);
  });

  test("bodies survive chunk boundaries, events larger than a chunk, and any UTF-8", () => {
    const store = new InMemoryEventStore({ capacity: 100 });
    const written: string[] = [];
    for (let i = 0; i < 40; i++) {
      const body = JSON.stringify({ i, s: "é☕𝄞".repeat(i === 20 ? 200_000 : 9_000) });
      written.push(body);
      assert.equal(store.add(body), true);
    }
    assert.deepEqual(bodies(store.take(100, Number.POSITIVE_INFINITY)), written);
  });

  test("ids only grow", () => {
    const store = new InMemoryEventStore();
    fill(store, 5);
    const ids = store.take(5, 1_000).map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
    assert.equal(new Set(ids).size, 5);
  });
});
