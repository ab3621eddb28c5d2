/**
 * json-schema-to-typescript requires prettier when it is loaded, and prettier
 * starts importing its 680 KB ES module at once, though igluc never formats
 * with it; its reference parser requires a js-yaml of its own, though igluc
 * never has it read a file. emit/types.ts loads json-schema-to-typescript with
 * stubs for both that load the real module only if it is called: these check
 * that neither is loaded, and that each stub is the real thing when used.
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

test("compiling a type does not load the reference parser's js-yaml, which still reads YAML when asked to", () => {
  const out = afterCompile(`
    const parserRequire = createRequire(require.resolve("@apidevtools/json-schema-ref-parser"));
    const yaml = parserRequire.resolve("js-yaml");
    const loaded = Object.keys(require.cache).filter((id) => id.startsWith(yaml.slice(0, yaml.lastIndexOf("js-yaml")))).length;
    const fs = await import("node:fs");
    const file = (await import("node:path")).join((await import("node:os")).tmpdir(), \`igluc-jstt-load-\${process.pid}.yaml\`);
    fs.writeFileSync(file, "type: object\\nproperties:\\n  id: { type: string }\\n");
    const { $RefParser } = require("@apidevtools/json-schema-ref-parser");
    const parsed = await new $RefParser().parse(file);
    fs.rmSync(file);
    console.log(JSON.stringify({ loaded, parsed }));`);
  const { loaded, parsed } = JSON.parse(out) as { loaded: number; parsed: unknown };
  assert.equal(loaded, 0);
  assert.deepEqual(parsed, { type: "object", properties: { id: { type: "string" } } });
});
