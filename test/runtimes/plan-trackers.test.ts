/**
 * The specification functions a tracking plan gives (`--plan`, with
 * `--event-specification-entity`) run with Snowplow's real trackers, as
 * test/runtimes/trackers.test.ts runs the plain track functions: node-tracker
 * in Node (--emit js), browser-tracker bundled into headless Chromium,
 * react-native-tracker's JavaScript bundled to run under Node with stand-ins
 * for React Native. Each app tracks test/fixtures/plan-trackers/plan-events.mjs
 * through the SDK generated from test/fixtures/plans/ecommerce.yaml, and what
 * the collector received is checked against values written here by hand: the
 * event's schema and data (the plan's fixed value filled in), each entity in
 * the plan's order with its data, then the context given, then the
 * event_specification entity.
 *
 * And dev-time validation with the React Native tracker, which takes
 * tracker-core plugins in its configuration's `plugins` and by
 * `tracker.addPlugin({ plugin })`: the generated validationPlugin
 * (--validators) given either way lets a good event through, and reports a
 * bad one in "warn" mode (sent) or drops it in "throw" mode, as README says.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import { launchChromium, serveFolder, type Chromium } from "../support/chromium.js";
import { startCollector, type Collector } from "../support/collector.js";
import { compile } from "../support/compile.js";
import { ROOT, createValidator, decodeJson, type Payload } from "../support/iglu.js";
import { CHROMIUM, LIMIT, runToEnd, skipUnless, versionOf } from "../support/runtimes.js";
import { bundleReactNative, createTrackerApp, type TrackerApp, type TrackerAppOptions } from "../support/trackers.js";

const WAIT_MS = 15_000;
const PLANS = path.join(ROOT, "test/fixtures/plans");
const PLAN_APP: TrackerAppOptions = {
  schemas: path.join(PLANS, "iglu-central"),
  generate: ["--plan", path.join(PLANS, "ecommerce.yaml"), "--event-specification-entity"],
  sources: [path.join(ROOT, "test/fixtures/trackers"), path.join(ROOT, "test/fixtures/plan-trackers")],
};
const validator = createValidator(undefined, [path.join(PLANS, "iglu-central/schemas")]);

// ---- What the collector must receive, written out by hand.

const ACTION = "iglu:com.snowplowanalytics.snowplow.ecommerce/snowplow_ecommerce_action/jsonschema/1-0-2";
const SITE_SEARCH = "iglu:com.snowplowanalytics.snowplow/site_search/jsonschema/1-0-0";
const PRODUCT = "iglu:com.snowplowanalytics.snowplow.ecommerce/product/jsonschema/1-0-0";
const CART = "iglu:com.snowplowanalytics.snowplow.ecommerce/cart/jsonschema/1-0-0";
const USER = "iglu:com.snowplowanalytics.snowplow.ecommerce/user/jsonschema/1-0-0";
const PAGE = "iglu:com.snowplowanalytics.snowplow.ecommerce/page/jsonschema/1-0-0";
const STEP = "iglu:com.snowplowanalytics.snowplow.ecommerce/checkout_step/jsonschema/1-0-0";
const TRANSACTION = "iglu:com.snowplowanalytics.snowplow.ecommerce/transaction/jsonschema/1-0-0";
const WEB_PAGE = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0";
const SPECIFICATION = "iglu:com.snowplowanalytics.snowplow/event_specification/jsonschema/1-0-3";
const CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0";

const product1 = { schema: PRODUCT, data: { id: "sku-1", name: "Jörg’s café ☕ 🚀", category: "shoes", price: 49.99, currency: "EUR", quantity: 2 } };
const product2 = { schema: PRODUCT, data: { id: "sku-2", category: "socks", price: 5, currency: "EUR" } };
const user = { schema: USER, data: { id: "u-1", is_guest: false } };
const specification = (id: string, name: string): { schema: string; data: Record<string, string> } =>
  ({ schema: SPECIFICATION, data: { id, name, data_product_id: "5a0c6d1e-8f2b-4c3d-9e4f-1a2b3c4d5e6f", data_product_name: "Web shop", data_product_domain: "E-commerce" } });

interface Received {
  readonly event: { schema: string; data: unknown };
  readonly entities: readonly { schema: string; data: unknown }[];
}

const EXPECTED: readonly Received[] = [
  {
    event: { schema: ACTION, data: { name: "spring sale", type: "product_view" } },
    entities: [product1, { schema: PAGE, data: { type: "product page", language: "de" } }, user, specification("0c6f3c39-1d0e-4c2a-8a8e-7b1f0e2d3c4a", "Product view")],
  },
  {
    event: { schema: ACTION, data: { type: "add_to_cart" } },
    entities: [product1, product2, { schema: CART, data: { cart_id: "cart-1", total_value: 104.98, currency: "EUR" } }, user, specification("1b7e2d48-2e1f-4d3b-9b9f-8c2a1f3e4d5b", "Add to cart")],
  },
  {
    event: { schema: ACTION, data: { type: "checkout_step" } },
    entities: [{ schema: STEP, data: { step: 2 } }, user, specification("3d904f6a-4031-4f5d-9dc1-ae4c3b5a6f7d", "Checkout progress")],
  },
  {
    event: { schema: SITE_SEARCH, data: { terms: ["red", "shoes"] } },
    entities: [specification("71d483ae-8475-4d91-91a5-e2807f9eadb1", "Search")],
  },
  {
    event: { schema: ACTION, data: { name: "checkout", type: "transaction" } },
    entities: [
      { schema: TRANSACTION, data: { transaction_id: "t-1", revenue: 104.98, currency: "EUR", payment_method: "card", total_quantity: 3 } },
      product2,
      { schema: WEB_PAGE, data: { id: "2b8e0f3c-1d2e-4f50-8a6b-7c8d9e0f1a2b" } },
      { schema: "iglu:com.acme/campaign/jsonschema/1-0-0", data: { code: "SPRING" } },
      specification("4ea1507b-5142-4a6e-8ed2-bf5d4c6b7a8e", "Purchase"),
    ],
  },
];

/** The events of `namespace`, each valid (payload_data, the envelopes, every schema the plan's registry has), as event and entities. */
function received(delivered: readonly Payload[], namespace: string, platform: string): Received[] {
  return delivered.filter((e) => e.tna === namespace).map((e) => {
    validator.assertEvent(e);
    assert.deepEqual([e.e, e.p, e.aid], ["ue", platform, "plan"]);
    assert.ok(e.ue_px !== undefined && e.cx !== undefined, "encodeBase64 was on");
    const contexts = decodeJson(e, "cx", "co") as { schema: string; data: Received["entities"] };
    assert.equal(contexts.schema, CONTEXTS);
    return { event: (decodeJson(e, "ue_px", "ue_pr") as { data: Received["event"] }).data, entities: contexts.data };
  });
}

