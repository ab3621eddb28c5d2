/**
 * What dev-time validation costs per event, µs, medians of BENCH_RUNS rounds (default 7):
 * - igluc's validator, generated ahead of time (`igluc generate --validators`, ajv standalone code);
 * - ajv at run time: compiling the schema then validating (what an app without generated
 *   validators pays per schema, once), and validating with the compiled function;
 * for a typical event (test/fixtures checkout_started) and the largest Iglu Central schema (by
 * bytes), each with a valid sample and with an invalid one (every error collected and formatted
 * as the tracker does). Usage: npm run bench:validation   (BENCH_REGISTRY: Iglu Central's schemas/)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const Ajv04 = require("ajv-draft-04");
const addFormats = require("ajv-formats");
const { generate } = await import(pathToFileURL(path.join(root, "dist/generator/index.js")).href);
const { formatSchemaError } = await import(pathToFileURL(path.join(root, "runtime/dist/esm/validation.js")).href);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const central = path.resolve(process.env.BENCH_REGISTRY ?? path.join(root, "../shared/iglu-central/schemas"));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-bench-validation-"));
process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));

/** The largest jsonschema file of a registry's schemas/ folder: [vendor, name, version, bytes]. */
function largest(dir) {
  let best;
  for (const vendor of fs.readdirSync(dir)) {
    for (const name of fs.readdirSync(path.join(dir, vendor))) {
      const versions = path.join(dir, vendor, name, "jsonschema");
      if (!fs.existsSync(versions)) continue;
      for (const version of fs.readdirSync(versions)) {
        const size = fs.statSync(path.join(versions, version)).size;
        if (best === undefined || size > best[3]) best = [vendor, name, version, size];
      }
    }
  }
  return best;
}

const FORMATTED = { "date-time": "2026-12-02T14:00:00Z", date: "2026-12-02", time: "14:00:00Z", email: "a@example.com", uri: "https://example.com/x", uuid: "123e4567-e89b-12d3-a456-426614174000", ipv4: "127.0.0.1", ipv6: "::1", hostname: "example.com" };

/** A value the schema (no $refs) likely accepts: every property filled, first choices taken. */
function sample(schema, depth = 0) {
  if (schema === undefined || schema === null || typeof schema !== "object" || depth > 12) return null;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    if (!Array.isArray(schema[key])) continue;
    const [first, ...others] = schema[key];
    // Properties only the other choices require are left out, so that exactly one choice matches.
    const omit = others.flatMap((o) => o.required ?? []).filter((k) => !(first.required ?? []).includes(k));
    const rest = Object.fromEntries(Object.entries(schema).filter(([k]) => k !== key));
    const properties = rest.properties === undefined ? undefined : Object.fromEntries(Object.entries(rest.properties).filter(([k]) => !omit.includes(k)));
    return sample({ ...first, ...rest, ...(properties !== undefined ? { properties } : {}) }, depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") ?? "null" : schema.type ?? (schema.properties ? "object" : "string");
  switch (type) {
    case "object": return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, sample(s, depth + 1)]));
    case "array": return schema.items && !Array.isArray(schema.items) ? [sample(schema.items, depth + 1)] : [];
    case "integer": return schema.minimum ?? 1;
    case "number": return schema.minimum ?? 1.5;
    case "boolean": return true;
    case "null": return null;
    default: {
      if (FORMATTED[schema.format] !== undefined) return FORMATTED[schema.format];
      const plain = "x".repeat(Math.max(1, schema.minLength ?? 1));
      return schema.pattern === undefined ? plain : [plain, "1.0.0", "a", "A1", "0"].find((s) => new RegExp(schema.pattern).test(s)) ?? plain;
    }
  }
}

