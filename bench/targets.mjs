/**
 * What each target costs a user's type check: `tsc --noEmit --strict` over a
 * 50-schema SDK generated for each target (igluc, browser-tracker,
 * node-tracker, react-native-tracker), in one run, each in a project with its
 * tracker's published types installed, beside an empty project of the same
 * settings (a page has the DOM library). What counts is a target's time over
 * its empty project against the igluc target's. TypeScript 5 and 7. The 50
 * schemas are made here, the same every run: objects of 4 to 12 fields
 * (strings, numbers, enums, nullable, nested objects, arrays of objects).
 *
 * Usage: npm run bench:targets  (builds first). Medians of ROUNDS runs,
 * the projects taken in turn within each round.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCHEMAS = 50;
const bin = path.join(root, "dist/generator/cli/bin.js");
const COMPILERS = { "TypeScript 5": path.join(root, "node_modules/typescript/bin/tsc"), "TypeScript 7": path.join(root, "node_modules/typescript7/bin/tsc") };
const TARGETS = [
  { name: "igluc", link: ["@igluc/runtime"], lib: ["es2022"] },
  { name: "browser-tracker", link: ["@snowplow/browser-tracker"], lib: ["es2022", "dom"] },
  { name: "node-tracker", link: ["@snowplow/node-tracker"], lib: ["es2022"] },
  { name: "react-native-tracker", link: ["@snowplow/react-native-tracker"], lib: ["es2022"] },
];

const work = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-bench-targets-"));
process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));

// ---- 50 schemas, deterministic.
const registry = path.join(work, "registry/schemas");
const META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";
for (let i = 0; i < SCHEMAS; i++) {
  const name = `event_${String(i).padStart(2, "0")}`;
  const properties = {};
  const fields = 4 + (i % 9);
  for (let j = 0; j < fields; j++) {
    const kind = (i + j) % 6;
    properties[`field${j}`] = [
      { type: "string", maxLength: 255, description: `Field ${j} of ${name}.` },
      { type: "number", minimum: 0 },
      { enum: ["a", "b", "c", "d"] },
      { type: ["string", "null"] },
      { type: "object", properties: { id: { type: "string" }, count: { type: "integer" } }, required: ["id"], additionalProperties: false },
      { type: "array", items: { type: "object", properties: { sku: { type: "string" }, quantity: { type: "integer" } }, required: ["sku"], additionalProperties: false } },
    ][kind];
  }
  const file = path.join(registry, `com.acme/${name}/jsonschema/1-0-0`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({
    $schema: META, description: `Schema ${i}.`, self: { vendor: "com.acme", name, format: "jsonschema", version: "1-0-0" },
    type: "object", properties, required: ["field0", "field1"], additionalProperties: false,
  }));
}

// ---- One project per target, and an empty one per set of libraries.
function project(dir, lib, link) {
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  for (const name of link) {
    fs.mkdirSync(path.dirname(path.join(dir, "node_modules", name)), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(root, "node_modules", name)), path.join(dir, "node_modules", name), "dir");
  }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench", private: true, type: "module" }));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib, strict: true, noEmit: true, skipLibCheck: true, types: [] },
    include: ["**/*.ts"], exclude: ["node_modules"],
  }));
  return dir;
}
const projects = [];
for (const target of TARGETS) {
  const dir = project(path.join(work, target.name), target.lib, target.link);
  execFileSync(process.execPath, [bin, "generate", "--schemas", registry, "--out", path.join(dir, "tracking"), "--target", target.name, "--quiet"], { stdio: "inherit" });
  projects.push({ label: target.name, dir, lib: target.lib.join(",") });
}
for (const lib of [["es2022"], ["es2022", "dom"]]) {
  const dir = project(path.join(work, `empty-${lib.join("-")}`), lib, []);
  fs.writeFileSync(path.join(dir, "empty.ts"), "export {};\n");
  projects.push({ label: `empty (${lib.join(", ")})`, dir, lib: lib.join(","), empty: true });
}

function time(tsc, dir) {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json")], { stdio: "inherit" });
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`tsc --noEmit --strict over a ${SCHEMAS}-schema SDK per target (${fs.readdirSync(path.join(work, "igluc/tracking")).filter((f) => f.endsWith(".ts")).length} files), medians of ${ROUNDS} rounds, ms`);
for (const [compiler, tsc] of Object.entries(COMPILERS)) {
  const samples = new Map(projects.map((p) => [p.label, []]));
  for (const p of projects) time(tsc, p.dir);
  for (let r = 0; r < ROUNDS; r++) for (const p of projects) samples.get(p.label).push(time(tsc, p.dir));
  const m = Object.fromEntries([...samples].map(([label, values]) => [label, median(values)]));
  const baseline = (p) => m[`empty (${p.lib.split(",").join(", ")})`];
  const over = (p) => m[p.label] - baseline(p);
  const igluc = over(projects[0]);
  console.log(`\n${compiler}`);
  console.log(`  ${"project".padEnd(28)} ${"tsc".padStart(7)} ${"over empty".padStart(11)} ${"vs igluc".padStart(9)}`);
  for (const p of projects) {
    if (p.empty) {
      console.log(`  ${p.label.padEnd(28)} ${m[p.label].toFixed(0).padStart(7)}`);
      continue;
    }
    const d = over(p);
    console.log(`  ${p.label.padEnd(28)} ${m[p.label].toFixed(0).padStart(7)} ${d.toFixed(0).padStart(11)} ${`${d - igluc >= 0 ? "+" : ""}${(d - igluc).toFixed(0)}`.padStart(9)}`);
  }
}
