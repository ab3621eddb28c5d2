/**
 * `igluc generate` as users run it: the built bin (dist/generator/cli/bin.js;
 * run `npm run build` first) in a child process, over small registries this
 * file writes. Usage errors, the summary line, determinism, only-changed
 * writes, never deleting what igluc did not write, broken schemas, run-level
 * failures, --check, the config file and --watch.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { compile, tempProject } from "../support/compile.js";
import { ROOT } from "../support/iglu.js";

const BIN = path.join(ROOT, "dist/generator/cli/bin.js");
const META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";
/** Longest a single igluc run may take before the test fails (this machine is slow). */
const RUN_TIMEOUT = 60_000;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bin in `cwd` and resolves with its exit code and output (never rejects on a non-zero exit). */
function igluc(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: RUN_TIMEOUT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      if (typeof error.code === "number") return resolve({ code: error.code, stdout, stderr });
      reject(new Error(`igluc ${args.join(" ")} did not exit normally (${String(error.code ?? error.signal)}): ${stderr}`));
    });
  });
}

const temporary: string[] = [];
after(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder, removed when the file's tests end. */
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-cli-"));
  temporary.push(dir);
  return dir;
}

/** A temporary project with igluc linked in, for compiling the output. */
function project(): string {
  const { dir } = tempProject("igluc-cli-project-");
  temporary.push(dir);
  return dir;
}

type Properties = Record<string, Record<string, unknown>>;

/** A small self-describing schema, laid out the way JSON.stringify indents (so positions in it are easy to find). */
function schema(vendor: string, name: string, version: string, description: string, properties: Properties, required: readonly string[]): string {
  return `${JSON.stringify({
    $schema: META,
    description,
    self: { vendor, name, format: "jsonschema", version },
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  }, null, 2)}\n`;
}

/** Registry paths (under schemas/) → contents. */
const SCHEMAS: Readonly<Record<string, string>> = {
  "com.acme/checkout_started/jsonschema/1-0-0": schema("com.acme", "checkout_started", "1-0-0", "A checkout began", {
    orderId: { type: "string", maxLength: 64 },
    total: { type: "number", minimum: 0 },
  }, ["orderId"]),
  "com.acme/user/jsonschema/1-0-0": schema("com.acme", "user", "1-0-0", "The user", {
    id: { type: "string" },
  }, ["id"]),
  "com.acme/user/jsonschema/1-0-1": schema("com.acme", "user", "1-0-1", "The user", {
    id: { type: "string" },
    email: { type: ["string", "null"], format: "email" },
  }, ["id"]),
  "com.acme/product/jsonschema/1-0-0": schema("com.acme", "product", "1-0-0", "A product", {
    sku: { type: "string" },
    price: { type: "number" },
  }, ["sku"]),
};

const PRODUCT = "com.acme/product/jsonschema/1-0-0";
const CHECKOUT = "com.acme/checkout_started/jsonschema/1-0-0";
const USER_LATEST = "com.acme/user/jsonschema/1-0-1";

/** Writes a registry at `root` (holding schemas/), files in the order given. */
function writeRegistry(root: string, files: Readonly<Record<string, string>>, order: readonly string[] = Object.keys(files)): string {
  for (const key of order) {
    const file = path.join(root, "schemas", key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, files[key]!);
  }
  return root;
}

function writeSchema(registry: string, key: string, text: string): void {
  fs.writeFileSync(path.join(registry, "schemas", key), text);
}

/** Every entry of a folder (dotfiles too): name → content, folders marked as such. */
function contents(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    result[entry.name] = entry.isDirectory() ? "<folder>" : fs.readFileSync(path.join(dir, entry.name), "utf8");
  }
  return result;
}

/** name → modification time (ns), for telling which files were written. */
function mtimes(dir: string): Record<string, bigint> {
  const result: Record<string, bigint> = {};
  for (const name of fs.readdirSync(dir).sort()) result[name] = fs.statSync(path.join(dir, name), { bigint: true }).mtimeNs;
  return result;
}

