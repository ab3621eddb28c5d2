/**
 * @igluc/runtime on edge runtimes, with the request-scoped pattern they
 * document: the handler tracks typed events (generated SDK), answers at once,
 * and hands `tracker.flush()` to the platform's waitUntil.
 * - Cloudflare's workerd (npm workerd: the binary Wrangler and Miniflare run),
 *   serving a module Worker bundled as Wrangler does (conditions workerd,
 *   worker, browser), with outbound fetch allowed to loopback only;
 * - Vercel's Edge Runtime (npm edge-runtime: Node's vm with the edge globals),
 *   an Edge Function `handler(request, { waitUntil })` bundled for the
 *   edge-light condition, as Next.js does.
 * Each keeps one tracker at module scope, as a Worker's globals are, and
 * gets requests one after another and at once; every event must arrive once,
 * valid, and every waitUntil flush must settle.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { startCollector, type Collector } from "../support/collector.js";
import { ROOT } from "../support/iglu.js";
import { LIMIT, assertWebBundle, bundle, createApp, expectCheckouts, npmBinary, quietEnv, skipUnless, stopChild, versionOf, type App } from "../support/runtimes.js";

const WAIT_MS = 15_000;

let project: App;
let collector: Collector;
before(async () => {
  collector = await startCollector();
  project = createApp();
}, LIMIT);
after(async () => {
  await collector.close();
  project.remove();
}, LIMIT);

/** Requests `label`s one after another, then `concurrent` more at once; answers each with the handler's text. */
async function requestAll(url: string, label: string, concurrent: number): Promise<string[]> {
  const get = async (name: string): Promise<string> => {
    const response = await fetch(`${url}?label=${name}&count=3`, { signal: AbortSignal.timeout(WAIT_MS) });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.text()).trim();
  };
  const labels = [`${label}a`, `${label}b`];
  const answers = [await get(labels[0]!), await get(labels[1]!)];
  answers.push(...await Promise.all(Array.from({ length: concurrent }, (_, i) => get(`${label}c${i}`))));
  return answers;
}

function labelsOf(label: string, concurrent: number): string[] {
  return [`${label}a`, `${label}b`, ...Array.from({ length: concurrent }, (_, i) => `${label}c${i}`)];
}

const workerd = npmBinary("workerd");
const workerdVersion = versionOf(workerd);

describe(`Cloudflare workerd (${workerdVersion ?? "missing"})`, { skip: skipUnless(workerdVersion !== undefined, "the workerd binary from npm's workerd package does not run here") }, () => {
  let server: { url: string; child: ChildProcess; stdout: () => string; stderr: () => string } | undefined;

  after(async () => {
    if (server !== undefined) await stopChild(server.child);
  }, LIMIT);

  test("a module Worker tracks per request and flushes with ctx.waitUntil(tracker.flush()): every event arrives once, valid", LIMIT, async (t) => {
    const built = await bundle(project, {
      entry: "worker-cf.ts", out: "worker-cf.mjs", collector: collector.url, platform: "neutral", format: "esm", conditions: ["workerd", "worker", "browser"],
    });
    assertWebBundle(built);
    const deliveredBefore = collector.delivered.length;
    server = await startWorkerd(project, "worker-cf.mjs");
    const answers = await requestAll(server.url, "cf", 6);
    assert.deepEqual(answers, Array(8).fill("tracked 3"));
    const labels = labelsOf("cf", 6);
    // The Worker prints "flushed <label>" when the promise it gave waitUntil settles.
    await waitFor(() => labels.every((label) => server!.stdout().includes(`flushed ${label}\n`)), () => `every waitUntil flush to settle; workerd printed:\n${server!.stdout()}\n${server!.stderr()}`);
    await collector.waitForEvents(deliveredBefore + labels.length * 3, WAIT_MS);
    for (const label of labels) expectCheckouts(collector.delivered, { namespace: "workerd", label, count: 3, platform: "srv", exactlyOnce: true });
    assert.equal(collector.delivered.filter((e) => e.tna === "workerd").length, labels.length * 3);
    assert.doesNotMatch(server.stderr(), /Uncaught|Error/, server.stderr());
    t.diagnostic(`workerd's stderr: ${server.stderr().trim() || "(nothing)"}`);
  });
});

