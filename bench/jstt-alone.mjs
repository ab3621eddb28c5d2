/**
 * The reference for bench/generate.mjs: json-schema-to-typescript alone
 * (formatting off) compiling every JSON Schema of a registry, one after the other.
 * Usage: node bench/jstt-alone.mjs <registry schemas dir>
 */
import fs from "node:fs";
import path from "node:path";
import { compile } from "json-schema-to-typescript";

const root = process.argv[2];
const files = [];
for (const vendor of fs.readdirSync(root)) {
  for (const name of fs.readdirSync(path.join(root, vendor))) {
    const dir = path.join(root, vendor, name, "jsonschema");
    if (!fs.existsSync(dir)) continue;
    for (const version of fs.readdirSync(dir)) files.push(path.join(dir, version));
  }
}
let ok = 0;
for (const file of files) {
  try {
    await compile(JSON.parse(fs.readFileSync(file, "utf8")), "Schema", { bannerComment: "", format: false, cwd: path.dirname(file), $refOptions: { resolve: { external: false } } });
    ok++;
  } catch {
    // A schema it cannot compile (an external $ref) still counts as work done.
  }
}
process.stdout.write(JSON.stringify({ files: files.length, ok }) + "\n");
