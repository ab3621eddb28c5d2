/**
 * `emit: "js"`: JavaScript modules with `.d.ts` declarations beside them.
 * The JavaScript runs through the real runtime and behaves like the
 * TypeScript output; switching forms replaces the other form's files; a
 * schema that breaks keeps both files of its earlier module; single-file
 * output is one index.js with one index.d.ts. (The declarations are compiled
 * with the type tests in types.test.ts.)
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { Tracker } from "@igluc/runtime";
import { generate } from "../../generator/index.js";
import * as js from "../golden/js/output/index.js";
import * as ts from "../golden/output/index.js";
import { compile, tempProject } from "../support/compile.js";
import { selfDescribing, tempRegistry } from "../support/registry.js";

const UNSTRUCT = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0";
const CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0";

/** A real Tracker whose emitter keeps the payloads it is given. */
function capturingTracker(): { tracker: Tracker; payloads: Record<string, string>[] } {
  const payloads: Record<string, string>[] = [];
  const tracker = new Tracker({
    namespace: "js-output", encodeBase64: false, logger: "silent",
    emitters: [{ input: (payload: Record<string, string>) => { payloads.push(payload); }, flush: () => undefined }],
  });
  return { tracker, payloads };
}

describe("the JavaScript output", () => {
  test("tracks an event with mixed entities through the runtime's Tracker", async () => {
    const { tracker, payloads } = capturingTracker();
    const checkout = { cartId: "c1", total: 12.5, currency: "EUR" as const };
    js.trackCheckoutStarted(tracker, checkout, {
      context: [js.createUser({ id: "u1" }), js.uncheckedEntity({ schema: "iglu:com.other/thing/jsonschema/1-0-0", data: { n: 1 } })],
      timestamp: 1_700_000_000_000,
    });
    await tracker.close();
    assert.equal(payloads.length, 1);
    const event = payloads[0]!;
    assert.equal(event.e, "ue");
    assert.deepEqual(JSON.parse(event.ue_pr!), { schema: UNSTRUCT, data: { schema: js.CHECKOUT_STARTED_SCHEMA, data: checkout } });
    assert.deepEqual(JSON.parse(event.co!), {
      schema: CONTEXTS,
      data: [{ schema: "iglu:com.example/user/jsonschema/1-0-1", data: { id: "u1" } }, { schema: "iglu:com.other/thing/jsonschema/1-0-0", data: { n: 1 } }],
    });
    assert.equal(event.dtm, "1700000000000");
  });

  test("exports the same values as the TypeScript output, and each builds the same entity and event", async () => {
    assert.deepEqual(Object.keys(js).sort(), Object.keys(ts).sort());
    const data = { probe: true };
    const fromJs = capturingTracker();
    const fromTs = capturingTracker();
    let builders = 0;
    for (const [name, value] of Object.entries(js)) {
      const twin = (ts as Record<string, unknown>)[name];
      if (typeof value === "string") assert.equal(value, twin, name);
      else if (name.startsWith("create")) {
        assert.deepEqual((value as (d: unknown) => unknown)(data), (twin as (d: unknown) => unknown)(data), name);
        builders++;
      } else if (name.startsWith("track")) {
        (value as (t: Tracker, d: unknown) => void)(fromJs.tracker, data);
        (twin as (t: Tracker, d: unknown) => void)(fromTs.tracker, data);
      }
    }
    await Promise.all([fromJs.tracker.close(), fromTs.tracker.close()]);
    assert.equal(builders, 15);
    assert.equal(fromJs.payloads.length, 15);
    assert.deepEqual(fromJs.payloads.map((p) => p.ue_pr), fromTs.payloads.map((p) => p.ue_pr));
  });
});

