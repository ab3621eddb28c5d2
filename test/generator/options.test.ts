/**
 * One declaration of the settings (generator/options/settings.ts), four
 * views that must agree with it and with each other: the options type, the
 * config file's JSON Schema (shipped as generator/config.schema.json) and
 * its validation, the flags, and --help. The lists below are written by
 * hand: a setting added to the declaration shows up in every view or fails
 * here.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { OptionsError, loadConfig, runCli, type GenerateOptions, type LintOptions } from "../../generator/index.js";
import { configSchemaText } from "../../generator/options/config.js";
import { ROOT } from "../support/iglu.js";

/** igluc.config.json's keys. */
const CONFIG_KEYS = ["$schema", "schemas", "out", "target", "versions", "pin", "include", "exclude", "plan", "singleFile", "runtimeImport", "emit", "validators", "validationImport", "eventSpecificationEntity", "outputs", "registries", "resolver", "lockfile", "cacheDir", "http", "lint"] as const;
/** `generate()`'s options besides those: flags that are options, and the API's own. */
const API_ONLY = ["update", "offline", "apikey", "check", "concurrency", "cwd", "onProgress", "signal"] as const;
/** `igluc generate`'s flags, with their aliases. */
const GENERATE_FLAGS = [
  "-s, --schemas", "-o, --out", "--target", "-c, --config", "--versions", "--include", "--exclude", "--plan", "--single-file", "--runtime-import", "--emit", "--validators", "--validation-import",
  "--event-specification-entity", "--resolver", "--lockfile", "--update", "--offline", "--apikey", "--check", "-w, --watch", "--concurrency", "-q, --quiet",
];
const LINT_FLAGS = ["--preset", "--skip-checks", "--skip-schemas", "--strict", "--plan", "-f, --format", "--verbose", "-c, --config"];
const PULL_FLAGS = ["-r, --registry", "--type", "--apikey", "--vendor", "--schema", "-o, --out", "--timeout"];

// The types view, checked by tsc: exactly these keys, no more, no fewer.
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends (<G>() => G extends B ? 1 : 2) ? true : false;
const generateKeys: Equal<keyof GenerateOptions, (typeof CONFIG_KEYS)[number] | (typeof API_ONLY)[number]> = true;
const lintKeys: Equal<keyof LintOptions, "paths" | "cwd" | "preset" | "skipChecks" | "skipSchemas" | "strict" | "plan"> = true;

async function help(...argv: string[]): Promise<string> {
  const out = new PassThrough();
  let text = "";
  out.on("data", (chunk: Buffer) => { text += chunk.toString("utf8"); });
  const code = await runCli(argv, { out, err: new PassThrough(), interrupted: new Promise(() => undefined) });
  assert.equal(code, 0);
  return text;
}

/** The flags --help lists, as `-a, --name` or `--name`. */
function flagsOf(helpText: string): string[] {
  const options = helpText.slice(helpText.indexOf("\nOptions:\n"), helpText.includes("\nExamples:\n") ? helpText.indexOf("\nExamples:\n") : undefined);
  return [...options.matchAll(/^ {2}((?:-[a-z], )?--[a-z-]+)|^ {6}(--[a-z-]+)/gm)].map((m) => (m[1] ?? m[2])!).filter((f) => !/--(help|version)$/.test(f));
}

