/**
 * The targets for Snowplow's own trackers, run with the real trackers as
 * published, sending to a loopback collector; every event is checked as the
 * wire tests check igluc's (test/support/trackers.ts, expectTracked):
 * - node-tracker: @snowplow/node-tracker and the generated JavaScript
 *   (--emit js), run by Node as they are;
 * - browser-tracker: @snowplow/browser-tracker and the generated TypeScript,
 *   bundled by esbuild into a page that headless Chromium loads from one
 *   loopback origin and that sends to the collector on another (CORS);
 * - react-native-tracker: @snowplow/react-native-tracker's JavaScript and the
 *   generated TypeScript, bundled by esbuild to run under Node, with
 *   stand-ins for what the tracker imports of React Native
 *   (test/fixtures/trackers/react-native-host.ts): the platform is not here,
 *   the tracker's own code is.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import { launchChromium, serveFolder, type Chromium } from "../support/chromium.js";
import { startCollector, type Collector } from "../support/collector.js";
import { decodeJson } from "../support/iglu.js";
import { CHROMIUM, LIMIT, runToEnd, skipUnless, versionOf } from "../support/runtimes.js";
import { bundleReactNative, createTrackerApp, expectTracked, type TrackerApp } from "../support/trackers.js";

const WAIT_MS = 15_000;

describe("node-tracker: @snowplow/node-tracker with the generated JavaScript, in Node", () => {
  let app: TrackerApp;
  let collector: Collector;
  before(async () => {
    collector = await startCollector();
    app = createTrackerApp("node-tracker", "js");
  }, LIMIT);
  after(async () => {
    await collector?.close();
    app?.remove();
  }, LIMIT);

  test("each event arrives once, valid, with its data, entities and timestamps", LIMIT, async () => {
    const run = await runToEnd(process.execPath, ["node-app.mjs", collector.url], { cwd: app.dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
    expectTracked(collector.delivered, { namespace: "node", platform: "srv", version: /^node-4\./, timestamps: true });
    assert.ok(collector.requests.every((r) => r.method === "POST" && r.path === "/com.snowplowanalytics.snowplow/tp2"));
  });
});

describe("react-native-tracker: @snowplow/react-native-tracker's JavaScript with the generated TypeScript, under Node", () => {
  let app: TrackerApp;
  let collector: Collector;
  let bundled: string[];
  before(async () => {
    collector = await startCollector();
    app = createTrackerApp("react-native-tracker", "ts");
    bundled = await bundleReactNative(app, "react-native-app.ts", "app.js");
  }, LIMIT);
  after(async () => {
    await collector?.close();
    app?.remove();
  }, LIMIT);

  test("the bundle runs the tracker's published JavaScript, and the generated code imports nothing of it at run time", () => {
    assert.ok(bundled.some((input) => /node_modules\/@snowplow\/react-native-tracker\/dist\/module\/tracker\.js$/.test(input)), bundled.join("\n"));
    assert.ok(bundled.some((input) => /@snowplow\/tracker-core\//.test(input)));
    const generated = fs.readdirSync(path.join(app.dir, "tracking")).filter((f) => f.endsWith(".ts"));
    for (const file of generated) assert.doesNotMatch(fs.readFileSync(path.join(app.dir, "tracking", file), "utf8"), /^import \{/m, `${file} imports a value`);
  });

  test("each event arrives once, valid, with its data and entities (the tracker takes no timestamp)", LIMIT, async () => {
    const run = await runToEnd(process.execPath, ["app.js", collector.url], { cwd: app.dir });
    assert.equal(run.code, 0, run.stderr);
    expectTracked(collector.delivered, { namespace: "rn", platform: "mob", version: /^rn-4\./, timestamps: false });
  });
});

const version = versionOf(CHROMIUM)?.replace(/ built on .*/, "");

describe(`browser-tracker: @snowplow/browser-tracker with the generated TypeScript, in Chromium (${version ?? "missing"})`,
  { skip: skipUnless(version !== undefined, `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`) }, () => {
    let app: TrackerApp;
    let collector: Collector;
    let site: Awaited<ReturnType<typeof serveFolder>>;
    let chromium: Chromium;
    before(async () => {
      collector = await startCollector({ cors: true });
      app = createTrackerApp("browser-tracker", "ts");
      fs.writeFileSync(path.join(app.dir, "index.html"), '<!doctype html>\n<html><head><meta charset="utf-8"><title>trackers</title><script src="page.js"></script></head><body></body></html>\n');
      await build({
        absWorkingDir: app.dir, entryPoints: [path.join(app.dir, "page.ts")], outfile: path.join(app.dir, "page.js"),
        bundle: true, platform: "browser", format: "iife", target: "es2022", logLevel: "silent", define: { COLLECTOR: JSON.stringify(collector.url) },
      });
      site = await serveFolder(app.dir);
      assert.notEqual(site.origin, new URL(collector.url).origin);
      chromium = await launchChromium(WAIT_MS);
    }, LIMIT);
    after(async () => {
      await chromium?.close();
      await site?.close();
      await collector?.close();
      app?.remove();
    }, LIMIT);

    test("each event arrives once per tracker, valid, with its data, entities and timestamps; `trackers` picks the trackers", LIMIT, async () => {
      const page = await chromium.browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(`${site.origin}/index.html`);
      // Four events to sp1 and sp2 each, and one to sp2 alone.
      await page.evaluate(() => (globalThis as unknown as { app: { track(only: string): void } }).app.track("sp2"));
      await collector.waitForEvents(9, WAIT_MS);
      await page.evaluate(() => (globalThis as unknown as { app: { flush(): void } }).app.flush());
      for (const namespace of ["sp1", "sp2"]) expectTracked(collector.delivered, { namespace, platform: "web", version: /^js-4\./, timestamps: true });
      const only = collector.delivered.filter((e) => (decodeJson(e, "ue_px", "ue_pr") as { data: { data: { cartId: string } } }).data.data.cartId === "cart-only");
      assert.deepEqual(only.map((e) => e.tna), ["sp2"]);
      assert.equal(collector.delivered.length, 9);
      assert.ok(collector.requests.every((r) => r.headers.origin === site.origin));
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
