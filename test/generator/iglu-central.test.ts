/**
 * Every version of every schema in Iglu Central: exactly the schemas that
 * must be rejected are, each for its reason; every other JSON Schema becomes
 * a module; the output compiles under TypeScript 5 and 7, nodenext and
 * bundler, with and without exactOptionalPropertyTypes. Then the default
 * selection (the latest version of each MODEL), and the notices for formats
 * that are not JSON Schema.
 *
 * Skipped, with the reason, when ../shared/iglu-central is not there; under
 * CI that fails instead.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { generate, type GenerateResult } from "../../generator/index.js";
import { MANIFEST, type Manifest, type ManifestModule } from "../../generator/write/output.js";
import { COMPILERS, SETTINGS, compile, tempProject } from "../support/compile.js";
import { IGLU_CENTRAL_DIR, ROOT, describeWithIgluCentral } from "../support/iglu.js";

const ELASTICSEARCH = "iglu:com.snowplowanalytics.snowplow/elasticsearch_enriched_event/jsonschema";

/** Every schema igluc must refuse, with the reason: one entry per (uri, code, pointer), and how many diagnostics. */
const REJECTED: readonly { uri: string; code: string; pointer: string; count: number }[] = [
  // 1-0-1 declares "doc_height" 17 times in properties: JSON.parse would silently keep the last, so the file does not mean what it shows.
  { uri: `${ELASTICSEARCH}/1-0-1`, code: "duplicate-key", pointer: "/properties/doc_height", count: 16 },
  // 2-0-0 carried the same 17 "doc_height" members over from 1-0-1: the same ambiguity, the same refusal.
  { uri: `${ELASTICSEARCH}/2-0-0`, code: "duplicate-key", pointer: "/properties/doc_height", count: 16 },
];
const REJECTED_URIS = new Set(REJECTED.map((r) => r.uri));

interface RegistryFile {
  readonly uri: string;
  readonly family: string;
  readonly format: string;
  readonly version: string;
  readonly path: string;
}

/** The registry as its folders lay it out, read here independently of igluc's own loader. */
function registryFiles(root: string): RegistryFile[] {
  const files: RegistryFile[] = [];
  const dirs = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const vendor of dirs(root)) {
    for (const name of dirs(path.join(root, vendor))) {
      for (const format of dirs(path.join(root, vendor, name))) {
        const folder = path.join(root, vendor, name, format);
        for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
          if (!entry.isFile()) continue;
          const version = entry.name.replace(/\.json$/, "");
          files.push({ uri: `iglu:${vendor}/${name}/${format}/${version}`, family: `${vendor}/${name}`, format, version, path: path.join(folder, entry.name) });
        }
      }
    }
  }
  return files;
}

function schemaVer(version: string): [number, number, number] {
  const parts = version.split("-").map(Number);
  assert.equal(parts.length, 3, `"${version}" is not M-R-A`);
  return [parts[0]!, parts[1]!, parts[2]!];
}

/** The latest version of each MODEL of each family: what `versions: "latest"` must select. */
function latestOfEachModel(files: readonly RegistryFile[]): Set<string> {
  const best = new Map<string, RegistryFile>();
  for (const file of files) {
    const [model, revision, addition] = schemaVer(file.version);
    const key = `${file.family}@${model}`;
    const current = best.get(key);
    if (current === undefined) {
      best.set(key, file);
      continue;
    }
    const [, r, a] = schemaVer(current.version);
    if (revision > r || (revision === r && addition > a)) best.set(key, file);
  }
  return new Set([...best.values()].map((f) => f.uri));
}

function readManifestOf(out: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(out, MANIFEST), "utf8")) as Manifest;
}

/** A manifest entry: the module file, the data type, the URI constant, and the create/track functions named after the type. */
function names(file: string, type: string, constant: string): Omit<ManifestModule, "key"> {
  return { file, type, constant, create: `create${type}`, track: `track${type}` };
}

/** The entry's names; its reuse key must be a SHA-256 digest. */
function named(entry: ManifestModule | undefined): Omit<ManifestModule, "key"> | undefined {
  if (!entry) return entry;
  const { key, ...rest } = entry;
  assert.match(key ?? "", /^[0-9a-f]{64}$/);
  return rest;
}

