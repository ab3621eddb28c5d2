/**
 * `lint` on inputs made to hang it, crash it or fool its reader (issue 12): a
 * `$ref` expansion bomb across two versions (the walks and the version diff),
 * schema patterns that backtrack exponentially on schema strings, nesting far
 * past any schema, every name Object.prototype has, and schema text that
 * would drive a terminal. The big inputs are made here.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { formatDiagnostic, type Diagnostic } from "../../generator/diagnostics.js";
import { formatLintReport } from "../../generator/lint/format.js";
import { lint } from "../../generator/lint/lint.js";
import { nested, refBomb } from "../support/hostile.js";
import { ROOT } from "../support/iglu.js";
import { tempRegistry, versionsRegistry } from "../support/registry.js";

const codes = (findings: readonly Diagnostic[], uri?: string): string[] =>
  findings.filter((d) => d.level !== "info" && (uri === undefined || d.uri === uri)).map((d) => `${d.level} ${d.code} ${d.pointer ?? "-"}`);

async function lintVersions(name: string, versions: Record<string, Record<string, unknown>>): Promise<Awaited<ReturnType<typeof lint>>> {
  const registry = versionsRegistry(name, versions);
  try {
    return await lint({ paths: [registry.dir], cwd: registry.root });
  } finally {
    registry.dispose();
  }
}

/**
 * The same through the bin, in a child process the suite's usual 60 s guard
 * kills: a backtracking engine blocks the thread for minutes on these, so
 * only a separate process can be stopped (the guard is no measure of speed).
 */
async function lintVersionsInChild(name: string, versions: Record<string, Record<string, unknown>>): Promise<Diagnostic[]> {
  const registry = versionsRegistry(name, versions);
  try {
    const run = await new Promise<{ signal: string | null; stdout: string }>((resolve) => {
      execFile(process.execPath, [path.join(ROOT, "dist/generator/cli/bin.js"), "lint", registry.dir, "--format", "json"], { cwd: registry.root, timeout: 60_000, killSignal: "SIGKILL" },
        (error, stdout) => resolve({ signal: error?.signal ?? null, stdout }));
    });
    assert.equal(run.signal, null, "lint ended by itself");
    const report = JSON.parse(run.stdout) as { findings: { rule: Diagnostic["code"]; level: Diagnostic["level"]; pointer: string | null; message: string; hint: string }[] };
    return report.findings.map((f) => ({ code: f.rule, level: f.level, message: f.message, hint: f.hint, ...(f.pointer !== null ? { pointer: f.pointer } : {}) }));
  } finally {
    registry.dispose();
  }
}

const string = { type: "string", maxLength: 9, description: "S." };

describe("lint stays bounded on hostile schemas", () => {
  test("a $ref bomb in two versions, 16 and 30 levels: a warning each, and no version diff of it", async () => {
    for (const levels of [16, 30]) {
      const bomb: Record<string, unknown> = { description: "B.", ...refBomb(levels) };
      const result = await lintVersions("bomb", { "1-0-0": bomb, "1-0-1": { ...bomb, properties: { ...(bomb.properties as object), n: string } } });
      assert.deepEqual(codes(result.findings).filter((c) => !c.includes("stringLength") && !c.includes("rootObject")), [
        "warning ref-expansion /properties/top",
        "warning ref-expansion /properties/top",
      ], `${levels} levels`);
      assert.match(result.findings.find((d) => d.code === "ref-expansion")?.message ?? "", /its version bump is not checked$/);
    }
  });

  test("ReDoS: an enum of 34 a's and a pattern ^(a+)+$ added in the next version is judged, in linear time", async () => {
    const value = `${"a".repeat(34)}!`;
    const findings = await lintVersionsInChild("redos", {
      "1-0-0": { description: "R.", type: "object", additionalProperties: false, properties: { x: { ...string, enum: [value] } } },
      "1-0-1": { description: "R.", type: "object", additionalProperties: false, properties: { x: { ...string, enum: [value], pattern: "^(a+)+$" } } },
    });
    // The old value does not match the new pattern: a REVISION is needed.
    assert.deepEqual(codes(findings), ["error version-bump /properties/x/pattern"]);
  });

  test("ReDoS: a property of 34 a's added beside patternProperties ^(a+)+$ is judged, in linear time", async () => {
    const key = `${"a".repeat(34)}!`;
    const patternProperties = { "^(a+)+$": string };
    const findings = await lintVersionsInChild("redos", {
      "1-0-0": { description: "R.", type: "object", additionalProperties: false, patternProperties, properties: { x: string } },
      "1-0-1": { description: "R.", type: "object", additionalProperties: false, patternProperties, properties: { x: string, [key]: string } },
    });
    // No earlier object could hold that key (the pattern does not match it): an ADDITION, as declared.
    assert.deepEqual(codes(findings).filter((c) => !c.includes("bq")), []);
  });

  test("a pattern the linear-time engine cannot run is a finding, and the bump check assumes the worst", async () => {
    const result = await lintVersions("look", {
      "1-0-0": { description: "L.", type: "object", additionalProperties: false, properties: { x: { ...string, enum: ["ab"] } } },
      "1-0-1": { description: "L.", type: "object", additionalProperties: false, properties: { x: { ...string, enum: ["ab"], pattern: "^(?=a)ab$" } } },
    });
    assert.deepEqual(result.findings.filter((d) => d.code === "pattern-unsupported" || d.code === "version-bump").map((d) => [d.level, d.code, d.pointer]), [
      ["info", "pattern-unsupported", "/properties/x/pattern"],
      ["error", "version-bump", "/properties/x/pattern"],
    ]);
  });

  test("a schema nested 990 levels deep: too-deep with its pointer; the schema beside it is linted", async () => {
    const registry = tempRegistry();
    try {
      registry.write("com.acme/deep/jsonschema/1-0-0", { $schema: "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#", self: { vendor: "com.acme", name: "deep", format: "jsonschema", version: "1-0-0" }, ...nested(990) });
      registry.write("com.acme/other/jsonschema/1-0-0", { $schema: "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#", self: { vendor: "com.acme", name: "other", format: "jsonschema", version: "1-0-0" }, description: "O.", type: "object", properties: { n: { ...string, type: "integer", minimum: 5, maximum: 1 } } });
      const result = await lint({ paths: [registry.dir], cwd: registry.root });
      assert.deepEqual(codes(result.findings, "iglu:com.acme/deep/jsonschema/1-0-0"), [`error too-deep /properties/x${"/items".repeat(98)}`]);
      assert.ok(codes(result.findings, "iglu:com.acme/other/jsonschema/1-0-0").includes("error numericMinimumMaximum /properties/n"));
    } finally {
      registry.dispose();
    }
  });

  test("every name Object.prototype has, as properties of two versions", async () => {
    const properties = (extra: Record<string, unknown>): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const n of Object.getOwnPropertyNames(Object.prototype)) Object.defineProperty(out, n, { value: string, enumerable: true, writable: true, configurable: true });
      return { ...out, ...extra };
    };
    const names = Object.getOwnPropertyNames(Object.prototype);
    const result = await lintVersions("proto", {
      "1-0-0": { description: "P.", type: "object", additionalProperties: false, required: names, properties: properties({}) },
      "1-0-1": { description: "P.", type: "object", additionalProperties: false, required: names, properties: properties({ extra: string }) },
    });
    assert.deepEqual(codes(result.findings).filter((c) => !c.includes("bq")), []);
  });
});

