/**
 * `generate` on inputs made to hang it, crash it or stop the run (issue 12):
 * a `$ref` expansion bomb, nesting far past any schema, a name too long for a
 * file, every name Object.prototype has as a property, a dangling link, a
 * link out of the registry, and an output folder where a file should be. Each
 * becomes a diagnostic for that schema (file, URI, pointer, hint), and the
 * schema beside it is still generated. The big inputs are made here.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { generate } from "../../generator/generate.js";
import { nested, refBomb } from "../support/hostile.js";
import { selfDescribing } from "../support/registry.js";

const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

/** A registry holding `files` (by path under schemas/) and one good schema, com.acme/fine; returns its root. */
function registry(files: Record<string, Record<string, unknown> | string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-bounds-"));
  dirs.push(root);
  const all = { "com.acme/fine/jsonschema/1-0-0": selfDescribing("fine", "1-0-0", FINE), ...files };
  for (const [relative, content] of Object.entries(all)) {
    const file = path.join(root, "schemas", relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

const FINE = { type: "object", properties: { id: { type: "string", maxLength: 36 } }, additionalProperties: false };

const brief = (list: readonly Diagnostic[]): string[] => list.filter((d) => d.level === "error").map((d) => `${d.code} ${d.uri ?? ""}#${d.pointer ?? "-"}`);
const outFiles = (out: string): string[] => fs.readdirSync(out).filter((f) => !f.startsWith(".")).sort();

async function run(root: string, extra: Record<string, unknown> = {}): Promise<{ out: string; result: Awaited<ReturnType<typeof generate>> }> {
  const out = path.join(root, "out");
  const result = await generate({ schemas: [root], out, cwd: root, concurrency: 1, ...extra });
  return { out, result };
}

describe("generate stays bounded and goes on past a hostile schema", () => {
  test("a $ref expansion bomb fails at its $ref, with a limit, at 16 levels and at 30", async () => {
    for (const levels of [16, 30]) {
      const root = registry({ "com.acme/bomb/jsonschema/1-0-0": selfDescribing("bomb", "1-0-0", refBomb(levels)) });
      const { out, result } = await run(root);
      assert.deepEqual(brief(result.diagnostics), ["ref-expansion iglu:com.acme/bomb/jsonschema/1-0-0#/properties/top"], `${levels} levels`);
      const d = result.diagnostics.find((x) => x.code === "ref-expansion")!;
      assert.equal(d.file, path.join("schemas", "com.acme/bomb/jsonschema/1-0-0"));
      assert.ok(d.line !== undefined && d.hint.includes("$ref"), JSON.stringify(d));
      assert.match(d.message, /more than 20000 subschemas/);
      assert.deepEqual(outFiles(out), ["fine.ts", "index.ts"]);
    }
  });

  test("a schema nested 990 levels deep is reported with its pointer; the other is generated", async () => {
    const root = registry({ "com.acme/deep/jsonschema/1-0-0": selfDescribing("deep", "1-0-0", nested(990)) });
    const { out, result } = await run(root);
    const [d, ...rest] = result.diagnostics.filter((x) => x.level === "error");
    assert.deepEqual(rest, []);
    assert.equal(d?.code, "too-deep");
    assert.equal(d?.uri, "iglu:com.acme/deep/jsonschema/1-0-0");
    assert.equal(d?.pointer, `/properties/x${"/items".repeat(98)}`);
    assert.ok(d?.line !== undefined && d.hint !== "");
    assert.deepEqual(outFiles(out), ["fine.ts", "index.ts"]);
  });

  test("a name too long for a file: its module gets a shorter file name, in both forms", async () => {
    for (const [emit, length] of [["ts", 255], ["js", 251]] as const) {
      const name = "a".repeat(length);
      const root = registry({ [`com.acme/${name}/jsonschema/1-0-0`]: selfDescribing(name, "1-0-0", FINE) });
      const { out, result } = await run(root, { emit });
      assert.deepEqual(brief(result.diagnostics), [], emit);
      const files = outFiles(out);
      assert.equal(files.length, emit === "ts" ? 3 : 6, files.join(" "));
      const long = files.find((f) => f.startsWith("a"))!;
      assert.match(long, emit === "ts" ? /^a{91}-[0-9a-f]{8}\.ts$/ : /^a{91}-[0-9a-f]{8}\.(js|d\.ts)$/);
      const manifest = JSON.parse(fs.readFileSync(path.join(out, ".igluc-manifest.json"), "utf8")) as { modules: Record<string, { type: string; file: string }> };
      assert.equal(manifest.modules[`iglu:com.acme/${name}/jsonschema/1-0-0`]?.type, `A${"a".repeat(length - 1)}`);
    }
  });

  test("every name Object.prototype has works as a property, required or not, and in an enum's objects", async () => {
    const names = Object.getOwnPropertyNames(Object.prototype);
    assert.ok(names.includes("hasOwnProperty") && names.includes("__proto__") && names.length >= 12);
    const properties: Record<string, unknown> = {};
    for (const n of names) Object.defineProperty(properties, n, { value: { type: "string", maxLength: 9 }, enumerable: true, writable: true, configurable: true });
    const value: Record<string, unknown> = {};
    for (const n of names) Object.defineProperty(value, n, { value: 1, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(properties, "both", { value: { enum: [value] }, enumerable: true });
    const root = registry({ "com.acme/proto/jsonschema/1-0-0": selfDescribing("proto", "1-0-0", { type: "object", properties, required: names.slice(0, 6), additionalProperties: false }) });
    const { out, result } = await run(root);
    assert.deepEqual(result.diagnostics, []);
    const text = fs.readFileSync(path.join(out, "proto.ts"), "utf8");
    for (const [i, n] of names.entries()) assert.ok(text.includes(`\n  ${n}${i < 6 ? "" : "?"}: string\n`), `${n} in\n${text}`);
    assert.ok(text.includes(`both?: {${names.map((n) => `"${n}":1`).join(",")}}`), text);
  });

  test("a dangling link is an error for that file only; the rest is generated", async () => {
    const root = registry({ "com.acme/linked/jsonschema/1-0-0": selfDescribing("linked", "1-0-0", FINE) });
    fs.symlinkSync(path.join(root, "nothing"), path.join(root, "schemas/com.acme/linked/jsonschema/1-0-1"));
    const { out, result } = await run(root);
    assert.deepEqual(brief(result.diagnostics), ["file-unreadable iglu:com.acme/linked/jsonschema/1-0-1#-"]);
    assert.deepEqual([result.stats.generated, result.stats.failed], [1, 1]);
    // The broken newest version is not replaced by the one before it.
    assert.deepEqual(outFiles(out), ["fine.ts", "index.ts"]);
  });

  test("a link to a file outside the registry is not followed, and its content never shown", async () => {
    const root = registry({ "com.acme/linked/jsonschema/1-0-0": selfDescribing("linked", "1-0-0", FINE) });
    const secret = path.join(root, "secret.txt");
    fs.writeFileSync(secret, "root:x:0:0:SECRET-CONTENT\n");
    fs.symlinkSync(secret, path.join(root, "schemas/com.acme/linked/jsonschema/1-0-1"));
    // A link that stays inside the registry is followed.
    fs.writeFileSync(path.join(root, "schemas/kept.json"), JSON.stringify(selfDescribing("linked", "1-0-2", FINE)));
    fs.symlinkSync("../../../kept.json", path.join(root, "schemas/com.acme/linked/jsonschema/1-0-2"));
    const { out, result } = await run(root);
    assert.deepEqual(brief(result.diagnostics), ["link-outside iglu:com.acme/linked/jsonschema/1-0-1#-"]);
    assert.deepEqual(outFiles(out), ["fine.ts", "index.ts", "linked.ts"]);
    assert.ok(!JSON.stringify(result.diagnostics).includes("SECRET"));
  });

  test("out/index.ts a link to a folder: replaced by the file, nothing written through it", async () => {
    const root = registry({});
    const out = path.join(root, "out");
    const elsewhere = path.join(root, "elsewhere");
    fs.mkdirSync(out);
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, path.join(out, "index.ts"));
    const { result } = await run(root);
    assert.deepEqual(brief(result.diagnostics), []);
    assert.ok(fs.lstatSync(path.join(out, "index.ts")).isFile());
    assert.deepEqual(fs.readdirSync(elsewhere), []);
  });

  test("a folder where a file is to be written: an error for that file; the others are written", async () => {
    const root = registry({ "com.acme/other/jsonschema/1-0-0": selfDescribing("other", "1-0-0", FINE) });
    const out = path.join(root, "out");
    fs.mkdirSync(path.join(out, "other.ts"), { recursive: true });
    const { result } = await run(root);
    assert.deepEqual(brief(result.diagnostics), ["output-blocked #-"]);
    assert.match(result.diagnostics.find((d) => d.code === "output-blocked")?.file ?? "", /other\.ts$/);
    assert.ok(fs.statSync(path.join(out, "fine.ts")).isFile());
    assert.ok(fs.statSync(path.join(out, "index.ts")).isFile());
  });
});
