/**
 * Runtime benchmark: igluc's tracker (@igluc/runtime, built) against the official
 * @snowplow/node-tracker, in the same run, against a local collector.
 *
 *   npm run build && node bench/runtime.mjs [--events N] [--runs R]
 *
 * Every tracker run is a fresh child process (bench/client.mjs), so its CPU
 * time and peak RSS are its own; the collector (bench/collector.mjs) is one
 * more child process on 127.0.0.1. Nothing talks to any other host.
 *
 * Environment (argv flags win):
 *   BENCH_EVENTS      events per throughput run            (50000, --events)
 *   BENCH_RUNS        throughput rounds, trackers alternate (5, --runs)
 *   BENCH_CHUNK       events per setImmediate in paced runs (1000)
 *   BENCH_NODE_CHUNK  first chunk tried for the node tracker's keep-up variant (100)
 *   BENCH_BURST       events in the synchronous burst       (50000)
 *   BENCH_CAPACITY    igluc InMemoryEventStore capacity      (100000)
 *   BENCH_IDLE_MS     no new events for this long (after flush) = give up (1000)
 *   BENCH_IGLUC_BATCH igluc Emitter batchSize               (10)
 *   BENCH_TIMEOUT_MS  hard limit per run                     (60000)
 *   BENCH_CPU_PROF    a directory: tracker processes run with --cpu-prof and write .cpuprofile files there
 *
 * Prints a table to stdout and, last, one line `BENCH_JSON {...}`.
 * Progress goes to stderr.
 */
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");

// ---------------------------------------------------------------- settings