describe("the settings' views agree", () => {
  test("the types have exactly the declared options", () => assert.deepEqual([generateKeys, lintKeys], [true, true]));

  test("generator/config.schema.json is what the declaration makes (npm run config:schema writes it)", () => {
    assert.equal(fs.readFileSync(path.join(ROOT, "generator/config.schema.json"), "utf8"), configSchemaText());
    const schema = JSON.parse(configSchemaText()) as { properties: Record<string, unknown>; additionalProperties: boolean };
    assert.deepEqual(Object.keys(schema.properties), [...CONFIG_KEYS]);
    assert.equal(schema.additionalProperties, false);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files: string[] };
    assert.ok(pkg.files.includes("generator/config.schema.json"), "the schema ships with the package");
  });

  test("igluc generate --help lists exactly the declared flags, each with its description", async () => {
    const text = await help("generate", "--help");
    assert.deepEqual(flagsOf(text), GENERATE_FLAGS);
    const described = JSON.parse(configSchemaText()) as { properties: Record<string, { description: string }> };
    for (const key of ["out", "versions", "include", "emit"] as const) {
      assert.ok(text.replace(/\s+/g, " ").includes(described.properties[key]!.description), `--help says what the config schema says of ${key}`);
    }
  });

  test("igluc lint and igluc pull --help list exactly the declared flags", async () => {
    assert.deepEqual(flagsOf(await help("lint", "--help")), LINT_FLAGS);
    assert.deepEqual(flagsOf(await help("pull", "--help")), PULL_FLAGS);
  });

  test("README's options table names every flag and every config key of generate (lint's section is documented with lint)", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("### Options (`igluc generate --help`"), readme.indexOf("`generator/config.schema.json` is the config's JSON Schema"));
    const rows = table.split("\n").filter((line) => line.startsWith("| ")).map((line) => line.split(" | "));
    const flags = rows.flatMap(([flag = ""]) => [...flag.matchAll(/`(--[a-z-]+)/g)].map((m) => m[1]));
    const keys = rows.flatMap(([, config = ""]) => [...config.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]));
    assert.deepEqual([...flags].sort(), GENERATE_FLAGS.map((f) => f.replace(/^-[a-z], /, "")).sort());
    assert.deepEqual([...keys].sort(), CONFIG_KEYS.filter((k) => k !== "$schema" && k !== "lint").sort());
    assert.ok(readme.replace(/\s+/g, " ").includes('"lint": { "preset", "skipChecks", "skipSchemas", "strict" }'));
  });

  test("a config file with every setting is accepted, and its paths are taken from its folder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-options-"));
    try {
      fs.writeFileSync(path.join(dir, "igluc.config.json"), JSON.stringify({
        $schema: "x", schemas: ["reg"], out: "o", target: "node-tracker", versions: "all", pin: { "com.acme/x": ["1-0-0"], "com.acme/y": "2-0-1" }, include: ["a/*"], exclude: [], plan: "plan.yaml",
        singleFile: true, runtimeImport: "@acme/runtime", emit: "js", validators: true, validationImport: "@acme/runtime/validation", eventSpecificationEntity: true,
        outputs: [{ out: "web", target: "browser-tracker", emit: "ts", singleFile: false, runtimeImport: "@acme/other" }], registries: [{ name: "R", path: "here" }], resolver: "r.json", lockfile: "l.json",
        cacheDir: "c", http: { timeoutMs: 1, retries: 0, retryDelayMs: 0, concurrency: 1 }, lint: { preset: "iglu-central", skipChecks: ["x"], skipSchemas: ["iglu:a"], strict: true },
      }));
      const { options } = loadConfig(dir)!;
      assert.deepEqual(Object.keys(options), [...CONFIG_KEYS]);
      assert.deepEqual([options.schemas, options.out, options.resolver, options.lockfile, options.cacheDir, options.registries?.[0]?.path, options.outputs?.[0]?.out, options.plan],
        [[path.join(dir, "reg")], path.join(dir, "o"), path.join(dir, "r.json"), path.join(dir, "l.json"), path.join(dir, "c"), path.join(dir, "here"), path.join(dir, "web"), path.join(dir, "plan.yaml")]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("config files are checked against that schema, each problem at its line and column", () => {
  const cases: readonly [string, string, string][] = [
    ["an unknown key", '{\n  "schemas": ["r"],\n  "outDir": "x"\n}', 'igluc.config.json:3:13: unknown setting "outDir" (known: schemas, out, target, versions, pin, include, exclude, plan, singleFile, runtimeImport, emit, validators, validationImport, eventSpecificationEntity, outputs, registries, resolver, lockfile, cacheDir, http, lint)'],
    ["a value of the wrong type", '{\n  "out": 7\n}', "igluc.config.json:2:10: out must be a string"],
    ["a value outside an enum", '{ "emit": "mjs" }', 'igluc.config.json:1:11: emit must be "ts" or "js", not "mjs"'],
    ["an unknown target", '{ "target": "java-tracker" }', 'igluc.config.json:1:13: target must be "igluc", "browser-tracker", "node-tracker" or "react-native-tracker", not "java-tracker"'],
    ["an output without a folder", '{ "outputs": [\n  { "target": "node-tracker" }] }', 'igluc.config.json:2:3: outputs[0]: needs an "out"'],
    ["an output's unknown target", '{ "outputs": [{ "out": "a", "target": "web" }] }', 'igluc.config.json:1:39: outputs[0].target must be "igluc", "browser-tracker", "node-tracker" or "react-native-tracker", not "web"'],
    ["a pin that is not vendor/name", '{ "pin": { "acme": "1-0-0" } }', 'igluc.config.json:1:20: pin: "acme" is not vendor/name'],
    ["a pinned version that is not a SchemaVer", '{ "pin": {\n  "com.acme/x": ["1-0-0", "01-0-0"] } }', 'igluc.config.json:2:27: pin["com.acme/x"][1]: "01-0-0" is not a SchemaVer (MODEL-REVISION-ADDITION, MODEL >= 1, no leading zeros)'],
    ["a registry with both uri and path", '{ "registries": [{ "name": "A", "uri": "https://x", "path": "y" }] }', 'igluc.config.json:1:18: registries[0]: needs exactly one of "uri" (an HTTP registry) and "path" (a folder)'],
    ["a registry without a name", '{ "registries": [{ "path": "y" }] }', 'igluc.config.json:1:18: registries[0]: needs a "name"'],
    ["http settings out of range", '{ "http": { "concurrency": 0 } }', "igluc.config.json:1:28: http.concurrency must be at least 1, not 0"],
    ["an empty schemas list", '{ "schemas": [] }', "igluc.config.json:1:14: schemas must not be empty"],
    ["not an object", "[1]", "igluc.config.json:1:1: the settings must be an object"],
    ["not JSON", '{ "out": "x", }', 'igluc.config.json:1:15: not valid JSON: Unexpected "}": expected a string key (trailing commas are not allowed)'],
  ];
  for (const [what, text, message] of cases) {
    test(what, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-options-"));
      try {
        fs.writeFileSync(path.join(dir, "igluc.config.json"), text);
        assert.throws(() => loadConfig(dir), (error: unknown) => error instanceof OptionsError && error.message === message);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
