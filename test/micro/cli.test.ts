/**
 * `igluc micro` from the command line (runCli, as the bin runs it): it prints
 * where it listens, logs each bad event's messages escaped, stops on the
 * interrupt with the counts; --help lists its flags; options it cannot start
 * with exit 2.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { runCli } from "../../generator/cli/run.js";
import { FIXTURES, SIGNUP, uePr } from "./support.js";

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => { text += chunk.toString("utf8"); });
  return { stream, text: () => text };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ue = (schema: string, data: unknown): string => encodeURIComponent(uePr(schema, data));

describe("igluc micro (CLI)", () => {
  test("listens, logs bad events escaped, and stops on the interrupt with the counts", async () => {
    const out = capture();
    const err = capture();
    let interrupt!: () => void;
    const interrupted = new Promise<void>((resolve) => { interrupt = resolve; });
    const running = runCli(["micro", "--port", "0", "--schemas", FIXTURES], { out: out.stream, err: err.stream, cwd: process.cwd(), interrupted });
    await until(() => out.text().includes("listening on"));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.text())![1]!;
    const good = await fetch(`${url}/i?e=ue&p=srv&tv=t&eid=e1&ue_pr=${ue(SIGNUP, { email: "a@b.co" })}`);
    assert.equal(good.headers.get("content-type"), "image/gif");
    // A terminal escape and a newline in what a client sends are shown escaped, never acted on.
    const hostile = await fetch(`${url}/i?e=ue&p=srv&tv=t&eid=e2&ue_pr=${ue(SIGNUP, { email: "\u001b[2J\nfake line" })}`);
    assert.equal(hostile.status, 200);
    await until(() => err.text().includes("bad event e2"));
    assert.equal(err.text(), 'igluc micro: bad event e2 (unstruct):\n  iglu:com.acme/signup/jsonschema/1-0-0 /email: must match format "email" (got "\\u001b[2J\\nfake line")\n');
    interrupt();
    assert.equal(await running, 0);
    assert.match(out.text(), /igluc micro: stopped; 1 good, 1 bad\n$/);
  });

  test("--help lists its flags", async () => {
    const out = capture();
    assert.equal(await runCli(["micro", "--help"], { out: out.stream, err: new PassThrough(), interrupted: new Promise(() => undefined) }), 0);
    for (const flag of ["--port", "--schemas", "--resolver", "--lockfile", "--offline", "--apikey", "--max-body-bytes", "--max-events-per-request", "--max-entities", "--max-stored-events", "--max-stored-bytes", "--config", "--quiet"]) {
      assert.ok(out.text().includes(flag), `--help lists ${flag}`);
    }
  });

  test("options it cannot start with exit 2, saying why", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      for (const [argv, message] of [
        [["micro", "--port", "70000"], /: --port must be a whole number from 0 to 65535 \(got 70000\)/],
        [["micro", "--port", String(taken)], /cannot listen on 127\.0\.0\.1:\d+ \(the port is in use\)/],
        [["micro", "--schemas", "/nonexistent/registry"], /schema folder .* does not exist/],
        [["micro", "--max-body-bytes", "0"], /: --max-body-bytes must be a whole number from 1 to 9007199254740991 \(got 0\)/],
        [["micro", "--max-stored-bytes", "1.5"], /: --max-stored-bytes must be a whole number from 1 to 9007199254740991 \(got 1\.5\)/],
        [["micro", "--no-such-flag"], /Unknown argument/],
      ] as const) {
        const err = capture();
        const code = await runCli([...argv], { out: new PassThrough(), err: err.stream, cwd: process.cwd(), interrupted: new Promise(() => undefined) });
        assert.equal(code, 2, `${argv.join(" ")}: ${err.text()}`);
        assert.match(err.text(), message);
      }
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
