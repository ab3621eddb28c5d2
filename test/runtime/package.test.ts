/**
 * The packages as dependencies, installed from their `npm pack` tarballs (not
 * linked): @igluc/runtime compiled by a consumer under every module
 * resolution TypeScript users run (node10, node16 as CommonJS and as ESM,
 * nodenext, bundler) with TypeScript 5 and 7, its declarations checked
 * (skipLibCheck off) without the DOM library or @types/node; run by Node
 * from ES modules and from CommonJS; the browser entry free of undici,
 * Redis and Node modules; and each tarball's contents. Needs the build
 * (npm test builds first).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { COMPILERS } from "../support/compile.js";
import { ROOT } from "../support/iglu.js";
import { install, pack } from "../support/packed.js";

const run = promisify(execFile);

const CONSUMER = `import { Snowplow, Subject, InMemoryEventStore, type Tracker, type SelfDescribingJson } from "@igluc/runtime";
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

/** Each project: its package.json type, and the compiler options it builds with. */
const RESOLUTIONS = {
  "node10": { type: "commonjs", options: { module: "commonjs", moduleResolution: "node10" } },
  "node16, CommonJS": { type: "commonjs", options: { module: "node16", moduleResolution: "node16" } },
  "node16, ES modules": { type: "module", options: { module: "node16", moduleResolution: "node16" } },
  "nodenext": { type: "module", options: { module: "nodenext", moduleResolution: "nodenext" } },
  "bundler": { type: "module", options: { module: "esnext", moduleResolution: "bundler" } },
} as const;

let base: string;
before(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-consumer-"));
});
after(() => fs.rmSync(base, { recursive: true, force: true }));

/** A project of the given module type with the runtime installed from its tarball. */
function project(name: string, type: "module" | "commonjs"): string {
  const dir = path.join(base, name.replace(/[^a-z0-9]+/gi, "-"));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type }));
  if (!fs.existsSync(path.join(dir, "node_modules/@igluc/runtime"))) install(dir, pack("runtime"));
  return dir;
}