describeWithIgluCentral("all of Iglu Central", {}, () => {
  let project: ReturnType<typeof tempProject>;
  let all: RegistryFile[];
  let jsonSchemas: RegistryFile[];
  let result: GenerateResult;
  let manifest: Manifest;
  const out = (): string => path.join(project.dir, "all");

  before(async () => {
    project = tempProject("igluc-iglu-central-");
    all = registryFiles(IGLU_CENTRAL_DIR);
    jsonSchemas = all.filter((f) => f.format === "jsonschema");
    // concurrency 1: under tsx on Node 20 a worker thread cannot load the generator's TypeScript source
    // (tsx registers its loader in the main thread only), so the types are compiled in this thread.
    result = await generate({ schemas: [IGLU_CENTRAL_DIR], out: out(), versions: "all", cwd: project.dir, concurrency: 1 });
    manifest = readManifestOf(out());
  });
  after(() => project?.dispose());

  test("the registry is the one these expectations were written for: 660 JSON Schemas, 19 files in other formats", () => {
    assert.equal(jsonSchemas.length, 660);
    assert.equal(all.length - jsonSchemas.length, 19);
  });

  test("exactly the expected schemas are rejected, each for its reason", () => {
    const errors = result.diagnostics.filter((d) => d.level === "error");
    const grouped = new Map<string, { uri: string; code: string; pointer: string; count: number }>();
    for (const d of errors) {
      const key = `${d.uri ?? ""} ${d.code} ${d.pointer ?? ""}`;
      const entry = grouped.get(key) ?? { uri: d.uri ?? "(none)", code: d.code, pointer: d.pointer ?? "(none)", count: 0 };
      entry.count++;
      grouped.set(key, entry);
    }
    assert.deepEqual([...grouped.values()], REJECTED);
    assert.deepEqual(result.diagnostics.filter((d) => d.level === "warning"), []);
  });

  test("each duplicate-key error points at a repeated member, in the file it is in", () => {
    for (const { uri } of REJECTED) {
      const file = jsonSchemas.find((f) => f.uri === uri);
      assert.ok(file !== undefined, uri);
      // The lines holding the 2nd, 3rd, … "doc_height" key, found by reading the file here.
      const lines = fs.readFileSync(file.path, "utf8").split("\n").flatMap((line, i) => (/^\s*"doc_height"\s*:/.test(line) ? [i + 1] : [])).slice(1);
      const reported = result.diagnostics.filter((d) => d.uri === uri);
      assert.deepEqual(reported.map((d) => d.line), lines);
      for (const d of reported) {
        assert.equal(path.resolve(project.dir, d.file ?? ""), file.path);
        assert.match(d.message, /^key "doc_height" appears twice \(first at line \d+\)/);
        assert.notEqual(d.hint, "");
      }
    }
  });

  test("every other JSON Schema became a module", () => {
    const expected = jsonSchemas.map((f) => f.uri).filter((uri) => !REJECTED_URIS.has(uri)).sort();
    assert.equal(expected.length, 660 - REJECTED_URIS.size);
    assert.deepEqual(Object.keys(manifest.modules).sort(), expected);
    assert.deepEqual(
      { read: result.stats.read, generated: result.stats.generated, skipped: result.stats.skipped, failed: result.stats.failed },
      { read: 660, generated: 660 - REJECTED_URIS.size, skipped: 0, failed: REJECTED_URIS.size },
    );
    const onDisk = fs.readdirSync(out()).filter((name) => name.endsWith(".ts")).sort();
    assert.deepEqual(onDisk, [...Object.values(manifest.modules).map((m) => m.file), "index.ts"].sort());
    assert.equal(result.stats.written, onDisk.length);
    // All versions: the newest keeps the plain name, older ones are suffixed with their full version.
    assert.deepEqual(named(manifest.modules["iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"]), names("link-click.ts", "LinkClick", "LINK_CLICK_SCHEMA"));
    assert.deepEqual(named(manifest.modules["iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-0"]), names("link-click-v1-0-0.ts", "LinkClickV1_0_0", "LINK_CLICK_V1_0_0_SCHEMA"));
  });

  test("formats other than JSON Schema are skipped with a format-skipped notice covering each of their files", () => {
    const notices = result.diagnostics.filter((d) => d.level === "info");
    assert.ok(notices.every((d) => d.code === "format-skipped"), notices.map((d) => d.code).join(", "));
    const others = all.filter((f) => f.format !== "jsonschema");
    assert.deepEqual([...new Set(others.map((f) => f.format))].sort(), ["avro", "protobuf", "thrift"]);
    // One notice per {vendor}/{name}/{format} folder: 16 folders hold the 19 files.
    const folders = [...new Set(others.map((f) => path.dirname(f.path)))].sort();
    assert.deepEqual(notices.map((d) => path.resolve(project.dir, d.file ?? "")).sort(), folders);
    for (const file of others) {
      const notice = notices.find((d) => path.resolve(project.dir, d.file ?? "") === path.dirname(file.path));
      assert.ok(notice !== undefined, `no notice for ${file.path}`);
      assert.equal(notice.message, `${file.family}: format "${file.format}" is not JSON Schema; skipped`);
    }
  });

  test("the built CLI, compiling in worker threads, writes byte-identical output", async () => {
    const bin = path.join(ROOT, "dist/generator/cli/bin.js");
    const exit = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, [bin, "generate", "--schemas", IGLU_CENTRAL_DIR, "--out", "all-workers", "--versions", "all", "--concurrency", "2", "--quiet"],
        { cwd: project.dir, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
          if (error === null) resolve({ code: 0, stdout, stderr });
          else if (typeof error.code === "number") resolve({ code: error.code, stdout, stderr });
          else reject(error);
        });
    });
    assert.equal(exit.code, 1, "the rejected schemas fail the run");
    assert.match(exit.stdout, /^igluc generate: 660 schema files read, 658 generated, 0 not selected, 2 failed; 659 files written, 0 removed in all-workers \(\d+\.\d\d s\); 32 errors, 0 warnings\n$/);
    const read = (dir: string): Map<string, string> => new Map(fs.readdirSync(dir).sort().map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]));
    const inThread = read(out());
    const inWorkers = read(path.join(project.dir, "all-workers"));
    assert.deepEqual([...inWorkers.keys()], [...inThread.keys()]);
    for (const [name, content] of inThread) assert.ok(inWorkers.get(name) === content, `${name} differs`);
  });

  describe("the output compiles with tsc --strict", { concurrency: 2 }, () => {
    for (const compiler of Object.keys(COMPILERS) as (keyof typeof COMPILERS)[]) {
      for (const resolution of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
        for (const exact of [true, false]) {
          test(`${compiler}, ${resolution}, exactOptionalPropertyTypes ${exact}`, async () => {
            const compiled = await compile(project.dir, ["all/*.ts"], compiler, resolution, exact);
            assert.equal(compiled.code, 0, compiled.output.slice(0, 4000));
          });
        }
      }
    }
  });

  describe("emit js: every version as JavaScript with declarations", () => {
    const jsOut = (): string => path.join(project.dir, "all-js");
    before(async () => {
      const bin = path.join(ROOT, "dist/generator/cli/bin.js");
      await new Promise<void>((resolve, reject) => {
        execFile(process.execPath, [bin, "generate", "--schemas", IGLU_CENTRAL_DIR, "--out", "all-js", "--versions", "all", "--emit", "js", "--quiet"],
          { cwd: project.dir, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error) => (error === null || typeof error.code === "number" ? resolve() : reject(error)));
      });
    });

    test("one .js and one .d.ts per module the TypeScript run wrote, and every value loads in Node", async () => {
      const stems = (dir: string, suffix: string): string[] => fs.readdirSync(dir).filter((f) => f.endsWith(suffix)).map((f) => f.slice(0, -suffix.length)).sort();
      const tsStems = stems(out(), ".ts");
      assert.equal(tsStems.length, 659);
      assert.deepEqual(stems(jsOut(), ".js"), tsStems);
      assert.deepEqual(stems(jsOut(), ".d.ts"), tsStems);
      const loaded = await import(path.join(jsOut(), "index.js")) as Record<string, unknown>;
      const expected = Object.values(manifest.modules).flatMap((m) => [m.constant, m.create, m.track]);
      assert.deepEqual(Object.keys(loaded).sort(), [...expected, "uncheckedEntity"].sort());
      const link = manifest.modules["iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"]!;
      assert.deepEqual((loaded[link.create] as (d: unknown) => unknown)({ targetUrl: "https://x" }), { schema: "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1", data: { targetUrl: "https://x" } });
    });

    for (const compiler of Object.keys(COMPILERS) as (keyof typeof COMPILERS)[]) {
      test(`the declarations compile with ${compiler} (nodenext, exactOptionalPropertyTypes, skipLibCheck off)`, async () => {
        const compiled = await compile(project.dir, ["all-js/*.ts"], compiler, "nodenext", true, false);
        assert.equal(compiled.code, 0, compiled.output.slice(0, 4000));
      });
    }
  });

  describe("the default selection: the latest version of each MODEL", () => {
    let latest: GenerateResult;
    let latestManifest: Manifest;
    const latestOut = (): string => path.join(project.dir, "latest");

    before(async () => {
      latest = await generate({ schemas: [IGLU_CENTRAL_DIR], out: latestOut(), cwd: project.dir, concurrency: 1 });
      latestManifest = readManifestOf(latestOut());
    });

    test("exactly the latest version of each model of each family, less the rejected", () => {
      const selected = latestOfEachModel(jsonSchemas);
      const expected = [...selected].filter((uri) => !REJECTED_URIS.has(uri)).sort();
      assert.deepEqual(Object.keys(latestManifest.modules).sort(), expected);
      const failed = [...selected].filter((uri) => REJECTED_URIS.has(uri)).length;
      assert.deepEqual(
        { read: latest.stats.read, generated: latest.stats.generated, skipped: latest.stats.skipped, failed: latest.stats.failed },
        { read: 660, generated: expected.length, skipped: 660 - selected.size, failed },
      );
      // Both rejected schemas are the latest of their model, so they fail here too, for the same reasons.
      assert.equal(failed, 2);
      assert.deepEqual(new Set(latest.diagnostics.filter((d) => d.level === "error").map((d) => d.uri)), REJECTED_URIS);
    });

    test("known families", () => {
      const uris = (family: string): string[] => Object.keys(latestManifest.modules).filter((uri) => uri.startsWith(`iglu:${family}/jsonschema/`)).sort();
      // link_click has 1-0-0 and 1-0-1: one model, so only 1-0-1, under the plain name.
      assert.deepEqual(uris("com.snowplowanalytics.snowplow/link_click"), ["iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"]);
      assert.deepEqual(named(latestManifest.modules["iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"]), names("link-click.ts", "LinkClick", "LINK_CLICK_SCHEMA"));
      // browser_context has models 1 and 2: two modules, the older suffixed V1.
      assert.deepEqual(uris("com.snowplowanalytics.snowplow/browser_context"), [
        "iglu:com.snowplowanalytics.snowplow/browser_context/jsonschema/1-0-0",
        "iglu:com.snowplowanalytics.snowplow/browser_context/jsonschema/2-0-0",
      ]);
      assert.deepEqual(named(latestManifest.modules["iglu:com.snowplowanalytics.snowplow/browser_context/jsonschema/2-0-0"]), names("browser-context.ts", "BrowserContext", "BROWSER_CONTEXT_SCHEMA"));
      assert.deepEqual(named(latestManifest.modules["iglu:com.snowplowanalytics.snowplow/browser_context/jsonschema/1-0-0"]), {
        file: "browser-context-v1.ts", type: "BrowserContextV1", constant: "BROWSER_CONTEXT_V1_SCHEMA",
        create: "createBrowserContextV1", track: "trackBrowserContextV1",
      });
      // system_webhook: 1-0-0, 1-0-1, 2-0-0, 2-0-1 → the last of each model.
      assert.deepEqual(uris("com.iterable/system_webhook"), ["iglu:com.iterable/system_webhook/jsonschema/1-0-1", "iglu:com.iterable/system_webhook/jsonschema/2-0-1"]);
      assert.equal(latestManifest.modules["iglu:com.iterable/system_webhook/jsonschema/1-0-1"]?.type, "SystemWebhookV1");
      assert.equal(latestManifest.modules["iglu:com.iterable/system_webhook/jsonschema/2-0-1"]?.type, "SystemWebhook");
      // redshift_config: models 1 to 4, and 2-1-0 (not 2-0-0) for model 2.
      assert.deepEqual(uris("com.snowplowanalytics.snowplow.storage/redshift_config").map((u) => u.slice(u.lastIndexOf("/") + 1)), ["1-0-0", "2-1-0", "3-0-0", "4-0-0"]);
      assert.deepEqual(
        ["1-0-0", "2-1-0", "3-0-0", "4-0-0"].map((v) => latestManifest.modules[`iglu:com.snowplowanalytics.snowplow.storage/redshift_config/jsonschema/${v}`]?.type),
        ["RedshiftConfigV1", "RedshiftConfigV2", "RedshiftConfigV3", "RedshiftConfig"],
      );
      // The index exports the V1 module's names from its file.
      const index = fs.readFileSync(path.join(latestOut(), "index.ts"), "utf8");
      assert.match(index, /^export \{ BROWSER_CONTEXT_V1_SCHEMA, createBrowserContextV1, trackBrowserContextV1 \} from "\.\/browser-context-v1\.js";$/m);
      assert.match(index, /^export type \{ BrowserContextV1 \} from "\.\/browser-context-v1\.js";$/m);
    });

    test("compiles with TypeScript 5, nodenext", async () => {
      const compiled = await compile(project.dir, ["latest/*.ts"], "TypeScript 5", "nodenext", true);
      assert.equal(compiled.code, 0, compiled.output.slice(0, 4000));
    });
  });
});
