/**
 * Pull benchmark: `igluc pull` of 600 schemas (Iglu Central's first 600 valid
 * JSON Schemas) from an Iglu Server on 127.0.0.1 (the test suite's, in this
 * process), each pull a fresh process writing to an empty folder. For scale,
 * in the same run: a bare Node script that lists and GETs the same 600 with
 * fetch(), 8 at a time, and neither checks nor writes them. igluctl's
 * `static pull` needs a JVM and a download, so it is not run.
 * BENCH_RUNS rounds (default 7), alternating; medians and ratios.
 * Usage: npm run bench:pull  (builds first: it runs dist/)
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startIgluServer } from "../test/support/registries.ts";
import { createSelfCheck } from "../generator/validate/self-describing.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const registry = path.resolve(process.env.BENCH_REGISTRY ?? path.join(root, "../shared/iglu-central/schemas"));
const runs = Number(process.env.BENCH_RUNS ?? 7);
const COUNT = 600;
if (!fs.existsSync(registry)) {
  console.error(`bench:pull: no registry at ${registry} (set BENCH_REGISTRY)`);
  process.exit(2);
}

// The first 600 schemas that are valid (two Iglu Central files repeat a key, which pull rightly refuses).
const check = createSelfCheck();
const schemas = new Map();
for (const vendor of fs.readdirSync(registry).sort()) {
  for (const name of fs.readdirSync(path.join(registry, vendor)).sort()) {
    const dir = path.join(registry, vendor, name, "jsonschema");
    if (!fs.existsSync(dir)) continue;
    for (const version of fs.readdirSync(dir).sort()) {
      const text = fs.readFileSync(path.join(dir, version), "utf8");
      const key = { vendor, name, format: "jsonschema", version };
      if (check({ path: path.join(dir, version), display: version, key }, text).schema !== undefined) schemas.set(`iglu:${vendor}/${name}/jsonschema/${version}`, text);
    }
  }
}
const chosen = new Map([...schemas].slice(0, COUNT));
// References out of the 600 would be pulled too; keep the set closed so every round pulls exactly 600.
for (const [uri, text] of chosen) if (/"\$ref"\s*:\s*"(iglu:|https?:\/\/iglucentral)/.test(text)) chosen.delete(uri);
for (const [uri, text] of schemas) if (chosen.size < COUNT && !chosen.has(uri) && !/"\$ref"\s*:\s*"(iglu:|https?:\/\/iglucentral)/.test(text)) chosen.set(uri, text);

const server = await startIgluServer({ schemas: chosen });
const work = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-bench-pull-"));
const bin = path.join(root, "dist/generator/cli/bin.js");
const baseline = `
const base = ${JSON.stringify(server.url)};
const list = await (await fetch(base + "/schemas?repr=uri")).json();
let i = 0, n = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (i < list.length) { const uri = list[i++]; const r = await fetch(base + "/schemas/" + uri.slice(5)); await r.text(); n++; }
}));
if (n !== ${chosen.size}) throw new Error("fetched " + n);
`;

// Asynchronous: the server answers from this process's event loop.
const run = promisify(execFile);
const time = async (args) => {
  const started = performance.now();
  await run(process.execPath, args, { cwd: work, maxBuffer: 16 << 20 });
  return performance.now() - started;
};
const samples = { pull: [], fetch: [] };
for (let i = 0; i < runs; i++) {
  for (const which of i % 2 === 0 ? ["pull", "fetch"] : ["fetch", "pull"]) {
    if (which === "pull") {
      fs.rmSync(path.join(work, "schemas"), { recursive: true, force: true });
      samples.pull.push(await time([bin, "pull", "--registry", server.url, "--out", "schemas"]));
      const written = fs.readdirSync(path.join(work, "schemas"), { recursive: true }).filter((f) => fs.statSync(path.join(work, "schemas", f)).isFile()).length;
      if (written !== chosen.size) throw new Error(`pulled ${written} files, expected ${chosen.size}`);
    } else {
      samples.fetch.push(await time(["--input-type=module", "-e", baseline]));
    }
  }
  process.stderr.write(`round ${i + 1}/${runs}: pull ${Math.round(samples.pull.at(-1))} ms, fetch ${Math.round(samples.fetch.at(-1))} ms\n`);
}
await server.close();
fs.rmSync(work, { recursive: true, force: true });
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const m = { pull: median(samples.pull), fetch: median(samples.fetch) };
const line = (label, ms, note = "") => console.log(`${label.padEnd(64)} ${String(Math.round(ms)).padStart(6)} ms  ${note}`);
console.log(`\nPull benchmark: ${chosen.size} schemas from an Iglu Server on 127.0.0.1, ${runs} rounds, medians; node ${process.version}, ${os.cpus().length} CPUs\n`);
line("node: list and fetch() them all, 8 at a time, nothing checked or written", m.fetch);
line("igluc pull (list, fetch, check each, write a registry folder)", m.pull, `${(m.pull / m.fetch).toFixed(2)}x the bare fetch (bar: <= 2000 ms)`);
console.log(`BENCH_JSON ${JSON.stringify({ medians: m, samples, schemas: chosen.size })}`);
