/**
 * The shipped JavaScript of @igluc/runtime: each entry (index: browsers,
 * workers, edge, Deno, Bun; node: Node; iglu: the Iglu URI and SchemaVer
 * model, which the generator uses too; validation: the one format of
 * validation messages, shared by igluc micro and generated validators, and
 * what generated validators call at run time; validation-builtins: the
 * validators of the built-in events, which igluc generates into builtins/ as
 * JavaScript that tsc does not copy) bundled into one file by esbuild, as
 * an ES module (dist/esm) and as CommonJS (dist/cjs), so loading the package
 * reads one file (on Node, 12 ms instead of 30 ms for the files one by one: it
 * counts in a serverless cold start). bullmq (Node only: the BullMQ emitter
 * and worker, a subpath of its own so the main entry never loads bullmq), and
 * the igluc-worker command (dist/bin, an ES module with its shebang). The declarations stay one file per
 * module, as tsc wrote them; the CommonJS folder has a copy, with a
 * package.json saying "commonjs" so Node and TypeScript read both as such.
 * Optional peers and Node's modules stay outside the bundles.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const esm = path.join(root, "dist/esm");
const cjs = path.join(root, "dist/cjs");
/** Entry name → its module under dist/esm (without .js). */
const ENTRY_MODULES = { index: "index", node: "node", iglu: "iglu", validation: "validation/index", "validation-builtins": "validation/builtins", bullmq: "bullmq" };
const ENTRIES = Object.keys(ENTRY_MODULES);

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

// tsc wrote one .js per module: only the declarations are kept from it.
const compiled = walk(esm).filter((file) => file.endsWith(".js"));
// The built-in events' validators (generated JavaScript, --validators) beside the compiled modules that import them.
for (const name of fs.readdirSync(path.join(root, "builtins")).filter((n) => n.endsWith(".js"))) {
  const target = path.join(esm, "builtins", name);
  fs.copyFileSync(path.join(root, "builtins", name), target);
  compiled.push(target);
}
const common = {
  bundle: true, target: "es2022", platform: "neutral", external: ["node:*", "undici", "@redis/client", "bullmq", "ioredis"], logLevel: "warning",
  // import.meta.url only serves createRequire (optional peers, Node entry); in CommonJS the file's own URL stands in.
  mainFields: ["module", "main"],
};
const sources = Object.fromEntries(ENTRIES.map((name) => [name, path.join(esm, `${ENTRY_MODULES[name]}.js`)]));
const staged = path.join(root, "dist/.bundles");
fs.rmSync(staged, { recursive: true, force: true });
await build({ ...common, entryPoints: sources, outdir: path.join(staged, "esm"), format: "esm" });
await build({ ...common, entryPoints: { index: sources.index, iglu: sources.iglu, validation: sources.validation, "validation-builtins": sources["validation-builtins"] }, outdir: path.join(staged, "cjs"), format: "cjs" });
await build({
  ...common, entryPoints: { node: sources.node, bullmq: sources.bullmq }, outdir: path.join(staged, "cjs"), format: "cjs",
  define: { "import.meta.url": "__igluc_module_url" },
  banner: { js: 'const __igluc_module_url = require("node:url").pathToFileURL(__filename).href;' },
});
await build({
  ...common, entryPoints: { "igluc-worker": path.join(esm, "bullmq-bin.js") }, outdir: path.join(root, "dist/bin"), format: "esm",
  banner: { js: "#!/usr/bin/env node" },
});
fs.chmodSync(path.join(root, "dist/bin/igluc-worker.js"), 0o755);
for (const file of compiled) fs.rmSync(file);
fs.rmSync(path.join(esm, "bullmq-bin.d.ts"), { force: true });
fs.rmSync(cjs, { recursive: true, force: true });
for (const file of walk(esm)) {
  const target = path.join(cjs, path.relative(esm, file));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(file, target);
}
for (const name of ENTRIES) {
  fs.renameSync(path.join(staged, "esm", `${name}.js`), path.join(esm, `${name}.js`));
  fs.renameSync(path.join(staged, "cjs", `${name}.js`), path.join(cjs, `${name}.js`));
}
fs.rmSync(staged, { recursive: true, force: true });
fs.writeFileSync(path.join(cjs, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
console.log(`dist: ${ENTRIES.join(", ")} bundled as ES modules and CommonJS; bin/igluc-worker.js`);
