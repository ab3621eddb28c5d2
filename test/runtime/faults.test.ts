/**
 * Faults at the collector: storms of 5xx, dropped connections, timeouts, the
 * collector down for a while. Every event must arrive; where the failure was
 * unambiguous (the collector did not record the events) none may arrive twice.
 * Randomness is seeded, so a failure replays the same way.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import v8 from "node:v8";
import vm from "node:vm";
import { Emitter, InMemoryEventStore, Tracker, type EmitterConfig } from "../../runtime/node.js";
import { startCollector, type Behaviour, type Collector, type Payload } from "../support/collector.js";
import { seeded } from "../support/random.js";

const collectors: Collector[] = [];
afterEach(async () => { await Promise.all(collectors.splice(0).map((c) => c.close())); });

async function collector(behaviour: Behaviour, port?: number): Promise<Collector> {
  const c = await startCollector(port === undefined ? { behaviour } : { behaviour, port });
  collectors.push(c);
  return c;
}

function tracker(endpoint: string, config: Partial<EmitterConfig> = {}): { tracker: Tracker; emitter: Emitter } {
  const emitter = new Emitter({
    // A small byteLimit keeps requests at about ten events, so faults hit many requests.
    endpoint, logger: "silent", batchSize: 10, byteLimit: 3_000, maxConcurrentRequests: 4, flushInterval: 20,
    retry: { initialDelay: 5, maxDelay: 40 }, ...config,
  });
  return { emitter, tracker: new Tracker({ namespace: "f", emitters: emitter, logger: "silent" }) };
}

async function trackPaced(t: Tracker, n: number): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let i = 0; i < n; i++) {
    t.trackStructEvent({ category: "fault", action: String(i) });
    ids.add(String(i));
    if (i % 100 === 99) await new Promise((r) => setImmediate(r));
  }
  return ids;
}

function tally(delivered: readonly Payload[]): { unique: Set<string>; duplicates: number } {
  const unique = new Set(delivered.map((e) => e.se_ac!));
  return { unique, duplicates: delivered.length - unique.size };
}

describe("faults", () => {
  test("a 5xx storm: everything arrives exactly once", async () => {
    const random = seeded(1);
    const c = await collector(() => ({ action: random() < 0.6 ? [500, 502, 503, 504][Math.floor(random() * 4)]! : 200 }));
    const { tracker: t } = tracker(c.url);
    const sent = await trackPaced(t, 2_000);
    await c.waitForEvents(2_000, 30_000);
    await t.close();
    const { unique, duplicates } = tally(c.delivered);
    assert.deepEqual(unique, sent);
    assert.equal(duplicates, 0);
    assert.ok(c.requests.length > 300, `the storm should have failed many requests (saw ${c.requests.length})`);
  });

  test("dropped connections before the collector records: everything arrives exactly once", async () => {
    const random = seeded(2);
    const c = await collector(() => ({ action: random() < 0.3 ? "destroy" : 200 }));
    const { tracker: t } = tracker(c.url);
    const sent = await trackPaced(t, 1_500);
    await c.waitForEvents(1_500, 30_000);
    await t.close();
    const { unique, duplicates } = tally(c.delivered);
    assert.deepEqual(unique, sent);
    assert.equal(duplicates, 0);
  });

  test("timeouts: requests that hang are abandoned and retried; everything arrives exactly once", async () => {
    const random = seeded(3);
    const c = await collector(() => ({ action: random() < 0.2 ? "hang" : 200 }));
    const { tracker: t } = tracker(c.url, { requestTimeout: 150 });
    const sent = await trackPaced(t, 500);
    await c.waitForEvents(500, 30_000);
    await t.close();
    const { unique, duplicates } = tally(c.delivered);
    assert.deepEqual(unique, sent);
    assert.equal(duplicates, 0);
  });

  test("ambiguous failures (recorded, then the connection dropped) are retried: at least once, duplicates accounted for", async () => {
    const random = seeded(4);
    let recordedThenDropped = 0;
    const c = await collector((request) => {
      if (random() >= 0.2) return { action: 200 };
      recordedThenDropped += request.events.length;
      return { action: "record-then-destroy" };
    });
    const { tracker: t, emitter } = tracker(c.url);
    const sent = await trackPaced(t, 1_000);
    const deadline = Date.now() + 30_000;
    while (emitter.stats().sent < 1_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await t.close();
    const { unique, duplicates } = tally(c.delivered);
    assert.deepEqual(unique, sent);
    // The client cannot know those events were kept, so it sends each again: one duplicate per such recording, no more.
    assert.ok(recordedThenDropped > 0);
    assert.equal(duplicates, recordedThenDropped);
  });

  test("the collector down for a while and back: everything arrives exactly once", async () => {
    const first = await collector(() => ({ action: 200 }));
    const port = first.port;
    await first.close();
    collectors.splice(collectors.indexOf(first), 1);
    const { tracker: t, emitter } = tracker(`http://127.0.0.1:${port}`, { retry: { initialDelay: 20, maxDelay: 200 } });
    const sent = await trackPaced(t, 1_000);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(emitter.stats().sent, 0);
    assert.ok(emitter.stats().failedRequests > 0);
    const back = await collector(() => ({ action: 200 }), port);
    await back.waitForEvents(1_000, 30_000);
    await t.close();
    const { unique, duplicates } = tally(back.delivered);
    assert.deepEqual(unique, sent);
    assert.equal(duplicates, 0);
    assert.equal(emitter.stats().dropped, 0);
  });

  test("memory stays bounded while the collector is down: the store caps what is kept", async () => {
    const c = await collector(() => ({ action: 503 }));
    const { tracker: t, emitter } = tracker(c.url, { eventStore: new InMemoryEventStore({ capacity: 5_000 }), retry: { initialDelay: 50, maxDelay: 100 } });
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    gc();
    // Stored events live in off-heap buffers: count those with the heap.
    const used = (): number => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
    const before = used();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5_000; i++) t.trackPageView({ pageUrl: `http://example.com/${round}/${i}`, pageTitle: "x".repeat(200) });
      await new Promise((r) => setTimeout(r, 5));
    }
    const stats = emitter.stats();
    assert.equal(stats.accepted, 5_000);
    assert.equal(stats.dropped, 95_000);
    gc();
    const grown = used() - before;
    // 5,000 kept events of ~400 bytes are ~2 MB; the 100,000 tracked would be ~40 MB.
    assert.ok(grown < 15 * 1024 * 1024, `heap and buffers grew by ${Math.round(grown / 1024 / 1024)} MB`);
    const report = await t.close({ timeoutMs: 100 });
    assert.equal(report.remaining, 5_000);
  });
});
