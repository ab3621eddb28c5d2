/**
 * The official @snowplow/browser-tracker in headless Chromium sends to igluc
 * micro from a page of another origin (so every request is cross-origin,
 * with a CORS preflight and credentials): its page views, with the web_page
 * entity it attaches by default, and a self-describing event are good; a bad
 * one is bad with its message. Under CI a missing browser fails.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import { launchChromium, serveFolder, type Chromium } from "../support/chromium.js";
import { ROOT } from "../support/iglu.js";
import { CHROMIUM, skipUnless } from "../support/runtimes.js";
import { startMicro, type Micro } from "../../generator/micro/micro.js";
import { FIXTURES, SIGNUP } from "./support.js";

const WAIT_MS = 15_000;
const WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0";

/** The page's script: the browser tracker, driven from the test through window.send. */
const PAGE = `
import { newTracker, trackPageView, trackSelfDescribingEvent } from "@snowplow/browser-tracker";
window.send = (endpoint) => {
  newTracker("micro", endpoint, { appId: "web", eventMethod: "post", bufferSize: 1, cookieSameSite: "Lax" });
  trackPageView();
  trackSelfDescribingEvent({ event: { schema: "${SIGNUP}", data: { email: "ada@example.com", plan: "pro" } } });
  trackSelfDescribingEvent({ event: { schema: "${SIGNUP}", data: { email: "ada@example.com", plan: "gold" } } });
};
`;

declare const window: { send(endpoint: string): void };

describe("igluc micro with @snowplow/browser-tracker in headless Chromium", { skip: skipUnless(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`) }, () => {
  let micro: Micro;
  let chromium: Chromium;
  let site: { origin: string; close(): Promise<void> };
  let dir: string;

  before(async () => {
    micro = await startMicro({ schemas: [FIXTURES] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-micro-page-"));
    await build({
      stdin: { contents: PAGE, resolveDir: ROOT, loader: "js" }, bundle: true, format: "iife", platform: "browser",
      outfile: path.join(dir, "page.js"), logLevel: "warning",
    });
    fs.writeFileSync(path.join(dir, "page.html"), '<!doctype html><html><head><title>micro</title><script src="page.js"></script></head><body></body></html>');
    site = await serveFolder(dir);
    assert.notEqual(site.origin, new URL(micro.url).origin, "the page and micro are different origins");
    chromium = await launchChromium(WAIT_MS);
  });
  after(async () => {
    await chromium?.close();
    await site?.close();
    await micro?.close();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("page view and self-describing events arrive cross-origin; good ones are good, the bad one says why", async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${site.origin}/page.html`);
    await page.evaluate((endpoint) => window.send(endpoint), micro.url);
    await micro.waitFor(3, { timeoutMs: WAIT_MS });
    const pageView = await micro.expectGood({ eventType: "page_view" });
    assert.deepEqual(pageView.contexts, [WEB_PAGE], "the browser tracker's default entity validates");
    assert.equal(pageView.request.origin, site.origin);
    await micro.expectGood({ schema: SIGNUP, data: { email: "ada@example.com", plan: "pro" } });
    assert.deepEqual(micro.bad().map((e) => e.messages), [[`${SIGNUP} /plan: must be one of "free", "pro" (got "gold")`]]);
    assert.equal(micro.all().total, 3);
    await page.close();
  });
});
