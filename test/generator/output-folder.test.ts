/**
 * What a run finds in its output folder is untrusted like its inputs: a
 * FIFO, a device or a symbolic link where the last run wrote a module, the
 * manifest or a file it would now remove never blocks the run and is never
 * followed. The run finishes, and the folder ends as a cold run writes it.
 * Each run is a real `igluc generate` process with a deadline, as a blocked
 * read would stop the test's own event loop.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { ROOT } from "../support/iglu.js";

const BIN = path.join(ROOT, "dist/generator/cli/bin.js");
const dirs: string[] = [];
after(() => { for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true }); });

function schema(name: string): string {
  return JSON.stringify({
    $schema: "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
    description: `The ${name}.`, self: { vendor: "com.acme", name, format: "jsonschema", version: "1-0-0" },
    type: "object", properties: { id: { type: "string" } }, additionalProperties: false,
  });
}

/** A registry of `names` in a new folder; returns the folder. */
function project(names: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-outdir-"));
  dirs.push(dir);
  for (const name of names) {
    const file = path.join(dir, "registry/schemas/com.acme", name, "jsonschema/1-0-0");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, schema(name));
  }
  return dir;
}

/** `igluc generate` over the project's registry into its out/, killed after 30 s; its exit code, or "killed". */
function generate(dir: string): number | string {
  const result = spawnSync(process.execPath, [BIN, "generate", "--schemas", "registry", "--out", "out"], { cwd: dir, encoding: "utf8", timeout: 30_000, killSignal: "SIGKILL" });
  return result.signal !== null ? "killed" : result.status ?? "no status";
}

/** Every entry of a folder: a file's content, or what else it is. */
function listing(out: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(out).sort().map((name) => {
    const stat = fs.lstatSync(path.join(out, name));
    return [name, stat.isFile() ? fs.readFileSync(path.join(out, name), "utf8") : stat.isSymbolicLink() ? "a symbolic link" : "not a file"];
  }));
}

function cold(names: readonly string[]): Record<string, string> {
  const dir = project(names);
  assert.equal(generate(dir), 0);
  return listing(path.join(dir, "out"));
}

/** Generates the project once, then puts a FIFO in place of the first file of out/ that `which` picks; returns its name. */
function generatedThenFifo(dir: string, which: (name: string) => boolean): string {
  assert.equal(generate(dir), 0);
  const name = fs.readdirSync(path.join(dir, "out")).find(which)!;
  fs.rmSync(path.join(dir, "out", name));
  execFileSync("mkfifo", [path.join(dir, "out", name)]);
  return name;
}

describe("the output folder is read without blocking or following links", { skip: process.platform === "win32" && "FIFOs are POSIX" }, () => {
  const NAMES = ["cart", "user"];

  for (const [what, which] of [
    ["where a module was: the run finishes and writes the module again", (f: string) => f.startsWith("cart")],
    ["in place of the manifest: the run finishes as a cold one", (f: string) => f.includes("manifest")],
  ] as const) {
    test(`a FIFO ${what}`, () => {
      const dir = project(NAMES);
      generatedThenFifo(dir, which);
      assert.equal(generate(dir), 0);
      assert.deepEqual(listing(path.join(dir, "out")), cold(NAMES));
    });
  }

  test("a symbolic link to a file of the same content where a module was: not reused through the link, replaced by the file", () => {
    const dir = project(NAMES);
    assert.equal(generate(dir), 0);
    const module = fs.readdirSync(path.join(dir, "out")).find((f) => f.startsWith("user"))!;
    const elsewhere = path.join(dir, "elsewhere.ts");
    fs.renameSync(path.join(dir, "out", module), elsewhere);
    fs.symlinkSync(elsewhere, path.join(dir, "out", module));
    assert.equal(generate(dir), 0);
    assert.deepEqual(listing(path.join(dir, "out")), cold(NAMES));
  });

  test("a FIFO where a module the run no longer writes was: the run finishes and leaves it (not igluc's file any more)", () => {
    const dir = project(NAMES);
    const module = generatedThenFifo(dir, (f) => f.startsWith("cart"));
    fs.rmSync(path.join(dir, "registry/schemas/com.acme/cart"), { recursive: true });
    assert.equal(generate(dir), 0);
    assert.deepEqual(listing(path.join(dir, "out")), { ...cold(["user"]), [module]: "not a file" });
  });
});

test("links planted in the output folder under this run's temporary and staging names are removed, not written through", async () => {
  const { generate: generateApi } = await import("../../generator/index.js");
  const dir = project(["cart", "user"]);
  const out = path.join(dir, "out");
  assert.equal(generate(dir), 0);
  // A commit can carry links named as a run's temporary file and staging folders would be, for the pids a CI container gives.
  const victim = path.join(dir, "victim.txt");
  fs.writeFileSync(victim, "keep me");
  const outside = path.join(dir, "outside");
  fs.mkdirSync(outside);
  fs.symlinkSync(victim, path.join(out, `.igluc-tmp-${process.pid}-.igluc-manifest.json`));
  for (let n = 1; n <= 100; n++) fs.symlinkSync(outside, path.join(out, `.igluc-staging-${process.pid}-${n}`));
  fs.writeFileSync(path.join(dir, "registry/schemas/com.acme/cart/jsonschema/1-0-0"), schema("cart").replace("The cart.", "A cart."));
  const result = await generateApi({ schemas: [path.join(dir, "registry")], out, concurrency: 1 });
  assert.deepEqual(result.diagnostics.filter((d) => d.level === "error"), []);
  assert.equal(fs.readFileSync(victim, "utf8"), "keep me");
  assert.deepEqual(fs.readdirSync(outside), []);
  assert.match(fs.readFileSync(path.join(out, "cart.ts"), "utf8"), /A cart\./);
});

describe("a manifest of another shape is no manifest: the run is a cold one, never a crash on every later run", () => {
  const edits: [string, (m: Record<string, unknown>) => void][] = [
    ["diagnostics null", (m) => { m.diagnostics = null; }],
    ["modules null", (m) => { m.modules = null; }],
    ["files null", (m) => { m.files = null; }],
    ["counts a string", (m) => { m.counts = "x"; }],
    ["a module without its file", (m) => { for (const v of Object.values(m.modules as Record<string, Record<string, unknown>>)) delete v.file; }],
    ["a replayed diagnostic whose code holds a terminal escape", (m) => { m.diagnostics = [{ level: "warning", code: "\u001b[31mred", message: "x" }]; }],
  ];
  const expected = cold(["cart", "user"]);
  for (const [name, edit] of edits) {
    test(name, () => {
      const dir = project(["cart", "user"]);
      assert.equal(generate(dir), 0);
      const file = path.join(dir, "out/.igluc-manifest.json");
      const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      edit(manifest);
      fs.writeFileSync(file, JSON.stringify(manifest));
      const result = spawnSync(process.execPath, [BIN, "generate", "--schemas", "registry", "--out", "out"], { cwd: dir, encoding: "utf8", timeout: 30_000 });
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stderr + result.stdout, /\u001b/);
      assert.deepEqual(listing(path.join(dir, "out")), expected);
    });
  }
});