function intSetting(flag, envName, fallback, min = 1) {
  const argv = process.argv.slice(2);
  let raw;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${flag}`) raw = argv[i + 1];
    else if (argv[i].startsWith(`--${flag}=`)) raw = argv[i].slice(flag.length + 3);
  }
  raw ??= process.env[envName];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(String(raw).replace(/_/g, ""));
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${envName} / --${flag} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

const cfg = {
  events: intSetting("events", "BENCH_EVENTS", 50_000),
  runs: intSetting("runs", "BENCH_RUNS", 5),
  chunk: intSetting("chunk", "BENCH_CHUNK", 1_000),
  nodeChunk: intSetting("node-chunk", "BENCH_NODE_CHUNK", 100),
  burst: intSetting("burst", "BENCH_BURST", 50_000, 0),
  capacity: intSetting("capacity", "BENCH_CAPACITY", 100_000),
  idleMs: intSetting("idle-ms", "BENCH_IDLE_MS", 1_000),
  timeoutMs: intSetting("timeout-ms", "BENCH_TIMEOUT_MS", 60_000),
  batchSize: intSetting("igluc-batch", "BENCH_IGLUC_BATCH", 10),
  maxConcurrentRequests: 4,
};

const versionOf = (path) => {
  try {
    return JSON.parse(readFileSync(join(root, path), "utf8")).version;
  } catch {
    return "?";
  }
};
const versions = {
  igluc: versionOf("package.json"),
  nodeTracker: versionOf("node_modules/@snowplow/node-tracker/package.json"),
  node: process.version,
};

const log = (...args) => console.error("[bench]", ...args);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- children

/** Every child process we started; all are killed on the way out, whatever happens. */
const children = new Set();

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill("SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
  children.clear();
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    log(`${signal}: stopping children`);
    killAll();
    process.exit(130);
  });
}

/** A forked child with a message queue: `next(type)` waits for the next message of that type. */
class Child {
  constructor(file, args, label, execArgv = process.execArgv) {
    this.label = label;
    this.proc = fork(join(here, file), args, {
      cwd: root,
      execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "json",
    });
    children.add(this.proc);
    this.queue = [];
    this.waiters = [];
    this.exited = new Promise((resolve) => {
      this.proc.once("exit", (code, signal) => {
        children.delete(this.proc);
        this.exitInfo = { code, signal };
        for (const w of this.waiters.splice(0)) w.reject(new Error(`${label} exited (code ${code}, signal ${signal}) while waiting for "${w.type}"`));
        resolve(this.exitInfo);
      });
    });
    this.proc.on("message", (msg) => this.#dispatch(msg));
    this.proc.on("error", (error) => {
      for (const w of this.waiters.splice(0)) w.reject(error);
    });
  }

  #dispatch(msg) {
    if (msg?.type === "error") {
      const error = new Error(`${this.label}: ${msg.message}`);
      const waiters = this.waiters.splice(0);
      if (waiters.length === 0) this.queue.push(msg);
      for (const w of waiters) w.reject(error);
      return;
    }
    const index = this.waiters.findIndex((w) => (w.id !== undefined ? w.id === msg?.id : w.type === msg?.type));
    if (index >= 0) {
      const [w] = this.waiters.splice(index, 1);
      w.resolve(msg);
    } else {
      this.queue.push(msg);
    }
  }

  /** Waits for the next message of `type` (or with `id`). */
  next(type, timeoutMs, id) {
    const queued = this.queue.findIndex((m) => m?.type === "error" || (id !== undefined ? m?.id === id : m?.type === type));
    if (queued >= 0) {
      const [msg] = this.queue.splice(queued, 1);
      return msg.type === "error" ? Promise.reject(new Error(`${this.label}: ${msg.message}`)) : Promise.resolve(msg);
    }
    if (this.exitInfo !== undefined) return Promise.reject(new Error(`${this.label} has exited`));
    return new Promise((resolve, reject) => {
      const waiter = { type, id, resolve: undefined, reject: undefined };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.label}: no "${type ?? id}" within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter.resolve = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      waiter.reject = (e) => {
        clearTimeout(timer);
        reject(e);
      };
      this.waiters.push(waiter);
    });
  }

  send(msg) {
    if (this.proc.connected) this.proc.send(msg);
  }

  /** Waits up to `ms` for the child to exit, then kills it. */
  async stop(ms = 3000) {
    if (this.exitInfo !== undefined) return this.exitInfo;
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), ms);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }
}

// ---------------------------------------------------------------- collector

let collector;
let rpcId = 0;
let profileCount = 0;

async function collectorCall(cmd) {
  const id = ++rpcId;
  collector.send({ id, cmd });
  const reply = await collector.next(undefined, 10_000, id);
  if (!reply.ok) throw new Error(`collector ${cmd}: ${reply.error}`);
  return reply;
}
const collectorStats = async () => (await collectorCall("stats")).stats;

// ---------------------------------------------------------------- one run

/**
 * Starts a fresh tracker process, tracks `n` events, waits until the collector
 * has all of them (or gives up), and collects the numbers.
 */
async function runOnce({ kind, mode, n, chunk }) {
  await collectorCall("reset");
  const label = `${kind}/${mode}/chunk ${mode === "burst" ? n : chunk}`;
  const profDir = process.env.BENCH_CPU_PROF;
  const execArgv = profDir ? [...process.execArgv, "--cpu-prof", `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${kind}-${mode}-${chunk}-${++profileCount}.cpuprofile`] : process.execArgv;
  const client = new Child("client.mjs", [kind], `client ${label}`, execArgv);
  try {
    await client.next("ready", 20_000);
    client.send({
      cmd: "run", mode, n, chunk, port: collector.port,
      capacity: cfg.capacity, batchSize: cfg.batchSize, maxConcurrentRequests: cfg.maxConcurrentRequests,
    });
    const started = now();
    let tracked;
    let flushPending = false;
    let trackError;
    const trackedP = client.next("tracked", cfg.timeoutMs).then((m) => (tracked = m));
    trackedP.catch((error) => (trackError = error));

    // Poll the collector until every event has arrived, or nothing new arrives for idleMs
    // (after the tracker's flush resolved and after asking it to flush again), or the hard timeout.
    let stats = await collectorStats();
    let lastCount = -1;
    let lastChange = now();
    let pokes = 0;
    let gaveUp = "";
    for (;;) {
      const received = stats.unique > 0 ? stats.unique : stats.events;
      if (received >= n) break;
      if (trackError !== undefined) throw trackError;
      const t = now();
      if (stats.events !== lastCount) {
        lastCount = stats.events;
        lastChange = t;
      }
      if (t - started > cfg.timeoutMs) {
        gaveUp = `hard timeout ${cfg.timeoutMs} ms`;
        break;
      }
      if (tracked !== undefined && !flushPending && t - lastChange > cfg.idleMs) {
        if (pokes >= 2) {
          gaveUp = `no new events for ${cfg.idleMs} ms after ${pokes} extra flush() calls`;
          break;
        }
        pokes++;
        flushPending = true;
        client.send({ cmd: "flush" });
        client.next("flushed", cfg.timeoutMs).then(
          () => { flushPending = false; lastChange = now(); },
          () => { flushPending = false; },
        );
      }
      await sleep(10);
      stats = await collectorStats();
    }
    if (tracked === undefined) await trackedP;

    client.send({ cmd: "finish" });
    const result = await client.next("result", 15_000);
    await client.stop(3000);
    stats = await collectorStats();

    const delivered = stats.unique > 0 ? Math.min(stats.unique, n) : Math.min(stats.events, n);
    const wallMs = stats.lastAt > 0 ? stats.lastAt - tracked.t0 : NaN;
    const cpuUs = result.cpuUserUs + result.cpuSystemUs;
    return {
      kind, mode, n, chunk: mode === "burst" ? n : chunk,
      delivered,
      lost: n - delivered,
      duplicates: stats.duplicates,
      eventsPerSec: delivered / (wallMs / 1000),
      wallMs,
      trackMs: tracked.trackEnd - tracked.t0,
      flushResolvedMs: tracked.flushedAt - tracked.t0,
      cpuUsPerEvent: cpuUs / n,
      trackCpuUsPerEvent: tracked.trackCpuUs / n,
      cpuUserUs: result.cpuUserUs,
      cpuSystemUs: result.cpuSystemUs,
      maxRssMB: result.maxRssMB,
      rssBeforeMB: result.rssBeforeMB,
      bytesPerEvent: stats.events > 0 ? stats.bodyBytes / stats.events : NaN,
      bodyBytes: stats.bodyBytes,
      requests: stats.postRequests + stats.getRequests,
      eventsPerRequest: stats.events / Math.max(1, stats.postRequests + stats.getRequests),
      badBodies: stats.badBodies,
      extraFlushes: pokes,
      gaveUp,
      capacityWaits: tracked.capacityWaits,
      emitterStats: result.stats ?? null,
      trackerConfig: tracked.config,
    };
  } finally {
    if (client.exitInfo === undefined) {
      client.proc.kill("SIGKILL");
      await client.exited;
    }
  }
}

function describe(r) {
  const loss = r.lost > 0 ? ` LOST ${r.lost}` : "";
  const dup = r.duplicates > 0 ? ` dup ${r.duplicates}` : "";
  return `${fmtInt(r.eventsPerSec)} ev/s, ${r.cpuUsPerEvent.toFixed(1)} µs cpu/ev, ${r.maxRssMB.toFixed(1)} MB peak RSS, ` +
    `${r.bytesPerEvent.toFixed(1)} B/ev, ${r.delivered}/${r.n} delivered${loss}${dup}${r.gaveUp ? ` (gave up: ${r.gaveUp})` : ""}`;
}

// ---------------------------------------------------------------- stats & formatting

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "n/a");
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);

function table(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (align?.[i] === "l" ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const METRICS = ["eventsPerSec", "cpuUsPerEvent", "trackCpuUsPerEvent", "maxRssMB", "bytesPerEvent", "lost", "wallMs", "trackMs", "eventsPerRequest", "requests"];

function summarise(runs) {
  const med = {};
  for (const m of METRICS) med[m] = median(runs.map((r) => r[m]));
  med.totalLost = runs.reduce((a, r) => a + r.lost, 0);
  med.totalDuplicates = runs.reduce((a, r) => a + r.duplicates, 0);
  med.minEventsPerSec = Math.min(...runs.map((r) => r.eventsPerSec));
  med.maxEventsPerSec = Math.max(...runs.map((r) => r.eventsPerSec));
  return med;
}

// ---------------------------------------------------------------- main

async function main() {
  const t0 = now();
  collector = new Child("collector.mjs", [], "collector");
  const ready = await collector.next("ready", 20_000);
  collector.port = ready.port;
  if (ready.host !== "127.0.0.1") throw new Error(`collector listens on ${ready.host}, expected 127.0.0.1`);
  log(`collector on http://127.0.0.1:${ready.port} (pid ${collector.proc.pid})`);
  log(`N=${cfg.events} R=${cfg.runs} chunk=${cfg.chunk} burst=${cfg.burst}`);

  /** variant key -> { label, kind, chunk, runs: [] } */
  const variants = new Map();
  variants.set("igluc", { key: "igluc", label: `igluc (capacity ${cfg.capacity})`, kind: "igluc", chunk: cfg.chunk, runs: [] });
  variants.set("node", { key: "node", label: "node-tracker defaults", kind: "node", chunk: cfg.chunk, runs: [] });
  const calibration = [];

  async function measure(variant) {
    const r = await runOnce({ kind: variant.kind, mode: "paced", n: cfg.events, chunk: variant.chunk });
    variant.runs.push(r);
    log(`  ${variant.label.padEnd(32)} chunk ${String(variant.chunk).padStart(5)}: ${describe(r)}`);
    return r;
  }

  // If the node tracker's defaults lose events with our pacing, find a chunk size it keeps up with.
  async function calibrateNode() {
    let chunk = Math.min(cfg.nodeChunk, cfg.chunk);
    for (;;) {
      const r = await runOnce({ kind: "node", mode: "paced", n: cfg.events, chunk });
      calibration.push({ chunk, delivered: r.delivered, lost: r.lost, eventsPerSec: r.eventsPerSec });
      log(`  node-tracker calibration          chunk ${String(chunk).padStart(5)}: ${describe(r)}`);
      if (r.lost === 0) return { chunk, first: r };
      if (chunk === 1) return { chunk, first: r };
      chunk = Math.max(1, Math.floor(chunk / 2));
    }
  }

  for (let round = 0; round < cfg.runs; round++) {
    log(`throughput round ${round + 1}/${cfg.runs}`);
    const order = [...variants.values()];
    if (round % 2 === 1) order.reverse();
    for (const variant of order) {
      const r = await measure(variant);
      if (round === 0 && variant.key === "node" && r.lost > 0 && !variants.has("nodeKeepUp")) {
        const { chunk, first } = await calibrateNode();
        const keepUp = { key: "nodeKeepUp", label: "node-tracker defaults, keep-up", kind: "node", chunk, runs: [first] };
        variants.set("nodeKeepUp", keepUp);
        // Compare at equal offered load too: igluc paced exactly as the node tracker can keep up with.
        const samePace = { key: "iglucSamePace", label: "igluc, same pace as keep-up", kind: "igluc", chunk, runs: [] };
        variants.set("iglucSamePace", samePace);
        await measure(samePace);
      }
    }
  }

  const burst = [];
  if (cfg.burst > 0) {
    log(`synchronous burst of ${cfg.burst}`);
    for (const kind of ["igluc", "node"]) {
      const r = await runOnce({ kind, mode: "burst", n: cfg.burst, chunk: cfg.burst });
      burst.push(r);
      log(`  ${kind.padEnd(6)}: ${describe(r)}`);
    }
  }

  await collectorCall("close").catch(() => undefined);
  await collector.stop(2000);
  const totalS = (now() - t0) / 1000;

  // ------------------------------------------------------------ report
  const summaries = {};
  for (const v of variants.values()) summaries[v.key] = summarise(v.runs);
  const igluc = summaries.igluc;

  const out = [];
  out.push("");
  out.push(`Runtime benchmark: igluc ${versions.igluc} vs @snowplow/node-tracker ${versions.nodeTracker}  (node ${versions.node}, ${os.cpus().length} CPUs, ${os.platform()}/${os.arch()})`);
  out.push(`Event: self-describing viewed_product {price, sku} + 1 context entity, POST, base64 (both defaults). Collector: separate process on 127.0.0.1.`);
  out.push(`Throughput: N=${fmtInt(cfg.events)} events per run, ${cfg.runs} rounds (tracker order alternates), each run a fresh child process; medians shown.`);
  out.push("");
  const rows = [];
  for (const v of variants.values()) {
    const s = summaries[v.key];
    rows.push([
      v.label, fmtInt(v.chunk), String(v.runs.length), fmtInt(s.eventsPerSec),
      `${fmtInt(s.minEventsPerSec)}-${fmtInt(s.maxEventsPerSec)}`,
      fmt(s.cpuUsPerEvent), fmt(s.trackCpuUsPerEvent), fmt(s.maxRssMB), fmt(s.bytesPerEvent), fmt(s.eventsPerRequest),
      fmtInt(s.lost), fmtInt(s.totalLost),
    ]);
  }
  out.push(table(
    ["tracker", "chunk", "runs", "events/s", "events/s range", "CPU µs/ev", "track-call CPU µs/ev", "peak RSS MB", "B/ev", "ev/request", "lost (med)", "lost (all runs)"],
    rows, ["l"],
  ));
  out.push("");
  out.push("  events/s = events delivered / (last event received by the collector - first track call); = N/wall when nothing is lost.");
  out.push("  CPU µs/ev = user+system CPU of the tracker process from first track to the end / N; track-call CPU = CPU of the tracking loop alone / N.");
  out.push("  peak RSS = process.resourceUsage().maxRSS of the tracker process (includes Node itself, ~40-50 MB).");
  out.push("  B/ev = request body bytes received / events received.");
  out.push(`  igluc: Emitter batchSize ${cfg.batchSize}, byteLimit 40000, maxConcurrentRequests ${cfg.maxConcurrentRequests}, InMemoryEventStore capacity ${cfg.capacity}, paced ${cfg.chunk} per setImmediate.`);
  out.push("  node-tracker: its defaults except bufferSize 10 -> newInMemoryEventStore maxSize 1000 (drops the OLDEST event beyond that),");
  out.push("                one request at a time, each filled up to maxPostBytes 40000; flush() resolves at once while a flush runs,");
  out.push("                so completion is judged by polling the collector (plus up to 2 extra flush() calls when it goes idle).");
  if (calibration.length > 0) {
    out.push(`  node-tracker lost events with ${cfg.chunk} per setImmediate; keep-up search (chunk: delivered/N): ` +
      calibration.map((c) => `${c.chunk}: ${c.delivered}/${cfg.events}`).join(", ") + ".");
  }

  out.push("");
  out.push("Ratios igluc / node-tracker (medians; events/s: >1 is better for igluc; CPU, RSS, bytes: <1 is better for igluc):");
  const ratioRows = [];
  const ratios = {};
  const comparisons = [["igluc", "node"], ["igluc", "nodeKeepUp"], ["iglucSamePace", "nodeKeepUp"]];
  for (const [oursKey, key] of comparisons) {
    const s = summaries[key];
    const ours = summaries[oursKey];
    if (s === undefined || ours === undefined) continue;
    const r = {
      eventsPerSec: ratio(ours.eventsPerSec, s.eventsPerSec),
      cpuUsPerEvent: ratio(ours.cpuUsPerEvent, s.cpuUsPerEvent),
      maxRssMB: ratio(ours.maxRssMB, s.maxRssMB),
      bytesPerEvent: ratio(ours.bytesPerEvent, s.bytesPerEvent),
    };
    ratios[oursKey === "igluc" ? key : `${oursKey}_vs_${key}`] = r;
    ratioRows.push([`${variants.get(oursKey).label} (chunk ${variants.get(oursKey).chunk}) vs ${variants.get(key).label} (chunk ${variants.get(key).chunk})`, fmt(r.eventsPerSec, 2), fmt(r.cpuUsPerEvent, 2), fmt(r.maxRssMB, 2), fmt(r.bytesPerEvent, 3)]);
  }
  out.push(table(["", "events/s", "CPU µs/ev", "peak RSS", "B/ev"], ratioRows, ["l"]));

  if (burst.length > 0) {
    out.push("");
    out.push(`Synchronous burst: ${fmtInt(cfg.burst)} track calls in one loop (no awaits), then flush() and wait for the collector.`);
    out.push(table(
      ["tracker", "delivered", "lost", "sync loop ms", "track calls/s", "until last received ms", "CPU µs/ev", "peak RSS MB"],
      burst.map((r) => [
        r.kind === "igluc" ? `igluc (capacity ${cfg.capacity})` : "node-tracker defaults (maxSize 1000)",
        fmtInt(r.delivered), fmtInt(r.lost), fmt(r.trackMs, 0), fmtInt(r.n / (r.trackMs / 1000)), fmt(r.wallMs, 0),
        fmt(r.cpuUsPerEvent), fmt(r.maxRssMB),
      ]),
      ["l"],
    ));
    const [ours, theirs] = [burst.find((r) => r.kind === "igluc"), burst.find((r) => r.kind === "node")];
    if (ours !== undefined && theirs !== undefined) {
      out.push(`  burst ratios igluc / node-tracker: CPU µs/ev ${fmt(ratio(ours.cpuUsPerEvent, theirs.cpuUsPerEvent), 2)}, ` +
        `peak RSS ${fmt(ratio(ours.maxRssMB, theirs.maxRssMB), 2)}, delivered ${fmtInt(ours.delivered)} vs ${fmtInt(theirs.delivered)}.`);
    }
  }
  const anomalies = [];
  for (const v of variants.values()) {
    for (const r of v.runs) {
      if (r.duplicates > 0) anomalies.push(`${v.label}: ${r.duplicates} duplicate event ids`);
      if (r.badBodies > 0) anomalies.push(`${v.label}: ${r.badBodies} unparsable bodies`);
      if (r.emitterStats && r.emitterStats.failedRequests > 0) anomalies.push(`${v.label}: ${r.emitterStats.failedRequests} failed requests`);
    }
  }
  for (const r of burst) if (r.duplicates > 0) anomalies.push(`burst ${r.kind}: ${r.duplicates} duplicate event ids`);
  if (anomalies.length > 0) {
    out.push("");
    out.push("Anomalies: " + anomalies.join("; "));
  }
  out.push("");
  out.push(`Total bench time ${totalS.toFixed(1)} s.`);
  console.log(out.join("\n"));

  const json = {
    config: cfg,
    versions,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, platform: os.platform(), arch: os.arch() },
    throughput: Object.fromEntries([...variants.values()].map((v) => [v.key, {
      label: v.label, kind: v.kind, chunk: v.chunk, median: summaries[v.key], runs: v.runs,
    }])),
    nodeCalibration: calibration,
    ratios,
    burst,
    totalSeconds: totalS,
  };
  console.log(`BENCH_JSON ${JSON.stringify(json)}`);
}

try {
  await main();
} catch (error) {
  console.error("[bench] failed:", error?.stack ?? error);
  process.exitCode = 1;
} finally {
  killAll();
}
