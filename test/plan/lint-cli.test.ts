/**
 * `igluc lint --plan` as CI runs it: the built bin (run `npm run build`
 * first) in a child process over test/fixtures/plans, a registry of four
 * schemas and plans good and broken (one per check). Human, GitHub and JSON
 * output, exit codes 0 / 1 / 2, `plan` from igluc.config.json, and text
 * from a hostile plan printed escaped.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { ROOT } from "../support/iglu.js";

const BIN = path.join(ROOT, "dist/generator/cli/bin.js");
const FIXTURES = path.join(ROOT, "test/fixtures/plans");

function igluc(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      if (typeof error.code === "number") return resolve({ code: error.code, stdout, stderr });
      reject(new Error(`igluc did not exit normally: ${stderr}`));
    });
  });
}

/** The output with the summary's duration, the one thing that varies, as T. */
const steady = (text: string): string => text.replace(/\(\d+\.\d\d s\)/g, "(T s)");
const summary = (errors: number, warnings: number, info: number): string =>
  `igluc lint: 4 schemas checked, ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}, ${info} info: ${errors > 0 ? "failed" : "passed"} (T s)`;

const BROKEN: readonly (readonly [string, readonly string[], readonly [number, number]])[] = [
  ["cardinality.yaml", [
    "broken/cardinality.yaml:5:16: error [plan-cardinality] specification \"A\": entity product: min 2 is above max 1",
    "  hint: min is how many the event must carry (0: optional); max how many it may (none: no limit)",
    "broken/cardinality.yaml:6:13: warning [plan-cardinality-unchecked] specification \"A\": entity cart: a bound above 20 is not checked: its type is an array of any length, and the tracker does not count at run time either",
    "  hint: keep min and max at 20 or below to have them checked by tsc",
  ], [1, 1]],
  ["duplicate-key.yaml", [
    "broken/duplicate-key.yaml:4:5: error [duplicate-key] the key \"name\" appears twice in one mapping; the second would silently replace the first",
    "  hint: remove or rename one of the two members",
  ], [1, 0]],
  ["duplicate.yaml", [
    "broken/duplicate.yaml:4:5: error [plan-duplicate] specification \"A\": the name is also that of the specification at line 2",
    "  hint: give each specification its own name",
  ], [1, 0]],
  ["function-name.yaml", [
    "broken/function-name.yaml:2:5: error [plan-function-name] specification \"?\": no function name can be made of its name (it needs letters A-Z or digits, and no others)",
    "  hint: set function to an identifier like trackAddToBasket",
  ], [1, 0]],
  ["invalid.json", [
    "broken/invalid.json:2:109: error [plan-invalid] specifications[0].entities.cart.schema \"x\" is not an Iglu URI of a JSON Schema, with * allowed for REVISION or REVISION and ADDITION",
    "  hint: write iglu:vendor/name/jsonschema/1-0-0, or 1-0-* or 1-*-* for the highest generated version",
    "broken/invalid.json:2:128: error [plan-invalid] specifications[0]: unknown member \"colour\" (known: name, function, id, description, event, properties, entities, additionalEntities)",
    "  hint: remove it, or correct its name",
  ], [2, 0]],
  ["syntax.yaml", [
    "broken/syntax.yaml:4:1: error [plan-syntax] not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
    "  hint: fix the syntax at the line and column given",
  ], [1, 0]],
  ["unknown-property.yaml", [
    "broken/unknown-property.yaml:5:15: error [plan-unknown-property] specification \"A\": iglu:com.acme/add_to_basket/jsonschema/1-0-0 declares no property \"colour\", and allows no other",
    "  hint: its properties: action, quantity",
  ], [1, 0]],
  ["unknown-schema.yaml", [
    "broken/unknown-schema.yaml:3:12: error [plan-unknown-schema] specification \"A\": iglu:com.acme/add_to_basket/jsonschema/2-*-* is not among the generated schemas; the generated versions of com.acme/add_to_basket are 1-0-0",
    "  hint: refer to one of those versions, or generate the one meant (pin, versions: all)",
    "broken/unknown-schema.yaml:5:23: error [plan-unknown-schema] specification \"A\": iglu:com.acme/user/jsonschema/1-0-0 is not among the generated schemas: no version of com.acme/user is generated",
    "  hint: check the URI, or generate the schema (schemas, registries, include and exclude)",
  ], [2, 0]],
  ["value.yaml", [
    "broken/value.yaml:5:15: error [plan-value] specification \"A\": \"put\" is not a value iglu:com.acme/add_to_basket/jsonschema/1-0-0 allows for action (must be equal to one of the allowed values)",
    "  hint: use a value the schema allows; it allows \"add\", \"remove\"",
    "broken/value.yaml:6:17: error [plan-value] specification \"A\": 100 is not a value iglu:com.acme/add_to_basket/jsonschema/1-0-0 allows for quantity (must be <= 99)",
    "  hint: use a value the schema allows",
  ], [2, 0]],
];