describe("schema text never drives the terminal", () => {
  const HOSTILE = "x\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202e\nigluc lint: 1 schema checked, 0 errors, 0 warnings, 0 info: passed (0.01 s)";
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

  test("human, GitHub and JSON reports escape control characters; no line can pose as the summary", async () => {
    const registry = tempRegistry();
    try {
      registry.write("com.acme/evil/jsonschema/1-0-0", `{"$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
  "self": {"vendor": "com.acme", "name": "evil", "format": "jsonschema", "version": "1-0-0"},
  "description": "E.", "type": "object", "additionalProperties": false,
  "properties": {${JSON.stringify(HOSTILE)}: {"type": "string"}, ${JSON.stringify(HOSTILE)}: {"type": "string"}}}`);
      const result = await lint({ paths: [registry.dir], cwd: registry.root });
      assert.ok(result.findings.some((d) => d.code === "duplicate-key" && d.message.includes("\u001b")), "the finding holds the key as it is");
      const human = formatLintReport(result, "human");
      const lines = human.split("\n");
      assert.ok(!RAW.test(human), JSON.stringify(human));
      assert.equal(lines.filter((l) => l.startsWith("igluc lint:")).length, 1);
      assert.ok(human.includes("x\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202e\\nigluc lint: 1 schema checked"), human);
      const github = formatLintReport(result, "github");
      assert.ok(!RAW.test(github), JSON.stringify(github));
      const json = formatLintReport(result, "json");
      assert.ok(!RAW.test(json.replace(/\n/g, "")), JSON.stringify(json));
      assert.deepEqual((JSON.parse(json) as { findings: { message: string }[] }).findings.map((f) => f.message), result.findings.map((d) => d.message));
    } finally {
      registry.dispose();
    }
  });

  test("the bin's human output and every diagnostic line go through the same escaping", async () => {
    const registry = tempRegistry();
    try {
      registry.write(`com.acme/x\u001b[2J/jsonschema/1-0-0`, "{");
      const { stdout } = await new Promise<{ stdout: string }>((resolve) => {
        execFile(process.execPath, [path.join(ROOT, "dist/generator/cli/bin.js"), "lint", registry.dir], { cwd: registry.root, timeout: 60_000 }, (_e, out) => resolve({ stdout: out }));
      });
      assert.ok(stdout.includes("x\\u001b[2J"), stdout);
      assert.ok(!RAW.test(stdout), JSON.stringify(stdout));
      const line = formatDiagnostic({ level: "error", code: "draft-04", file: "f\r", uri: "iglu:a\u0085", pointer: "/\u2028", message: "m\u0000", hint: "h\u200f" });
      assert.equal(line, "f\\r: error [draft-04] iglu:a\\u0085#/\\u2028: m\\u0000\n  hint: h\\u200f");
    } finally {
      registry.dispose();
    }
  });
});