function changedNames(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => before[name] !== after[name]).sort();
}

/** The summary line's exact shape; `files` is "N files written, M removed" or "nothing changed". */
function summary(counts: { read: number; generated: number; notSelected: number; failed: number }, files: string, out: string, problems = ""): RegExp {
  const escaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^igluc generate: ${counts.read} schema files read, ${counts.generated} generated, ${counts.notSelected} not selected, ` +
    `${counts.failed} failed; ${escaped(files)} in ${escaped(out)} \\(\\d+\\.\\d\\d s\\)${escaped(problems)}\\n$`);
}

/** Lines of stderr that report a problem, e.g. `error [json-syntax]`. */
function problems(stderr: string): string[] {
  return stderr.split("\n").filter((line) => /\b(error|warning) \[[a-z-]+\]/.test(line));
}

describe("usage", () => {
  test("igluc --help lists the commands and exits 0", async () => {
    const run = await igluc(workspace(), "--help");
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^igluc <command>/);
    assert.match(run.stdout, /^ {2}igluc generate +Generate typed track functions/m);
    assert.match(run.stdout, /--help/);
  });

  test("igluc --version prints the package's version and exits 0", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const run = await igluc(workspace(), "--version");
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `${version}\n`);
    assert.equal(run.stderr, "");
  });

  test("igluc generate --help lists every option and exits 0", async () => {
    const run = await igluc(workspace(), "generate", "--help");
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^igluc generate \[--schemas DIR\]\.\.\. \[--out DIR\] \[options\]/);
    for (const option of ["--schemas", "--out", "--config", "--versions", "--include", "--exclude", "--single-file", "--runtime-import", "--emit", "--check", "--watch", "--concurrency", "--quiet", "--help"]) {
      assert.match(run.stdout, new RegExp(`^ +(-[a-z], )?${option} `, "m"), `${option} is listed`);
    }
  });

  test("an unknown flag exits 2 naming it", async () => {
    const run = await igluc(workspace(), "generate", "--schemas", "x", "--frobnicate");
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^igluc: Unknown argument: frobnicate\nRun "igluc --help" for usage\.\n$/);
    assert.equal(run.stdout, "");
  });

  test("generate with no schemas and no config exits 2 with a hint", async () => {
    const dir = workspace();
    const run = await igluc(dir, "generate");
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^igluc generate: no schemas to read: pass --schemas DIR .*igluc\.config\.json.*\nRun "igluc generate --help" for usage\.\n$/);
    assert.deepEqual(fs.readdirSync(dir), [], "nothing written");
  });

  test("a flag with a wrong value exits 2 naming the flag as typed, not the API's option", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    for (const [flags, expected] of [
      [["--runtime-import", ""], 'igluc generate: --runtime-import: "" is not a module specifier\n'],
      [["--concurrency", "0"], "igluc generate: --concurrency must be at least 1, not 0\n"],
    ] as const) {
      const run = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking", ...flags);
      assert.equal(run.code, 2);
      assert.equal(run.stderr, `${expected}Run "igluc generate --help" for usage.\n`);
    }
    assert.ok(!fs.existsSync(path.join(dir, "tracking")), "nothing written");
  });

  test("--check and --watch together exit 2", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const run = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking", "--check", "--watch");
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^igluc: Arguments check and watch are mutually exclusive\n/);
    assert.ok(!fs.existsSync(path.join(dir, "tracking")), "nothing written");
  });
});

describe("a run", () => {
  test("writes one module per schema, index.ts and the manifest, prints the summary and exits 0", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const run = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking", "--versions", "all");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, summary({ read: 4, generated: 4, notSelected: 0, failed: 0 }, "5 files written, 0 removed", "tracking"));
    assert.deepEqual(problems(run.stderr), []);
    assert.deepEqual(fs.readdirSync(path.join(dir, "tracking")).sort(), [
      ".igluc-manifest.json", "checkout-started.ts", "index.ts", "product.ts", "user-v1-0-0.ts", "user.ts",
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "tracking/.igluc-manifest.json"), "utf8")) as { modules: Record<string, { file: string }> };
    assert.deepEqual(Object.fromEntries(Object.entries(manifest.modules).map(([uri, m]) => [uri, m.file])), {
      "iglu:com.acme/checkout_started/jsonschema/1-0-0": "checkout-started.ts",
      "iglu:com.acme/product/jsonschema/1-0-0": "product.ts",
      "iglu:com.acme/user/jsonschema/1-0-0": "user-v1-0-0.ts",
      "iglu:com.acme/user/jsonschema/1-0-1": "user.ts",
    });
    const product = fs.readFileSync(path.join(dir, "tracking/product.ts"), "utf8");
    assert.match(product, /export const PRODUCT_SCHEMA = "iglu:com\.acme\/product\/jsonschema\/1-0-0";/);
  });

  test("the default selection generates the latest version of each model; the summary counts the others as not selected", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const run = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, summary({ read: 4, generated: 3, notSelected: 1, failed: 0 }, "4 files written, 0 removed", "tracking"));
    assert.deepEqual(fs.readdirSync(path.join(dir, "tracking")).sort(), [".igluc-manifest.json", "checkout-started.ts", "index.ts", "product.ts", "user.ts"]);
    assert.match(fs.readFileSync(path.join(dir, "tracking/user.ts"), "utf8"), /"iglu:com\.acme\/user\/jsonschema\/1-0-1"/);
  });

  test("is deterministic: the same schemas written in another order, or registries listed in another order, give identical bytes", async () => {
    const dir = workspace();
    const keys = Object.keys(SCHEMAS);
    writeRegistry(path.join(dir, "forward"), SCHEMAS, keys);
    writeRegistry(path.join(dir, "backward"), SCHEMAS, [...keys].reverse());
    // The same four schemas split over two registries, with no schema in both.
    const split = (wanted: (key: string) => boolean): Record<string, string> => Object.fromEntries(Object.entries(SCHEMAS).filter(([key]) => wanted(key)));
    writeRegistry(path.join(dir, "users"), split((key) => key.includes("/user/")));
    writeRegistry(path.join(dir, "others"), split((key) => !key.includes("/user/")), [PRODUCT, CHECKOUT]);

    const runs = [
      ["out1", "--schemas", "forward"],
      ["out2", "--schemas", "backward"],
      ["out3", "--schemas", "users", "--schemas", "others"],
      ["out4", "--schemas", "others", "--schemas", "users"],
    ] as const;
    for (const [out, ...schemas] of runs) {
      const run = await igluc(dir, "generate", ...schemas, "--out", out, "--versions", "all");
      assert.equal(run.code, 0, run.stderr);
    }
    const first = contents(path.join(dir, "out1"));
    assert.equal(Object.keys(first).length, 6);
    for (const [out] of runs.slice(1)) assert.deepEqual(contents(path.join(dir, out)), first, `${out} equals out1`);
  });
});

describe("only what changed is written", () => {
  test("a second run with nothing changed writes nothing; changing one schema rewrites only its module", async () => {
    const dir = workspace();
    const registry = writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const out = path.join(dir, "tracking");
    const args = ["generate", "--schemas", "registry", "--out", "tracking"] as const;
    const first = await igluc(dir, ...args);
    assert.equal(first.code, 0, first.stderr);
    const before = contents(out);
    const beforeTimes = mtimes(out);

    const second = await igluc(dir, ...args);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, summary({ read: 4, generated: 3, notSelected: 1, failed: 0 }, "nothing changed", "tracking"));
    assert.deepEqual(contents(out), before);
    assert.deepEqual(mtimes(out), beforeTimes, "no file was touched, the manifest included");

    writeSchema(registry, PRODUCT, schema("com.acme", "product", "1-0-0", "A product", {
      sku: { type: "string" }, price: { type: "number" }, currency: { type: "string", enum: ["EUR", "USD"] },
    }, ["sku"]));
    const third = await igluc(dir, ...args);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, summary({ read: 4, generated: 3, notSelected: 1, failed: 0 }, "1 file written, 0 removed", "tracking"));
    const afterChange = contents(out);
    // index.ts holds names and imports only, none of which a new property changes: only the module (and the manifest) differ.
    assert.deepEqual(changedNames(before, afterChange), [".igluc-manifest.json", "product.ts"]);
    assert.match(afterChange["product.ts"]!, /currency\?: \("EUR" \| "USD"\)/);
    const afterTimes = mtimes(out);
    assert.deepEqual(Object.keys(afterTimes).filter((name) => afterTimes[name] !== beforeTimes[name]).sort(), [".igluc-manifest.json", "product.ts"]);
  });
});

describe("never deletes files it did not write", () => {
  test("keep.ts and notes.md survive every run; the module of a removed schema goes", async () => {
    const dir = workspace();
    const registry = writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const out = path.join(dir, "tracking");
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, "keep.ts"), "export const mine = 1;\n");
    const args = ["generate", "--schemas", "registry", "--out", "tracking"] as const;

    const first = await igluc(dir, ...args);
    assert.equal(first.code, 0, first.stderr);
    fs.writeFileSync(path.join(out, "notes.md"), "# my notes\n");
    assert.ok(fs.existsSync(path.join(out, "product.ts")));

    fs.rmSync(path.join(registry, "schemas/com.acme/product"), { recursive: true });
    const second = await igluc(dir, ...args);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, summary({ read: 3, generated: 2, notSelected: 1, failed: 0 }, "1 file written, 1 removed", "tracking"));
    assert.deepEqual(fs.readdirSync(out).sort(), [".igluc-manifest.json", "checkout-started.ts", "index.ts", "keep.ts", "notes.md", "user.ts"]);
    assert.equal(fs.readFileSync(path.join(out, "keep.ts"), "utf8"), "export const mine = 1;\n");
    assert.equal(fs.readFileSync(path.join(out, "notes.md"), "utf8"), "# my notes\n");
    assert.doesNotMatch(fs.readFileSync(path.join(out, "index.ts"), "utf8"), /product/i);
  });

  test("a module igluc wrote but the user edited stays, with an edited-output warning", async () => {
    const dir = workspace();
    const registry = writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const out = path.join(dir, "tracking");
    const args = ["generate", "--schemas", "registry", "--out", "tracking"] as const;
    const first = await igluc(dir, ...args);
    assert.equal(first.code, 0, first.stderr);

    const edited = `${fs.readFileSync(path.join(out, "checkout-started.ts"), "utf8")}\n// my own addition\n`;
    fs.writeFileSync(path.join(out, "checkout-started.ts"), edited);
    fs.rmSync(path.join(registry, "schemas/com.acme/checkout_started"), { recursive: true });
    const second = await igluc(dir, ...args);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(fs.readFileSync(path.join(out, "checkout-started.ts"), "utf8"), edited);
    assert.deepEqual(problems(second.stderr), ["checkout-started.ts: warning [edited-output] igluc generated this file earlier and no longer would, but it was edited since; left in place"]);
    assert.match(second.stderr, /edited-output.*\n {2}hint: delete it if it is no longer needed\n/);
    assert.match(second.stdout, summary({ read: 3, generated: 2, notSelected: 1, failed: 0 }, "1 file written, 0 removed", "tracking", "; 0 errors, 1 warning"));
    assert.doesNotMatch(fs.readFileSync(path.join(out, "index.ts"), "utf8"), /checkout/i);
  });
});