describe("igluc lint --plan (the bin)", () => {
  test("a good plan, and a data product: exit 0; the data product's unmapped parts one info line", async () => {
    const good = await igluc(FIXTURES, "lint", "schemas", "--plan", "good.yaml");
    assert.equal(good.code, 0, good.stderr);
    assert.equal(steady(good.stdout), `${summary(0, 0, 0)}\n`);
    const product = await igluc(FIXTURES, "lint", "schemas", "--plan", "data-product.yaml");
    assert.equal(product.code, 0, product.stderr);
    assert.equal(steady(product.stdout), `4 info findings not shown: plan-not-mapped 4 (--verbose lists them)\n${summary(0, 0, 4)}\n`);
  });

  for (const [file, lines, [errors, warnings]] of BROKEN) {
    test(`broken/${file}: each finding at its line and column, exit 1`, async () => {
      const run = await igluc(FIXTURES, "lint", "schemas", "--plan", `broken/${file}`);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(steady(run.stdout), `${[...lines, summary(errors, warnings, 0)].join("\n")}\n`);
    });
  }

  test("GitHub annotations and the JSON report carry the same findings, the pointer included", async () => {
    const github = await igluc(FIXTURES, "lint", "schemas", "--plan", "broken/duplicate.yaml", "--format", "github");
    assert.equal(github.code, 1);
    assert.equal(steady(github.stdout), [
      "::error file=broken/duplicate.yaml,line=4,col=5,title=igluc lint%3A plan-duplicate::specification \"A\": the name is also that of the specification at line 2%0Ahint: give each specification its own name",
      summary(1, 0, 0),
    ].join("\n") + "\n");
    const json = await igluc(FIXTURES, "lint", "schemas", "--plan", "broken/duplicate.yaml", "--format", "json");
    assert.equal(json.code, 1);
    assert.deepEqual((JSON.parse(json.stdout) as { findings: unknown[] }).findings, [{
      file: "broken/duplicate.yaml", line: 4, column: 5, uri: null, pointer: "/specifications/1", rule: "plan-duplicate", level: "error",
      message: "specification \"A\": the name is also that of the specification at line 2", hint: "give each specification its own name",
    }]);
  });

  test("plan in igluc.config.json, relative to the config's folder; --plan overrides it; a bad --plan is a usage error (exit 2)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-plan-lint-"));
    try {
      fs.cpSync(FIXTURES, path.join(dir, "project"), { recursive: true });
      const project = path.join(dir, "project");
      fs.writeFileSync(path.join(project, "igluc.config.json"), JSON.stringify({ schemas: ["schemas"], plan: "broken/duplicate.yaml" }));
      const sub = path.join(project, "broken");
      const fromConfig = await igluc(sub, "lint");
      assert.equal(fromConfig.code, 1, fromConfig.stderr);
      assert.match(fromConfig.stdout, /^duplicate\.yaml:4:5: error \[plan-duplicate\]/);
      const overridden = await igluc(project, "lint", "--plan", "good.yaml");
      assert.equal(overridden.code, 0, overridden.stdout);
      for (const args of [["--plan", "a.yaml", "--plan", "b.yaml"], ["--plan", ""]]) {
        const usage = await igluc(project, "lint", ...args);
        assert.equal(usage.code, 2);
        assert.match(usage.stderr, /--plan takes one file: a tracking plan \(\.json, \.yaml, \.yml\)/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("text from a hostile plan is printed escaped: no terminal control reaches the output", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-plan-hostile-"));
    try {
      const name = "A\u001b[2J\u202e\nB";
      fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify({ specifications: [{ name, event: "iglu:com.acme/add_to_basket/jsonschema/1-0-0" }, { name, event: "iglu:com.acme/add_to_basket/jsonschema/1-0-0" }] }));
      const run = await igluc(FIXTURES, "lint", "schemas", "--plan", path.join(dir, "plan.json"));
      assert.equal(run.code, 1);
      assert.doesNotMatch(run.stdout, /[\u001b\u202e]/);
      assert.ok(run.stdout.includes("error [plan-duplicate] specification \"A\\u001b[2J\\u202e\\nB\": the name is also that of the specification at line 1"), run.stdout);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
