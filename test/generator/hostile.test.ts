/**
 * Hostile schemas: text in every position a schema controls (descriptions,
 * titles, annotations, property keys, enum values, pattern keys, type
 * keywords json-schema-to-typescript would paste as code, references left in
 * data) must never become code, must round-trip exactly where it is data,
 * and must compile; schema names must never write outside the output folder.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import ts from "typescript";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { generate, type GenerateResult } from "../../generator/generate.js";
import { hash, inside, MANIFEST, type Manifest } from "../../generator/write/output.js";
import { compile, tempProject, type COMPILERS, type SETTINGS } from "../support/compile.js";

const META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";
/** Closes a comment and declares something, should any of it land in code or close a comment. */
const INJECT = "*/ export const pwned = 1; /*";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Writes `vendor/name/jsonschema/1-0-0` in `registry` as a valid self-describing schema. */
function writeSchema(registry: string, vendor: string, name: string, body: Record<string, Json>): string {
  const dir = path.join(registry, "schemas", vendor, name, "jsonschema");
  fs.mkdirSync(dir, { recursive: true });
  const schema = { $schema: META, self: { vendor, name, format: "jsonschema", version: "1-0-0" }, ...body };
  fs.writeFileSync(path.join(dir, "1-0-0"), JSON.stringify(schema, null, 2));
  return `iglu:${vendor}/${name}/jsonschema/1-0-0`;
}

/** An object with one own property per entry, `__proto__` included (an object literal would set the prototype instead). */
function own(entries: readonly (readonly [string, Json])[]): { [key: string]: Json } {
  const object: { [key: string]: Json } = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** Property keys made to break out of a string, a template, a comment or a line. */
const HOSTILE_KEYS = [
  'a"b', "'single'", "a`b${pwned}", "line\nbreak */ pwned", "cr\r\nlf", "ls\u2028ps\u2029", "tab\there", "back\\slash",
  INJECT, "*/", "/*", "[k: string]", "__proto__", "constructor", "toString", "", " ", "@deprecated", "nul\u0000", "😀", "-1", "1e3",
] as const;

/** Enum values likewise. */
const HOSTILE_VALUES = ['q"uote', "'", "back`tick", "${pwned}", "new\nline", "cr\r", INJECT, "*/", "\u2028", "\u2029", "a\\", "\\u0041", "</script>", "@internal"] as const;

const OBJECT_PROPERTY = { type: "object", properties: { b: { type: "string" } }, additionalProperties: false } as const;

function everything(): Record<string, Json> {
  return {
    description: `${INJECT}\u2028export const pwned = 2;\u2029\n@internal ${INJECT}\r\n@type {pwned}\r  @see pwned`,
    title: "X = 1; export const pwned = 3; type Y",
    $comment: INJECT,
    default: { a: INJECT },
    examples: [INJECT, { "*/": INJECT }],
    type: "object",
    properties: own([
      ...HOSTILE_KEYS.map((key, i): [string, Json] => [key, { type: "string", description: i % 2 === 0 ? `@param ${INJECT}` : `${INJECT}\n@returns pwned` }]),
      ["EventTracker", OBJECT_PROPERTY],
      ["SelfDescribingJson", OBJECT_PROPERTY],
      ["en", { enum: [...HOSTILE_VALUES, 1, null, true], description: "\n@enum pwned" }],
      ["typedEnum", { type: "string", enum: [...HOSTILE_VALUES], tsEnumNames: HOSTILE_VALUES.map((_, i) => `pwned${i} = 1, X${i}`) }],
      ["ts", { type: "string", tsType: "string }\nexport const pwned = 4;\nexport interface Z {" }],
      ["constant", { const: INJECT }],
      ["enumOfData", { enum: [{ $ref: "#/properties/EventTracker" }, { "*/": "${pwned}" }, ["*/", "`"]] }],
      ["viaDefinition", { $ref: "#/definitions/evil" }],
      ["nested", {
        type: "object", title: "pwned", description: INJECT,
        properties: own([[INJECT, {
          type: "array", description: `@${INJECT}`, tsType: "pwned",
          items: {
            type: "object", title: "Pwned", description: INJECT,
            properties: own([["x`${pwned}`", { enum: [INJECT, "new\nline"] }], ["__proto__", { type: "number" }]]),
            required: ["x`${pwned}`"], additionalProperties: false,
          },
        }]]),
        additionalProperties: false,
      }],
      ["tuple", {
        type: "array", minItems: 1,
        items: [{ type: "string", tsType: "pwned", description: `@${INJECT}` }, { enum: ["`", "${"] }],
        additionalItems: false,
      }],
      ["choice", {
        anyOf: [
          { type: "string", description: INJECT, tsType: "pwned", title: "Pwned" },
          { type: "object", properties: own([["'", { type: "number" }]]), additionalProperties: false },
        ],
      }],
      ["oneChoice", { oneOf: [{ enum: ["*/"] }, { type: "null", description: "@pwned" }] }],
      ["map", { type: "object", additionalProperties: { type: "string", tsType: "pwned", description: INJECT } }],
      ["patterned", {
        type: "object",
        // A valid regular expression (an invalid one is a draft-04 error) that is also a comment breaker.
        patternProperties: { "^x*/*/ export const pwned = 7; /*": { type: "string", description: INJECT, tsType: "pwned" } },
        properties: { a: { type: "string" } }, additionalProperties: false,
      }],
      ["negated", { type: "string", not: { tsType: "pwned", description: INJECT } }],
      ["annotated", { type: "string", default: INJECT, examples: [INJECT], $comment: INJECT, title: INJECT }],
    ]),
    required: ['a"b', "en", "*/", "__proto__"],
    additionalProperties: false,
    // A draft-03 keyword draft-04 ignores, that json-schema-to-typescript would read.
    extends: [{ title: "Evil", type: "object", properties: { x: { tsType: "string }\nexport const pwned = 5;\nexport interface Z {" } } }],
    // A reference in a keyword no validator reads: data, not a reason to name a type.
    "x-alias": { $ref: "#/properties/EventTracker" },
    $defs: { x: { title: "Pwned", tsType: "pwned", description: INJECT }, y: { $ref: "#/properties/SelfDescribingJson" } },
    definitions: { evil: { type: "string", title: "pwned", tsType: "string; export const pwned = 6", description: `@see ${INJECT}` } },
    dependencies: { 'a"b': { properties: { q: { tsType: "pwned" } } } },
  };
}

/** The keys of each object schema that must round-trip, by the path of property names to it. */
const NESTED_KEYS = { [INJECT]: ["x`${pwned}`", "__proto__"] } as const;

let root: string;
let registry: string;
let out: string;
let result: GenerateResult;
let uris: string[];

/** Every path under `dir` (relative), with the content of each file (or the target of each link). */
function snapshot(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (entry.isSymbolicLink()) found.set(rel, `link → ${fs.readlinkSync(full)}`);
    else if (entry.isDirectory()) found.set(rel, "dir");
    else found.set(rel, hash(fs.readFileSync(full)));
  }
  return found;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), "utf8")) as Manifest;
}

/** TypeScript's view of a generated file, failing on any syntax error. */
function parse(file: string): ts.SourceFile {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const { parseDiagnostics } = source as unknown as { parseDiagnostics: readonly ts.Diagnostic[] };
  assert.deepEqual(parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), [], file);
  return source;
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** Identifiers, and any other token whose text is code rather than a string's content or a comment. */
function codeWords(source: ts.SourceFile): string[] {
  const words: string[] = [];
  walk(source, (node) => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) words.push(node.text);
  });
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source.text);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    const literal = kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral || kind === ts.SyntaxKind.NumericLiteral;
    if (!literal) words.push(scanner.getTokenText());
  }
  return words;
}

function declaredNames(source: ts.SourceFile): string[] {
  return source.statements.flatMap((statement) => {
    if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.map((d) => d.name.getText(source));
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) return [];
    const name = (statement as ts.Statement & { name?: ts.Node }).name;
    return name === undefined ? [`<${ts.SyntaxKind[statement.kind]}>`] : [name.getText(source)];
  });
}

function memberName(member: ts.TypeElement): string {
  const name = member.name;
  if (name === undefined) return `<${ts.SyntaxKind[member.kind]}>`;
  assert.ok(ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name), ts.SyntaxKind[name.kind]);
  return name.text;
}

function findInterface(source: ts.SourceFile, name: string): ts.InterfaceDeclaration {
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  assert.ok(found !== undefined, `interface ${name}`);
  return found;
}

function property(members: readonly ts.TypeElement[], name: string): ts.PropertySignature {
  const found = members.find((m): m is ts.PropertySignature => ts.isPropertySignature(m) && memberName(m) === name);
  assert.ok(found !== undefined, `property ${JSON.stringify(name)}`);
  return found;
}

/** The literal values of a union of literal types (parentheses and arrays of objects unwrapped by the caller). */
function literals(type: ts.TypeNode): unknown[] {
  while (ts.isParenthesizedTypeNode(type)) type = type.type;
  const members = ts.isUnionTypeNode(type) ? type.types : [type];
  return members.map((member) => {
    assert.ok(ts.isLiteralTypeNode(member), ts.SyntaxKind[member.kind]);
    const literal = member.literal;
    if (ts.isStringLiteral(literal)) return literal.text;
    if (ts.isNumericLiteral(literal)) return Number(literal.text);
    if (ts.isPrefixUnaryExpression(literal) && literal.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(literal.operand)) {
      return -Number(literal.operand.text);
    }
    if (literal.kind === ts.SyntaxKind.NullKeyword) return null;
    if (literal.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (literal.kind === ts.SyntaxKind.FalseKeyword) return false;
    assert.fail(ts.SyntaxKind[literal.kind]);
  });
}

function generatedFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => path.join(dir, f));
}

async function compiles(dir: string, combos: readonly (readonly [keyof typeof COMPILERS, keyof typeof SETTINGS, boolean])[]): Promise<void> {
  const project = tempProject("igluc-hostile-project-");
  try {
    fs.cpSync(dir, path.join(project.dir, "src/tracking"), { recursive: true });
    const usage = [
      'import { trackEverything, createEverything, type Everything } from "./tracking/index.js";',
      'declare const data: Everything;',
      'export const entity = createEverything(data);',
      'export const track = trackEverything;',
    ].join("\n");
    if (fs.existsSync(path.join(dir, "everything.ts"))) fs.writeFileSync(path.join(project.dir, "src/usage.ts"), usage);
    const results = await Promise.all(combos.map(([compiler, resolution, exact]) => compile(project.dir, ["src/**/*.ts"], compiler, resolution, exact)));
    results.forEach((r, i) => assert.equal(r.code, 0, `${combos[i]!.join(" ")}:\n${r.output}`));
  } finally {
    project.dispose();
  }
}

const COMBOS = [
  ["TypeScript 5", "nodenext", true],
  ["TypeScript 7", "nodenext", true],
  ["TypeScript 5", "bundler", false],
  ["TypeScript 7", "bundler", false],
] as const;

describe("hostile text in every position a schema controls", () => {
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-hostile-"));
    registry = path.join(root, "registry");
    uris = [
      writeSchema(registry, "com.evil", "everything", everything()),
      writeSchema(registry, "com.evil", "just_enum", { description: "@internal", enum: [...HOSTILE_VALUES, 0, -1.5] }),
      writeSchema(registry, "com.evil", "at_signs", {
        description: "@internal\n@private\n  @deprecated pwned", type: "object",
        properties: own([["@x", { type: "string", description: "@param {pwned} x" }], ["y", { type: "string", description: " @returns pwned" }]]),
        additionalProperties: false,
      }),
    ];
    out = path.join(root, "cwd", "out");
    result = await generate({ schemas: [registry], out, cwd: path.join(root, "cwd"), concurrency: 1 });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test("they generate without any problem", () => {
    assert.deepEqual(result.diagnostics.map((d: Diagnostic) => `${d.level} [${d.code}] ${d.uri ?? ""}: ${d.message}`), []);
    assert.equal(result.stats.generated, uris.length);
    assert.deepEqual(Object.keys(readManifest(out).modules).sort(), [...uris].sort());
  });

  test("no token of code comes from a schema: only the declarations igluc makes, no `pwned` outside strings and comments", () => {
    const expected: Record<string, string[]> = {
      "everything.ts": ["Everything", "EVERYTHING_SCHEMA", "createEverything", "trackEverything"],
      "just-enum.ts": ["JustEnum", "JUST_ENUM_SCHEMA", "createJustEnum", "trackJustEnum"],
      "at-signs.ts": ["AtSigns", "AT_SIGNS_SCHEMA", "createAtSigns", "trackAtSigns"],
      "index.ts": ["unchecked", "UncheckedEntity", "uncheckedEntity", "Entity", "TrackEventOptions", "EventTracker"],
    };
    assert.deepEqual(fs.readdirSync(out).filter((f) => f.endsWith(".ts")).sort(), Object.keys(expected).sort());
    for (const file of generatedFiles(out)) {
      const source = parse(file);
      assert.deepEqual(declaredNames(source), expected[path.basename(file)], file);
      const words = codeWords(source);
      assert.ok(words.length > 20, file);
      for (const word of words) assert.ok(!/pwned|evil/i.test(word), `${path.basename(file)}: ${JSON.stringify(word)} is code`);
    }
  });

  test("comments carry no JSDoc tag from a schema", () => {
    for (const file of generatedFiles(out)) {
      const source = parse(file);
      const tags = new Set<string>();
      walk(source, (node) => {
        for (const tag of ts.getJSDocTags(node)) tags.add(tag.tagName.text);
      });
      // json-schema-to-typescript notes a tuple's bounds itself; igluc says a default and examples (their values escaped, in backticks).
      const OURS = ["minItems", "maxItems", "defaultValue", "example"];
      for (const tag of tags) assert.ok(OURS.includes(tag), `${path.basename(file)}: @${tag}`);
      for (const comment of source.text.match(/\/\*[\s\S]*?\*\//g) ?? []) {
        assert.doesNotMatch(comment.slice(2, -2), /^[\s*]*@(?!minItems|maxItems|defaultValue `|example `)/m, comment);
      }
    }
  });

  test("property keys round-trip exactly, as JSON-escaped string literals where they are not identifiers", () => {
    const file = path.join(out, "everything.ts");
    const text = fs.readFileSync(file, "utf8");
    const source = parse(file);
    const members = findInterface(source, "Everything").members;
    const keys = Object.keys(everything().properties as Record<string, Json>);
    assert.ok(keys.includes("__proto__"));
    assert.deepEqual(members.map(memberName), keys);
    for (const key of keys) {
      if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) assert.ok(text.includes(JSON.stringify(key)), JSON.stringify(key));
    }
    // Required ones are required, the others optional.
    for (const key of ['a"b', "en", "*/", "__proto__"]) assert.equal(property(members, key).questionToken, undefined, key);
    assert.ok(property(members, "a`b${pwned}").questionToken !== undefined);
    // An index-signature-looking key is a property, not an index signature.
    assert.ok(!members.some((m) => ts.isIndexSignatureDeclaration(m)));

    // Nested object keys too, inside an array of objects.
    const nested = property(members, "nested").type!;
    assert.ok(ts.isTypeLiteralNode(nested));
    assert.deepEqual(nested.members.map(memberName), Object.keys(NESTED_KEYS));
    let items = property(nested.members, INJECT).type!;
    assert.ok(ts.isArrayTypeNode(items), ts.SyntaxKind[items.kind]);
    items = items.elementType;
    assert.ok(ts.isTypeLiteralNode(items), ts.SyntaxKind[items.kind]);
    assert.deepEqual(items.members.map(memberName), NESTED_KEYS[INJECT]);
    assert.deepEqual(literals(property(items.members, "x`${pwned}`").type!), [INJECT, "new\nline"]);
  });

  test("enum values round-trip exactly", () => {
    const source = parse(path.join(out, "everything.ts"));
    const members = findInterface(source, "Everything").members;
    assert.deepEqual(literals(property(members, "en").type!), [...HOSTILE_VALUES, 1, null, true]);
    assert.deepEqual(literals(property(members, "typedEnum").type!), [...HOSTILE_VALUES]);
    const alias = parse(path.join(out, "just-enum.ts")).statements.find(ts.isTypeAliasDeclaration);
    assert.ok(alias !== undefined && alias.name.text === "JustEnum");
    assert.deepEqual(literals(alias.type), [...HOSTILE_VALUES, 0, -1.5]);
  });

  test("keywords that would be pasted as code are ignored: the type is what the schema validates", () => {
    const source = parse(path.join(out, "everything.ts"));
    const members = findInterface(source, "Everything").members;
    const typeText = (name: string): string => property(members, name).type!.getText(source);
    assert.equal(typeText("ts"), "string");
    assert.equal(typeText("viaDefinition"), "string");
    assert.equal(typeText("negated"), "string");
    assert.equal(typeText("annotated"), "string");
    // Not an interface declared from the reference path (it would clash with the imported EventTracker).
    assert.match(typeText("EventTracker"), /^\{\s*b\?: string\s*\}$/);
    assert.match(typeText("SelfDescribingJson"), /^\{\s*b\?: string\s*\}$/);
    // A `$ref` inside an enum value is data.
    assert.match(typeText("enumOfData"), /\{"\$ref":"#\/properties\/EventTracker"\}/);
    // `extends` (draft-03) adds nothing: no heritage clause.
    assert.equal(findInterface(source, "Everything").heritageClauses, undefined);
  });

  test("the generated modules compile with TypeScript 5 and 7", async () => {
    await compiles(out, COMBOS);
  });

  test("with emit js, no token of code comes from a schema either; the declarations compile and the JavaScript only exports igluc's names", async () => {
    const jsOut = path.join(root, "cwd", "out-js");
    const js = await generate({ schemas: [registry], out: jsOut, cwd: path.join(root, "cwd"), concurrency: 1, emit: "js" });
    assert.deepEqual(js.diagnostics, []);
    const names: Record<string, string[]> = {
      everything: ["EVERYTHING_SCHEMA", "createEverything", "trackEverything"],
      "just-enum": ["JUST_ENUM_SCHEMA", "createJustEnum", "trackJustEnum"],
      "at-signs": ["AT_SIGNS_SCHEMA", "createAtSigns", "trackAtSigns"],
      index: ["uncheckedEntity"],
    };
    const files = fs.readdirSync(jsOut).filter((f) => !f.startsWith(".")).sort();
    assert.deepEqual(files, Object.keys(names).flatMap((stem) => [`${stem}.d.ts`, `${stem}.js`]).sort());
    for (const file of files) {
      const source = parse(path.join(jsOut, file));
      if (file.endsWith(".js")) assert.deepEqual(declaredNames(source), names[file.slice(0, -3)], file);
      for (const word of codeWords(source)) assert.ok(!/pwned|evil/i.test(word), `${file}: ${JSON.stringify(word)} is code`);
    }
    const loaded = await import(path.join(jsOut, "index.js")) as Record<string, unknown>;
    assert.deepEqual(Object.keys(loaded).sort(), Object.values(names).flat().sort());
    assert.equal("pwned" in globalThis, false);
    const project = tempProject("igluc-hostile-js-");
    try {
      fs.cpSync(jsOut, path.join(project.dir, "tracking"), { recursive: true });
      const results = await Promise.all((["TypeScript 5", "TypeScript 7"] as const).map((compiler) => compile(project.dir, ["tracking/*.ts"], compiler, "nodenext", true, false)));
      results.forEach((r) => assert.equal(r.code, 0, r.output));
    } finally {
      project.dispose();
    }
  });
});

