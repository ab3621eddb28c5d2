/**
 * @igluc/runtime in a real browser: headless Chromium (Debian's, or the one
 * CHROMIUM_PATH names), driven by playwright-core, loads a page served from
 * one loopback origin whose app (bundled by esbuild for the browser
 * condition from the packed package and the generated SDK) sends typed
 * events to a collector on another origin, so every request is cross-origin
 * with a CORS preflight. Covered: track and flush from the page and from a
 * dedicated web worker; the last events of a page going with sendBeacon at
 * pagehide; LocalStorageEventStore keeping events queued while the collector
 * is down across a reload, and sending them after it. Each event is checked
 * as the wire tests do (test/support/runtimes.ts, expectCheckouts).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { ChildProcess } from "node:child_process";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startCollector, type Collector } from "../support/collector.js";
import { freePort } from "../support/redis.js";
import { CHROMIUM, LIMIT, assertWebBundle, bundle, createApp, expectCheckouts, skipUnless, versionOf, type App } from "../support/runtimes.js";
import { devtoolsEndpoint, removeProfile, spawnChromium, stopChromium } from "../support/chromium.js";

const WAIT_MS = 15_000;

const version = versionOf(CHROMIUM)?.replace(/ built on .*/, "");

/** The app as a page sees it, in `window.app` (test/fixtures/runtimes/page.ts). */
interface PageApp {
  start(options: { namespace: string; endpoint?: string; localStorage?: { staleMs?: number } }): void;
  track(label: string, count: number): void;
  flush(): Promise<void>;
  stats(): { accepted: number; sent: number; dropped: number; failedRequests: number; pending: number };
  inWorker(run: { namespace: string; label: string; count: number }): Promise<{ stats: { sent: number }; hasDocument: boolean }>;
}
// What the functions run in the page (page.evaluate) use there; this file is compiled without the DOM library.
declare const app: PageApp;
declare const localStorage: { readonly length: number; key(index: number): string | null; getItem(key: string): string | null };
declare const sessionStorage: { getItem(key: string): string | null };
declare const document: { cookie: string };

/**
 * A cookie of the page's host (127.0.0.1, the collector's too: cookies ignore
 * the port), so the collector can tell a beacon (sent with credentials) from
 * the fetch transport's requests (cross-origin, so without them by default).
 */
const COOKIE = "igluc_test=beacon";