/** `text` without the comma before the member on the line holding `member`, and where the JSON becomes invalid (1-based). */
function dropCommaBefore(text: string, member: string): { text: string; line: number; column: number } {
  const lines = text.split("\n");
  const index = lines.findIndex((l) => l.includes(member));
  assert.ok(index > 0 && lines[index - 1]!.endsWith(","), `the line before ${member} ends in a comma`);
  lines[index - 1] = lines[index - 1]!.slice(0, -1);
  // The parser stops at the member that lacks its comma: the first non-blank character of its line.
  return { text: lines.join("\n"), line: index + 1, column: lines[index]!.search(/\S/) + 1 };
}

describe("broken schemas", () => {
  test("a JSON syntax error fails the run (exit 1) with file, line:column, URI and a hint; the other schemas are generated", async () => {
    const dir = workspace();
    const broken = dropCommaBefore(SCHEMAS[PRODUCT]!, '"price": {');
    writeRegistry(path.join(dir, "registry"), { ...SCHEMAS, [PRODUCT]: broken.text });
    const run = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking");
    assert.equal(run.code, 1);
    const file = path.join("registry/schemas", PRODUCT);
    assert.match(run.stderr, new RegExp(`^${file.replace(/[./]/g, "\\$&")}:${broken.line}:${broken.column}: error \\[json-syntax\\] iglu:com\\.acme/product/jsonschema/1-0-0: .+\\n {2}hint: \\S.*\\n`, "m"));
    assert.equal(problems(run.stderr).length, 1);
    assert.match(run.stdout, summary({ read: 4, generated: 2, notSelected: 1, failed: 1 }, "3 files written, 0 removed", "tracking", "; 1 error, 0 warnings"));
    assert.deepEqual(fs.readdirSync(path.join(dir, "tracking")).sort(), [".igluc-manifest.json", "checkout-started.ts", "index.ts", "user.ts"]);
  });

  test("when a schema breaks later, its previous module stays (kept-previous) and compiles with the regenerated rest", async () => {
    const dir = project();
    const registry = writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const out = path.join(dir, "tracking");
    const args = ["generate", "--schemas", "registry", "--out", "tracking"] as const;
    const first = await igluc(dir, ...args);
    assert.equal(first.code, 0, first.stderr);
    const product = fs.readFileSync(path.join(out, "product.ts"), "utf8");

    writeSchema(registry, PRODUCT, dropCommaBefore(SCHEMAS[PRODUCT]!, '"price": {').text);
    // In the same run another schema changes, so the rest really is regenerated around the kept module.
    writeSchema(registry, USER_LATEST, schema("com.acme", "user", "1-0-1", "The user", {
      id: { type: "string" }, email: { type: ["string", "null"], format: "email" }, plan: { type: "string", enum: ["free", "pro"] },
    }, ["id"]));
    const second = await igluc(dir, ...args);
    assert.equal(second.code, 1);
    assert.deepEqual(problems(second.stderr).map((line) => /(error|warning) \[([a-z-]+)\]/.exec(line)?.slice(1, 3).join(" ")).sort(), ["error json-syntax", "warning kept-previous"]);
    assert.match(second.stderr, /warning \[kept-previous\] iglu:com\.acme\/product\/jsonschema\/1-0-0: kept the module generated for it earlier \(product\.ts\)\n {2}hint: \S/);
    assert.equal(fs.readFileSync(path.join(out, "product.ts"), "utf8"), product, "the previous module, unchanged");
    assert.match(fs.readFileSync(path.join(out, "user.ts"), "utf8"), /plan\?: \("free" \| "pro"\)/);
    assert.match(fs.readFileSync(path.join(out, "index.ts"), "utf8"), /from "\.\/product\.js"/);

    fs.writeFileSync(path.join(dir, "use.ts"), [
      'import { createProduct, createUser, trackCheckoutStarted, type EventTracker } from "./tracking/index.js";',
      "export function checkout(tracker: EventTracker): void {",
      '  trackCheckoutStarted(tracker, { orderId: "o-1", total: 12.5 }, { context: [createProduct({ sku: "sku-1", price: 3 }), createUser({ id: "u-1", plan: "pro" })] });',
      "}",
      "",
    ].join("\n"));
    const compiled = await compile(dir, ["tracking/*.ts", "use.ts"], "TypeScript 5", "nodenext", true);
    assert.equal(compiled.code, 0, compiled.output);
  });

  test("a run-level failure (a --schemas folder that does not exist) exits 1 and leaves the output as it was", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const out = path.join(dir, "tracking");
    const first = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking");
    assert.equal(first.code, 0, first.stderr);
    const before = contents(out);
    const beforeTimes = mtimes(out);

    const run = await igluc(dir, "generate", "--schemas", "no-such-registry", "--out", "tracking");
    assert.equal(run.code, 1);
    // The folder is named relative to the working directory, as it was given.
    assert.match(run.stderr, /^no-such-registry: error \[registry-missing\] schema folder no-such-registry does not exist or is not a folder\n {2}hint: \S/m);
    assert.deepEqual(contents(out), before);
    assert.deepEqual(mtimes(out), beforeTimes);
  });
});

