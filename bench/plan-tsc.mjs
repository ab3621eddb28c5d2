/**
 * What event specifications cost a user's type check: `tsc --noEmit --strict`
 * over the SDK generated from the e-commerce tracking plan (8 specifications,
 * test/fixtures/plans/ecommerce.yaml, over the 10 Iglu Central schemas beside
 * it), against the same SDK generated without the plan, beside an empty
 * project of the same settings. The igluc target; TypeScript 5 and 7. Wall
 * time on a shared machine is noisy at this size, so tsc's own check time and
 * its counts of types and instantiations (exact, the same every run) are
 * printed too, with each ratio of the two SDKs.
 *
 * Usage: npm run bench:plan  (builds first). Medians of BENCH_ROUNDS (at least
 * 5) runs, the projects taken in turn within each round.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Math.max(5, Number(process.env.BENCH_ROUNDS ?? 5));
const bin = path.join(root, "dist/generator/cli/bin.js");
const COMPILERS = { "TypeScript 5": path.join(root, "node_modules/typescript/bin/tsc"), "TypeScript 7": path.join(root, "node_modules/typescript7/bin/tsc") };
const registry = path.join(root, "test/fixtures/plans/iglu-central");
const plan = path.join(root, "test/fixtures/plans/ecommerce.yaml");

const work = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-bench-plan-"));
process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));

function project(name) {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, "node_modules/@igluc"), { recursive: true });
  fs.symlinkSync(fs.realpathSync(path.join(root, "node_modules/@igluc/runtime")), path.join(dir, "node_modules/@igluc/runtime"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench", private: true, type: "module" }));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022"], strict: true, noEmit: true, skipLibCheck: true, types: [] },
    include: ["**/*.ts"], exclude: ["node_modules"],
  }));
  return dir;
}
const generate = (dir, extra) =>
  execFileSync(process.execPath, [bin, "generate", "--schemas", registry, "--out", path.join(dir, "tracking"), "--quiet", "--concurrency", "1", ...extra], { stdio: "inherit" });

const projects = [
  { label: "SDK with 8 specifications", dir: project("with"), extra: ["--plan", plan] },
  { label: "same SDK, no specifications", dir: project("without"), extra: [] },
  { label: "empty project", dir: project("empty") },
];
for (const p of projects) {
  if (p.extra === undefined) fs.writeFileSync(path.join(p.dir, "empty.ts"), "export {};\n");
  else generate(p.dir, p.extra);
}
if (!fs.existsSync(path.join(projects[0].dir, "tracking/specifications.ts"))) throw new Error("the plan was not generated");

/** One run: its wall time, and what tsc says of itself (--extendedDiagnostics): check time, types and instantiations made. */
function run(tsc, dir) {
  const started = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json"), "--extendedDiagnostics"], { encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const stat = (name) => Number(new RegExp(`^${name}:\\s+([0-9.]+)`, "m").exec(out)?.[1] ?? NaN);
  return { wall, check: stat("Check time") * 1000, types: stat("Types"), instantiations: stat("Instantiations") };
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const files = (dir) => fs.readdirSync(path.join(dir, "tracking")).filter((f) => f.endsWith(".ts")).length;
const KEYS = ["wall", "check", "types", "instantiations"];

console.log(`tsc --noEmit --strict, igluc target, ${files(projects[0].dir)} files with the plan, ${files(projects[1].dir)} without; medians of ${ROUNDS} rounds`);
console.log("(wall: the whole tsc process, ms; check: tsc's own check time, ms; types and instantiations: what tsc made, from --extendedDiagnostics)");
for (const [compiler, tsc] of Object.entries(COMPILERS)) {
  const samples = projects.map(() => []);
  for (const p of projects) run(tsc, p.dir);
  for (let r = 0; r < ROUNDS; r++) projects.forEach((p, i) => samples[i].push(run(tsc, p.dir)));
  const m = samples.map((runs) => Object.fromEntries(KEYS.map((k) => [k, median(runs.map((x) => x[k]))])));
  console.log(`\n${compiler}`);
  console.log(`  ${"project".padEnd(30)} ${"wall".padStart(7)} ${"check".padStart(7)} ${"types".padStart(7)} ${"instantiations".padStart(15)}`);
  projects.forEach((p, i) => console.log(`  ${p.label.padEnd(30)} ${m[i].wall.toFixed(0).padStart(7)} ${m[i].check.toFixed(0).padStart(7)} ${String(m[i].types).padStart(7)} ${String(m[i].instantiations).padStart(15)}`));
  const ratio = (k) => (m[0][k] / m[1][k]).toFixed(2);
  console.log(`  ${"ratio with / without".padEnd(30)} ${ratio("wall").padStart(7)} ${ratio("check").padStart(7)} ${ratio("types").padStart(7)} ${ratio("instantiations").padStart(15)}`);
}