describe("schema names never write outside the output folder", () => {
  let base: string;
  let outDir: string;
  let before1: Map<string, string>;
  let run: GenerateResult;
  const victim = "victim.ts";

  before(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-traversal-"));
    const reg = path.join(base, "registry");
    // Vendors may hold dots (^[a-zA-Z0-9-_.]+$), names hyphens and underscores; "/" is impossible in either.
    for (const [vendor, name] of [
      ["...", "-"], ["..a", "x"], ["a..b", "-"], ["x.-._", "_"], ["-", "--"], ["a.", "__"], ["_._", "index"], ["..-..", "tracker"],
      ["com.acme", "index"], ["com.acme", "igluc_manifest"], ["com.acme", "link_click"], ["com.acme", "ETC_passwd"],
    ] as const) {
      writeSchema(reg, vendor, name, { type: "object", properties: { a: { type: "string" } }, additionalProperties: false });
    }
    outDir = path.join(base, "project", "out");
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(base, "project", victim), "victim\n");
    // A link where a module will be written: replaced, never written through.
    fs.symlinkSync(path.join("..", victim), path.join(outDir, "link-click.ts"));
    // An earlier manifest claiming files outside the folder, with their current hashes: never removed.
    const victimHash = hash("victim\n");
    fs.writeFileSync(path.join(outDir, MANIFEST), JSON.stringify({
      generator: "0", inputs: "x", modules: {}, diagnostics: [],
      files: { "../victim.ts": victimHash, [path.join(base, "project", victim)]: victimHash, "..": victimHash, ".": victimHash, "sub/../../victim.ts": victimHash },
    }));
    before1 = snapshot(base);
    run = await generate({ schemas: [reg], out: outDir, cwd: path.join(base, "project"), concurrency: 1 });
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  test("names come from what is left of the vendor and name; hidden folders are not read", () => {
    const modules = readManifest(outDir).modules;
    assert.deepEqual(Object.fromEntries(Object.entries(modules).map(([uri, m]) => [uri, m.file])), {
      "iglu:-/--/jsonschema/1-0-0": "schema.ts",
      "iglu:a./__/jsonschema/1-0-0": "a.ts",
      "iglu:a..b/-/jsonschema/1-0-0": "b.ts",
      "iglu:com.acme/ETC_passwd/jsonschema/1-0-0": "etc-passwd.ts",
      "iglu:com.acme/igluc_manifest/jsonschema/1-0-0": "igluc-manifest.ts",
      "iglu:com.acme/index/jsonschema/1-0-0": "com-acme-index.ts",
      "iglu:com.acme/link_click/jsonschema/1-0-0": "link-click.ts",
      "iglu:x.-._/_/jsonschema/1-0-0": "x.ts",
    });
    // "_._" has no letters to qualify "index" with: reported, never written as index.ts.
    assert.deepEqual(run.diagnostics.map((d) => `${d.level} [${d.code}] ${d.uri ?? ""}: ${d.message}`), [
      "error [name-collision] iglu:_._/index/jsonschema/1-0-0: the generated name Index is a name igluc uses itself",
    ]);
  });

  test("every file written is directly inside the output folder and listed in the manifest", () => {
    const manifest = readManifest(outDir);
    const entries = fs.readdirSync(outDir, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      assert.equal(entry.parentPath, outDir, entry.name);
      assert.ok(entry.isFile(), `${entry.name} is a plain file`);
    }
    assert.deepEqual(entries.map((e) => e.name).sort(), [...Object.keys(manifest.files), MANIFEST].sort());
    for (const name of Object.keys(manifest.files)) {
      assert.match(name, /^[a-z0-9]+(?:-[a-z0-9]+)*\.ts$/);
      assert.equal(inside(outDir, name), path.join(outDir, name));
    }
  });

  test("nothing outside the output folder was created, changed or removed", () => {
    const after1 = snapshot(base);
    const outside = (m: Map<string, string>): [string, string][] =>
      [...m].filter(([rel]) => rel !== path.join("project", "out") && !rel.startsWith(path.join("project", "out") + path.sep)).sort();
    assert.deepEqual(outside(after1), outside(before1));
    assert.equal(fs.readFileSync(path.join(base, "project", victim), "utf8"), "victim\n");
  });

  test("the output compiles", async () => {
    await compiles(outDir, [COMBOS[0], COMBOS[1]]);
  });
});