/** A copy with every string value made a number: an invalid sample with many errors. */
function spoil(value) {
  if (typeof value === "string") return 7;
  if (Array.isArray(value)) return value.map(spoil);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, spoil(v)]));
  return "spoilt";
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** µs per call of fn, median of `runs` rounds of enough calls to take ~50 ms. */
function time(fn) {
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    if (performance.now() - t > 20 || n > 1e7) break;
    n *= 2;
  }
  n = Math.max(1, Math.round(n * 2.5));
  const rounds = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    rounds.push(((performance.now() - t) * 1000) / n);
  }
  return median(rounds);
}

function runtimeAjv() {
  const ajv = new Ajv04({ allErrors: true, verbose: true, strict: false, validateSchema: false, addUsedSchema: false, logger: false, ownProperties: true });
  addFormats(ajv);
  return ajv;
}

const cases = [{ label: "typical event (checkout_started 1-0-0)", registry: path.join(root, "test/fixtures/registry"), vendor: "com.example", name: "checkout_started", version: "1-0-0" }];
if (fs.existsSync(central)) {
  const [vendor, name, version, bytes] = largest(central);
  cases.push({ label: `largest Iglu Central schema (${vendor}/${name} ${version}, ${Math.round(bytes / 1024)} KiB)`, registry: path.dirname(central), vendor, name, version });
} else {
  console.error(`bench:validation: no Iglu Central at ${central} (set BENCH_REGISTRY); the typical event only`);
}

const rows = [];
for (const c of cases) {
  const uri = `iglu:${c.vendor}/${c.name}/jsonschema/${c.version}`;
  const out = path.join(work, c.name);
  const result = await generate({
    schemas: [c.registry], out, include: [`${c.vendor}/${c.name}`], pin: { [`${c.vendor}/${c.name}`]: c.version }, validators: true,
    validationImport: path.join(root, "runtime/dist/esm/validation.js"), concurrency: 1,
  });
  const problems = result.diagnostics.filter((d) => d.level !== "info");
  if (problems.length > 0) throw new Error(`bench:validation: generating ${uri}: ${problems.map((d) => d.message).join("; ")}`);
  const { validators } = await import(pathToFileURL(path.join(out, "validators.js")).href);
  const generated = validators[uri];
  const text = fs.readFileSync(path.join(c.registry, "schemas", c.vendor, c.name, "jsonschema", c.version), "utf8");
  const { $schema: _m, self: _s, ...schema } = JSON.parse(text);
  const good = sample(schema);
  const bad = spoil(good);
  const compiled = runtimeAjv().compile(schema);
  const check = (validate, data) => (validate(data) ? 0 : validate.errors.map((e) => formatSchemaError(uri, e)).length);
  const verdicts = [generated(good), compiled(good), generated(bad), compiled(bad)];
  const errors = [check(generated, bad), check(compiled, bad)];
  if (verdicts[0] !== verdicts[1] || verdicts[2] !== verdicts[3] || errors[0] !== errors[1]) throw new Error(`bench:validation: the generated validator and ajv disagree on ${uri}: ${verdicts} ${errors}`);
  for (const [kind, data] of [[`valid sample${verdicts[0] ? "" : " (not valid: the sampler misses something; still the same work for both)"}`, good], [`invalid sample, ${errors[0]} errors`, bad]]) {
    const pregenerated = time(() => check(generated, data));
    const validateOnly = time(() => check(compiled, data));
    const compileAndValidate = time(() => check(runtimeAjv().compile(schema), data));
    rows.push({ case: c.label, data: kind, generated: pregenerated, ajvValidate: validateOnly, ajvCompile: compileAndValidate });
  }
}

const f = (us) => (us < 10 ? us.toFixed(2) : us < 1000 ? us.toFixed(1) : Math.round(us).toLocaleString("en"));
console.log(`dev-time validation, µs per event (median of ${runs} rounds; Node ${process.version}, ${os.cpus().length} cores)\n`);
console.log("| schema | data | igluc validator (generated) | ajv, validate only | ajv, compile + validate |");
console.log("|---|---|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.case} | ${r.data} | ${f(r.generated)} | ${f(r.ajvValidate)} | ${f(r.ajvCompile)} (${Math.round(r.ajvCompile / r.generated).toLocaleString("en")}x) |`);
