/**
 * The package as a dependency: a project that depends on igluc imports
 * `igluc/runtime` with moduleResolution nodenext and bundler, under the real
 * TypeScript 5 and TypeScript 7 compilers, and runs it under Node.
 * Needs the build (npm test builds first).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "../support/iglu.js";

const run = promisify(execFile);
const COMPILERS = {
  "TypeScript 5": path.join(ROOT, "node_modules/typescript/bin/tsc"),
  "TypeScript 7": path.join(ROOT, "node_modules/typescript7/bin/tsc"),
};

const CONSUMER = `import { Snowplow, Subject, InMemoryEventStore, type Tracker, type SelfDescribingJson } from "igluc/runtime";
const user: SelfDescribingJson<"iglu:com.acme/user/jsonschema/1-0-0", { id: string }> = { schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { id: "u" } };
const t: Tracker = Snowplow.createTracker({
  namespace: "consumer", endpoint: "http://127.0.0.1:9", subject: new Subject().setUserId("u1"), logger: "silent",
  emitterConfig: { eventStore: new InMemoryEventStore({ capacity: 10 }), flushInterval: 0 },
});
t.trackPageView({ pageUrl: "http://x" }, { context: [user] });
// @ts-expect-error pageUrl is required
t.trackPageView({});
export const namespace: string = t.namespace;
`;

let dir: string;
before(() => {
  assert.ok(fs.existsSync(path.join(ROOT, "dist/runtime/index.js")), "dist/ is missing: run npm run build (npm test does)");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-consumer-"));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(ROOT, path.join(dir, "node_modules/igluc"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
  fs.writeFileSync(path.join(dir, "consumer.ts"), CONSUMER);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const SETTINGS = {
  nodenext: { module: "nodenext", moduleResolution: "nodenext" },
  bundler: { module: "esnext", moduleResolution: "bundler" },
};

describe("igluc/runtime from a dependent project", { concurrency: 4 }, () => {
  for (const [compiler, tsc] of Object.entries(COMPILERS)) {
    for (const [resolution, settings] of Object.entries(SETTINGS)) {
      for (const exact of [false, true]) {
        test(`${compiler}, moduleResolution ${resolution}, exactOptionalPropertyTypes ${exact}`, async () => {
          const config = path.join(dir, `tsconfig.${compiler.replace(" ", "")}.${resolution}.${exact}.json`);
          fs.writeFileSync(config, JSON.stringify({
            compilerOptions: { ...settings, target: "es2022", strict: true, exactOptionalPropertyTypes: exact, noEmit: true, types: [], skipLibCheck: false },
            files: ["consumer.ts"],
          }));
          const result = await run(process.execPath, [tsc, "-p", config], { cwd: dir }).then(
            () => ({ code: 0, output: "" }),
            (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ""}${error.stderr ?? ""}` }),
          );
          assert.equal(result.code, 0, result.output);
        });
      }
    }
  }

  test("Node resolves igluc/runtime to the built ESM entry and runs it", async () => {
    const script = path.join(dir, "run.mjs");
    fs.writeFileSync(script, `import { Snowplow, Tracker, Emitter, Subject, InMemoryEventStore } from "igluc/runtime";
console.log([Snowplow, Tracker, Emitter, Subject, InMemoryEventStore].map((x) => typeof x).join(","));`);
    const { stdout } = await run(process.execPath, [script], { cwd: dir });
    assert.equal(stdout.trim(), "object,function,function,function,function");
  });

  test("Node resolves igluc/generator, the API the CLI is a thin layer over", async () => {
    const script = path.join(dir, "gen.mjs");
    fs.writeFileSync(script, `import { generate, lint, pull, runCli, formatDiagnostic } from "igluc/generator";
console.log([generate, lint, pull, runCli, formatDiagnostic].map((x) => typeof x).join(","));`);
    const { stdout } = await run(process.execPath, [script], { cwd: dir });
    assert.equal(stdout.trim(), "function,function,function,function,function");
  });

  test("only the exported entry is reachable: deep imports are refused", async () => {
    const script = path.join(dir, "deep.mjs");
    fs.writeFileSync(script, `import("igluc/dist/runtime/tracker.js").then(() => console.log("loaded"), (e) => console.log(e.code));`);
    const { stdout } = await run(process.execPath, [script], { cwd: dir });
    assert.equal(stdout.trim(), "ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  test("npm pack ships the built runtime, its types, the bin and the schemas, and no tests", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    const files = new Set((JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path));
    for (const needed of ["dist/runtime/index.js", "dist/runtime/index.d.ts", "dist/generator/cli/bin.js", "schemas/com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", "README.md", "package.json"]) {
      assert.ok(files.has(needed), `${needed} missing from the package`);
    }
    assert.deepEqual([...files].filter((f) => f.startsWith("test/") || f.endsWith(".ts") && !f.endsWith(".d.ts")), []);
  });
});
