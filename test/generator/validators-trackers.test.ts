/**
 * `--validators` with Snowplow's own trackers: for the official-tracker
 * targets validators.js also exports `validationPlugin()`, a tracker-core
 * plugin. With the real @snowplow/node-tracker and the generated JavaScript:
 * "warn" logs each problem of the event and its entities and sends; "throw"
 * drops the event (tracker-core swallows what plugins throw) and logs; a
 * valid event is sent untouched, in base64 and in plain JSON.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import type { BrowserPlugin } from "@snowplow/browser-tracker";
import { newTracker, type CorePlugin, type Payload } from "@snowplow/node-tracker";
import { validationPlugin, type ValidationIssue, type ValidationOptions } from "@igluc/runtime/validation";
import { generate } from "../../generator/index.js";
import { tempProject } from "../support/compile.js";
import { ROOT } from "../support/iglu.js";

const CHECKOUT = "iglu:com.example/checkout_started/jsonschema/1-0-0";
const USER = "iglu:com.example/user/jsonschema/1-0-1";
let project: ReturnType<typeof tempProject>;
let sdk: {
  trackCheckoutStarted: (tracker: unknown, data: unknown, options?: { context?: unknown[] }) => void;
  createUser: (data: unknown) => unknown;
};
let makePlugin: (options?: Omit<ValidationOptions, "validators">) => CorePlugin;

before(async () => {
  project = tempProject("igluc-validators-trackers-", ["@snowplow/node-tracker"]);
  const out = path.join(project.dir, "tracking");
  const result = await generate({ schemas: [path.join(ROOT, "test/fixtures/registry")], out, target: "node-tracker", emit: "js", validators: true, concurrency: 1 });
  assert.deepEqual(result.diagnostics.filter((d) => d.level === "error"), []);
  sdk = (await import(path.join(out, "index.js"))) as typeof sdk;
  makePlugin = ((await import(path.join(out, "validators.js"))) as { validationPlugin: typeof makePlugin }).validationPlugin;
});
after(() => project.dispose());

function tracked(options: Omit<ValidationOptions, "validators">, encodeBase64: boolean): { tracker: ReturnType<typeof newTracker>; sent: Payload[]; logged: string[] } {
  const sent: Payload[] = [];
  const logged: string[] = [];
  const tracker = newTracker({ namespace: "n", appId: "a", encodeBase64 }, {
    customEmitter: () => ({
      input: async (payload: Payload) => { sent.push(payload); }, flush: async () => undefined,
      setCollectorUrl: () => undefined, setAnonymousTracking: () => undefined, setBufferSize: () => undefined,
    }),
  });
  const plugin = makePlugin(options);
  tracker.addPlugin({ plugin });
  // The plugin's logger, as tracker-core would hand it its own.
  (plugin as { logger: (l: unknown) => void }).logger({ warn: (m: string) => logged.push(`warn ${m}`), error: (m: string) => logged.push(`error ${m}`) });
  return { tracker, sent, logged };
}

// The plugin is a CorePlugin as tracker-core declares it, and a BrowserPlugin (checked by tsc).
const typed: CorePlugin = validationPlugin({ validators: {} });
const forBrowsers: BrowserPlugin = validationPlugin({ validators: {} });
void [typed, forBrowsers];

const GOOD = { cartId: "c1", total: 1, currency: "EUR" };

test("warn: each problem of the event and of its entities is logged in the one format, and the event is sent", () => {
  const issues: ValidationIssue[] = [];
  const { tracker, sent, logged } = tracked({ mode: "warn", onError: (i) => issues.push(i) }, true);
  sdk.trackCheckoutStarted(tracker, { ...GOOD, total: -1 }, { context: [sdk.createUser({ id: 5 })] });
  assert.equal(sent.length, 1);
  assert.deepEqual(logged, [
    `warn [igluc] ${CHECKOUT} /total: must be >= 0 (got -1)`,
    `warn [igluc] ${USER} /id: must be string (got 5)`,
  ]);
  assert.deepEqual(issues.map((i) => [i.uri, i.pointer, i.keyword]), [[CHECKOUT, "/total", "minimum"], [USER, "/id", "type"]]);
});

test("throw: the event is dropped and each problem logged as an error; a valid one is sent as it was", () => {
  const { tracker, sent, logged } = tracked({ mode: "throw" }, false);
  sdk.trackCheckoutStarted(tracker, { ...GOOD, currency: "JPY" });
  assert.deepEqual([sent.length, logged], [0, [`error [igluc] event not sent: ${CHECKOUT} /currency: must be one of "EUR", "USD", "GBP" (got "JPY")`]]);
  sdk.trackCheckoutStarted(tracker, GOOD);
  assert.equal(sent.length, 1);
  assert.deepEqual(JSON.parse(String(sent[0]!.ue_pr)).data, { schema: CHECKOUT, data: GOOD });
});

test("entities other plugins add while the event is built (addContextEntity) are checked too, base64 or not", () => {
  for (const encodeBase64 of [true, false]) {
    const { tracker, sent, logged } = tracked({ mode: "warn" }, encodeBase64);
    tracker.addPlugin({ plugin: { beforeTrack: (pb: { addContextEntity(entity: unknown): void }) => pb.addContextEntity({ schema: USER, data: { id: 7 } }) } as CorePlugin });
    sdk.trackCheckoutStarted(tracker, GOOD);
    assert.equal(sent.length, 1);
    assert.deepEqual(logged, [`warn [igluc] ${USER} /id: must be string (got 7)`], `encodeBase64 ${encodeBase64}`);
  }
});

test("the plugin refuses a mode it does not know, and reports a payload it cannot read instead of passing it over", () => {
  assert.throws(() => validationPlugin({ mode: "Warn" as "warn", validators: {} }), /validationPlugin: validation\.mode must be "off", "warn" or "throw", got "Warn"/);
  const plugin = validationPlugin({ mode: "throw", validators: {} });
  const logged: string[] = [];
  plugin.logger({ warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) });
  assert.equal(plugin.filter({ e: "ue", ue_px: "not base64!", co: "{not json" }), false);
  assert.deepEqual(logged, [
    "[igluc] event not sent: ue_px: not readable as base64 JSON, so not checked",
    "[igluc] event not sent: co: not readable as JSON, so not checked",
  ]);
});
