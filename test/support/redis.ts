/**
 * A real Redis server for the tests: `redis-server` (installed by .ci/run)
 * on a free loopback port, in a temporary folder, without persistence unless
 * asked; restartable on the same port and folder; stopped (and its folder
 * removed) by `stop()`. Plus a client for looking at what the code under
 * test left in it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { createClient } from "@redis/client";

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Sends one command (a fresh connection per test file, kept open). */
  command(args: readonly string[]): Promise<unknown>;
  /** Stops the server (SIGKILL: no shutdown save) and starts it again on the same port and folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** `requirepass` for the default user. */
  readonly password?: string;
  /** AOF persistence, fsync on every write. @defaultValue false */
  readonly appendOnly?: boolean;
}

export function redisAvailable(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * The `skip` option of a suite that needs redis-server: skipped, saying so,
 * on a developer's machine without it; under CI a missing redis-server is a
 * failure, not a skip (the suite runs and startRedis throws).
 */
export function skipWithoutRedis(): false | string {
  if (redisAvailable() || process.env.CI !== undefined) return false;
  const reason = "redis-server is not installed (.ci/run installs it; under CI this fails)";
  // A skipped describe counts no test at all: this one makes the skip show in the totals.
  test("the Redis tests of this file need redis-server", { skip: reason }, () => undefined);
  return reason;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function launch(port: number, dir: string, options: RedisOptions): Promise<ChildProcess | undefined> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir];
  args.push("--appendonly", options.appendOnly === true ? "yes" : "no");
  if (options.appendOnly === true) args.push("--appendfsync", "always");
  if (options.password !== undefined) args.push("--requirepass", options.password);
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", (d: Buffer) => { log += d.toString(); });
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    const check = (): void => {
      if (/Ready to accept connections/.test(log)) { clearTimeout(timer); resolve(true); }
    };
    child.stdout?.on("data", check);
    child.on("error", () => { clearTimeout(timer); resolve(false); });
    child.on("exit", () => { clearTimeout(timer); resolve(false); });
  });
  if (ready) return child;
  child.kill("SIGKILL");
  return undefined;
}

export async function startRedis(options: RedisOptions = {}): Promise<TestRedis> {
  if (!redisAvailable()) throw new Error("redis-server is not installed; .ci/run installs it (apt-get install redis-server)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-redis-"));
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    child = await launch(port, dir, options);
    if (child === undefined && attempt >= 3) throw new Error("redis-server did not start");
  }
  const url = options.password === undefined ? `redis://127.0.0.1:${port}` : `redis://:${options.password}@127.0.0.1:${port}`;
  interface Client { sendCommand(args: string[]): Promise<unknown>; close(): Promise<void>; destroy(): void }
  const connect = async (): Promise<Client> => {
    const client = createClient({ url });
    client.on("error", () => undefined);
    await client.connect();
    return client as unknown as Client;
  };
  let client = await connect();
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child!;
    if (running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill(signal);
    await exited;
  };
  return {
    url, port,
    command: (args) => client.sendCommand([...args]),
    async restart() {
      client.destroy();
      await kill("SIGKILL");
      for (let attempt = 0; ; attempt++) {
        child = await launch(port, dir, options);
        if (child !== undefined) break;
        if (attempt >= 20) throw new Error("redis-server did not restart");
        await new Promise((r) => setTimeout(r, 100));
      }
      client = await connect();
    },
    async stop() {
      await client.close().catch(() => undefined);
      await kill("SIGTERM");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
