/**
 * The CommonJS build of @igluc/runtime, from the ES module build tsc made in
 * dist/esm: each file converted on its own by esbuild (no bundling, so the
 * two builds have the same files), with the declarations beside them, in a
 * folder whose package.json says "commonjs" (so Node and TypeScript read
 * both the .js and the .d.ts files there as CommonJS).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const from = path.join(root, "dist/esm");
const to = path.join(root, "dist/cjs");
fs.rmSync(to, { recursive: true, force: true });

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

let files = 0;
for (const file of walk(from)) {
  const target = path.join(to, path.relative(from, file));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (file.endsWith(".d.ts")) {
    fs.copyFileSync(file, target);
  } else if (file.endsWith(".js")) {
    const { code } = transformSync(fs.readFileSync(file, "utf8"), {
      format: "cjs", target: "node20", platform: "neutral", sourcefile: path.relative(root, file),
      // import.meta.url only serves createRequire in the Node entry; in CommonJS the file's own URL stands in.
      define: { "import.meta.url": "__igluc_module_url" },
      banner: file.includes(`${path.sep}redis${path.sep}`) ? 'const __igluc_module_url = require("node:url").pathToFileURL(__filename).href;' : "",
    });
    fs.writeFileSync(target, code);
    files++;
  }
}
fs.writeFileSync(path.join(to, "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
console.log(`dist/cjs: ${files} CommonJS modules`);
