/**
 * json-schema-to-typescript requires prettier when it is loaded, and prettier
 * starts importing its 680 KB ES module at once, though igluc never formats
 * with it; and its reference parser, though igluc's schemas arrive resolved.
 * emit/types.ts loads json-schema-to-typescript with stubs for both that load
 * the real module only when someone else's call needs it: these check that
 * neither is loaded, and that each stub is the real thing when so used.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs `body` (an ES module's text) in a fresh process, in which emit/types.ts compiled a type first. */
function afterCompile(body: string): string {
  const script = `
    import { createRequire } from "node:module";
    import { compileType } from ${JSON.stringify(path.join(root, "generator/emit/types.ts"))};
    const compiled = await compileType({ uri: "iglu:com.acme/a/jsonschema/1-0-0", typeName: "A", schema: { type: "object", properties: { id: { type: "string" } } } });
    if (!("text" in compiled)) throw new Error(compiled.error);
    const jstt = createRequire(import.meta.url).resolve("json-schema-to-typescript");
    const require = createRequire(jstt);
    const path = await import("node:path");
    await new Promise((resolve) => setTimeout(resolve, 50));
    ${body}`;
  return execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
}

test("compiling a type does not load prettier", () => {
  const loaded = afterCompile(`console.log(Object.keys(require.cache).filter((id) => id.includes(\`\${"/"}prettier\${"/"}\`)).length);`);
  assert.equal(loaded.trim(), "0");
});

test("json-schema-to-typescript still formats with prettier when asked to, and prettier is its own afterwards", () => {
  const out = afterCompile(`
    const { compile } = require("json-schema-to-typescript");
    const text = await compile({ type: "object", properties: { id: { type: "string" } } }, "B", { bannerComment: "", format: true });
    console.log(JSON.stringify({ text, real: typeof require("prettier").resolveConfig === "function" }));`);
  const { text, real } = JSON.parse(out) as { text: string; real: boolean };
  assert.equal(text, "export interface B {\n  id?: string;\n  [k: string]: unknown;\n}\n");
  assert.equal(real, true);
});

test("compiling a type does not load the reference parser, which json-schema-to-typescript still uses for anyone else's schemas", () => {
  const out = afterCompile(`
    const parser = path.dirname(require.resolve("@apidevtools/json-schema-ref-parser/package.json"));
    const loaded = () => Object.keys(require.cache).filter((id) => id.startsWith(parser + path.sep)).length;
    const before = loaded();
    const { compile } = require("json-schema-to-typescript");
    const schema = { definitions: { sku: { type: "string" } }, type: "object", properties: { sku: { $ref: "#/definitions/sku" } }, additionalProperties: false };
    const text = await compile(schema, "C", { bannerComment: "", format: false, declareExternallyReferenced: false });
    console.log(JSON.stringify({ before, text, after: loaded() > 0 }));`);
  const { before, text, after } = JSON.parse(out) as { before: number; text: string; after: boolean };
  assert.equal(before, 0);
  assert.equal(text, "export interface C {\nsku?: Sku\n}\n");
  assert.equal(after, true, "the real parser resolved that reference");
});

test("code of the process that runs while json-schema-to-typescript loads (a promise settled just before) gets the real reference parser and prettier, never a stub", () => {
  const script = `
    import { createRequire } from "node:module";
    import { compileType } from ${JSON.stringify(path.join(root, "generator/emit/types.ts"))};
    const require = createRequire(createRequire(import.meta.url).resolve("json-schema-to-typescript"));
    // Queued before the first type is compiled: it runs in the turn that loads json-schema-to-typescript.
    const seen = Promise.resolve().then(() => {
      const parser = require("@apidevtools/json-schema-ref-parser");
      const prettier = require("prettier");
      return { parser: typeof parser.dereference === "function", prettier: typeof prettier.resolveConfig === "function" };
    });
    const compiled = compileType({ uri: "iglu:com.acme/a/jsonschema/1-0-0", typeName: "A", schema: { type: "object" } });
    console.log(JSON.stringify({ ...(await seen), compiled: "text" in (await compiled) }));`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 60_000 });
  assert.deepEqual(JSON.parse(out), { parser: true, prettier: true, compiled: true });
});
