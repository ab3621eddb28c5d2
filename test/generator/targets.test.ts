/**
 * Targets and outputs in generate(): `target` picks the tracker the track
 * functions call; `outputs` generates several folders from one reading of
 * the schemas (each schema's type compiled once), each up to date on its own.
 * The CLI: --target, and --out replacing a config's outputs. What each
 * target's code does is proven elsewhere: by tsc (types.test.ts), and by the
 * real trackers (test/runtimes/trackers-*.test.ts).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import { OptionsError, generate, type GenerateOptions } from "../../generator/index.js";
import { ROOT } from "../support/iglu.js";
import { selfDescribing, tempRegistry, type TempRegistry } from "../support/registry.js";

const run = promisify(execFile);
const BIN = path.join(ROOT, "dist/generator/cli/bin.js");

const registries: TempRegistry[] = [];
after(() => { for (const r of registries) r.dispose(); });

function registry(): TempRegistry {
  const r = tempRegistry({
    "com.acme/checkout_started/jsonschema/1-0-0": selfDescribing("checkout_started", "1-0-0", {
      type: "object", properties: { cartId: { type: "string" } }, required: ["cartId"], additionalProperties: false,
    }),
    "com.acme/user/jsonschema/1-0-0": selfDescribing("user", "1-0-0", { type: "object", properties: { id: { type: "string" } }, additionalProperties: false }),
  });
  registries.push(r);
  return r;
}

const read = (dir: string, file: string): string => fs.readFileSync(path.join(dir, file), "utf8");

describe("target", () => {
  test("each target's track function calls its tracker; the data types, URIs and entity builders are the same in all", async () => {
    const r = registry();
    const calls = {
      igluc: "tracker.trackSelfDescribingEvent({ schema: CHECKOUT_STARTED_SCHEMA, data }, options);",
      "browser-tracker": "trackSelfDescribingEvent({ event: { schema: CHECKOUT_STARTED_SCHEMA, data: data as unknown as Record<string, unknown> }, context: (options?.context ?? null) as unknown as SelfDescribingJson<string, Record<string, unknown>>[] | null, timestamp: options?.timestamp ?? null }, options?.trackers as unknown as string[] | undefined);",
      "node-tracker": "tracker.track(buildSelfDescribingEvent({ event: { schema: CHECKOUT_STARTED_SCHEMA, data: data as unknown as Record<string, unknown> } }), (options?.context ?? null) as unknown as SelfDescribingJson<string, Record<string, unknown>>[] | null, options?.timestamp ?? null);",
      "react-native-tracker": "tracker.trackSelfDescribingEvent({ schema: CHECKOUT_STARTED_SCHEMA, data: data as unknown as Record<string, unknown> }, options?.context as unknown as SelfDescribingJson<string, Record<string, unknown>>[] | undefined);",
    } as const;
    const imports = {
      igluc: ["@igluc/runtime"], "browser-tracker": ["@snowplow/browser-tracker"], "node-tracker": ["@snowplow/node-tracker"], "react-native-tracker": ["@snowplow/react-native-tracker"],
    } as const;
    const shared: string[] = [];
    for (const target of Object.keys(calls) as (keyof typeof calls)[]) {
      const out = path.join(r.root, target);
      const result = await generate({ schemas: [r.dir], out, target, cwd: r.root, concurrency: 1 });
      assert.deepEqual(result.diagnostics.filter((d) => d.level !== "info"), []);
      assert.deepEqual(result.outputs.map((o) => [o.target, o.emit]), [[target, "ts"]]);
      const module = read(out, "checkout-started.ts");
      assert.ok(module.includes(calls[target]), `${target}:\n${module}`);
      // Nothing but the tracker package and the output's own modules is imported; igluc's runtime only by its target.
      const specifiers = (text: string): string[] => [...text.matchAll(/from "([^"]+)"/g)].map((m) => m[1]!).filter((s) => !s.startsWith("./"));
      assert.deepEqual([...new Set([...specifiers(module), ...specifiers(read(out, "index.ts"))])], imports[target]);
      // What is not the track function is the same in every target.
      shared.push(module.slice(module.indexOf("export interface CheckoutStarted"), module.indexOf("/**\n * Tracks a")));
    }
    assert.equal(new Set(shared).size, 1);
  });

  test("browser-tracker's track function takes no tracker; the others take one first", async () => {
    const r = registry();
    for (const [target, signature] of [
      ["browser-tracker", "trackCheckoutStarted(data: CheckoutStarted, options?: TrackEventOptions): void"],
      ["node-tracker", "trackCheckoutStarted(tracker: EventTracker, data: CheckoutStarted, options?: TrackEventOptions): void"],
      ["react-native-tracker", "trackCheckoutStarted(tracker: EventTracker, data: CheckoutStarted, options?: TrackEventOptions): void"],
    ] as const) {
      const out = path.join(r.root, target);
      await generate({ schemas: [r.dir], out, target, cwd: r.root, concurrency: 1 });
      assert.ok(read(out, "checkout-started.ts").includes(`export function ${signature}`), target);
    }
  });

  test("--emit js: the call without its type assertions; the declarations import nothing of the tracker", async () => {
    const r = registry();
    const out = path.join(r.root, "js");
    await generate({ schemas: [r.dir], out, target: "node-tracker", emit: "js", cwd: r.root, concurrency: 1 });
    const js = read(out, "checkout-started.js");
    assert.match(js, /^import \{ buildSelfDescribingEvent \} from "@snowplow\/node-tracker";$/m);
    assert.ok(js.includes("tracker.track(buildSelfDescribingEvent({ event: { schema: CHECKOUT_STARTED_SCHEMA, data } }), options?.context ?? null, options?.timestamp ?? null);"), js);
    assert.doesNotMatch(js, / as /);
    assert.doesNotMatch(read(out, "checkout-started.d.ts"), /@snowplow/);
  });

  test("single file: the tracker's function is imported once, at the top", async () => {
    const r = registry();
    const out = path.join(r.root, "single");
    await generate({ schemas: [r.dir], out, target: "browser-tracker", singleFile: true, cwd: r.root, concurrency: 1 });
    const index = read(out, "index.ts");
    assert.equal(index.match(/import \{ trackSelfDescribingEvent \} from "@snowplow\/browser-tracker";/g)?.length, 1);
    assert.ok(index.indexOf("import { trackSelfDescribingEvent }") < index.indexOf("export function trackCheckoutStarted"));
  });
});

describe("outputs", () => {
  const outputs = (r: TempRegistry): GenerateOptions => ({
    schemas: [r.dir], cwd: r.root, concurrency: 1, emit: "js",
    outputs: [{ out: "web/tracking", target: "browser-tracker" }, { out: "server/tracking", target: "node-tracker", emit: "ts" }, { out: "app", target: "react-native-tracker", singleFile: true }],
  });

  test("several folders from one reading: each with its target, the top-level settings as defaults, each schema's type compiled once", async () => {
    const r = registry();
    const progress: [number, number][] = [];
    const result = await generate({ ...outputs(r), onProgress: (done, total) => progress.push([done, total]) });
    assert.deepEqual(result.diagnostics.filter((d) => d.level !== "info"), []);
    assert.deepEqual(progress, [[0, 2], [1, 2], [2, 2]], "two schemas, compiled once whatever the number of outputs");
    assert.equal(result.stats.compiled, 2);
    assert.deepEqual(result.outputs.map((o) => [path.relative(r.root, o.out), o.target, o.emit, o.written]),
      [["web/tracking", "browser-tracker", "js", 6], ["server/tracking", "node-tracker", "ts", 3], ["app", "react-native-tracker", "js", 2]]);
    assert.equal(result.out, path.join(r.root, "web/tracking"));
    assert.equal(result.stats.written, 11);
    assert.match(read(path.join(r.root, "web/tracking"), "checkout-started.js"), /@snowplow\/browser-tracker/);
    assert.match(read(path.join(r.root, "server/tracking"), "checkout-started.ts"), /@snowplow\/node-tracker/);
    assert.deepEqual(fs.readdirSync(path.join(r.root, "app")).sort(), [".igluc-manifest.json", "index.d.ts", "index.js"]);

    const again = await generate(outputs(r));
    assert.equal(again.upToDate, true);
    assert.deepEqual(again.outputs.map((o) => o.upToDate), [true, true, true]);
    // One output changed: only it is written.
    const changed = await generate({ ...outputs(r), outputs: [...outputs(r).outputs!.slice(0, 2), { out: "app", target: "node-tracker", singleFile: true }] });
    assert.deepEqual(changed.outputs.map((o) => [o.upToDate, o.written]), [[true, 0], [true, 0], [false, 2]]);
    assert.match(read(path.join(r.root, "app"), "index.js"), /@snowplow\/node-tracker/);
  });

  test("--check names each stale file by its path when there are several outputs", async () => {
    const r = registry();
    await generate(outputs(r));
    fs.appendFileSync(path.join(r.root, "server/tracking/user.ts"), "// edited\n");
    const checked = await generate({ ...outputs(r), check: true });
    assert.deepEqual(checked.stale, [path.join("server/tracking", "user.ts")]);
    assert.deepEqual(checked.outputs.map((o) => o.stale), [[], ["user.ts"], []]);
  });

  test("out with outputs, and outputs that share or nest a folder, are refused", async () => {
    const r = registry();
    const refused = async (options: Partial<GenerateOptions>, message: RegExp): Promise<void> => {
      await assert.rejects(generate({ schemas: [r.dir], cwd: r.root, ...options }), (e: unknown) => e instanceof OptionsError && message.test(e.message));
    };
    await refused({ out: "a", outputs: [{ out: "b" }] }, /"out" and "outputs" are both set/);
    await refused({ outputs: [{ out: "a" }, { out: "a/", target: "node-tracker" }] }, /^outputs: a and a are the same folder/);
    await refused({ outputs: [{ out: "a" }, { out: "a/b" }] }, /^outputs: a and a\/b are nested/);
    await refused({ target: "python" as never }, /target must be "igluc", "browser-tracker", "node-tracker" or "react-native-tracker"/);
  });

  test("CLI: --target picks the target; --out replaces the config's outputs with one folder", async () => {
    const r = registry();
    fs.writeFileSync(path.join(r.root, "igluc.config.json"), JSON.stringify({ schemas: ["schemas"], outputs: [{ out: "web", target: "browser-tracker" }, { out: "server", target: "node-tracker" }] }));
    const both = await run(process.execPath, [BIN, "generate", "--concurrency", "1"], { cwd: r.root });
    assert.match(both.stdout, /in web \(browser-tracker\), server \(node-tracker\) \(/);
    const one = await run(process.execPath, [BIN, "generate", "--out", "rn", "--target", "react-native-tracker", "--concurrency", "1"], { cwd: r.root });
    assert.match(one.stdout, /; 3 files written, 0 removed in rn \(/);
    assert.match(read(path.join(r.root, "rn"), "index.ts"), /from "@snowplow\/react-native-tracker"/);
    const check = await run(process.execPath, [BIN, "generate", "--check", "--concurrency", "1"], { cwd: r.root });
    assert.match(check.stdout, /^igluc generate --check: web \(browser-tracker\), server \(node-tracker\) are up to date/);
  });
});
