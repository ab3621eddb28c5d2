/**
 * Headless Chromium for tests (Debian's, or the one CHROMIUM_PATH names),
 * started by the test so it can always be ended, and driven by playwright-core
 * over the DevTools protocol; and a loopback server for a page's files. The
 * same way test/runtimes/browser.test.ts drives it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { CHROMIUM } from "./runtimes.js";

/** Headless, no sandbox (root), and no connection of its own (on this closed network they would fail). */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface Chromium {
  readonly browser: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium with its profile in `profile`, in a process group of its own, its
 * temporary files (the org.chromium.Chromium.* singleton folders) inside the
 * profile too: stopChromium ends the browser and every helper at once, so
 * the profile can be removed whole.
 */
export function spawnChromium(profile: string): ChildProcess {
  return spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"], {
    stdio: ["ignore", "ignore", "pipe"], detached: true, env: { ...process.env, TMPDIR: profile },
  });
}

/** Ends a spawnChromium browser and its helpers (SIGTERM to the group, SIGKILL after 5 s), then removes its profile. */
export async function stopChromium(child: ChildProcess, profile: string): Promise<void> {
  const group = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    group("SIGTERM");
    const timer = setTimeout(() => group("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  // Helpers outlive the browser by a moment: the group is ended whatever is left of it.
  group("SIGKILL");
  removeProfile(profile);
}

/**
 * How long Chromium may take to start listening. Its first start on a fresh machine reads the
 * browser from a cold disk while other test files run: 8.7 s in one CI run, over 15 s in another.
 * Below the 60 s that hooks starting it are given (runtimes.ts LIMIT), so this error is the one seen.
 */
const START_MS = 40_000;

/** Starts Chromium with a fresh profile; its start is bounded by START_MS, every later wait by `waitMs`. */
export async function launchChromium(waitMs: number): Promise<Chromium> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-chromium-"));
  const child = spawnChromium(profile);
  const close = async (connection?: { close(): Promise<void> }): Promise<void> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([connection?.close(), new Promise((resolve) => { timer = setTimeout(resolve, 5_000); })]).catch(() => undefined);
    clearTimeout(timer);
    await stopChromium(child, profile);
  };
  try {
    const connection = await chromium.connectOverCDP(await devtoolsEndpoint(child), { timeout: waitMs });
    const browser = connection.contexts()[0]!;
    browser.setDefaultTimeout(waitMs);
    return { browser, close: () => close(connection) };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Removes a profile folder. Chromium's helper processes can go on writing
 * into it for a while after the browser has exited (seen for over 10 s on a
 * busy machine, as ENOTEMPTY): what cannot be removed then is left in the
 * temporary folder, saying so. Cleaning up is not what a test checks.
 */
export function removeProfile(profile: string): void {
  try {
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch (error) {
    process.stderr.write(`# left Chromium's profile ${profile} in place: ${(error as Error).message}\n`);
  }
}

/** The DevTools WebSocket Chromium prints once it listens (on loopback, a port of its choosing), within START_MS. */
export function devtoolsEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let printed = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools endpoint within ${START_MS} ms:\n${printed}`)), START_MS);
    child.stderr!.on("data", (d: Buffer) => {
      printed += d.toString();
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(printed);
      if (found !== null) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.once("error", (error) => { clearTimeout(timer); reject(error); });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`Chromium exited (${code}) before it listened:\n${printed}`)); });
  });
}

/** Serves the .html and .js files directly in `dir` from 127.0.0.1; resolves with its origin and a close function. */
export async function serveFolder(dir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };
  const server = http.createServer((req, res) => {
    const name = new URL(req.url ?? "/", "http://site").pathname.slice(1);
    const type = types[path.extname(name)];
    if (type === undefined || !/^[\w-]+\.\w+$/.test(name) || !fs.existsSync(path.join(dir, name))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(fs.readFileSync(path.join(dir, name)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
