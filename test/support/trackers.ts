/**
 * Apps of users of the targets for Snowplow's trackers (test/runtimes/trackers.test.ts):
 * a project with the tracker package linked from this repository's node_modules (as npm
 * installed it, with its own dependencies), an SDK generated into tracking/ by igluc's CLI
 * from test/fixtures/registry with that target, and the app's sources from
 * test/fixtures/trackers. And what checks the events a collector received from them against
 * what test/fixtures/trackers/events.mjs tracked.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { ROOT, decodeJson, type Payload } from "./iglu.js";
import { install, pack } from "./packed.js";
import { FIXTURE_REGISTRY, validator } from "./runtimes.js";

const APP_SOURCES = path.join(ROOT, "test/fixtures/trackers");

export type TrackerTarget = "browser-tracker" | "node-tracker" | "react-native-tracker";

export interface TrackerApp {
  readonly dir: string;
  remove(): void;
}

export interface TrackerAppOptions {
  /** The registry the SDK is generated from (default: test/fixtures/registry). */
  readonly schemas?: string;
  /** More arguments for `igluc generate` (`--plan FILE`, `--validators`…). */
  readonly generate?: readonly string[];
  /** The folders whose files are the app's sources, copied in order (default: test/fixtures/trackers). */
  readonly sources?: readonly string[];
  /** Also install @igluc/runtime from its `npm pack` tarball (what `--validators` output imports). */
  readonly runtime?: boolean;
  /** More packages linked from this repository's node_modules (e.g. @types/node, to type-check the app). */
  readonly link?: readonly string[];
}

/** A fresh project: the target's tracker linked in, the SDK generated into tracking/ (in `emit`), the app's sources. Needs the build. */
export function createTrackerApp(target: TrackerTarget, emit: "ts" | "js", options: TrackerAppOptions = {}): TrackerApp {
  const bin = path.join(ROOT, "dist/generator/cli/bin.js");
  if (!fs.existsSync(bin)) throw new Error("dist/generator is missing: run npm run build (npm test does)");
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `igluc-${target}-`)));
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const tracker = `@snowplow/${target}`;
    const real = path.join(ROOT, "node_modules", tracker);
    if (!fs.existsSync(real)) throw new Error(`${tracker} is not installed: run npm ci`);
    const { version } = JSON.parse(fs.readFileSync(path.join(real, "package.json"), "utf8")) as { version: string };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "tracker-app", private: true, type: "module", dependencies: { [tracker]: `^${version}` } }, null, 2));
    for (const name of [tracker, ...(options.link ?? [])]) {
      const linked = path.join(ROOT, "node_modules", name);
      if (!fs.existsSync(linked)) throw new Error(`${name} is not installed: run npm ci`);
      fs.mkdirSync(path.dirname(path.join(dir, "node_modules", name)), { recursive: true });
      fs.symlinkSync(fs.realpathSync(linked), path.join(dir, "node_modules", name), "dir");
    }
    if (options.runtime === true) install(dir, pack("runtime"));
    execFileSync(process.execPath, [
      bin, "generate", "--schemas", options.schemas ?? FIXTURE_REGISTRY, "--out", path.join(dir, "tracking"), "--target", target, "--emit", emit, "--concurrency", "1", "--quiet",
      ...(options.generate ?? []),
    ], { cwd: dir, stdio: "pipe", timeout: 60_000 });
    for (const sources of options.sources ?? [APP_SOURCES]) {
      for (const file of fs.readdirSync(sources)) fs.copyFileSync(path.join(sources, file), path.join(dir, file));
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { dir, remove };
}

/**
 * Bundles a React Native app (`entry`, relative to the app) to run under Node, as
 * test/runtimes/trackers.test.ts explains: the tracker's published JavaScript resolved as Metro
 * resolves it, React Native's own modules replaced by test/fixtures/trackers/react-native-host.ts
 * (which the app's sources must include). Returns the bundle's inputs.
 */
