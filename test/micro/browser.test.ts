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
import { generate } from "../../generator/index.js";
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

/** A page checking its events with the validationPlugin igluc generated (--validators), in "warn" and "throw" mode. */
const CHECKED = (validators: string): string => `
import { newTracker, trackSelfDescribingEvent } from "@snowplow/browser-tracker";
import { validationPlugin } from ${JSON.stringify(validators)};
window.sendChecked = (endpoint) => {
  const issues = [];
  const plugin = (mode) => validationPlugin({ mode, onError: (issue) => issues.push(mode + " " + issue.message) });
  for (const mode of ["warn", "throw"]) newTracker(mode, endpoint, { appId: mode, eventMethod: "post", bufferSize: 1, cookieSameSite: "Lax", plugins: [plugin(mode)] });
  const event = (plan) => ({ event: { schema: "${SIGNUP}", data: { email: "ada@example.com", plan } } });
  trackSelfDescribingEvent(event("gold"), ["warn"]);
  trackSelfDescribingEvent(event("gold"), ["throw"]);
  trackSelfDescribingEvent(event("pro"), ["throw"]);
  return issues;
};
`;

declare const window: { send(endpoint: string): void; sendChecked(endpoint: string): string[] };

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
    // The same schemas' SDK for the browser tracker, with validators, bundled into a second page.
    const sdk = path.join(dir, "sdk");
    const generated = await generate({ schemas: [FIXTURES], out: sdk, target: "browser-tracker", emit: "js", validators: true, concurrency: 1 });
    assert.deepEqual(generated.diagnostics.filter((d) => d.level === "error"), []);
    await build({
      stdin: { contents: CHECKED(path.join(sdk, "validators.js")), resolveDir: ROOT, loader: "js" }, bundle: true, format: "iife", platform: "browser",
      nodePaths: [path.join(ROOT, "node_modules")], outfile: path.join(dir, "checked.js"), logLevel: "warning",
    });
    fs.writeFileSync(path.join(dir, "checked.html"), '<!doctype html><html><head><title>checked</title><script src="checked.js"></script></head><body></body></html>');
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

  test("the generated validationPlugin in the page: \"warn\" sends and reports, \"throw\" drops; the message is micro's", async () => {
    micro.reset();
    const page = await chromium.browser.newPage();
    await page.goto(`${site.origin}/checked.html`);
    const issues = await page.evaluate((endpoint) => window.sendChecked(endpoint), micro.url);
    const message = `${SIGNUP} /plan: must be one of "free", "pro" (got "gold")`;
    assert.deepEqual(issues, [`warn ${message}`, `throw ${message}`]);
    // Each tracker sends in order: the good event of the "throw" tracker arriving means its bad one was never sent.
    await micro.expectGood({ schema: SIGNUP, data: { email: "ada@example.com", plan: "pro" } }, { timeoutMs: WAIT_MS });
    await micro.waitFor(2, { timeoutMs: WAIT_MS });
    assert.deepEqual(micro.bad().map((e) => [e.parameters.aid, e.messages]), [["warn", [message]]]);
    assert.deepEqual(micro.good().map((e) => e.parameters.aid), ["throw"]);
    await page.close();
  });
});
