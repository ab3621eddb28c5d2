/**
 * BullMQ benchmark, one run, against a redis-server and a collector
 * (bench/collector.mjs) each in a process of their own, workers in processes
 * of their own (bench/bullmq-worker.mjs), BENCH_RUNS rounds (default 3),
 * medians. Each measure tracks N events (the runtime bench's event) in this
 * process and lasts until the collector has them all:
 *
 * 1. plain Emitter: tracker → Emitter → collector;
 * 2. RedisEmitter → Redis list → one RedisWorker process → collector;
 * 3. BullMQEmitter → BullMQ queue → one worker process → collector;
 * 4. the same with three worker processes.
 *
 * Workers are started (and connected) before the clock starts.
 * Usage: npm run bench:bullmq  (builds first; needs redis-server)
 */
import { fork, spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Emitter, InMemoryEventStore, RedisEmitter, Tracker } from "@igluc/runtime";
import { BullMQEmitter } from "@igluc/runtime/bullmq";
import { startRedis } from "../test/support/redis.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.env.BENCH_RUNS ?? 3);
const N = Number(process.env.BENCH_EVENTS ?? 30_000);
const LIMIT_MS = 120_000;

const collector = fork(path.join(root, "bench/collector.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const port = await new Promise((resolve) => collector.on("message", (m) => m.type === "ready" && resolve(m.port)));
const endpoint = `http://127.0.0.1:${port}`;
let nextId = 0;
const ask = (cmd) => new Promise((resolve) => {
  const id = ++nextId;
  const listener = (m) => { if (m.id === id) { collector.off("message", listener); resolve(m); } };
  collector.on("message", listener);
  collector.send({ id, cmd });
});
const redis = await startRedis();
const until = async (done, what) => {
  const end = Date.now() + LIMIT_MS;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`bench: ${what} not done within ${LIMIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const event = (tracker) => tracker.trackSelfDescribingEvent(
  { schema: "iglu:com.acme/viewed_product/jsonschema/1-0-0", data: { price: 20, sku: "abc" } },
  { context: [{ schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { type: "tester" } }] },
);
let queueNumber = 0;

function startWorker(kind, queue) {
  const child = spawn(process.execPath, [path.join(root, "bench/bullmq-worker.mjs"), JSON.stringify({ kind, queue, redis: redis.url, endpoint })], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} worker not ready within 20 s`)), 20_000);
    child.stdout.on("data", (d) => { if (String(d).includes("ready")) { clearTimeout(timer); resolve(); } });
  });
  return {
    ready,
    async stop() {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One measure: events/s from the first event tracked until the collector has N. */
async function measure(kind, workers) {
  await ask("reset");
  const queue = `bench${++queueNumber}`;
  const children = Array.from({ length: workers }, () => startWorker(kind, queue));
  await Promise.all(children.map((c) => c.ready));
  // Room for every event in the in-memory stores (their default capacity is 10,000), as bench/redis.mjs does.
  const emitter = kind === "emitter" ? new Emitter({ endpoint, eventStore: new InMemoryEventStore({ capacity: N }), logger: "silent" })
    : kind === "redis" ? new RedisEmitter({ url: redis.url, key: queue, capacity: N, logger: "silent" })
      : new BullMQEmitter({ queue, url: redis.url, eventStore: new InMemoryEventStore({ capacity: N }), logger: "silent" });
  const tracker = new Tracker({ namespace: "bench", appId: "bench", emitters: emitter, logger: "silent" });
  const started = performance.now();
  for (let i = 0; i < N; i += 1000) {
    for (let j = i; j < Math.min(N, i + 1000); j++) event(tracker);
    await new Promise((r) => setImmediate(r));
  }
  await tracker.flush();
  await until(async () => (await ask("stats")).stats.events >= N, `${kind} × ${workers}`);
  const ms = performance.now() - started;
  const { stats } = await ask("stats");
  await tracker.close({ timeoutMs: 2_000 });
  await Promise.all(children.map((c) => c.stop()));
  return { eventsPerSecond: N / (ms / 1000), duplicates: stats.duplicates };
}

const PATHS = [
  ["emitter", 0, "Emitter → collector (in memory)"],
  ["redis", 1, "RedisEmitter → RedisWorker ×1"],
  ["bullmq", 1, "BullMQEmitter → BullMQ worker ×1"],
  ["bullmq", 3, "BullMQEmitter → BullMQ workers ×3"],
];
const samples = PATHS.map(() => []);
for (let round = 0; round < runs; round++) {
  // Alternate the order so neither path always runs on a warmer machine.
  const order = round % 2 === 0 ? PATHS.map((_, i) => i) : PATHS.map((_, i) => PATHS.length - 1 - i);
  for (const i of order) samples[i].push(await measure(PATHS[i][0], PATHS[i][1]));
  process.stderr.write(`round ${round + 1}/${runs}: ${PATHS.map(([, , label], i) => `${label} ${Math.round(samples[i].at(-1).eventsPerSecond)}`).join(", ")} events/s\n`);
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const medians = samples.map((list) => median(list.map((s) => s.eventsPerSecond)));
const f = (x) => Math.round(x).toLocaleString("en-US");
console.log(`\nBullMQ benchmark: ${f(N)} events per measure, ${runs} rounds, medians; node ${process.version}, ${os.cpus().length} CPUs\n`);
console.log(`${"path".padEnd(36)} ${"events/s".padStart(9)}  ${"vs Emitter".padStart(10)}  ${"vs Redis".padStart(8)}  duplicates`);
for (const [i, [, , label]] of PATHS.entries()) {
  const duplicates = Math.max(...samples[i].map((s) => s.duplicates));
  console.log(`${label.padEnd(36)} ${f(medians[i]).padStart(9)}  ${(medians[i] / medians[0]).toFixed(2).padStart(9)}x  ${(medians[i] / medians[1]).toFixed(2).padStart(7)}x  ${String(duplicates).padStart(10)}`);
}
console.log(`BENCH_JSON ${JSON.stringify({ paths: PATHS.map(([kind, workers, label]) => ({ kind, workers, label })), medians, samples })}`);
await ask("close");
await redis.stop();