export async function bundleReactNative(app: TrackerApp, entry: string, out: string): Promise<string[]> {
  const host = path.join(app.dir, "react-native-host.ts");
  if (!fs.existsSync(host)) throw new Error("the app lacks react-native-host.ts (test/fixtures/trackers)");
  const result = await build({
    absWorkingDir: app.dir, entryPoints: [path.join(app.dir, entry)], outfile: path.join(app.dir, out),
    bundle: true, format: "esm", target: "es2022", metafile: true, logLevel: "silent",
    // Resolved as React Native's bundler (Metro) resolves by default: the react-native field, then browser, then main.
    platform: "neutral", mainFields: ["react-native", "browser", "main"], conditions: ["react-native", "browser"],
    // React Native's modules, which the tracker imports and Node does not have.
    alias: { "react-native": host, "@react-native-async-storage/async-storage": host, "react-native-get-random-values": host },
  });
  return Object.keys(result.metafile.inputs);
}

const CHECKOUT = "iglu:com.example/checkout_started/jsonschema/1-0-0";
const USER = "iglu:com.example/user/jsonschema/1-0-1";
const PRODUCT = "iglu:com.example/product/jsonschema/2-0-0";
const CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0";
/** As test/fixtures/trackers/events.mjs sends it. */
const PRODUCT_NAME = "Jörg’s café ☕ 🚀";

export interface Expected {
  /** The tracker namespace (`tna`). */
  readonly namespace: string;
  /** `p` */
  readonly platform: string;
  /** The tracker's version (`tv`), e.g. /^node-4\./. */
  readonly version: RegExp;
  /** Whether the timestamps events.mjs gives were passed (the React Native tracker takes none). */
  readonly timestamps: boolean;
}

/**
 * Checks the four events events.mjs tracked with `expected.namespace`: each arrived once, is
 * valid (payload_data, the unstruct_event and contexts envelopes, the event and every entity of
 * a schema in the fixture registry, all of which the validator must know), and carries exactly
 * the data, the entities and the timestamps it was given.
 */
export function expectTracked(delivered: readonly Payload[], expected: Expected): void {
  for (const uri of [CHECKOUT, USER, PRODUCT]) assert.ok(validator.knows(uri), `the validator lacks ${uri}`);
  const mine = delivered.filter((e) => e.tna === expected.namespace && /^cart-\d$/.test((decodeJson(e, "ue_px", "ue_pr") as { data: { data: { cartId: string } } }).data.data.cartId));
  const byCart = new Map<number, Payload>();
  for (const event of mine) {
    validator.assertEvent(event);
    const ue = decodeJson(event, "ue_px", "ue_pr") as { data: { schema: string; data: { cartId: string } } };
    const i = Number(ue.data.data.cartId.slice("cart-".length));
    assert.ok(!byCart.has(i), `cart-${i} arrived twice`);
    byCart.set(i, event);
    assert.equal(event.e, "ue");
    assert.equal(event.p, expected.platform);
    assert.equal(event.aid, "trackers");
    assert.match(event.tv!, expected.version);
    assert.ok(event.ue_px !== undefined, "encodeBase64 was on");
    assert.equal(ue.data.schema, CHECKOUT);
    assert.deepEqual(ue.data.data, { cartId: `cart-${i}`, total: 10 + i, currency: "EUR", coupon: null, items: [{ sku: `sku-${i}`, quantity: i + 1 }] });
    const entities = (decodeJson(event, "cx", "co") as { schema: string; data: unknown[] } | undefined);
    const expectedEntities = [
      [],
      [{ schema: USER, data: { id: "u-1", plan: "pro" } }, { schema: PRODUCT, data: { sku: "sku-1", price: 3.5, name: PRODUCT_NAME } }],
      [{ schema: "iglu:com.other/thing/jsonschema/1-0-0", data: { anything: [1, "two"] } }],
      [],
    ][i]!;
    if (expectedEntities.length === 0) assert.equal(entities, undefined, `cart-${i} should carry no entities`);
    else assert.deepEqual(entities, { schema: CONTEXTS, data: expectedEntities });
    if (expected.timestamps) {
      // cart-2: a true timestamp (ttm, the device's own dtm beside it); cart-3: a number, sent as the device timestamp.
      if (i === 2) assert.equal(event.ttm, "1700000000000");
      else assert.equal(event.ttm, undefined);
      if (i === 3) assert.equal(event.dtm, "1700000000003");
      else assert.notEqual(event.dtm, "1700000000003");
    } else {
      assert.equal(event.ttm, undefined);
    }
  }
  assert.deepEqual([...byCart.keys()].sort(), [0, 1, 2, 3], `of the four events tracked as ${expected.namespace}, these arrived: ${[...byCart.keys()].join(", ")}`);
}
