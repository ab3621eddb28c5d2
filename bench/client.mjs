/**
 * Benchmark client, run as a child process (forked by bench/runtime.mjs) so
 * its CPU time and peak RSS belong to one tracker alone.
 *
 *   node bench/client.mjs igluc|node
 *
 * IPC protocol:
 *   child  -> { type: "ready" }                        adapter module loaded
 *   parent -> { cmd: "run", mode, n, chunk, port, ... } create a tracker and track n events
 *   child  -> { type: "tracked", t0, trackEnd, flushedAt, ... }  after the first flush() resolved
 *   parent -> { cmd: "flush" }                          call flush() again (the node tracker may need it)
 *   child  -> { type: "flushed" }
 *   parent -> { cmd: "finish" }                         report CPU / RSS, close the tracker, exit
 *   child  -> { type: "result", ... }
 *   child  -> { type: "error", message }                anything that went wrong
 *
 * Modes:
 *   paced: track `chunk` events, then yield with setImmediate, until n are
 *          tracked; when the adapter exposes its store's fill level
 *          (`pending()`), wait (1 ms timers) before a chunk that would not fit.
 *   burst: track n events in one synchronous loop, no awaits.
 */
import { performance } from "node:perf_hooks";

const kind = process.argv[2];
const adapterFile = { igluc: "./client-igluc.mjs", node: "./client-node.mjs" }[kind];
if (adapterFile === undefined) {
  console.error(`usage: node bench/client.mjs igluc|node (got ${String(kind)})`);
  process.exit(2);
}

const now = () => performance.timeOrigin + performance.now();
const MB = 1024 * 1024;
const send = (msg) => {
  if (process.connected) process.send(msg);
};

process.on("disconnect", () => process.exit(0));
process.on("uncaughtException", (error) => {
  send({ type: "error", message: String(error?.stack ?? error) });
  setTimeout(() => process.exit(1), 50);
});
process.on("unhandledRejection", (error) => {
  send({ type: "error", message: `unhandled rejection: ${String(error?.stack ?? error)}` });
  setTimeout(() => process.exit(1), 50);
});

const adapterModule = await import(adapterFile);

let adapter;
let cpu0;
let rssBefore = 0;

const yieldImmediate = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function run({ mode, n, chunk, port, capacity, batchSize, maxConcurrentRequests }) {
  adapter = adapterModule.create({ port, capacity, batchSize, maxConcurrentRequests });
  rssBefore = process.memoryUsage.rss();
  let capacityWaits = 0;
  cpu0 = process.cpuUsage();
  const t0 = now();
  if (mode === "burst") {
    for (let i = 0; i < n; i++) adapter.track();
  } else {
    const pending = adapter.pending;
    const cap = adapter.capacity;
    let i = 0;
    while (i < n) {
      const end = Math.min(n, i + chunk);
      if (pending !== undefined && cap !== undefined) {
        while (pending() + (end - i) > cap) {
          capacityWaits++;
          await sleep(1);
        }
      }
      for (; i < end; i++) adapter.track();
      await yieldImmediate();
    }
  }
  const trackEnd = now();
  const trackCpu = process.cpuUsage(cpu0);
  await adapter.flush();
  const flushedAt = now();
  send({
    type: "tracked",
    t0,
    trackEnd,
    flushedAt,
    trackCpuUs: trackCpu.user + trackCpu.system,
    capacityWaits,
    config: adapter.config,
  });
}

async function finish() {
  const cpu = process.cpuUsage(cpu0);
  const ru = process.resourceUsage();
  const mem = process.memoryUsage();
  const stats = adapter?.stats?.();
  send({
    type: "result",
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    maxRssMB: ru.maxRSS / 1024,
    rssBeforeMB: rssBefore / MB,
    rssNowMB: mem.rss / MB,
    heapUsedMB: mem.heapUsed / MB,
    stats,
  });
  // Release sockets politely, but never hang: the parent kills us anyway.
  setTimeout(() => process.exit(0), 2000).unref();
  try {
    await adapter?.close();
  } catch {
    /* reported numbers are already sent */
  }
  process.exit(0);
}

process.on("message", (msg) => {
  if (msg === null || typeof msg !== "object") return;
  const fail = (error) => send({ type: "error", message: String(error?.stack ?? error) });
  switch (msg.cmd) {
    case "run":
      run(msg).catch(fail);
      break;
    case "flush":
      Promise.resolve(adapter?.flush()).then(() => send({ type: "flushed" }), fail);
      break;
    case "finish":
      finish().catch(fail);
      break;
    default:
      fail(new Error(`unknown command ${String(msg.cmd)}`));
  }
});

send({ type: "ready", name: adapterModule.name, pid: process.pid });