/** Each expected event arrived exactly once, exactly as written above (in any order: the trackers send concurrently). */
function expectSpecifications(delivered: readonly Payload[], namespace: string, platform: string): void {
  const key = (r: Received): string => JSON.stringify(r.entities.at(-1)?.data ?? null);
  const sort = (list: readonly Received[]): Received[] => [...list].sort((a, b) => key(a).localeCompare(key(b)));
  for (const { schema } of [...EXPECTED.map((r) => r.event), product1, user]) assert.ok(validator.knows(schema), `the validator lacks ${schema}`);
  assert.deepEqual(sort(received(delivered, namespace, platform)), sort(EXPECTED));
}

describe("plan, node-tracker: the specification functions with @snowplow/node-tracker, in Node", () => {
  let app: TrackerApp;
  let collector: Collector;
  before(async () => {
    collector = await startCollector();
    app = createTrackerApp("node-tracker", "js", PLAN_APP);
  }, LIMIT);
  after(async () => {
    await collector?.close();
    app?.remove();
  }, LIMIT);

  test("each specification's event arrives once with its fixed value, its entities in the plan's order, and event_specification", LIMIT, async () => {
    const run = await runToEnd(process.execPath, ["plan-node-app.mjs", collector.url], { cwd: app.dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
    expectSpecifications(collector.delivered, "plan-node", "srv");
  });
});

describe("plan, react-native-tracker: the specification functions with @snowplow/react-native-tracker's JavaScript, under Node", () => {
  let app: TrackerApp;
  let collector: Collector;
  before(async () => {
    collector = await startCollector();
    // With validators too (importing @igluc/runtime/validation, installed from its tarball).
    app = createTrackerApp("react-native-tracker", "ts", { ...PLAN_APP, generate: [...PLAN_APP.generate!, "--validators"], runtime: true, link: ["@types/node"] });
    const bundled = await bundleReactNative(app, "plan-react-native-app.ts", "plan-app.js");
    assert.ok(bundled.some((input) => /node_modules\/@snowplow\/react-native-tracker\/dist\/module\/tracker\.js$/.test(input)), bundled.join("\n"));
    const validating = await bundleReactNative(app, "validation-react-native-app.ts", "validation-app.js");
    assert.ok(validating.some((input) => /node_modules\/@igluc\/runtime\/dist\/esm\/validation/.test(input)), validating.join("\n"));
  }, LIMIT);
  after(async () => {
    await collector?.close();
    app?.remove();
  }, LIMIT);

  test("the apps type-check with the generated SDK and the tracker's published types (the plugin in `plugins` and addPlugin)", LIMIT, async () => {
    const result = await compile(app.dir, ["plan-react-native-app.ts", "validation-react-native-app.ts"], "TypeScript 5", "nodenext", true, true, ["es2023"], ["node"]);
    assert.equal(result.code, 0, result.output);
  });

  test("each specification's event arrives once with its fixed value, its entities in the plan's order, and event_specification", LIMIT, async () => {
    const run = await runToEnd(process.execPath, ["plan-app.js", collector.url], { cwd: app.dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
    expectSpecifications(collector.delivered, "plan-rn", "mob");
  });

  test("validationPlugin: a good event arrives; a bad one is reported and sent (\"warn\", in `plugins`) or dropped (\"throw\", by addPlugin)", LIMIT, async () => {
    const run = await runToEnd(process.execPath, ["validation-app.js", collector.url], { cwd: app.dir });
    assert.equal(run.code, 0, run.stderr);
    // onError, in both modes, with the problem's schema, JSON pointer and keyword.
    assert.deepEqual(JSON.parse(run.stdout), [`warn ${PRODUCT} /price minimum`, `throw ${PRODUCT} /price minimum`]);
    // tracker-core's logger, which the plugin was given: a warning, and an error for the dropped event.
    const message = `${PRODUCT} /price: must be >= 0 (got -1)`;
    assert.deepEqual(run.stderr.split("\n").filter((line) => line !== ""), [`Snowplow: [igluc] ${message}`, `Snowplow: [igluc] event not sent: ${message}`]);
    const sent = (namespace: string): unknown[] => collector.delivered.filter((e) => e.tna === namespace).map((e) => {
      const event = decodeJson(e, "ue_px", "ue_pr") as { data: { data: { name: string } } };
      const products = (decodeJson(e, "cx", "co") as { data: { schema: string; data: { price: number } }[] }).data.filter((entity) => entity.schema === PRODUCT);
      return [event.data.data.name, products.map((p) => p.data.price)];
    }).sort();
    assert.deepEqual(sent("warn"), [["bad", [-1]], ["good", [10]]]);
    assert.deepEqual(sent("throw"), [["good", [10]]]);
  });
});

const version = versionOf(CHROMIUM)?.replace(/ built on .*/, "");

describe(`plan, browser-tracker: the specification functions with @snowplow/browser-tracker, in Chromium (${version ?? "missing"})`,
  { skip: skipUnless(version !== undefined, `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`) }, () => {
    let app: TrackerApp;
    let collector: Collector;
    let site: Awaited<ReturnType<typeof serveFolder>>;
    let chromium: Chromium;
    before(async () => {
      collector = await startCollector({ cors: true });
      app = createTrackerApp("browser-tracker", "ts", PLAN_APP);
      fs.writeFileSync(path.join(app.dir, "index.html"), '<!doctype html>\n<html><head><meta charset="utf-8"><title>plan</title><script src="plan-page.js"></script></head><body></body></html>\n');
      await build({
        absWorkingDir: app.dir, entryPoints: [path.join(app.dir, "plan-page.ts")], outfile: path.join(app.dir, "plan-page.js"),
        bundle: true, platform: "browser", format: "iife", target: "es2022", logLevel: "silent", define: { COLLECTOR: JSON.stringify(collector.url) },
      });
      site = await serveFolder(app.dir);
      chromium = await launchChromium(WAIT_MS);
    }, LIMIT);
    after(async () => {
      await chromium?.close();
      await site?.close();
      await collector?.close();
      app?.remove();
    }, LIMIT);

    test("each specification's event arrives once with its fixed value, its entities in the plan's order, and event_specification", LIMIT, async () => {
      const page = await chromium.browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(`${site.origin}/index.html`);
      await page.evaluate(() => (globalThis as unknown as { app: { track(): void } }).app.track());
      await collector.waitForEvents(EXPECTED.length, WAIT_MS);
      await page.evaluate(() => (globalThis as unknown as { app: { flush(): void } }).app.flush());
      expectSpecifications(collector.delivered, "plan-web", "web");
      assert.equal(collector.delivered.length, EXPECTED.length);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });
