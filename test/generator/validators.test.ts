/**
 * `igluc generate --validators`: per schema, a validator ajv compiled ahead
 * of time, loaded in a project that has @igluc/runtime alone (from its npm
 * pack tarball, no ajv), checking what types cannot (formats, maxLength,
 * minimum, enum, additionalProperties) with messages in the one format; the
 * validators.js map the tracker takes; their declarations under the real
 * TypeScript 5 and 7; and the one import a validator may have.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { formatSchemaError, type Validator, type Validators } from "@igluc/runtime/validation";
import { generate } from "../../generator/index.js";
import { linkValidator } from "../../generator/emit/validator.js";
import { MANIFEST, type Manifest } from "../../generator/write/output.js";
import { compile, tempProject } from "../support/compile.js";
import { ROOT } from "../support/iglu.js";

const REGISTRY = path.join(ROOT, "test/fixtures/registry");
const CHECKOUT = "iglu:com.example/checkout_started/jsonschema/1-0-0";
let project: ReturnType<typeof tempProject>;
let tsOut: string;
let jsOut: string;

/** Every module a file of JavaScript imports or requires (static, dynamic, require calls), read by TypeScript's parser. */
export function importsOf(code: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const named = (ts.isIdentifier(callee) && callee.text === "require") || callee.kind === ts.SyntaxKind.ImportKeyword;
      if (named) found.push(node.arguments[0] !== undefined && ts.isStringLiteral(node.arguments[0]) ? node.arguments[0].text : "<computed>");
    } else if (ts.isIdentifier(node) && (node.text === "require" || node.text === "eval" || node.text === "Function")) {
      found.push(`<${node.text}>`);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("v.js", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS));
  return found;
}

async function load<T>(file: string): Promise<T> {
  return (await import(`${path.join(file)}?${Date.now()}`)) as T;
}

before(async () => {
  project = tempProject("igluc-validators-");
  tsOut = path.join(project.dir, "ts");
  jsOut = path.join(project.dir, "js");
  const a = await generate({ schemas: [REGISTRY], out: tsOut, validators: true, concurrency: 1 });
  const b = await generate({ schemas: [REGISTRY], out: jsOut, validators: true, emit: "js", concurrency: 1 });
  for (const r of [a, b]) assert.deepEqual(r.diagnostics.filter((d) => d.level === "error"), []);
});
after(() => project.dispose());

describe("generate --validators", () => {
  test("writes each schema's validator and its declarations beside its module, and validators.js, in both emit forms, listed in the manifest", () => {
    for (const out of [tsOut, jsOut]) {
      const names = fs.readdirSync(out);
      for (const name of ["checkout-started.validate.js", "checkout-started.validate.d.ts", "validators.js", "validators.d.ts"]) assert.ok(names.includes(name), `${out}: ${name}`);
      const manifest = JSON.parse(fs.readFileSync(path.join(out, MANIFEST), "utf8")) as Manifest;
      assert.ok(manifest.files["checkout-started.validate.js"] !== undefined && manifest.files["validators.js"] !== undefined);
    }
  });

  test("a validator imports @igluc/runtime/validation and nothing else (no ajv at run time), and runs", async () => {
    for (const name of fs.readdirSync(tsOut).filter((n) => n.endsWith(".validate.js"))) {
      const imports = importsOf(fs.readFileSync(path.join(tsOut, name), "utf8"));
      assert.deepEqual(imports.filter((i) => i !== "@igluc/runtime/validation"), [], name);
    }
    assert.deepEqual(importsOf(fs.readFileSync(path.join(tsOut, "checkout-started.validate.js"), "utf8")), ["@igluc/runtime/validation"]);
    const { validate } = await load<{ validate: Validator }>(path.join(tsOut, "checkout-started.validate.js"));
    assert.equal(validate({ cartId: "c1", total: 12.5, currency: "EUR", startedAt: "2026-12-02T14:00:00Z", items: [{ sku: "s", quantity: 1 }] }), true);
    assert.equal(validate.errors, null);
    // It carries the one formatter, so the tracker needs none of its own.
    const error = { instancePath: "/email", keyword: "format", params: { format: "email" }, data: "not-an-email" };
    assert.equal(validate.format?.(CHECKOUT, error), formatSchemaError(CHECKOUT, error));
  });

  test("catches what types cannot, each error in the one message format", async () => {
    const { validators } = await load<{ validators: Validators }>(path.join(jsOut, "validators.js"));
    const validate = validators[CHECKOUT]!;
    const bad = { cartId: "x".repeat(65), total: -1, currency: "JPY", startedAt: "yesterday", deliveryDate: "2026-02-30", items: [{ sku: "s", quantity: 0, extra: 1 }] };
    assert.equal(validate(bad), false);
    const messages = (validate.errors ?? []).map((e) => formatSchemaError(CHECKOUT, e)).sort();
    assert.deepEqual(messages, [
      `${CHECKOUT} /cartId: must NOT have more than 64 characters (got "${"x".repeat(57)}…" (65 characters))`,
      `${CHECKOUT} /currency: must be one of "EUR", "USD", "GBP" (got "JPY")`,
      `${CHECKOUT} /deliveryDate: must match format "date" (got "2026-02-30")`,
      `${CHECKOUT} /items/0/quantity: must be >= 1 (got 0)`,
      `${CHECKOUT} /items/0: must NOT have additional property "extra"`,
      `${CHECKOUT} /startedAt: must match format "date-time" (got "yesterday")`,
      `${CHECKOUT} /total: must be >= 0 (got -1)`,
    ]);
  });

  test("validators.js maps every generated schema's Iglu URI to its validator", async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(tsOut, MANIFEST), "utf8")) as Manifest;
    const { validators } = await load<{ validators: Validators }>(path.join(tsOut, "validators.js"));
    assert.deepEqual(Object.keys(validators).sort(), Object.keys(manifest.modules).sort());
    assert.ok(Object.isFrozen(validators));
  });

  test("the declarations compile under TypeScript 5 and 7, and type the map and each validator", async () => {
    fs.writeFileSync(path.join(project.dir, "use.ts"), [
      'import { validators } from "./ts/validators.js";',
      'import { validate } from "./js/checkout-started.validate.js";',
      'import type { Validator } from "@igluc/runtime/validation";',
      "const v: Validator | undefined = validators[\"iglu:com.example/checkout_started/jsonschema/1-0-0\"];",
      "const ok: boolean = validate({});",
      "// @ts-expect-error a validator returns a boolean",
      "const wrong: string = validate({});",
      "export { v, ok, wrong };",
    ].join("\n"));
    for (const compiler of ["TypeScript 5", "TypeScript 7"] as const) {
      const result = await compile(project.dir, ["use.ts"], compiler, "nodenext", true);
      assert.equal(result.code, 0, `${compiler}: ${result.output}`);
    }
  });

  test("without --validators no validator is written, and turning it off removes them", async () => {
    const out = path.join(project.dir, "off");
    await generate({ schemas: [REGISTRY], out, validators: true, concurrency: 1 });
    assert.ok(fs.existsSync(path.join(out, "validators.js")));
    await generate({ schemas: [REGISTRY], out, concurrency: 1 });
    assert.deepEqual(fs.readdirSync(out).filter((n) => n.includes("validat")), []);
  });

  test("single-file output: one index.ts, and each validator still a module of its own that validators.js imports", async () => {
    const out = path.join(project.dir, "single");
    await generate({ schemas: [REGISTRY], out, validators: true, singleFile: true, concurrency: 1 });
    assert.ok(fs.existsSync(path.join(out, "checkout-started.validate.js")));
    assert.doesNotMatch(fs.readFileSync(path.join(out, "index.ts"), "utf8"), /validate/);
    const { validators } = await load<{ validators: Validators }>(path.join(out, "validators.js"));
    assert.equal(validators[CHECKOUT]!({}), false);
  });

  test("a second run with nothing changed reuses every validator and writes nothing", async () => {
    const again = await generate({ schemas: [REGISTRY], out: tsOut, validators: true, concurrency: 1 });
    assert.equal(again.stats.compiled, 0);
    assert.equal(again.stats.written, 0);
  });
});

describe("linking ajv's code", () => {
  test("replaces only the exact runtime helpers ajv requires, and refuses any other module", () => {
    const linked = linkValidator('"use strict";const f = require("ajv/dist/runtime/equal").default;export const validate = f;', "@igluc/runtime/validation");
    assert.ok("code" in linked);
    assert.deepEqual(importsOf(linked.code), ["@igluc/runtime/validation"]);
    for (const other of ['require("ajv/dist/runtime/uri").default', 'require("node:fs")', "require( 'x')"]) {
      const refused = linkValidator(`const f = ${other};`, "@igluc/runtime/validation");
      assert.ok("error" in refused, other);
    }
  });

  test("a __proto__ key of the schema ajv writes as JSON stays a property; the same text inside a string is left alone", async () => {
    const linked = linkValidator('const schema0 = {"__proto__":[1],"a\\"__proto__":2,"s":"x\\"__proto__\\":"};export const validate = () => schema0;', pathToFileURL(path.join(ROOT, "runtime/dist/esm/validation.js")).href);
    assert.ok("code" in linked);
    const schema = (await import(`data:text/javascript,${encodeURIComponent(linked.code)}`) as { validate: () => Record<string, unknown> }).validate();
    assert.deepEqual(Object.keys(schema), ["__proto__", 'a"__proto__', "s"]);
    assert.equal(Object.getPrototypeOf(schema), Object.prototype);
    assert.equal(schema.s, 'x"__proto__":');
  });
});