describe("--check", () => {
  test("exits 0 when the output is current; once stale, exits 1 listing the stale files and writes nothing", async () => {
    const dir = workspace();
    const registry = writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const out = path.join(dir, "tracking");
    const first = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking");
    assert.equal(first.code, 0, first.stderr);
    const before = contents(out);
    const beforeTimes = mtimes(out);

    const current = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking", "--check");
    assert.equal(current.code, 0, current.stderr);
    assert.match(current.stdout, /^igluc generate --check: tracking is up to date \(4 schema files read, 3 generated, 1 not selected, 0 failed; \d+\.\d\d s\)\n$/);

    writeSchema(registry, PRODUCT, schema("com.acme", "product", "1-0-0", "A product", { sku: { type: "string" }, name: { type: "string" } }, ["sku"]));
    fs.rmSync(path.join(registry, "schemas/com.acme/checkout_started"), { recursive: true });
    const stale = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking", "--check");
    assert.equal(stale.code, 1);
    assert.equal(stale.stdout, "igluc generate --check: tracking is stale: checkout-started.ts, index.ts, product.ts\n  hint: run igluc generate and commit the result\n");
    assert.deepEqual(contents(out), before, "nothing written, nothing removed, no staging folder left");
    assert.deepEqual(mtimes(out), beforeTimes);
  });
});

