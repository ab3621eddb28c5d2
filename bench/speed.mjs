/**
 * How fast `igluc generate` feels, every row in one run so the figures share the machine's load:
 * - a cold run over a small registry (7 MODELs taken from the registry) against
 *   json-schema-to-typescript alone on the same files (bar: at most 1.3x);
 * - `igluc --version` against `node -e 0` (bar: at most 0.15 s more);
 * - one schema's description edited, run again, against that tree's cold run (bar: at most 0.15x);
 * - a cold run over the whole registry against json-schema-to-typescript alone (bar: at most 1.2x);
 * - nothing changed, against the cold run (bar: at most 0.15x, in every round, not only the median);
 * - `--watch`: from a schema file written to its module rewritten (bar: under 300 ms);
 * - for reference, json-schema-to-typescript alone compiling just the edited schema, in a fresh process: the
 *   floor of any tool that compiles the edited schema with it, against the edited run and the whole registry.
 * Each command is a fresh process, timed wall-clock, BENCH_RUNS rounds (default 5), alternating
 * which goes first; medians, ratios, and whether each bar is met.
 * Usage: npm run bench:speed   (BENCH_REGISTRY: a registry's schemas/ folder, default Iglu Central beside the project)
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.resolve(process.env.BENCH_REGISTRY ?? path.join(root, "../shared/iglu-central/schemas"));
const runs = Number(process.env.BENCH_RUNS ?? 5);
if (!fs.existsSync(source)) {
  console.error(`bench:speed: no registry at ${source} (set BENCH_REGISTRY)`);
  process.exit(2);
}
const bin = path.join(root, "dist/generator/cli/bin.js");
const jstt = path.join(root, "bench/jstt-alone.mjs");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-speed-"));
process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));

/** Every JSON Schema file of a registry, as [vendor, name, version] sorted. */
function schemaFiles(dir) {
  const found = [];
  for (const vendor of fs.readdirSync(dir).sort()) {
    for (const name of fs.readdirSync(path.join(dir, vendor)).sort()) {
      const versions = path.join(dir, vendor, name, "jsonschema");
      if (fs.existsSync(versions)) for (const version of fs.readdirSync(versions).sort()) found.push([vendor, name, version]);
    }
  }
  return found;
}
const copyFile = (from, to, [vendor, name, version]) => {
  fs.mkdirSync(path.join(to, vendor, name, "jsonschema"), { recursive: true });
  fs.copyFileSync(path.join(from, vendor, name, "jsonschema", version), path.join(to, vendor, name, "jsonschema", version));
};

// The whole registry, copied so that it can be edited; and a small one: the newest version of its first 7 schemas.
const big = path.join(work, "big/schemas");
const all = schemaFiles(source);
for (const file of all) copyFile(source, big, file);
const small = path.join(work, "small/schemas");
const families = new Map();
for (const file of all) families.set(`${file[0]}/${file[1]}`, file);
for (const file of [...families.values()].slice(0, 7)) copyFile(source, small, file);

// The schema edited: the registry's first with a top-level description.
const edited = all.map((f) => path.join(big, f[0], f[1], "jsonschema", f[2])).find((file) => {
  try {
    return typeof JSON.parse(fs.readFileSync(file, "utf8")).description === "string";
  } catch {
    return false;
  }
});
const editedJson = JSON.parse(fs.readFileSync(edited, "utf8"));
// The edited schema alone, in a registry of its own, for json-schema-to-typescript alone.
const one = path.join(work, "one/schemas");
copyFile(big, one, path.relative(big, edited).split(path.sep).filter((_, i) => i !== 2));
const uriOfEdited = `iglu:${editedJson.self.vendor}/${editedJson.self.name}/jsonschema/${editedJson.self.version}`;
let edits = 0;
/** Writes the edited schema with a new description; returns the text that will appear in its module. */
const edit = () => {
  const marker = `Edited for the benchmark, ${++edits}.`;
  fs.writeFileSync(edited, `${JSON.stringify({ ...editedJson, description: marker }, null, 2)}\n`);
  return marker;
};

const time = (args, options = {}) => {
  const started = performance.now();
  try {
    execFileSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20, cwd: work, ...options });
  } catch (error) {
    // Iglu Central has schemas igluc rejects on purpose: the run still did its work.
    if (!options.allowFailure) throw error;
  }
  return performance.now() - started;
};
const generate = (schemas, out) => [bin, "generate", "--schemas", schemas, "--out", out, "--versions", "all", "--quiet"];
// Every cold run writes to a folder of its own, and none is removed before the end. Removing the last
// round's 660 files first made the next cold run create its files among inodes ext4 had just freed:
// perf showed the kernel's inode allocator (find_inode_bit, recently_deleted) taking 0.4-0.5 s of a
// 2 s run, which a run into a new folder (a fresh clone, CI) never pays.
const outFolder = (name, round) => path.join(work, `${name}-out-${round}`);