describe("inside()", () => {
  const out = path.resolve(os.tmpdir(), "igluc-out");
  const refused = ["../x.ts", "a/b.ts", "a\\b.ts", ".hidden", "", ".", "..", "/etc/passwd", `${out}/x.ts`, "-x.ts", "x.ts/", "x\u0000.ts", "x y.ts"];
  for (const name of refused) {
    test(`refuses ${JSON.stringify(name)}`, () => {
      assert.throws(() => inside(out, name), /igluc: refusing to write/);
    });
  }
  for (const name of ["link-click.ts", "index.ts", "a.ts", "foo-v1-0-0.ts", "schema1-h.ts"]) {
    test(`accepts ${JSON.stringify(name)}`, () => {
      assert.equal(inside(out, name), path.join(out, name));
    });
  }
});

test("an array with a huge minItems is typed as an array, its bound said in the JSDoc, not written as a tuple of that many items", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-min-items-"));
  try {
    writeSchema(dir, "com.acme", "tags", { type: "object", properties: { tags: { type: "array", items: { type: "string" }, minItems: 1_000_000 } }, additionalProperties: false });
    const result = await generate({ schemas: [dir], out: path.join(dir, "out"), concurrency: 1 });
    assert.deepEqual(result.diagnostics.filter((d) => d.level === "error"), []);
    const text = fs.readFileSync(path.join(dir, "out/tags.ts"), "utf8");
    assert.ok(text.length < 20_000, `the module is ${text.length} characters`);
    assert.match(text, /tags\?: string\[\]/);
    assert.match(text, /at least 1000000 items/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("an enum of more than 10,000 values is refused at its pointer, before the metaschema compares them pair by pair", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-enum-"));
  try {
    const values = Array.from({ length: 20_001 }, (_, i) => `v${i}`);
    writeSchema(dir, "com.acme", "codes", { type: "object", properties: { code: { type: "string", enum: values } }, additionalProperties: false });
    writeSchema(dir, "com.acme", "fine", { type: "object", properties: { code: { type: "string", enum: values.slice(0, 10_000) } }, additionalProperties: false });
    const result = await generate({ schemas: [dir], out: path.join(dir, "out"), concurrency: 1 });
    assert.deepEqual(result.diagnostics.filter((d) => d.level === "error").map((d) => [d.code, d.uri, d.pointer]), [["enum-too-long", "iglu:com.acme/codes/jsonschema/1-0-0", "/properties/code/enum"]]);
    assert.ok(fs.existsSync(path.join(dir, "out/fine.ts")), "10,000 values are still taken");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