const edgeVersion = (() => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/edge-runtime/package.json"), "utf8")) as { version: string }).version;
  } catch {
    return undefined;
  }
})();

describe(`Vercel Edge Runtime (edge-runtime ${edgeVersion ?? "missing"})`, { skip: skipUnless(edgeVersion !== undefined, "npm's edge-runtime package is not installed") }, () => {
  test("an Edge Function tracks per request and flushes with context.waitUntil(tracker.flush()): every event arrives once, valid", LIMIT, async () => {
    const { EdgeRuntime, runServer } = await import("edge-runtime");
    const built = await bundle(project, {
      entry: "edge-entry.ts", out: "edge.js", collector: collector.url, platform: "neutral", format: "iife", conditions: ["edge-light", "worker", "browser"],
    });
    assertWebBundle(built);
    const printed: string[] = [];
    const runtime = new EdgeRuntime({
      initialCode: fs.readFileSync(built.file, "utf8"),
      // The function's console.log, kept: it prints "flushed <label>" when the promise it gave waitUntil settles.
      extend: (context) => Object.assign(context, { console: { ...context.console, log: (line: unknown) => void printed.push(String(line)) } }),
    });
    assert.equal(runtime.evaluate("typeof process"), "undefined", "the Edge Runtime has no Node process");
    const server = await runServer({ runtime, port: 0, host: "127.0.0.1" });
    try {
      const answers = await requestAll(server.url, "edge", 6);
      assert.deepEqual(answers, Array(8).fill("tracked 3"));
      // The Edge Runtime's own wait for the promises handed to waitUntil (those still pending).
      await within(server.waitUntil(), WAIT_MS, "the waitUntil promises");
      const labels = labelsOf("edge", 6);
      assert.deepEqual(printed.sort(), labels.map((label) => `flushed ${label}`).sort());
      for (const label of labels) expectCheckouts(collector.delivered, { namespace: "edge-runtime", label, count: 3, platform: "srv", exactlyOnce: true });
      assert.equal(collector.delivered.filter((e) => e.tna === "edge-runtime").length, labels.length * 3);
    } finally {
      await within(server.close(), WAIT_MS, "the Edge Runtime server to close");
    }
  });
});

/** Serves `module` (in the app folder) with workerd on a free loopback port; its outbound fetch may reach loopback only. */
async function startWorkerd(app: App, module: string): Promise<{ url: string; child: ChildProcess; stdout: () => string; stderr: () => string }> {
  fs.writeFileSync(path.join(app.dir, "workerd.capnp"), `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "${module}") ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "loopback",
);
`);
  // fd 3 is the control channel: workerd reports there the port it listens on.
  const child = spawn(workerd, ["serve", "workerd.capnp", "--control-fd=3"], { cwd: app.dir, env: quietEnv(), stdio: ["ignore", "pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
  const control = child.stdio[3] as Readable;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let messages = "";
      const timer = setTimeout(() => reject(new Error(`workerd did not listen within ${WAIT_MS} ms: ${stderr}`)), WAIT_MS);
      control.on("data", (d: Buffer) => {
        messages += d.toString();
        for (const line of messages.split("\n")) {
          const message = /^\{.*\}$/.test(line) ? JSON.parse(line) as { event?: string; socket?: string; port?: number } : undefined;
          if (message?.event === "listen" && message.socket === "http" && message.port !== undefined) {
            clearTimeout(timer);
            resolve(message.port);
          }
        }
      });
      child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`workerd exited (${code}) before listening: ${stderr}`)); });
    });
    return { url: `http://127.0.0.1:${port}/`, child, stdout: () => stdout, stderr: () => stderr };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function waitFor(done: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); }),
  ]);
}
