/**
 * igluc micro must never be the bottleneck of a test suite: events/s it
 * receives and validates (a typical self-describing event, base64, with one
 * entity, POSTed in batches of 100 over loopback keep-alive connections),
 * against events/s the official @snowplow/node-tracker sends (its defaults,
 * POST, to a collector that only answers 200), in the same run. Each is the
 * median of RUNS runs; bar: micro >= 10x node-tracker.
 *
 * A third figure bounds what any collector written in Node can reach here:
 * the same bodies only parsed and their two base64 envelopes decoded and
 * parsed, in process (no HTTP, no validation, no store). Validating the
 * pipeline's way needs at least that work per event.
 *
 *   npm run bench:micro            (RUNS=5 EVENTS=20000 to change)
 */
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startMicro } from "../dist/generator/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.RUNS ?? 3);
const EVENTS = Number(process.env.EVENTS ?? 20_000);
const BATCH = 100;
const CONNECTIONS = 4;
const SIGNUP = "iglu:com.acme/signup/jsonschema/1-0-0";
const USER = "iglu:com.acme/user/jsonschema/1-0-0";
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** POST bodies of BATCH events each, as a tracker sends them (unique eids). */
function bodies(count) {
  const out = [];
  for (let i = 0; i < count; i += BATCH) {
    const data = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) {
      data.push({
        e: "ue", eid: `00000000-0000-4000-8000-${String(j).padStart(12, "0")}`, p: "srv", tv: "node-4.8.0", aid: "bench", tna: "bench",
        dtm: String(Date.now()), stm: String(Date.now()),
        ue_px: b64({ schema: "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0", data: { schema: SIGNUP, data: { email: `user${j}@example.com`, plan: "pro", age: 30 } } }),
        cx: b64({ schema: "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0", data: [{ schema: USER, data: { id: `u${j}` } }] }),
      });
    }
    out.push(JSON.stringify({ schema: "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", data }));
  }
  return out;
}

async function microRun(prepared) {
  // Every event must be kept: neither bound may drop one (by bytes as sent, about 650 an event here, 256 MiB would
  // stop at some 410,000 events).
  const micro = await startMicro({ schemas: [path.join(ROOT, "test/micro/fixtures/schemas")], maxStoredEvents: EVENTS, maxStoredBytes: Number.MAX_SAFE_INTEGER });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const url = new URL(`${micro.url}/com.snowplowanalytics.snowplow/tp2`);
  const send = (text) => new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(text);
  });
  // Warm up: schemas compiled, connections open.
  await send(prepared[0]);
  micro.reset();
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (next < prepared.length) await send(prepared[next++]);
  }));
  const seconds = (performance.now() - started) / 1000;
  const counts = micro.all();
  agent.destroy();
  await micro.close();
  if (counts.good !== EVENTS) throw new Error(`micro: expected ${EVENTS} good events, got ${JSON.stringify(counts)}`);
  return EVENTS / seconds;
}

/** Events/s of the decoding alone: the body's JSON, then each event's ue_px and cx (base64url, then JSON). */
function decodeFloorRun(prepared) {
  const started = performance.now();
  let events = 0;
  for (const text of prepared) {
    for (const e of JSON.parse(text).data) {
      JSON.parse(Buffer.from(e.ue_px, "base64url").toString("utf8"));
      JSON.parse(Buffer.from(e.cx, "base64url").toString("utf8"));
      events++;
    }
  }
  return events / ((performance.now() - started) / 1000);
}

async function nodeTrackerRun() {
  const { newTracker, buildSelfDescribingEvent } = await import("@snowplow/node-tracker");
  const { newInMemoryEventStore } = await import("@snowplow/tracker-core");
  let received = 0;
  let done;
  const all = new Promise((resolve) => { done = resolve; });
  const sink = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c) => { text += c; });
    req.on("end", () => {
      received += JSON.parse(text).data.length;
      res.end();
      if (received >= EVENTS) done();
    });
  });
  await new Promise((resolve) => sink.listen(0, "127.0.0.1", resolve));
  const store = newInMemoryEventStore({});
  const tracker = newTracker({ namespace: "bench", appId: "bench", encodeBase64: true }, { endpoint: `http://127.0.0.1:${sink.address().port}`, eventStore: store });
  const started = performance.now();
  for (let i = 0; i < EVENTS;) {
    // The default store holds 1000 events and drops beyond: wait for it to drain, as an app under load would.
    while ((await store.count()) >= 900) await new Promise((r) => setTimeout(r, 1));
    const end = Math.min(EVENTS, i + 100);
    for (; i < end; i++) {
      tracker.track(buildSelfDescribingEvent({ event: { schema: SIGNUP, data: { email: `user${i}@example.com`, plan: "pro", age: 30 } } }), [{ schema: USER, data: { id: `u${i}` } }]);
    }
    await new Promise((r) => setImmediate(r));
  }
  await tracker.flush();
  await all;
  const seconds = (performance.now() - started) / 1000;
  sink.closeAllConnections();
  await new Promise((resolve) => sink.close(resolve));
  return EVENTS / seconds;
}

const prepared = bodies(EVENTS);
const microRates = [];
const nodeRates = [];
const floorRates = [];
for (let run = 1; run <= RUNS; run++) {
  microRates.push(await microRun(prepared));
  nodeRates.push(await nodeTrackerRun());
  floorRates.push(decodeFloorRun(prepared));
  console.log(`  run ${run}: igluc micro ${Math.round(microRates.at(-1))} events/s validated; node-tracker ${Math.round(nodeRates.at(-1))} events/s sent; decoding alone ${Math.round(floorRates.at(-1))} events/s`);
}
const m = median(microRates);
const n = median(nodeRates);
const f = median(floorRates);
const ratio = m / n;
console.log(`igluc micro bench (node ${process.version}, ${os.cpus().length} CPUs, ${EVENTS} events x ${RUNS} runs, medians):`);
console.log(`  igluc micro validates     ${Math.round(m)} events/s`);
console.log(`  node-tracker sends        ${Math.round(n)} events/s`);
console.log(`  decoding alone            ${Math.round(f)} events/s (${(f / n).toFixed(1)}x node-tracker; micro does ${(100 * m / f).toFixed(0)}% of it)`);
console.log(`  ratio ${ratio.toFixed(1)}x (bar >= 10x): ${ratio >= 10 ? "ok" : "BELOW THE BAR"}`);
if (ratio < 10) process.exitCode = 1;