describe("@igluc/runtime from a dependent project, installed from its tarball", { concurrency: 4 }, () => {
  for (const [compiler, tsc] of Object.entries(COMPILERS)) {
    for (const [resolution, { type, options }] of Object.entries(RESOLUTIONS)) {
      // TypeScript 7 has removed moduleResolution node10 (error TS5108): that pair does not exist.
      if (compiler === "TypeScript 7" && resolution === "node10") continue;
      test(`${compiler}, moduleResolution ${resolution}`, async () => {
        const dir = project(`${compiler}-${resolution}`, type);
        fs.writeFileSync(path.join(dir, "consumer.ts"), CONSUMER);
        const config = path.join(dir, "tsconfig.json");
        fs.writeFileSync(config, JSON.stringify({
          compilerOptions: {
            ...options, target: "es2022", lib: ["es2022"], strict: true, exactOptionalPropertyTypes: true, noEmit: true, types: [], skipLibCheck: false,
          },
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

  const NAMES = "Snowplow,Tracker,Emitter,Subject,InMemoryEventStore,RedisEventStore";
  test("Node runs it from ES modules (the Node entry, with Redis)", async () => {
    const dir = project("run-esm", "module");
    fs.writeFileSync(path.join(dir, "run.js"), `import { ${NAMES} } from "@igluc/runtime";\nconsole.log([${NAMES}].map((x) => typeof x).join(","));`);
    const { stdout } = await run(process.execPath, ["run.js"], { cwd: dir });
    assert.equal(stdout.trim(), "object,function,function,function,function,function");
  });

  test("Node runs it from CommonJS (the Node entry, with Redis)", async () => {
    const dir = project("run-cjs", "commonjs");
    fs.writeFileSync(path.join(dir, "run.js"), `const { ${NAMES} } = require("@igluc/runtime");\nconsole.log([${NAMES}].map((x) => typeof x).join(","));`);
    const { stdout } = await run(process.execPath, ["run.js"], { cwd: dir });
    assert.equal(stdout.trim(), "object,function,function,function,function,function");
  });

  test("the browser condition gets the fetch entry, without the Redis classes", async () => {
    const dir = project("run-browser", "module");
    fs.writeFileSync(path.join(dir, "run.js"), `import * as runtime from "@igluc/runtime";\nconsole.log(["Emitter" in runtime, "RedisEventStore" in runtime, "LocalStorageEventStore" in runtime].join(","));`);
    const { stdout } = await run(process.execPath, ["--conditions=browser", "run.js"], { cwd: dir });
    assert.equal(stdout.trim(), "true,false,true");
  });

  test("only the exported entries are reachable: deep imports are refused", async () => {
    const dir = project("deep", "module");
    fs.writeFileSync(path.join(dir, "deep.js"), `import("@igluc/runtime/dist/esm/tracker.js").then(() => console.log("loaded"), (e) => console.log(e.code));`);
    const { stdout } = await run(process.execPath, ["deep.js"], { cwd: dir });
    assert.equal(stdout.trim(), "ERR_PACKAGE_PATH_NOT_EXPORTED");
  });
});

/** Every module an ES module file imports, transitively, within its package (and the bare or node: specifiers it names). */
function importGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = fs.readFileSync(file, "utf8");
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
      const specifier = (match[1] ?? match[2])!;
      if (specifier.startsWith(".")) visit(path.resolve(path.dirname(file), specifier));
      else external.add(specifier);
    }
  };
  visit(entry);
  return { files, external };
}

describe("what each entry loads", () => {
  test("the browser, worker and edge entry imports nothing of undici, Redis or Node", () => {
    const { dir } = pack("runtime");
    for (const entry of ["dist/esm/index.js", "dist/cjs/index.js"]) {
      const { external } = importGraph(path.join(dir, entry));
      assert.deepEqual([...external], [], `${entry} imports ${[...external].join(", ")}`);
    }
  });

  test("the Node entry imports only Node's own modules (undici and @redis/client are optional peers, required when chosen)", () => {
    const { dir } = pack("runtime");
    const { external } = importGraph(path.join(dir, "dist/esm/node.js"));
    assert.deepEqual([...external].sort(), ["node:crypto", "node:http", "node:https", "node:module"]);
  });
});

describe("the tarballs", () => {
  test("@igluc/runtime ships both builds with their types, LICENSE and README, and no sources, maps or tests", () => {
    const { dir } = pack("runtime");
    const files = listFiles(dir);
    for (const needed of ["package.json", "LICENSE", "README.md", "dist/esm/index.js", "dist/esm/index.d.ts", "dist/esm/node.js", "dist/esm/node.d.ts",
      "dist/cjs/index.js", "dist/cjs/index.d.ts", "dist/cjs/node.js", "dist/cjs/node.d.ts", "dist/cjs/package.json",
      "dist/esm/bullmq.js", "dist/esm/bullmq.d.ts", "dist/cjs/bullmq.js", "dist/cjs/bullmq.d.ts", "dist/bin/igluc-worker.js"]) {
      assert.ok(files.includes(needed), `${needed} missing from @igluc/runtime`);
    }
    assert.deepEqual(files.filter((f) => f.endsWith(".map") || (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f.startsWith("scripts/") || f.includes("test")), []);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    assert.equal(manifest.dependencies, undefined, "the runtime installs nothing else");
    assert.deepEqual(manifest.peerDependenciesMeta, { "@redis/client": { optional: true }, bullmq: { optional: true }, ioredis: { optional: true }, undici: { optional: true } });
  });

  test("igluc ships the CLI, the generator's types, the schemas, LICENSE and README, and no runtime, sources, maps or tests", () => {
    const { dir } = pack(".");
    const files = listFiles(dir);
    for (const needed of ["package.json", "LICENSE", "README.md", "dist/generator/cli/bin.js", "dist/generator/index.d.ts", "compat/runtime.js", "compat/runtime.d.ts",
      "schemas/com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", "generator/config.schema.json"]) {
      assert.ok(files.includes(needed), `${needed} missing from igluc`);
    }
    assert.deepEqual(files.filter((f) => f.endsWith(".map") || (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f.startsWith("test/") || f.startsWith("dist/runtime/")), []);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies["@igluc/runtime"], "0.1.0");
  });

  test("Node resolves igluc/generator from the igluc tarball: the API the CLI is a thin layer over", async () => {
    const dir = project("generator-api", "module");
    install(dir, pack("."));
    fs.writeFileSync(path.join(dir, "gen.js"), `import { generate, lint, pull, runCli, formatDiagnostic } from "igluc/generator";
console.log([generate, lint, pull, runCli, formatDiagnostic].map((x) => typeof x).join(","));`);
    const { stdout } = await run(process.execPath, ["gen.js"], { cwd: dir });
    assert.equal(stdout.trim(), "function,function,function,function,function");
  });

  test("the tracker version sent as tv, the generator's version and both package.json versions agree", async () => {
    const runtimeVersion = JSON.parse(fs.readFileSync(path.join(ROOT, "runtime/package.json"), "utf8")).version as string;
    const rootVersion = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version as string;
    const { VERSION } = await import("../../runtime/version.js");
    const { GENERATOR_VERSION } = await import("../../generator/version.js");
    assert.deepEqual([VERSION, GENERATOR_VERSION, runtimeVersion], [rootVersion, rootVersion, rootVersion]);
  });
});

function listFiles(dir: string, prefix = ""): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    return entry.isDirectory() ? listFiles(dir, relative) : [relative];
  });
}
