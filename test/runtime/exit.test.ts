/**
 * Exit without close: a real Node process tracks events and simply ends.
 * When its event loop empties, the tracker sends what waits (within
 * flushOnExit's deadline) and reports what it could not send; the process
 * then exits on its own, whatever the collector does.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { afterEach, describe, test } from "node:test";
import { startCollector, type Collector } from "../support/collector.js";
import { runScript } from "../support/process.js";

const collectors: Collector[] = [];
afterEach(async () => { await Promise.all(collectors.splice(0).map((c) => c.close())); });

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const FIXTURE = "test/fixtures/exit/track.ts";

describe("exit without close", () => {
  test("a script that tracks 5 events and ends delivers all 5, and exits 0", async () => {
    const c = await startCollector();
    collectors.push(c);
    const run = await runScript(FIXTURE, { endpoint: c.url, count: 5 });
    assert.equal(run.code, 0);
    assert.equal(c.delivered.length, 5);
    assert.deepEqual(run.lines.filter((l) => l.startsWith("failure") || l.startsWith("log warn") || l.startsWith("log error")), []);
  });

  test("with the collector down, the script exits after flushOnExit's deadline and reports the 5 events lost", async () => {
    const port = await closedPort();
    const run = await runScript(FIXTURE, { endpoint: `http://127.0.0.1:${port}`, count: 5, flushOnExit: { timeoutMs: 1_000 } });
    assert.equal(run.code, 0);
    assert.ok(run.tookMs < 15_000, `the script took ${run.tookMs} ms to exit`);
    assert.ok(run.lines.includes("log warn: 5 event(s) could not be sent before the process exited and are lost (the event store does not outlive the emitter)"), run.lines.join("\n"));
    assert.deepEqual(run.lines.filter((l) => l.startsWith("failure exit")), ["failure exit 5"]);
    assert.ok(run.lines.filter((l) => l.startsWith("failure network")).length >= 2, "it kept trying until the deadline");
  });

  test("a collector that comes back within flushOnExit's deadline gets every event", async () => {
    const port = await closedPort();
    let started: Promise<Collector> | undefined;
    const run = await runScript(FIXTURE, { endpoint: `http://127.0.0.1:${port}`, count: 5, flushOnExit: { timeoutMs: 5_000 } }, (line) => {
      if (line === "tracked") started = new Promise((r) => setTimeout(r, 400)).then(() => startCollector({ port }));
    });
    const c = await started!;
    collectors.push(c);
    assert.equal(run.code, 0);
    assert.equal(c.delivered.length, 5);
    assert.deepEqual(run.lines.filter((l) => l.startsWith("failure exit")), []);
  });

  test("process.exit() right after tracking: nothing can be sent, and the loss is said, event by event", async () => {
    const c = await startCollector();
    collectors.push(c);
    const run = await runScript(FIXTURE, { endpoint: c.url, count: 5, exitNow: true });
    assert.equal(run.code, 0);
    assert.equal(c.delivered.length, 0);
    assert.deepEqual(run.lines.filter((l) => l.startsWith("failure")), ["failure exit 5"]);
    assert.ok(run.lines.includes("log warn: the process is exiting with 5 event(s) not sent; they are lost (await tracker.close() before process.exit() to send them)"), run.lines.join("\n"));
  });

  test("flushOnExit: false sends nothing at exit, and says so", async () => {
    const c = await startCollector();
    collectors.push(c);
    const run = await runScript(FIXTURE, { endpoint: c.url, count: 5, flushOnExit: false });
    assert.equal(run.code, 0);
    assert.equal(c.delivered.length, 0);
    assert.deepEqual(run.lines.filter((l) => l.startsWith("failure")), ["failure exit 5"]);
    assert.ok(run.lines.some((l) => /^log warn: 5 event\(s\) could not be sent before the process exited/.test(l)), run.lines.join("\n"));
  });
});