const samples = { version: [], node: [], smallCold: [], smallJstt: [], bigCold: [], bigJstt: [], again: [], edited: [], oneJstt: [] };
for (let i = 0; i < runs; i++) {
  const pairs = [
    ["version", () => time([bin, "--version"])], ["node", () => time(["-e", "0"])],
    ["smallJstt", () => time([jstt, small])],
    ["smallCold", () => time(generate(small, outFolder("small", i)), { allowFailure: true })],
    ["bigJstt", () => time([jstt, big])],
    ["bigCold", () => time(generate(big, outFolder("big", i)), { allowFailure: true })],
  ];
  for (const [name, run] of i % 2 === 0 ? pairs : [...pairs].reverse()) samples[name].push(run());
  // After the cold run, in its folder: nothing changed, then one description edited.
  samples.again.push(time(generate(big, outFolder("big", i)), { allowFailure: true }));
  edit();
  samples.edited.push(time(generate(big, outFolder("big", i)), { allowFailure: true }));
  samples.oneJstt.push(time([jstt, one]));
  process.stderr.write(`round ${i + 1}/${runs}: ${Object.entries(samples).map(([k, v]) => `${k} ${Math.round(v.at(-1))} ms`).join(", ")}\n`);
}

/** `--watch` over the whole registry: from the edited file written to its module holding the new text. */
async function watchLatencies(rounds) {
  const out = path.join(work, "watch-out");
  const child = spawn(process.execPath, [...generate(big, out), "--watch"], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => { stderr += chunk; });
  const until = async (what, done, ms) => {
    const deadline = performance.now() + ms;
    while (!done()) {
      if (performance.now() > deadline) throw new Error(`bench:speed: --watch: no ${what} within ${ms} ms\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  try {
    await until("first run", () => /watching for changes/.test(stderr), 120_000);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, ".igluc-manifest.json"), "utf8"));
    const module = path.join(out, manifest.modules[uriOfEdited].file);
    const read = () => { try { return fs.readFileSync(module, "utf8"); } catch { return ""; } };
    const latencies = [];
    for (let i = 0; i < rounds; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      const marker = edit();
      await until("rewritten module", () => read().includes(marker), 30_000);
      latencies.push(performance.now() - started);
    }
    return latencies;
  } finally {
    child.kill();
  }
}
const watch = await watchLatencies(runs);

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
/** The ratio of the medians, and the median of each round's own ratio (the two commands ran side by side, under the same load). */
const ratio = (a, b) => `${(m[a] / m[b]).toFixed(2)}x (rounds ${median(samples[a].map((v, i) => v / samples[b][i])).toFixed(2)}x)`;
const againWorst = Math.max(...samples.again.map((ms, i) => ms / samples.bigCold[i]));
const rows = [
  [`cold run, ${families.size < 7 ? families.size : 7} MODELs`, s(m.smallCold), `json-schema-to-typescript alone: ${s(m.smallJstt)}`, ratio("smallCold", "smallJstt"), "<= 1.3x", m.smallCold / m.smallJstt <= 1.3],
  ["igluc --version", s(m.version), `node -e 0: ${s(m.node)}`, `+${s(m.version - m.node)}`, "<= +0.15 s", m.version - m.node <= 150],
  ["one description edited, run again", s(m.edited), `cold run: ${s(m.bigCold)}`, ratio("edited", "bigCold"), "<= 0.15x", m.edited / m.bigCold <= 0.15],
  [`cold run, ${all.length} schemas`, s(m.bigCold), `json-schema-to-typescript alone: ${s(m.bigJstt)}`, ratio("bigCold", "bigJstt"), "<= 1.2x", m.bigCold / m.bigJstt <= 1.2],
  ["nothing changed", s(m.again), `cold run: ${s(m.bigCold)}`, `${ratio("again", "bigCold")}, worst round ${againWorst.toFixed(2)}x`, "<= 0.15x every round", againWorst <= 0.15],
  ["json-schema-to-typescript alone, the edited schema only", s(m.oneJstt), `its whole registry: ${s(m.bigJstt)}`, ratio("oneJstt", "bigJstt"), "(reference)", null],
  ["one description edited, against that reference", s(m.edited), `json-schema-to-typescript, that schema: ${s(m.oneJstt)}`, ratio("edited", "oneJstt"), "(reference)", null],
  ["--watch: edit to module written", `${Math.round(median(watch))} ms`, `max ${Math.round(Math.max(...watch))} ms`, "", "< 300 ms", median(watch) < 300],
];
console.log(`\nigluc generate speed, ${runs} rounds, medians (registry: ${path.relative(root, source) || source}, ${os.cpus().length} cores)\n`);
console.log("| what | igluc | reference | ratio | bar | met |");
console.log("|---|---|---|---|---|---|");
for (const [what, value, reference, r, bar, met] of rows) console.log(`| ${what} | ${value} | ${reference} | ${r} | ${bar} | ${met === null ? "—" : met ? "yes" : "no"} |`);
