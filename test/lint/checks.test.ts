/**
 * igluc's own checks beside the linters (files, self-description, draft-04
 * validity, references), each triggered and not; then the options: presets,
 * --skip-checks, --skip-schemas, --strict, and single files.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { lint, type LintResult } from "../../generator/lint/lint.js";
import type { LintOptions } from "../../generator/lint/options.js";
import { OptionsError } from "../../generator/errors.js";
import { selfDescribing, tempRegistry, type TempRegistry } from "../support/registry.js";

const GOOD = selfDescribing("thing", "1-0-0", {
  description: "A thing.", type: "object", additionalProperties: false,
  properties: { a: { description: "A.", type: ["string", "null"], maxLength: 10 } },
});

interface Brief {
  readonly code: string;
  readonly level: string;
  readonly file?: string;
  readonly uri?: string;
  readonly pointer?: string;
  readonly line?: number;
  readonly message: string;
}

async function run(files: Readonly<Record<string, Record<string, unknown> | string>>, options: Partial<LintOptions> = {}, setup?: (r: TempRegistry) => void): Promise<{ result: LintResult; brief: Brief[] }> {
  const registry = tempRegistry(files);
  try {
    setup?.(registry);
    const result = await lint({ paths: [registry.dir], cwd: registry.root, ...options });
    const brief = result.findings.map((d) => ({
      code: d.code, level: d.level, message: d.message,
      ...(d.file !== undefined ? { file: d.file } : {}), ...(d.uri !== undefined ? { uri: d.uri } : {}),
      ...(d.pointer !== undefined ? { pointer: d.pointer } : {}), ...(d.line !== undefined ? { line: d.line } : {}),
    }));
    return { result, brief };
  } finally {
    registry.dispose();
  }
}

const FILE = "schemas/com.acme/thing/jsonschema/1-0-0";
const URI = "iglu:com.acme/thing/jsonschema/1-0-0";
const AT = "com.acme/thing/jsonschema/1-0-0";

describe("igluc's own checks", () => {
  test("a clean registry has no findings and passes", async () => {
    const { result, brief } = await run({ [AT]: GOOD });
    assert.deepEqual(brief, []);
    assert.equal(result.failed, false);
    assert.equal(result.schemas, 1);
  });

  test("json-syntax: the line and column of the mistake", async () => {
    const { brief, result } = await run({ [AT]: "{\n  \"$schema\": \"x\",\n  \"self\": {,\n}\n" });
    assert.deepEqual(brief, [{ code: "json-syntax", level: "error", file: FILE, uri: URI, line: 3, message: "Unexpected \",\": expected a string key or \"}\"" }]);
    assert.equal(result.findings[0]?.column, 12);
    assert.equal(result.failed, true);
  });

  test("duplicate-key: each repeated key, at its second occurrence", async () => {
    const text = JSON.stringify(GOOD, null, 2).replace("\"type\": \"object\",", "\"type\": \"object\",\n  \"type\": \"object\",");
    const { brief } = await run({ [AT]: text });
    assert.deepEqual(brief, [{ code: "duplicate-key", level: "error", file: FILE, uri: URI, pointer: "/type", line: 11, message: "key \"type\" appears twice (first at line 10); JSON.parse would silently keep the second" }]);
  });

  test("not-a-schema: a document that is not an object", async () => {
    const { brief } = await run({ [AT]: "[1, 2]\n" });
    assert.deepEqual(brief, [{ code: "not-a-schema", level: "error", file: FILE, uri: URI, pointer: "", line: 1, message: "the document is not a JSON object" }]);
  });

  test("file-unreadable: a link to nothing", async () => {
    const { brief } = await run({}, {}, (r) => {
      fs.mkdirSync(path.join(r.dir, "com.acme/thing/jsonschema"), { recursive: true });
      fs.symlinkSync(path.join(r.root, "gone"), path.join(r.dir, AT));
    });
    assert.deepEqual(brief, [{ code: "file-unreadable", level: "error", file: FILE, uri: URI, message: "cannot be read (ENOENT)" }]);
  });

  test("a linked schema file inside the registry is read like any other; a link out of it is not followed", async () => {
    const { brief, result } = await run({}, {}, (r) => {
      const target = path.join(r.dir, ".shared", "thing.json");
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, JSON.stringify(GOOD));
      fs.mkdirSync(path.join(r.dir, "com.acme/thing/jsonschema"), { recursive: true });
      fs.symlinkSync(target, path.join(r.dir, AT));
    });
    assert.deepEqual(brief, []);
    assert.equal(result.schemas, 1);
    const outside = await run({}, {}, (r) => {
      const target = path.join(r.root, "thing.json");
      fs.writeFileSync(target, JSON.stringify(GOOD));
      fs.mkdirSync(path.join(r.dir, "com.acme/thing/jsonschema"), { recursive: true });
      fs.symlinkSync(target, path.join(r.dir, AT));
    });
    assert.deepEqual(outside.brief.map((b) => [b.code, b.level, b.uri, b.message]), [
      ["link-outside", "error", "iglu:com.acme/thing/jsonschema/1-0-0", "is a link to a file outside the registry; not followed"],
    ]);
  });

  test("self-description: self must follow the metaschema", async () => {
    const { brief } = await run({ [AT]: { ...GOOD, self: { vendor: "com.acme", name: "thing", format: "jsonschema", version: "1-0-0", extra: 1 } } });
    assert.deepEqual(brief.map((b) => [b.code, b.pointer, b.message]), [["self-description", "/self/extra", "/self/extra must NOT have additional properties"]]);
  });

  test("schemaver: MODEL 0 and leading zeros are not SchemaVer", async () => {
    const { brief } = await run({ "com.acme/thing/jsonschema/0-1-0": selfDescribing("thing", "0-1-0", { type: "object", properties: {}, description: "T." }) });
    assert.deepEqual(brief.map((b) => [b.code, b.pointer, b.message]), [
      ["schemaver", "/self/version", "version \"0-1-0\" is not a SchemaVer (MODEL-REVISION-ADDITION, MODEL >= 1, no leading zeros)"],
    ]);
  });

  test("path-mismatch: self and the file's place must agree", async () => {
    const { brief } = await run({ "com.acme/thing/jsonschema/1-0-0": selfDescribing("other", "1-0-0", { type: "object", properties: {}, description: "T." }) });
    assert.deepEqual(brief.map((b) => [b.code, b.uri, b.pointer, b.message]), [
      ["path-mismatch", "iglu:com.acme/other/jsonschema/1-0-0", "/self/name", "self.name is \"other\" but the file's location says \"thing\""],
    ]);
  });

  test("draft-04: a schema keyword with a value of the wrong kind", async () => {
    const { brief } = await run({ [AT]: { ...GOOD, properties: { a: { description: "A.", type: "integer", maximum: "10", minimum: 0 } } } });
    assert.deepEqual(brief.filter((b) => b.code === "draft-04").map((b) => [b.level, b.pointer, b.line, b.message]), [["error", "/properties/a/maximum", 16, "/properties/a/maximum must be number"]]);
  });

  test("draft-04: a pattern that is not a regular expression", async () => {
    const { brief } = await run({ [AT]: { ...GOOD, properties: { a: { description: "A.", type: "string", maxLength: 3, pattern: "([a-z]" } } } });
    assert.deepEqual(brief.map((b) => [b.code, b.pointer, b.message]), [["draft-04", "/properties/a/pattern", "/properties/a/pattern is not a valid regular expression: /([a-z]/u: Unterminated group"]]);
  });

  test("unresolved-ref: inside the schema, and to a schema the registry lacks; a reference to one it has resolves", async () => {
    const other = selfDescribing("other", "1-0-0", { description: "O.", type: "object", properties: {} });
    const refs = { ...GOOD, properties: {
      a: { $ref: "#/definitions/missing" },
      b: { $ref: "iglu:com.acme/absent/jsonschema/1-0-0" },
      c: { $ref: "iglu:com.acme/other/jsonschema/1-0-0" },
      d: { $ref: "http://iglucentral.com/schemas/com.acme/other/jsonschema/1-0-0#" },
    } };
    const { brief } = await run({ [AT]: refs, "com.acme/other/jsonschema/1-0-0": other });
    assert.deepEqual(brief.filter((b) => b.code === "unresolved-ref").map((b) => [b.pointer, b.message]), [
      ["/properties/a", "$ref \"#/definitions/missing\" points at nothing in iglu:com.acme/thing/jsonschema/1-0-0"],
      ["/properties/b", "$ref \"iglu:com.acme/absent/jsonschema/1-0-0\" cannot be resolved offline"],
    ]);
  });

  test("stray-file: a file out of place in the registry tree is a warning", async () => {
    const { brief } = await run({ [AT]: GOOD, "com.acme/README.md": "notes\n" });
    assert.deepEqual(brief, [{ code: "stray-file", level: "warning", file: "schemas/com.acme/README.md", message: "not at {vendor}/{name}/{format}/{version} in the registry; ignored" }]);
  });

  test("file-extension: a .json suffix is read but warned about", async () => {
    const { brief, result } = await run({ [`${AT}.json`]: GOOD });
    assert.deepEqual(brief, [{ code: "file-extension", level: "warning", file: `${FILE}.json`, uri: URI, message: "the file name ends in .json; a static registry serves schemas at paths without an extension" }]);
    assert.equal(result.failed, false);
  });

  test("format-skipped: other formats are noted as info", async () => {
    const { brief } = await run({ [AT]: GOOD, "com.acme/thing/avro/1-0-0": "{}" });
    assert.deepEqual(brief, [{ code: "format-skipped", level: "info", file: "schemas/com.acme/thing/avro", message: "com.acme/thing: format \"avro\" is not JSON Schema; skipped" }]);
  });

  test("duplicate-schema: the same schema in two registries given together is linted once, with a warning", async () => {
    const first = tempRegistry({ [AT]: GOOD });
    const second = tempRegistry({ [AT]: GOOD });
    try {
      const result = await lint({ paths: [first.dir, second.dir], cwd: first.root });
      assert.deepEqual(result.findings.map((d) => [d.code, d.level, d.uri]), [["duplicate-schema", "warning", URI]]);
      assert.equal(result.schemas, 1);
    } finally {
      first.dispose();
      second.dispose();
    }
  });
});

describe("options", () => {
  const noisy = selfDescribing("thing", "1-0-0", { type: "object", properties: { s: { type: "string" } } });

  test("by default errors fail the run and warnings do not; --strict makes warnings fail too", async () => {
    const { result } = await run({ [AT]: noisy });
    assert.equal(result.counts.error, 0);
    assert.ok(result.counts.warning > 0);
    assert.equal(result.failed, false);
    assert.equal((await run({ [AT]: noisy }, { strict: true })).result.failed, true);
  });

  test("info never fails a run, even under --strict", async () => {
    const infoOnly = selfDescribing("thing", "1-0-0", { description: "T.", type: "object", properties: { n: { type: "boolean" } } });
    const { result } = await run({ [AT]: infoOnly }, { strict: true });
    assert.deepEqual(result.counts, { error: 0, warning: 0, info: 1 });
    assert.equal(result.failed, false);
  });

  test("the iglu-central preset skips Iglu Central's six and the BigQuery pair, and is strict", async () => {
    const { brief, result } = await run({ [AT]: { ...noisy, properties: { "x-y": { type: "string", format: "strict-uri" } } } }, { preset: "iglu-central" });
    assert.deepEqual(brief.map((b) => b.code), ["unknownFormats"]);
    assert.equal(result.failed, true);
    assert.equal((await run({ [AT]: noisy }, { preset: "iglu-central", strict: false })).result.failed, false);
  });

  test("--skip-checks turns off skippable checks", async () => {
    const { brief } = await run({ [AT]: noisy }, { skipChecks: ["stringLength", "description", "optionalNull"] });
    assert.deepEqual(brief, []);
  });

  test("--skip-schemas drops one schema's findings, not the others'", async () => {
    const other = "com.acme/other/jsonschema/1-0-0";
    const { brief } = await run({ [AT]: noisy, [other]: selfDescribing("other", "1-0-0", { description: "O.", type: "object", properties: {}, maximum: "x" }) }, { skipSchemas: [URI] });
    assert.deepEqual([...new Set(brief.map((b) => b.uri))], ["iglu:com.acme/other/jsonschema/1-0-0"]);
  });

  test("a single file can be linted on its own; its place comes from its path", async () => {
    const { $schema: _meta, self: _self, ...body } = GOOD;
    const registry = tempRegistry({ [AT]: GOOD, "com.acme/thing/jsonschema/1-0-1": selfDescribing("thing", "1-0-1", body) });
    try {
      const one = await lint({ paths: [path.join(registry.dir, "com.acme/thing/jsonschema/1-0-1")], cwd: registry.root });
      // Alone, it has no 1-0-0 before it: as igluctl says of a lone schema that is not 1-0-0.
      assert.deepEqual(one.findings.map((d) => [d.code, d.uri]), [["version-start", "iglu:com.acme/thing/jsonschema/1-0-1"]]);
      assert.equal(one.schemas, 1);
    } finally {
      registry.dispose();
    }
  });

  const usage: readonly [string, Partial<LintOptions>, RegExp][] = [
    ["an unknown check", { skipChecks: ["stringLenght"] }, /^unknown check "stringLenght" in --skip-checks \(skippable: version-bump, /],
    ["an error-level check", { skipChecks: ["numericMinimumMaximum", "draft-04"] }, /^"numericMinimumMaximum", "draft-04" cannot be skipped: error-level checks always run/],
    ["a schema that is not an Iglu URI", { skipSchemas: ["com.acme/thing"] }, /^--skip-schemas takes Iglu URIs like iglu:com\.acme\/event\/jsonschema\/1-0-0, not "com\.acme\/thing"$/],
    ["a path that does not exist", { paths: ["nowhere"] }, /^nowhere does not exist$/],
    ["no paths", { paths: [] }, /^nothing to lint/],
    ["an unknown preset", { preset: "strictest" as never }, /^unknown preset "strictest" \(known: default, iglu-central\)$/],
  ];
  for (const [what, options, message] of usage) {
    test(`${what} is a usage error`, async () => {
      await assert.rejects(run({ [AT]: GOOD }, options), (error: unknown) => error instanceof OptionsError && message.test(error.message));
    });
  }
});
