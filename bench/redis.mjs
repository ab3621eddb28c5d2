/**
 * Redis benchmark, one run, against a redis-server and a collector (bench/collector.mjs)
 * each in a process of its own, BENCH_RUNS rounds (default 5), medians:
 *
 * 1. The cost of the durable store: a tracker in this process tracks N events
 *    (the runtime bench's event) through an Emitter with the InMemoryEventStore,
 *    then with the RedisEventStore, until the collector has them all: events/s,
 *    CPU µs per event in the tracker's process, and in redis-server.
 * 2. Into Redis: a RedisEmitter pushing N events (until the list holds them).
 * 3. Out of Redis: a RedisWorker draining N events into an Emitter, until the
 *    collector has them.
 *
 * Usage: npm run bench:redis  (builds first; needs redis-server)
 */
import { fork } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Emitter, InMemoryEventStore, RedisEmitter, RedisEventStore, RedisWorker, Tracker } from "@igluc/runtime";
import { startRedis } from "../test/support/redis.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const N = Number(process.env.BENCH_EVENTS ?? 30_000);

const collector = fork(path.join(root, "bench/collector.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const port = await new Promise((resolve) => collector.on("message", (m) => m.type === "ready" && resolve(m.port)));
let nextId = 0;
const ask = (cmd) => new Promise((resolve) => {
  const id = ++nextId;
  const listener = (m) => { if (m.id === id) { collector.off("message", listener); resolve(m); } };
  collector.on("message", listener);
  collector.send({ id, cmd });
});
const redis = await startRedis();
const redisCpu = async () => {
  const info = String(await redis.command(["INFO", "cpu"]));
  const get = (k) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return (get("used_cpu_user") + get("used_cpu_sys")) * 1e6;
};
const until = async (done) => { while (!(await done())) await new Promise((r) => setTimeout(r, 5)); };
const event = (tracker) => tracker.trackSelfDescribingEvent(
  { schema: "iglu:com.acme/viewed_product/jsonschema/1-0-0", data: { price: 20, sku: "abc" } },
  { context: [{ schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { type: "tester" } }] },
);
let key = 0;

/** Tracks N events through an Emitter with `store`; answers events/s and CPU µs per event (here and in Redis). */
async function throughStore(kind) {
  await ask("reset");
  const store = kind === "memory" ? new InMemoryEventStore({ capacity: N }) : new RedisEventStore({ url: redis.url, key: `bench:${++key}`, capacity: N, logger: "silent" });
  const emitter = new Emitter({ endpoint: `http://127.0.0.1:${port}`, eventStore: store, logger: "silent" });
  const tracker = new Tracker({ namespace: "bench", appId: "bench", emitters: emitter, logger: "silent" });
  const redisBefore = await redisCpu();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < N; i += 1000) {
    for (let j = i; j < Math.min(N, i + 1000); j++) event(tracker);
    await new Promise((r) => setImmediate(r));
  }
  await until(async () => (await ask("stats")).stats.events >= N);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const redisUsed = (await redisCpu()) - redisBefore;
  await tracker.close({ timeoutMs: 1000 });
  return { eventsPerSecond: N / (ms / 1000), cpuPerEvent: (used.user + used.system) / N, redisCpuPerEvent: redisUsed / N };
}

async function intoRedis() {
  const list = `list:${++key}`;
  const emitter = new RedisEmitter({ url: redis.url, key: list, logger: "silent" });
  const tracker = new Tracker({ namespace: "bench", emitters: emitter, logger: "silent" });
  const started = performance.now();
  for (let i = 0; i < N; i += 1000) {
    for (let j = i; j < Math.min(N, i + 1000); j++) event(tracker);
    await new Promise((r) => setImmediate(r));
  }
  await tracker.flush();
  await until(async () => Number(await redis.command(["LLEN", list])) >= N);
  const ms = performance.now() - started;
  await emitter.close();
  return { list, eventsPerSecond: N / (ms / 1000) };
}

async function outOfRedis(list) {
  await ask("reset");
  const emitter = new Emitter({ endpoint: `http://127.0.0.1:${port}`, logger: "silent" });
  const worker = new RedisWorker({ url: redis.url, key: list, emitter, batchSize: 500, pollMs: 20, logger: "silent" });
  const started = performance.now();
  const running = worker.run();
  await until(async () => (await ask("stats")).stats.events >= N);
  const ms = performance.now() - started;
  await worker.stop();
  await running;
  return { eventsPerSecond: N / (ms / 1000) };
}

const samples = { memory: [], redis: [], into: [], out: [] };
for (let i = 0; i < runs; i++) {
  for (const kind of i % 2 === 0 ? ["memory", "redis"] : ["redis", "memory"]) samples[kind].push(await throughStore(kind));
  const pushed = await intoRedis();
  samples.into.push(pushed);
  samples.out.push(await outOfRedis(pushed.list));
  process.stderr.write(`round ${i + 1}/${runs}: memory ${Math.round(samples.memory.at(-1).eventsPerSecond)} ev/s, redis store ${Math.round(samples.redis.at(-1).eventsPerSecond)} ev/s, into ${Math.round(pushed.eventsPerSecond)} ev/s, out ${Math.round(samples.out.at(-1).eventsPerSecond)} ev/s\n`);
}
const median = (list, f) => [...list.map(f)].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const m = {
  memory: { eps: median(samples.memory, (s) => s.eventsPerSecond), cpu: median(samples.memory, (s) => s.cpuPerEvent) },
  redis: { eps: median(samples.redis, (s) => s.eventsPerSecond), cpu: median(samples.redis, (s) => s.cpuPerEvent), redisCpu: median(samples.redis, (s) => s.redisCpuPerEvent) },
  into: median(samples.into, (s) => s.eventsPerSecond),
  out: median(samples.out, (s) => s.eventsPerSecond),
};
const f = (x, d = 0) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`\nRedis benchmark: ${f(N)} events per measure, ${runs} rounds, medians; node ${process.version}, ${os.cpus().length} CPUs\n`);
console.log(`Emitter with InMemoryEventStore     ${f(m.memory.eps).padStart(8)} events/s   ${f(m.memory.cpu, 1).padStart(6)} CPU µs/event (tracker process)`);
console.log(`Emitter with RedisEventStore        ${f(m.redis.eps).padStart(8)} events/s   ${f(m.redis.cpu, 1).padStart(6)} CPU µs/event (tracker process) + ${f(m.redis.redisCpu, 1)} (redis-server)`);
console.log(`  ratio Redis / in-memory           ${(m.redis.eps / m.memory.eps).toFixed(2)}x events/s, ${(m.redis.cpu / m.memory.cpu).toFixed(2)}x tracker CPU per event, ${((m.redis.cpu + m.redis.redisCpu) / m.memory.cpu).toFixed(2)}x with redis-server's`);
console.log(`Into Redis (RedisEmitter)           ${f(m.into).padStart(8)} events/s`);
console.log(`Out of Redis (RedisWorker → Emitter) ${f(m.out).padStart(7)} events/s`);
console.log(`BENCH_JSON ${JSON.stringify({ medians: m, samples })}`);
await ask("close");
await redis.stop();
