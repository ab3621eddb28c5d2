/**
 * Benchmark collector, run as a child process (forked by bench/runtime.mjs).
 *
 * Listens on 127.0.0.1, port 0 (the kernel picks one) and answers every
 * request 200 "ok". For POST bodies in the payload_data envelope it counts
 * events, distinct event ids (`eid`) and request body bytes for the current
 * run. It is controlled over IPC:
 *
 *   parent -> { id, cmd: "reset" }  zero the counters for a new run
 *   parent -> { id, cmd: "stats" }  current counters
 *   parent -> { id, cmd: "close" }  stop listening and exit
 *   child  -> { id, ok, ...}        the answer to a command
 *   child  -> { type: "ready", port }  once listening
 *
 * It exits on its own when the parent goes away (IPC disconnect).
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

const HOST = "127.0.0.1";
const now = () => performance.timeOrigin + performance.now();

let run = freshRun();

function freshRun() {
  return {
    events: 0,
    bodyBytes: 0,
    requests: 0,
    postRequests: 0,
    getRequests: 0,
    badBodies: 0,
    eids: new Set(),
    duplicates: 0,
    firstAt: 0,
    lastAt: 0,
  };
}

function countEvents(body) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    run.badBodies++;
    return;
  }
  const data = parsed?.data;
  if (!Array.isArray(data)) {
    run.badBodies++;
    return;
  }
  for (let i = 0; i < data.length; i++) {
    const eid = data[i]?.eid;
    if (typeof eid === "string") {
      if (run.eids.has(eid)) run.duplicates++;
      else run.eids.add(eid);
    }
  }
  run.events += data.length;
}

const server = http.createServer((req, res) => {
  let bytes = 0;
  const chunks = [];
  req.on("data", (chunk) => {
    bytes += chunk.length;
    chunks.push(chunk);
  });
  req.on("end", () => {
    run.requests++;
    if (req.method === "POST") {
      run.postRequests++;
      run.bodyBytes += bytes;
      countEvents(Buffer.concat(chunks, bytes).toString("utf8"));
    } else if (req.method === "GET" && req.url?.startsWith("/i?")) {
      // One event in the query string; counted for completeness (the bench uses POST).
      run.getRequests++;
      run.bodyBytes += Buffer.byteLength(req.url);
      run.events++;
    }
    const t = now();
    if (run.firstAt === 0) run.firstAt = t;
    run.lastAt = t;
    res.writeHead(200, { "content-type": "text/plain", "content-length": "2" });
    res.end("ok");
  });
  req.on("error", () => {
    res.destroy();
  });
});
server.keepAliveTimeout = 30_000;
server.headersTimeout = 35_000;
server.requestTimeout = 0;

function snapshot() {
  const { eids, ...rest } = run;
  return { ...rest, unique: eids.size };
}

process.on("message", (msg) => {
  if (msg === null || typeof msg !== "object") return;
  const { id, cmd } = msg;
  switch (cmd) {
    case "reset":
      run = freshRun();
      process.send({ id, ok: true });
      break;
    case "stats":
      process.send({ id, ok: true, stats: snapshot() });
      break;
    case "close":
      server.closeAllConnections();
      server.close(() => process.exit(0));
      process.send({ id, ok: true });
      setTimeout(() => process.exit(0), 500).unref();
      break;
    default:
      process.send({ id, ok: false, error: `unknown command ${String(cmd)}` });
  }
});

process.on("disconnect", () => process.exit(0));

server.listen(0, HOST, () => {
  const address = server.address();
  process.send({ type: "ready", port: address.port, host: address.address });
});
