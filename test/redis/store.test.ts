/**
 * RedisEventStore against a real redis-server: the reliable-queue contract
 * (the same as the in-memory store's), its capacity across processes,
 * recovery of what a dead consumer left in flight, sharing one queue, and
 * closing. Skipped, saying so, where redis-server is not installed.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { RedisEventStore, type StoredEvent } from "../../runtime/node.js";
import { ROOT } from "../support/iglu.js";
import { skipWithoutRedis, startRedis, type TestRedis } from "../support/redis.js";

const skip = skipWithoutRedis();
const bodies = (events: readonly StoredEvent[]): string[] => events.map((e) => String(e.body));
let redis: TestRedis;
let n = 0;
const stores: RedisEventStore[] = [];
/** A store on its own key, closed after the file. */
const store = (options: { key?: string; capacity?: number; leaseMs?: number } = {}): RedisEventStore => {
  const s = new RedisEventStore({ url: redis.url, key: options.key ?? `test:${++n}`, logger: "silent", ...(options.capacity !== undefined ? { capacity: options.capacity } : {}), ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}) });
  stores.push(s);
  return s;
};
const fill = async (s: RedisEventStore, count: number, from = 0): Promise<void> => {
  const results = await Promise.all(Array.from({ length: count }, (_, i) => s.add(`{"n":${from + i}}`)));
  assert.ok(results.every(Boolean));
};

describe("RedisEventStore", { skip }, () => {
  before(async () => { redis = await startRedis(); });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await redis.stop();
  });

  test("take moves events from the head, oldest first, bounded by count and by bytes plus overhead", async () => {
    const s = store();
    await fill(s, 8);
    assert.deepEqual(bodies(await s.take(2, 1_000)), ['{"n":0}', '{"n":1}']);
    assert.deepEqual(bodies(await s.take(10, 21)), ['{"n":2}', '{"n":3}', '{"n":4}']);
    assert.deepEqual(bodies(await s.take(10, 24, 5)), ['{"n":5}', '{"n":6}']);
    assert.equal(await s.size(), 1);
  });

  test("bytes is the UTF-8 length of the body, which comes back intact", async () => {
    const s = store();
    const body = '{"s":"é☕𝄞 \\u0000:colon"}';
    await s.add(body);
    const [event] = await s.take(1, 1_000);
    assert.equal(event?.body, body);
    assert.equal(event?.bytes, Buffer.byteLength(body));
  });

  test("a first event larger than maxBytes is taken alone; no limit takes all", async () => {
    const s = store();
    await s.add(`{"big":"${"x".repeat(200)}"}`);
    await fill(s, 3);
    assert.equal((await s.take(10, 100)).length, 1);
    assert.equal((await s.take(10, Number.POSITIVE_INFINITY)).length, 3);
  });

  test("release puts events back before newer ones, in their original order", async () => {
    const s = store();
    await fill(s, 6);
    const first = await s.take(2, 1_000);
    const second = await s.take(2, 1_000);
    await s.release(second);
    await s.release(first);
    assert.deepEqual(bodies(await s.take(10, 10_000)), ['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}', '{"n":5}']);
  });

  test("ack forgets events for good; ids only grow", async () => {
    const s = store();
    await fill(s, 3);
    const taken = await s.take(3, 1_000);
    assert.deepEqual(taken.map((e) => e.id), [...taken.map((e) => e.id)].sort((a, b) => a - b));
    await s.ack(taken);
    await s.release(taken);
    assert.equal(await s.size(), 0);
  });

  test("capacity counts events waiting and in flight, in all processes sharing the key; release never drops", async () => {
    const key = `test:${++n}`;
    const a = store({ key, capacity: 3 });
    const b = store({ key, capacity: 3 });
    await fill(a, 2);
    assert.equal(await b.add('{"n":2}'), true);
    assert.equal(await a.add('{"n":3}'), false);
    const taken = await b.take(2, 1_000);
    assert.equal(await a.add('{"n":4}'), false, "in-flight events still count");
    await b.release(taken);
    assert.equal(await a.size(), 3);
    await b.ack(await b.take(1, 1_000));
    assert.equal(await a.add('{"n":5}'), true);
  });

  test("adds in one tick go to Redis as one script call, in order", async () => {
    const s = store();
    const before = Number((await redis.command(["INFO", "commandstats"]) as string).match(/cmdstat_evalsha:calls=(\d+)/)?.[1] ?? 0);
    await fill(s, 300);
    const after = Number((await redis.command(["INFO", "commandstats"]) as string).match(/cmdstat_evalsha:calls=(\d+)/)?.[1] ?? 0);
    assert.ok(after - before <= 3, `${after - before} script calls for 300 adds`);
    assert.deepEqual(bodies(await s.take(300, 1e9)), Array.from({ length: 300 }, (_, i) => `{"n":${i}}`));
  });

  test("two processes share one queue: each event is taken by one of them", async () => {
    const key = `test:${++n}`;
    const a = store({ key });
    const b = store({ key });
    await fill(a, 100);
    const taken = [...await a.take(30, 1e9), ...await b.take(30, 1e9), ...await a.take(100, 1e9), ...await b.take(100, 1e9)];
    assert.deepEqual(bodies(taken).sort(), Array.from({ length: 100 }, (_, i) => `{"n":${i}}`).sort());
  });

  test("what a process killed with SIGKILL left in flight goes back to the head, in order, once its lease lapses", async () => {
    const key = `test:${++n}`;
    // A long lease, so "not lapsed yet" holds however slow the machine; the lapse itself is then made to happen now.
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/fixtures/redis/take-and-hang.ts"), redis.url, key, "60000", "5", "3"], { stdio: ["ignore", "pipe", "inherit"] });
    const consumer = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        const match = /taken 3 (\S+)/.exec(d.toString());
        if (match !== null) resolve(match[1]!);
      });
      child.on("exit", (code) => reject(new Error(`the child exited (${String(code)}) before taking`)));
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const survivor = store({ key, leaseMs: 400 });
    assert.equal(await survivor.size(), 2);
    assert.equal(await survivor.recover(), 0, "the lease has not lapsed yet");
    assert.equal(Number(await redis.command(["PEXPIRE", `${key}:alive:${consumer}`, "1"])), 1, "the dead process's lease exists until it lapses");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await survivor.recover(), 3);
    assert.deepEqual(bodies(await survivor.take(10, 1e9)), ['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}']);
  });

  test("close hands back what this store had in flight and leaves no lease behind", async () => {
    const key = `test:${++n}`;
    const s = new RedisEventStore({ url: redis.url, key, logger: "silent" });
    await fill(s, 4);
    await s.take(2, 1e9);
    await s.close();
    assert.equal(Number(await redis.command(["LLEN", `${key}:queue`])), 4);
    assert.deepEqual(await redis.command(["KEYS", `${key}:alive:*`]), []);
    assert.deepEqual(await redis.command(["SMEMBERS", `${key}:consumers`]), []);
    await assert.rejects(s.add('{"late":true}'), /^Error: RedisEventStore is closed$/, "a closed store accepts nothing");
  });

  test("bad options are refused at construction", () => {
    assert.throws(() => new RedisEventStore({ capacity: 0 }), /capacity must be a positive integer/);
    assert.throws(() => new RedisEventStore({ key: "a b" }), /key must be a non-empty name without spaces/);
    assert.throws(() => new RedisEventStore({ leaseMs: 10 }), /leaseMs must be an integer of at least 100/);
  });
});
