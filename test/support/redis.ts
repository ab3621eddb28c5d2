/**
 * A real Redis server for the tests: `redis-server` (installed by .ci/run)
 * on a free loopback port, in a temporary folder, without persistence;
 * stopped (and its folder removed) by `stop()`. Plus a client for looking at
 * what the code under test left in it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createClient } from "@redis/client";

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Sends one command (a fresh connection per test file, kept open). */
  command(args: readonly string[]): Promise<unknown>;
  stop(): Promise<void>;
}

export function redisAvailable(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-redis-"));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout?.on("data", (d: Buffer) => { log += d.toString(); });
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      const check = (): void => {
        if (/Ready to accept connections/.test(log)) { clearTimeout(timer); resolve(true); }
      };
      child.stdout?.on("data", check);
      child.on("exit", () => { clearTimeout(timer); resolve(false); });
    });
    if (!ready) {
      child.kill("SIGKILL");
      if (attempt < 3) continue;
      throw new Error(`redis-server did not start: ${log.slice(-500)}`);
    }
    const url = `redis://127.0.0.1:${port}`;
    const client = createClient({ url });
    client.on("error", () => undefined);
    await client.connect();
    return {
      url, port,
      command: (args) => client.sendCommand([...args]),
      async stop() {
        await client.close().catch(() => undefined);
        child.kill("SIGTERM");
        await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