describe(`Chromium (${version ?? "missing"}), through playwright-core`, { skip: skipUnless(version !== undefined, `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`) }, () => {
  let project: App;
  let collector: Collector;
  let site: http.Server;
  let origin: string;
  let profile: string;
  let chromiumProcess: ChildProcess | undefined;
  let connection: Browser | undefined;
  let browser: BrowserContext;

  before(async () => {
    collector = await startCollector({ cors: true });
    project = createApp();
    assertWebBundle(await bundle(project, { entry: "page.ts", out: "page.js", collector: collector.url, platform: "browser", format: "iife" }));
    assertWebBundle(await bundle(project, { entry: "web-worker.ts", out: "web-worker.js", collector: collector.url, platform: "browser", format: "iife", conditions: ["worker", "browser"] }));
    site = serve(project.dir);
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    assert.notEqual(origin, new URL(collector.url).origin, "the page and the collector must be different origins");
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-chromium-"));
    // Started by the test, so it can always be ended; playwright-core drives it over the DevTools protocol.
    chromiumProcess = spawnChromium(profile);
    connection = await chromium.connectOverCDP(await devtoolsEndpoint(chromiumProcess), { timeout: WAIT_MS });
    browser = connection.contexts()[0]!;
    browser.setDefaultTimeout(WAIT_MS);
  }, LIMIT);

  after(async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([connection?.close(), new Promise((resolve) => { timer = setTimeout(resolve, 5_000); })]).catch(() => undefined);
    clearTimeout(timer);
    if (chromiumProcess !== undefined) await stopChromium(chromiumProcess, profile);
    else if (profile !== undefined) removeProfile(profile);
    await new Promise<void>((resolve) => { site?.closeAllConnections(); site ? site.close(() => resolve()) : resolve(); });
    await collector?.close();
    project?.remove();
  }, LIMIT);

  /** A new tab on the test page, whose errors fail the test. */
  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${origin}/index.html`);
    return { page, errors };
  }

  test("a page tracks typed events and flushes: each arrives once, valid, after a CORS preflight", LIMIT, async () => {
    const { page, errors } = await open();
    await page.evaluate(() => {
      app.start({ namespace: "page" });
      app.track("page", 5);
      return app.flush();
    });
    const stats = await page.evaluate(() => app.stats());
    assert.deepEqual(stats, { accepted: 5, sent: 5, dropped: 0, failedRequests: 0, pending: 0 });
    expectCheckouts(collector.delivered, { namespace: "page", label: "page", count: 5, platform: "web", exactlyOnce: true });
    const request = collector.requests.find((r) => r.events.some((e) => e.tna === "page"))!;
    assert.equal(request.headers.origin, origin);
    assert.equal(request.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(request.headers.cookie, undefined, "fetch sends no cookie cross-origin by default");
    const preflight = collector.preflights.find((p) => p.headers.origin === origin);
    assert.ok(preflight !== undefined, "the JSON content type should have made Chromium send a CORS preflight");
    assert.equal(preflight.headers["access-control-request-method"], "POST");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a dedicated web worker tracks and flushes (no document there): each event arrives once, valid", LIMIT, async () => {
    const { page, errors } = await open();
    const result = await page.evaluate(() => app.inWorker({ namespace: "worker", label: "worker", count: 4 }));
    assert.equal(result.hasDocument, false);
    assert.equal(result.stats.sent, 4);
    expectCheckouts(collector.delivered, { namespace: "worker", label: "worker", count: 4, platform: "web", exactlyOnce: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("events still waiting when the page is left go with sendBeacon at pagehide and arrive after the page is gone", LIMIT, async () => {
    const { page, errors } = await open();
    // batchSize 100 and no flush timer: nothing is sent before the page goes.
    await page.evaluate((cookie) => {
      document.cookie = cookie;
      app.start({ namespace: "beacon" });
      app.track("beacon", 3);
    }, COOKIE);
    assert.equal((await page.evaluate(() => app.stats())).sent, 0);
    const requestsBefore = collector.requests.length;
    const deliveredBefore = collector.delivered.length;
    await page.goto(`${origin}/other.html`);
    // Noted by the page's own pagehide listener, right after the tracker's: a beacon counts its events sent at once
    // (a fetch would not have been answered yet).
    const atPageHide = JSON.parse(await page.evaluate(() => sessionStorage.getItem("igluc-test:at-pagehide") ?? "null")) as { sent: number } | null;
    assert.equal(atPageHide?.sent, 3, `at pagehide the emitter had counted ${JSON.stringify(atPageHide)}`);
    await collector.waitForEvents(deliveredBefore + 3, WAIT_MS);
    expectCheckouts(collector.delivered, { namespace: "beacon", label: "beacon", count: 3, platform: "web", exactlyOnce: true });
    const beacons = collector.requests.slice(requestsBefore).filter((r) => r.events.some((e) => e.tna === "beacon"));
    assert.equal(beacons.length, 1);
    assert.equal(beacons[0]!.method, "POST");
    assert.equal(beacons[0]!.headers.origin, origin);
    assert.equal(beacons[0]!.headers.cookie, COOKIE, "a beacon is sent with credentials");
    assert.deepEqual(errors, []);
    await page.close();
    await browser.clearCookies();
  });

  test("closing the tab sends what waits with sendBeacon too", LIMIT, async () => {
    const { page, errors } = await open();
    await page.evaluate((cookie) => {
      document.cookie = cookie;
      app.start({ namespace: "closed" });
      app.track("closed", 2);
    }, COOKIE);
    const requestsBefore = collector.requests.length;
    const deliveredBefore = collector.delivered.length;
    await page.close({ runBeforeUnload: true });
    await collector.waitForEvents(deliveredBefore + 2, WAIT_MS);
    expectCheckouts(collector.delivered, { namespace: "closed", label: "closed", count: 2, platform: "web", exactlyOnce: true });
    const beacons = collector.requests.slice(requestsBefore).filter((r) => r.events.some((e) => e.tna === "closed"));
    assert.deepEqual(beacons.map((r) => r.headers.cookie), [COOKIE], "one request, with credentials: a beacon");
    assert.deepEqual(errors, []);
    await browser.clearCookies();
  });

  test("LocalStorageEventStore: events queued while the collector is down survive a reload and arrive after it, each at least once", LIMIT, async () => {
    // A collector that is down: a free port nothing listens on (the collector is started there later).
    const port = await freePort();
    const options = { namespace: "stored", endpoint: `http://127.0.0.1:${port}`, localStorage: {} };
    const { page, errors } = await open();
    await page.evaluate((start) => {
      app.start(start);
      app.track("stored", 6);
      return app.flush();
    }, options);
    const failed = await page.evaluate(() => app.stats());
    assert.equal(failed.sent, 0);
    assert.ok(failed.failedRequests >= 1);
    assert.deepEqual(await held(page), [6], "the six events should be in localStorage, under one page's key");

    await page.reload();
    assert.deepEqual(await held(page), [6], "the reload should leave them there");
    // The unloaded page marked its key released (pagehide), so the reloaded one takes the events over at once,
    // with the default staleMs (a minute).

    const revived = await startCollector({ cors: true, port });
    try {
      await page.evaluate((start) => {
        app.start(start);
        return app.flush();
      }, options);
      await revived.waitForEvents(6, WAIT_MS);
      const arrived = expectCheckouts(revived.delivered, { namespace: "stored", label: "stored", count: 6, platform: "web", exactlyOnce: false });
      assert.ok(arrived >= 6);
      assert.deepEqual(await held(page), [], "nothing should be left in localStorage once they are sent");
    } finally {
      await revived.close();
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
});

/** How many events each igluc key in the page's localStorage holds. */
function held(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const counts: number[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      if (key.startsWith("igluc:events:")) counts.push((JSON.parse(localStorage.getItem(key)!) as { events: unknown[] }).events.length);
    }
    return counts;
  });
}

/** The app's pages and bundles, from loopback. */
function serve(dir: string): http.Server {
  const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };
  return http.createServer((req, res) => {
    const name = new URL(req.url ?? "/", "http://site").pathname.slice(1);
    const type = types[path.extname(name)];
    if (type === undefined || !/^[\w-]+\.\w+$/.test(name) || !fs.existsSync(path.join(dir, name))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(fs.readFileSync(path.join(dir, name)));
  });
}
