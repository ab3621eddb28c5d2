/**
 * One tracker process for bench/throughput.mjs: `node bench/throughput-client.mjs
 * igluc|igluc-fetch|node <port> <events>`. Each tracker with its default
 * settings (no raised store capacity); the producer tracks 100 events, yields
 * to the event loop, and before each 100 waits while the tracker's own store
 * is at least 90% full. Sends {tracked} when done tracking, then {result}
 * (CPU, peak RSS) when the parent says the collector has everything.
 */
import { performance } from "node:perf_hooks";

const [kind, port, count] = process.argv.slice(2);
const N = Number(count);
const ENDPOINT = `http://127.0.0.1:${port}`;
const EVENT = { schema: "iglu:com.acme/viewed_product/jsonschema/1-0-0", data: { price: 20, sku: "abc" } };
const ENTITY = { schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { type: "tester" } };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const yieldNow = () => new Promise((resolve) => setImmediate(resolve));

async function igluc(transport) {
  const { Emitter, Tracker } = await import("@igluc/runtime");
  const emitter = new Emitter({ endpoint: ENDPOINT, logger: "silent", ...(transport === undefined ? {} : { transport }) });
  const tracker = new Tracker({ namespace: "bench", appId: "bench", emitters: emitter, logger: "silent" });
  return {
    capacity: 10_000, // the default InMemoryEventStore's
    held: async () => emitter.stats().pending,
    track: () => tracker.trackSelfDescribingEvent(EVENT, { context: [ENTITY] }),
    flush: () => tracker.flush(),
  };
}

async function node() {
  const { newTracker, buildSelfDescribingEvent } = await import("@snowplow/node-tracker");
  const { newInMemoryEventStore } = await import("@snowplow/tracker-core");
  // The store the node tracker makes by default, made here so its fill level can be read.
  const store = newInMemoryEventStore({});
  const tracker = newTracker({ namespace: "bench", appId: "bench" }, { endpoint: ENDPOINT, eventStore: store });
  return {
    capacity: 1_000, // newInMemoryEventStore's default maxSize
    held: () => store.count(),
    track: () => tracker.track(buildSelfDescribingEvent({ event: EVENT }), [ENTITY]),
    flush: () => tracker.flush(),
  };
}

const tracker = kind === "node" ? await node() : await igluc(kind === "igluc-fetch" ? "fetch" : undefined);
const cpu0 = process.cpuUsage();
const t0 = performance.timeOrigin + performance.now();
let waits = 0;
for (let i = 0; i < N;) {
  while ((await tracker.held()) >= 0.9 * tracker.capacity) {
    waits++;
    await sleep(1);
  }
  const end = Math.min(N, i + 100);
  for (; i < end; i++) tracker.track();
  await yieldNow();
}
await tracker.flush();
process.send({ type: "tracked", t0, waits });
process.on("message", async (message) => {
  if (message.cmd === "flush") {
    await tracker.flush();
    process.send({ type: "flushed" });
  } else if (message.cmd === "finish") {
    const cpu = process.cpuUsage(cpu0);
    process.send({ type: "result", cpuUs: cpu.user + cpu.system, maxRssMB: process.resourceUsage().maxRSS / 1024 });
    setTimeout(() => process.exit(0), 50);
  }
});
