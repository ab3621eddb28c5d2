/**
 * Node throughput against @snowplow/node-tracker, each with its default
 * settings: 20,000 self-describing events with one entity, POST, the producer
 * yielding every 100 events and waiting while the tracker's own store is 90%
 * full (bench/throughput-client.mjs). Each tracker runs in its own process
 * against a collector in a third (bench/collector.mjs); rounds alternate the
 * order. Prints medians of events/s (first track call to last event at the
 * collector), CPU µs per event and peak RSS, the ratios, and igluc's fetch
 * transport beside its undici one.
 *
 * Bars (issue: the runtime everywhere): >= 5x events/s, <= 0.2x CPU per
 * event, <= 0.5x peak RSS, every event delivered.
 *
 * Usage: npm run bench:throughput  [-- --rounds 5 --events 20000]
 */
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const ROUNDS = arg("rounds", 5);
const EVENTS = arg("events", 20_000);
const KINDS = ["igluc", "node", "igluc-fetch"];

const collector = fork(path.join(here, "collector.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const port = await new Promise((resolve) => collector.on("message", (m) => m.type === "ready" && resolve(m.port)));
let callId = 0;
function call(cmd) {
  const id = ++callId;
  return new Promise((resolve) => {
    const onMessage = (m) => {
      if (m.id !== id) return;
      collector.off("message", onMessage);
      resolve(m);
    };
    collector.on("message", onMessage);
    collector.send({ id, cmd });
  });
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function runOnce(kind) {
  await call("reset");
  const child = fork(path.join(here, "throughput-client.mjs"), [kind, String(port), String(EVENTS)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = (type) => new Promise((resolve, reject) => {
    const onMessage = (m) => { if (m.type === type) { child.off("message", onMessage); resolve(m); } };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`${kind} exited (${code}) before ${type}`)));
  });
  const tracked = await next("tracked");
  // Wait for the collector to have everything; the node tracker's flush() may return while its own flush runs, so poll and flush again.
  let stats = (await call("stats")).stats;
  for (let idle = 0, last = -1; stats.unique < EVENTS && idle < 40; stats = (await call("stats")).stats) {
    if (stats.unique === last) {
      idle++;
      if (idle % 10 === 0) { child.send({ cmd: "flush" }); await next("flushed"); }
    } else idle = 0;
    last = stats.unique;
    await sleep(50);
  }
  child.send({ cmd: "finish" });
  const result = await next("result");
  return {
    eventsPerSec: stats.unique / ((stats.lastAt - tracked.t0) / 1000),
    cpuUsPerEvent: result.cpuUs / EVENTS,
    maxRssMB: result.maxRssMB,
    delivered: stats.unique,
    duplicates: stats.duplicates,
    waits: tracked.waits,
  };
}

const runs = Object.fromEntries(KINDS.map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? KINDS : [...KINDS].reverse();
  for (const kind of order) {
    const r = await runOnce(kind);
    runs[kind].push(r);
    console.error(`[round ${round + 1}] ${kind.padEnd(12)} ${Math.round(r.eventsPerSec).toLocaleString("en")} ev/s, ${r.cpuUsPerEvent.toFixed(1)} µs CPU/ev, ${r.maxRssMB.toFixed(1)} MB, ${r.delivered}/${EVENTS} delivered, ${r.waits} store waits`);
  }
}
await call("close");

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = Object.fromEntries(KINDS.map((k) => [k, {
  eventsPerSec: median(runs[k].map((r) => r.eventsPerSec)),
  cpuUsPerEvent: median(runs[k].map((r) => r.cpuUsPerEvent)),
  maxRssMB: median(runs[k].map((r) => r.maxRssMB)),
  lost: Math.max(...runs[k].map((r) => EVENTS - r.delivered)),
}]));
const labels = { igluc: "@igluc/runtime (http)", node: "@snowplow/node-tracker", "igluc-fetch": "@igluc/runtime (fetch)" };
console.log(`\nThroughput, default settings, ${EVENTS.toLocaleString("en")} self-describing events + 1 entity, 100 per tick, waiting at 90% of the store (medians of ${ROUNDS}):`);
for (const k of KINDS) {
  const s = summary[k];
  console.log(`  ${labels[k].padEnd(26)} ${Math.round(s.eventsPerSec).toLocaleString("en").padStart(8)} ev/s  ${s.cpuUsPerEvent.toFixed(1).padStart(6)} µs CPU/ev  ${s.maxRssMB.toFixed(1).padStart(6)} MB peak RSS  lost (worst run) ${s.lost}`);
}
const ours = summary.igluc;
const peer = summary.node;
const ratio = { eventsPerSec: ours.eventsPerSec / peer.eventsPerSec, cpu: ours.cpuUsPerEvent / peer.cpuUsPerEvent, rss: ours.maxRssMB / peer.maxRssMB };
console.log(`  ratios igluc / node-tracker: ${ratio.eventsPerSec.toFixed(2)}x events/s (bar >= 5), ${ratio.cpu.toFixed(2)}x CPU per event (bar <= 0.2), ${ratio.rss.toFixed(2)}x peak RSS (bar <= 0.5)`);
console.log(`  fetch transport / http: ${(summary["igluc-fetch"].eventsPerSec / ours.eventsPerSec).toFixed(2)}x events/s, ${(summary["igluc-fetch"].cpuUsPerEvent / ours.cpuUsPerEvent).toFixed(2)}x CPU per event`);
