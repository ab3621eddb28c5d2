/**
 * Generator benchmark, all in one run so the figures share the machine's load:
 * - `igluc generate` cold (empty output folder) on every version of every
 *   schema in a registry (default: Iglu Central beside the project),
 * - the same again with nothing changed,
 * - json-schema-to-typescript alone (formatting off) on the same schemas,
 * - `tsc --noEmit --strict` over the generated code, and over an empty project;
 * - the same with `--emit js` (JavaScript with .d.ts declarations): its cold run and tsc over it.
 * Each is a fresh process, timed wall-clock, alternating, BENCH_RUNS times (default 5); medians and ratios.
 * Usage: npm run bench:generate  (build first: it runs dist/)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const registry = path.resolve(process.env.BENCH_REGISTRY ?? path.join(root, "../shared/iglu-central/schemas"));
const runs = Number(process.env.BENCH_RUNS ?? 5);
if (!fs.existsSync(registry)) {
  console.error(`bench:generate: no registry at ${registry} (set BENCH_REGISTRY)`);
  process.exit(2);
}
const bin = path.join(root, "dist/generator/cli/bin.js");
const tsc = path.join(root, "node_modules/typescript/bin/tsc");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-bench-"));
const out = path.join(work, "project/tracking");
const jsOut = path.join(work, "js-project/tracking");
fs.mkdirSync(path.join(work, "project/node_modules"), { recursive: true });
fs.symlinkSync(root, path.join(work, "project/node_modules/igluc"), "dir");
fs.mkdirSync(path.join(work, "empty"));
fs.writeFileSync(path.join(work, "empty/empty.ts"), "export {};\n");
const tsconfig = (dir, include, skipLibCheck = true) => {
  const file = path.join(dir, skipLibCheck ? "tsconfig.json" : "tsconfig.libcheck.json");
  fs.writeFileSync(file, JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck, types: [] }, include }));
  return file;
};
fs.mkdirSync(path.join(work, "js-project/node_modules"), { recursive: true });
fs.symlinkSync(root, path.join(work, "js-project/node_modules/igluc"), "dir");
fs.writeFileSync(path.join(work, "project/package.json"), JSON.stringify({ type: "module" }));
fs.writeFileSync(path.join(work, "js-project/package.json"), JSON.stringify({ type: "module" }));
const projectConfig = tsconfig(path.join(work, "project"), ["tracking/**/*.ts"]);
const jsProjectConfig = tsconfig(path.join(work, "js-project"), ["tracking/**/*.ts"]);
const jsLibCheckConfig = tsconfig(path.join(work, "js-project"), ["tracking/**/*.ts"], false);
const emptyConfig = tsconfig(path.join(work, "empty"), ["empty.ts"]);

const time = (args, options = {}) => {
  const started = performance.now();
  try {
    execFileSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20, ...options });
  } catch (error) {
    if (!options.allowFailure) throw error;
  }
  return performance.now() - started;
};
const generateArgs = [bin, "generate", "--schemas", registry, "--out", out, "--versions", "all", "--quiet"];
const jsArgs = [bin, "generate", "--schemas", registry, "--out", jsOut, "--versions", "all", "--emit", "js", "--quiet"];
const samples = { jstt: [], cold: [], again: [], tscOutput: [], tscEmpty: [], jsCold: [], tscJs: [], tscJsLibCheck: [] };
for (let i = 0; i < runs; i++) {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(jsOut, { recursive: true, force: true });
  const order = i % 2 === 0 ? ["jstt", "igluc"] : ["igluc", "jstt"];
  for (const which of order) {
    if (which === "jstt") samples.jstt.push(time([path.join(root, "bench/jstt-alone.mjs"), registry], { cwd: root }));
    else {
      samples.cold.push(time(generateArgs, { allowFailure: true }));
      samples.again.push(time(generateArgs, { allowFailure: true }));
    }
  }
  samples.jsCold.push(time(jsArgs, { allowFailure: true }));
  samples.tscOutput.push(time([tsc, "-p", projectConfig]));
  samples.tscJs.push(time([tsc, "-p", jsProjectConfig]));
  samples.tscJsLibCheck.push(time([tsc, "-p", jsLibCheckConfig]));
  samples.tscEmpty.push(time([tsc, "-p", emptyConfig]));
  process.stderr.write(`round ${i + 1}/${runs}: ${Object.entries(samples).map(([k, v]) => `${k} ${Math.round(v.at(-1))} ms`).join(", ")}\n`);
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
const files = fs.readdirSync(out).filter((f) => f.endsWith(".ts")).length;
const line = (label, ms, note = "") => console.log(`${label.padEnd(58)} ${String(Math.round(ms)).padStart(6)} ms  ${note}`);
console.log(`\nGenerator benchmark: ${registry} (every version), ${runs} rounds, medians; node ${process.version}, ${os.cpus().length} CPUs\n`);
line("json-schema-to-typescript alone (format off)", m.jstt);
line("igluc generate, cold (validation + emission + write)", m.cold, `${(m.cold / m.jstt).toFixed(2)}x jstt alone (bar: <= 1.00x)`);
line("igluc generate, nothing changed", m.again, `${(m.again / m.cold).toFixed(3)}x the cold run (bar: <= 0.15x)`);
line(`tsc --noEmit --strict over the output (${files} files)`, m.tscOutput);
line("tsc --noEmit --strict over an empty project", m.tscEmpty, `difference ${Math.round(m.tscOutput - m.tscEmpty)} ms (bar: <= 1500 ms)`);
line("igluc generate --emit js, cold", m.jsCold, `${(m.jsCold / m.jstt).toFixed(2)}x jstt alone`);
line("tsc --noEmit --strict over the --emit js output (.d.ts)", m.tscJs, `difference ${Math.round(m.tscJs - m.tscEmpty)} ms over the empty project`);
line("  the same with skipLibCheck off", m.tscJsLibCheck, `difference ${Math.round(m.tscJsLibCheck - m.tscEmpty)} ms`);
console.log(`BENCH_JSON ${JSON.stringify({ medians: m, samples, files })}`);
fs.rmSync(work, { recursive: true, force: true });
