/**
 * `igluc lint` as CI runs it: the built bin (run `npm run build` first) in a
 * child process. The three formats, exit codes 0 / 1 / 2, --strict, the
 * config's registries as default paths, and GitHub's escaping.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ROOT } from "../support/iglu.js";
import { selfDescribing, tempRegistry } from "../support/registry.js";

const BIN = path.join(ROOT, "dist/generator/cli/bin.js");

function igluc(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      if (typeof error.code === "number") return resolve({ code: error.code, stdout, stderr });
      reject(new Error(`igluc did not exit normally: ${stderr}`));
    });
  });
}

const CLEAN = selfDescribing("thing", "1-0-0", {
  description: "A thing.", type: "object", additionalProperties: false,
  properties: { n: { description: "N.", type: ["integer", "null"], minimum: 0, maximum: 9 } },
});
const BROKEN = selfDescribing("thing", "1-0-0", {
  description: "A thing.", type: "object", additionalProperties: false,
  properties: { n: { description: "N.", type: ["integer", "null"], minimum: 5, maximum: 1 } },
});
const AT = "com.acme/thing/jsonschema/1-0-0";
const SUMMARY = /^igluc lint: 1 schema checked, (\d+) errors?, (\d+) warnings?, (\d+) info: (passed|failed)[^\n]* \(\d+\.\d\d s\)$/;

describe("igluc lint (the bin)", () => {
  test("a clean registry: exit 0 and the summary line only", async () => {
    const registry = tempRegistry({ [AT]: CLEAN });
    try {
      const run = await igluc(registry.root, "lint", "schemas");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout.trim(), SUMMARY);
      assert.match(run.stdout, /0 errors, 0 warnings, 0 info: passed/);
    } finally {
      registry.dispose();
    }
  });

  test("human format: info findings are one line of counts by check, unless --verbose lists them with their hints", async () => {
    const INFO = selfDescribing("thing", "1-0-0", {
      description: "A thing.", type: "object", additionalProperties: false, required: ["id"],
      properties: {
        id: { description: "Id.", type: "string", maxLength: 9 },
        tags: { description: "Tags.", type: "array", items: { description: "A tag.", type: "string", maxLength: 9 } },
        note: { type: "string", maxLength: 9 },
      },
    });
    const registry = tempRegistry({ [AT]: INFO });
    try {
      const run = await igluc(registry.root, "lint", "schemas");
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stdout.trimEnd().split("\n");
      assert.deepEqual(lines.slice(0, -1), ["3 info findings not shown: optionalNull 2, description 1 (--verbose lists them)"]);
      assert.match(lines.at(-1) ?? "", /0 errors, 0 warnings, 3 info: passed/);
      const verbose = await igluc(registry.root, "lint", "schemas", "--verbose");
      const hints = verbose.stdout.split("\n").filter((l) => l.startsWith("  hint: add \"null\""));
      assert.deepEqual(hints, [
        "  hint: add \"null\" to its type (here [\"array\", \"null\"]) so trackers can send it empty",
        "  hint: add \"null\" to its type (here [\"string\", \"null\"]) so trackers can send it empty",
      ]);
      assert.equal(verbose.stdout.split("\n").filter((l) => / info \[/.test(l)).length, 3);
    } finally {
      registry.dispose();
    }
  });

  test("human format: file:line:col, level, rule, URI#pointer, message, hint; exit 1", async () => {
    const registry = tempRegistry({ [AT]: BROKEN });
    try {
      const run = await igluc(registry.root, "lint", "schemas");
      assert.equal(run.code, 1);
      const lines = run.stdout.trimEnd().split("\n");
      assert.deepEqual(lines.slice(0, -1), [
        "schemas/com.acme/thing/jsonschema/1-0-0:13:10: error [numericMinimumMaximum] iglu:com.acme/thing/jsonschema/1-0-0#/properties/n: minimum 5 is greater than maximum 1: no number can be valid",
        "  hint: lower minimum or raise maximum",
      ]);
      assert.match(lines.at(-1) ?? "", SUMMARY);
      assert.match(lines.at(-1) ?? "", /1 error, 0 warnings, 0 info: failed/);
    } finally {
      registry.dispose();
    }
  });

  test("github format: workflow commands with the line of the offending node", async () => {
    const registry = tempRegistry({ [AT]: BROKEN });
    try {
      const run = await igluc(registry.root, "lint", "schemas", "--format", "github");
      assert.equal(run.code, 1);
      assert.equal(run.stdout.split("\n")[0],
        "::error file=schemas/com.acme/thing/jsonschema/1-0-0,line=13,col=10,title=igluc lint%3A numericMinimumMaximum::" +
        "iglu:com.acme/thing/jsonschema/1-0-0#/properties/n: minimum 5 is greater than maximum 1: no number can be valid%0Ahint: lower minimum or raise maximum");
    } finally {
      registry.dispose();
    }
  });

  test("github format escapes commas, colons, percent signs and newlines in properties and messages", async () => {
    const registry = tempRegistry({ [AT]: CLEAN, "com.acme/a,b:100%.md": "x" });
    try {
      const run = await igluc(registry.root, "lint", "schemas", "--format", "github");
      assert.equal(run.code, 0);
      assert.equal(run.stdout.split("\n")[0],
        "::warning file=schemas/com.acme/a%2Cb%3A100%25.md,title=igluc lint%3A stray-file::not at {vendor}/{name}/{format}/{version} in the registry; ignored%0Ahint: move it to its place in the registry tree, or out of the registry");
    } finally {
      registry.dispose();
    }
  });

  test("json format: one document with every finding", async () => {
    const registry = tempRegistry({ [AT]: BROKEN });
    try {
      const run = await igluc(registry.root, "lint", "schemas", "--format", "json", "--skip-checks", "description");
      assert.equal(run.code, 1);
      assert.deepEqual(JSON.parse(run.stdout), {
        tool: "igluc lint", schemas: 1, strict: false, passed: false, counts: { error: 1, warning: 0, info: 0 },
        findings: [{
          file: "schemas/com.acme/thing/jsonschema/1-0-0", line: 13, column: 10, uri: "iglu:com.acme/thing/jsonschema/1-0-0", pointer: "/properties/n",
          rule: "numericMinimumMaximum", level: "error", message: "minimum 5 is greater than maximum 1: no number can be valid", hint: "lower minimum or raise maximum",
        }],
      });
    } finally {
      registry.dispose();
    }
  });

  test("warnings pass by default and fail with --strict, saying why", async () => {
    const registry = tempRegistry({ [AT]: selfDescribing("thing", "1-0-0", { description: "T.", type: "object", properties: { s: { description: "S.", type: ["string", "null"] } } }) });
    try {
      const loose = await igluc(registry.root, "lint", "schemas");
      assert.equal(loose.code, 0);
      const strict = await igluc(registry.root, "lint", "schemas", "--strict");
      assert.equal(strict.code, 1);
      assert.match(strict.stdout, /0 errors, 1 warning, 0 info: failed \(warnings fail under --strict\)/);
    } finally {
      registry.dispose();
    }
  });

  test("with no paths, the registries of igluc.config.json", async () => {
    const registry = tempRegistry({ [AT]: BROKEN });
    try {
      fs.writeFileSync(path.join(registry.root, "igluc.config.json"), JSON.stringify({ schemas: ["schemas"], out: "src/tracking" }));
      fs.mkdirSync(path.join(registry.root, "deeper"));
      const run = await igluc(path.join(registry.root, "deeper"), "lint");
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^\.\.\/schemas\/com\.acme\/thing\/jsonschema\/1-0-0:13:10: error \[numericMinimumMaximum\]/);
    } finally {
      registry.dispose();
    }
  });

  test("the config's \"lint\" settings apply, and flags override them", async () => {
    const registry = tempRegistry({ [AT]: selfDescribing("thing", "1-0-0", { description: "T.", type: "object", properties: { s: { description: "S.", type: ["string", "null"] } } }) });
    try {
      fs.writeFileSync(path.join(registry.root, "igluc.config.json"), JSON.stringify({ schemas: ["schemas"], lint: { strict: true, skipChecks: ["stringLength"] } }));
      const configured = await igluc(registry.root, "lint", "--format", "json");
      assert.equal(configured.code, 0, "stringLength skipped by the config");
      assert.deepEqual((JSON.parse(configured.stdout) as { findings: unknown[] }).findings, []);
      const overridden = await igluc(registry.root, "lint", "--skip-checks", "description");
      assert.equal(overridden.code, 1, "the flag replaces the config's list; strict still comes from the config");
      assert.match(overridden.stdout, /warning \[stringLength\]/);
      fs.writeFileSync(path.join(registry.root, "igluc.config.json"), JSON.stringify({ schemas: ["schemas"], lint: { strictness: 1 } }));
      const bad = await igluc(registry.root, "lint");
      assert.equal(bad.code, 2);
      assert.equal(bad.stderr, 'igluc lint: igluc.config.json:1:45: lint: unknown setting "strictness" (known: preset, skipChecks, skipSchemas, strict)\nRun "igluc lint --help" for usage.\n');
    } finally {
      registry.dispose();
    }
  });

  const usage: readonly [string, string[], RegExp][] = [
    ["no paths and no config", [], /^igluc lint: nothing to lint: name a registry folder/],
    ["an error-level check in --skip-checks", ["schemas", "--skip-checks", "numericMinimumMaximum"], /^igluc lint: "numericMinimumMaximum" cannot be skipped/],
    ["an unknown format", ["schemas", "--format", "xml"], /^igluc: Invalid values:\n {2}Argument: format, Given: "xml", Choices: "human", "github", "json"/],
    ["an unknown option", ["schemas", "--skip-check", "x"], /^igluc: Unknown arguments: skip-check, skipCheck\n/],
    ["a missing path", ["elsewhere"], /^igluc lint: elsewhere does not exist/],
  ];
  for (const [what, args, message] of usage) {
    test(`${what}: exit 2 with a message on stderr, nothing on stdout`, async () => {
      const registry = tempRegistry({ [AT]: CLEAN });
      try {
        const run = await igluc(registry.root, "lint", ...args);
        assert.equal(run.code, 2);
        assert.match(run.stderr, message);
        assert.equal(run.stdout, "");
      } finally {
        registry.dispose();
      }
    });
  }

  test("--help documents the formats, presets and the skippable checks", async () => {
    const run = await igluc(ROOT, "lint", "--help");
    assert.equal(run.code, 0);
    for (const text of ["--format", "--preset", "iglu-central", "--skip-checks", "--skip-schemas", "--strict", "stringLength", "version-bump"]) {
      assert.ok(run.stdout.includes(text), `--help lacks ${text}`);
    }
  });
});