describe("igluc.config.json", () => {
  const config = (dir: string, settings: Record<string, unknown>): void => {
    fs.writeFileSync(path.join(dir, "igluc.config.json"), `${JSON.stringify(settings, null, 2)}\n`);
  };

  test("is used when no flags are given, its relative paths taken from its folder", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    config(dir, { schemas: ["./registry"], out: "generated/tracking" });
    const run = await igluc(dir, "generate");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, summary({ read: 4, generated: 3, notSelected: 1, failed: 0 }, "4 files written, 0 removed", path.join("generated", "tracking")));
    assert.deepEqual(fs.readdirSync(path.join(dir, "generated/tracking")).sort(), [".igluc-manifest.json", "checkout-started.ts", "index.ts", "product.ts", "user.ts"]);
  });

  test("flags override it", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    writeRegistry(path.join(dir, "other-registry"), { [PRODUCT]: SCHEMAS[PRODUCT]! });
    config(dir, { schemas: ["registry"], out: "generated", versions: "latest", exclude: ["com.acme/product"] });
    const run = await igluc(dir, "generate", "--out", "flagged", "--versions", "all");
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!fs.existsSync(path.join(dir, "generated")), "the config's out is overridden");
    // --versions all overrides "latest"; the config's exclude still applies.
    assert.deepEqual(fs.readdirSync(path.join(dir, "flagged")).sort(), [".igluc-manifest.json", "checkout-started.ts", "index.ts", "user-v1-0-0.ts", "user.ts"]);

    const schemas = await igluc(dir, "generate", "--schemas", "other-registry", "--out", "only-product", "--exclude", "nothing/*");
    assert.equal(schemas.code, 0, schemas.stderr);
    assert.deepEqual(fs.readdirSync(path.join(dir, "only-product")).sort(), [".igluc-manifest.json", "index.ts", "product.ts"]);
  });

  test("an unknown key exits 2 naming it", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    config(dir, { schemas: ["registry"], outDir: "tracking" });
    const run = await igluc(dir, "generate");
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "igluc generate: igluc.config.json:5:13: unknown setting \"outDir\" (known: schemas, out, target, versions, pin, include, exclude, plan, singleFile, runtimeImport, emit, validators, validationImport, eventSpecificationEntity, outputs, " +
      "registries, resolver, lockfile, cacheDir, http, lint)\nRun \"igluc generate --help\" for usage.\n");
    assert.ok(!fs.existsSync(path.join(dir, "tracking")));
  });
});