describe("generating JavaScript", () => {
  const registry = tempRegistry({
    "com.acme/signup/jsonschema/1-0-0": selfDescribing("signup", "1-0-0", { type: "object", properties: { plan: { type: "string" } }, additionalProperties: false }),
    "com.acme/login/jsonschema/1-0-0": selfDescribing("login", "1-0-0", { type: "object", properties: { method: { enum: ["password", "sso"] } }, required: ["method"], additionalProperties: false }),
  });
  after(() => registry.dispose());
  const listing = (out: string): string[] => fs.readdirSync(out).filter((f) => !f.startsWith(".")).sort();

  test("switching between ts and js replaces the other form's files, leaving the user's own", async () => {
    const out = path.join(registry.root, "switch");
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, "notes.md"), "mine\n");
    const first = await generate({ schemas: [registry.dir], out, cwd: registry.root, concurrency: 1 });
    assert.deepEqual(first.diagnostics.filter((d) => d.level === "error"), []);
    assert.deepEqual(listing(out), ["index.ts", "login.ts", "notes.md", "signup.ts"]);
    const second = await generate({ schemas: [registry.dir], out, cwd: registry.root, concurrency: 1, emit: "js" });
    assert.deepEqual([second.stats.written, second.stats.removed], [6, 3]);
    assert.deepEqual(listing(out), ["index.d.ts", "index.js", "login.d.ts", "login.js", "notes.md", "signup.d.ts", "signup.js"]);
    const check = await generate({ schemas: [registry.dir], out, cwd: registry.root, concurrency: 1, emit: "js", check: true });
    assert.deepEqual(check.stale, []);
    fs.appendFileSync(path.join(out, "login.d.ts"), "\n");
    const stale = await generate({ schemas: [registry.dir], out, cwd: registry.root, concurrency: 1, emit: "js", check: true });
    assert.deepEqual(stale.stale, ["login.d.ts"]);
    const back = await generate({ schemas: [registry.dir], out, cwd: registry.root, concurrency: 1 });
    assert.deepEqual(back.stats.removed, 5, "the edited login.d.ts stays; the other js files go");
    assert.deepEqual(listing(out), ["index.ts", "login.d.ts", "login.ts", "notes.md", "signup.ts"]);
    assert.ok(back.diagnostics.some((d) => d.code === "edited-output" && d.file === "login.d.ts"));
  });

  test("a schema that breaks keeps both files of its earlier module", async () => {
    const own = tempRegistry({
      "com.acme/signup/jsonschema/1-0-0": selfDescribing("signup", "1-0-0", { type: "object", properties: { plan: { type: "string" } } }),
      "com.acme/login/jsonschema/1-0-0": selfDescribing("login", "1-0-0", { type: "object", properties: { method: { type: "string" } } }),
    });
    try {
      const out = path.join(own.root, "out");
      await generate({ schemas: [own.dir], out, cwd: own.root, concurrency: 1, emit: "js" });
      const before = { js: fs.readFileSync(path.join(out, "login.js"), "utf8"), dts: fs.readFileSync(path.join(out, "login.d.ts"), "utf8") };
      own.write("com.acme/login/jsonschema/1-0-0", "{ not json");
      const broken = await generate({ schemas: [own.dir], out, cwd: own.root, concurrency: 1, emit: "js" });
      assert.ok(broken.diagnostics.some((d) => d.code === "kept-previous" && d.message.includes("login.js")));
      assert.deepEqual({ js: fs.readFileSync(path.join(out, "login.js"), "utf8"), dts: fs.readFileSync(path.join(out, "login.d.ts"), "utf8") }, before);
      assert.match(fs.readFileSync(path.join(out, "index.js"), "utf8"), /from "\.\/login\.js"/);
    } finally {
      own.dispose();
    }
  });

  test("single-file output is one index.js and one index.d.ts, which compile and run", async () => {
    const project = tempProject();
    try {
      const out = path.join(project.dir, "tracking");
      const result = await generate({ schemas: [registry.dir], out, cwd: project.dir, concurrency: 1, emit: "js", singleFile: true });
      assert.deepEqual(result.diagnostics.filter((d) => d.level === "error"), []);
      assert.deepEqual(listing(out), ["index.d.ts", "index.js"]);
      fs.writeFileSync(path.join(project.dir, "use.ts"), [
        'import { createSignup, trackLogin, type Login } from "./tracking/index.js";',
        'import type { Tracker } from "@igluc/runtime";',
        "declare const tracker: Tracker;",
        'const login: Login = { method: "sso" };',
        "trackLogin(tracker, login, { context: [createSignup({ plan: \"pro\" })] });",
        "// @ts-expect-error: not one of the enum's values",
        'trackLogin(tracker, { method: "magic" });',
        "",
      ].join("\n"));
      const compiled = await compile(project.dir, ["use.ts", "tracking/*.ts"], "TypeScript 5", "nodenext", true, false);
      assert.equal(compiled.code, 0, compiled.output);
      const module = await import(path.join(out, "index.js")) as Record<string, (data: unknown) => unknown>;
      assert.deepEqual(module.createSignup!({ plan: "pro" }), { schema: "iglu:com.acme/signup/jsonschema/1-0-0", data: { plan: "pro" } });
    } finally {
      project.dispose();
    }
  });

  test("an emit other than ts or js is a usage error", async () => {
    await assert.rejects(generate({ schemas: [registry.dir], out: path.join(registry.root, "x"), cwd: registry.root, emit: "mjs" as "js" }), /emit must be "ts" or "js", not "mjs"/);
  });
});
