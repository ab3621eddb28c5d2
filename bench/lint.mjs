/**
 * Lint benchmark: `igluc lint` over every schema of a registry (default: Iglu
 * Central beside the project), version history included, each run a fresh
 * process timed wall-clock, as CI would run it. For scale, in the same run:
 * a Node process that only reads and JSON.parses the same files (the floor
 * any JavaScript linter starts from). igluctl, the peer, needs a JVM and a
 * download this machine cannot make, so it is not run.
 * BENCH_RUNS times (default 7), alternating; medians and ratios.
 * Usage: npm run bench:lint  (build first: it runs dist/)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const registry = path.resolve(process.env.BENCH_REGISTRY ?? path.join(root, "../shared/iglu-central/schemas"));
const runs = Number(process.env.BENCH_RUNS ?? 7);
if (!fs.existsSync(registry)) {
  console.error(`bench:lint: no registry at ${registry} (set BENCH_REGISTRY)`);
  process.exit(2);
}
const bin = path.join(root, "dist/generator/cli/bin.js");
const floor = `
const fs = require("node:fs"), path = require("node:path");
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
let n = 0;
for (const f of walk(${JSON.stringify(registry)})) { try { JSON.parse(fs.readFileSync(f, "utf8")); n++; } catch {} }
`;

const time = (args) => {
  const started = performance.now();
  try {
    execFileSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  } catch (error) {
    if (error.status !== 1) throw error; // lint exits 1 when it finds errors; that is a result, not a failure
  }
  return performance.now() - started;
};

const samples = { lint: [], preset: [], floor: [] };
for (let i = 0; i < runs; i++) {
  const order = i % 2 === 0 ? ["lint", "preset", "floor"] : ["floor", "preset", "lint"];
  for (const which of order) {
    if (which === "lint") samples.lint.push(time([bin, "lint", registry, "--format", "json"]));
    else if (which === "preset") samples.preset.push(time([bin, "lint", registry, "--preset", "iglu-central", "--format", "json"]));
    else samples.floor.push(time(["-e", floor]));
  }
  process.stderr.write(`round ${i + 1}/${runs}: ${Object.entries(samples).map(([k, v]) => `${k} ${Math.round(v.at(-1))} ms`).join(", ")}\n`);
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const line = (label, ms, note = "") => console.log(`${label.padEnd(62)} ${String(Math.round(ms)).padStart(6)} ms  ${note}`);
console.log(`\nLint benchmark: ${registry}, ${runs} rounds, medians; node ${process.version}, ${os.cpus().length} CPUs\n`);
line("node: read and JSON.parse every file (the floor)", m.floor);
line("igluc lint, every check (history included)", m.lint, `${(m.lint / m.floor).toFixed(2)}x the floor (bar: <= 2000 ms)`);
line("igluc lint --preset iglu-central", m.preset, `${(m.preset / m.floor).toFixed(2)}x the floor`);
console.log(`BENCH_JSON ${JSON.stringify({ medians: m, samples })}`);