describe("progress", () => {
  test("on a terminal a run shows 'N of M schemas' in place and erases it; piped or under CI it shows nothing", async () => {
    const dir = workspace();
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`com.acme/thing_${i}/jsonschema/1-0-0`] = schema("com.acme", `thing_${i}`, "1-0-0", "A thing", { n: { type: "integer" } }, []);
    writeRegistry(path.join(dir, "registry"), files);
    const env: NodeJS.ProcessEnv = { ...process.env, IGLUC_PROGRESS_AFTER_MS: "0" };
    delete env.CI;
    // script(1) runs the command on a pseudo-terminal, as a shell in a terminal would.
    const onTerminal = await new Promise<string>((resolve, reject) => {
      execFile("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} generate --schemas registry --out tracking --concurrency 1`, "/dev/null"],
        { cwd: dir, env, timeout: 60_000 }, (error, stdout) => (error === null ? resolve(stdout) : reject(error)));
    });
    assert.match(onTerminal, /\r\u001b\[2Kigluc generate: \d+ of 30 schemas/);
    assert.match(onTerminal, /\r\u001b\[2Kigluc generate: 30 schema files read/, "the line is erased before the summary");
    fs.rmSync(path.join(dir, "tracking"), { recursive: true });
    const piped = await igluc(dir, "generate", "--schemas", "registry", "--out", "tracking");
    assert.doesNotMatch(piped.stderr + piped.stdout, /of 30 schemas/);
  });
});

/** A real `igluc generate --watch` process, with what it printed and a way to wait for what it prints or writes. */
function startWatch(dir: string, args: readonly string[]): {
  stdout: () => string; stderr: () => string; waitFor: (what: string, ready: () => boolean, ms: number) => Promise<void>; stop: () => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const child = spawn(process.execPath, [BIN, "generate", ...args, "--watch"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  after(() => { if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL"); });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    /** Polls `ready` every 50 ms for at most `ms`. */
    async waitFor(what, ready, ms) {
      const deadline = Date.now() + ms;
      while (!ready()) {
        if (Date.now() > deadline || child.exitCode !== null) assert.fail(`timed out waiting for ${what}\nstdout: ${stdout}\nstderr: ${stderr}`);
        await sleep(50);
      }
    },
    async stop() {
      child.kill("SIGINT");
      const exit = await Promise.race([exited, sleep(10_000, undefined, { ref: false })]);
      if (exit === undefined) child.kill("SIGKILL");
      assert.ok(exit !== undefined, `did not exit within 10 s of SIGINT\nstderr: ${stderr}`);
      return exit;
    },
  };
}

/** Saves `file` the way vim and sed -i do: a new file written beside it, then renamed over it. */
function atomicSave(file: string, text: string): void {
  const temporary = `${file}.swp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

describe("--watch", () => {
  test("regenerates when a schema changes, and stops with exit 0 on SIGINT", async () => {
    const dir = workspace();
    const registry = writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const module = path.join(dir, "tracking/product.ts");
    const run = startWatch(dir, ["--schemas", "registry", "--out", "tracking"]);
    await run.waitFor("the first summary and the watch message", () => /^igluc generate: .* files written/m.test(run.stdout()) && /watching for changes/.test(run.stderr()), 30_000);
    assert.match(run.stdout(), summary({ read: 4, generated: 3, notSelected: 1, failed: 0 }, "4 files written, 0 removed", "tracking"));
    assert.doesNotMatch(fs.readFileSync(module, "utf8"), /colour/);

    writeSchema(registry, PRODUCT, schema("com.acme", "product", "1-0-0", "A product", { sku: { type: "string" }, colour: { type: "string" } }, ["sku"]));
    await run.waitFor("product.ts to be regenerated", () => fs.readFileSync(module, "utf8").includes("colour?: string"), 30_000);
    await run.waitFor("the second summary", () => run.stdout().split("\n").filter((l) => l.startsWith("igluc generate: ")).length >= 2, 10_000);
    assert.match(run.stderr(), /change detected, regenerating/);

    const stopping = Date.now();
    assert.deepEqual(await run.stop(), { code: 0, signal: null });
    assert.ok(Date.now() - stopping < 5_000, `stopping took ${Date.now() - stopping} ms`);
    assert.match(run.stderr(), /igluc generate: stopped\n$/);
  });

  test("after an atomic-rename save (as vim and sed -i write), later saves still regenerate", async () => {
    const dir = workspace();
    const registry = writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const module = path.join(dir, "tracking/product.ts");
    const run = startWatch(dir, ["--schemas", "registry", "--out", "tracking"]);
    await run.waitFor("the watch message", () => /watching for changes/.test(run.stderr()), 30_000);
    const file = path.join(registry, "schemas", PRODUCT);
    for (const field of ["colour", "size", "weight"]) {
      atomicSave(file, schema("com.acme", "product", "1-0-0", "A product", { sku: { type: "string" }, [field]: { type: "string" } }, ["sku"]));
      await run.waitFor(`product.ts to have ${field}`, () => fs.readFileSync(module, "utf8").includes(`${field}?: string`), 30_000);
    }
    assert.deepEqual(await run.stop(), { code: 0, signal: null });
  });

  test("regenerates when the tracking plan (--plan) changes", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const plan = (name: string): string => `specifications:\n  - name: ${name}\n    event: iglu:com.acme/${PRODUCT.split("/")[1]}/jsonschema/1-0-0\n`;
    fs.writeFileSync(path.join(dir, "plan.yaml"), plan("Viewed"));
    const module = path.join(dir, "tracking/specifications.ts");
    const run = startWatch(dir, ["--schemas", "registry", "--out", "tracking", "--plan", "plan.yaml"]);
    await run.waitFor("the first run", () => fs.existsSync(module) && /watching for changes/.test(run.stderr()), 30_000);
    assert.match(fs.readFileSync(module, "utf8"), /function trackViewed\(/);
    atomicSave(path.join(dir, "plan.yaml"), plan("Looked at"));
    await run.waitFor("specifications.ts to be regenerated", () => fs.readFileSync(module, "utf8").includes("function trackLookedAt("), 30_000);
    assert.deepEqual(await run.stop(), { code: 0, signal: null });
  });

  test("editing igluc.config.json while watching runs with the new settings (a new out), and a broken config keeps the last good one", async () => {
    const dir = workspace();
    writeRegistry(path.join(dir, "registry"), SCHEMAS);
    const config = path.join(dir, "igluc.config.json");
    fs.writeFileSync(config, JSON.stringify({ schemas: ["registry"], out: "first" }));
    const run = startWatch(dir, []);
    await run.waitFor("the first run, into first/", () => fs.existsSync(path.join(dir, "first/index.ts")) && /watching for changes/.test(run.stderr()), 30_000);
    atomicSave(config, "{ \"schemas\": [\"registry\"], \"out\": ");
    await run.waitFor("the broken config to be reported", () => /igluc\.config\.json:1:\d+: not valid JSON/.test(run.stderr()), 30_000);
    assert.match(run.stderr(), /the last good configuration is kept/);
    atomicSave(config, JSON.stringify({ schemas: ["registry"], out: "second" }));
    await run.waitFor("a run into second/", () => fs.existsSync(path.join(dir, "second/index.ts")), 30_000);
    assert.deepEqual(await run.stop(), { code: 0, signal: null });
  });
});
