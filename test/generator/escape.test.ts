/**
 * The escaping module: exact outputs of every function (table-driven), and
 * properties that must hold for any text (seeded random strings full of
 * quotes, comment terminators, line separators, control characters, path
 * pieces and non-ASCII), checked with TypeScript's own scanner and parser.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import ts from "typescript";
import {
  commentText, fileStem, kebabCase, lineCommentText, pascalCase, screamingSnake, stringLiteral, words,
} from "../../generator/emit/escape.js";
import { inside } from "../../generator/write/output.js";
import { isPlainIdentifier } from "../support/identifier.js";
import { seeded as random } from "../support/random.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const STEM = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Table<I, O> = readonly (readonly [input: I, expected: O])[];

function table<I, O>(name: string, fn: (input: I) => O, cases: Table<I, O>): void {
  describe(name, () => {
    for (const [input, expected] of cases) {
      test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
        assert.deepEqual(fn(input), expected);
      });
    }
  });
}

table("words", words, [
  ["link_click", ["link", "click"]],
  ["TAG_CHANGE", ["TAG", "CHANGE"]],
  ["data.json", ["data", "json"]],
  ["linkClick", ["link", "Click"]],
  ["HTTPRequest", ["HTTP", "Request"]],
  ["getHTTPResponseCode", ["get", "HTTP", "Response", "Code"]],
  ["userID", ["user", "ID"]],
  ["iOS_app", ["i", "OS", "app"]],
  ["x-amz-id-2", ["x", "amz", "id", "2"]],
  ["snake__case", ["snake", "case"]],
  ["__proto__", ["proto"]],
  ["1h", ["1h"]],
  ["a1b2", ["a1b2"]],
  ["2FA", ["2", "FA"]],
  ["mp4_video", ["mp4", "video"]],
  ["FooV1_0_0", ["Foo", "V1", "0", "0"]],
  ["café", ["caf"]],
  ["naïve_thing", ["na", "ve", "thing"]],
  ["日本", []],
  ["-_-", []],
  ["", []],
]);

table("pascalCase", pascalCase, [
  ["link_click", "LinkClick"],
  ["TAG_CHANGE", "TagChange"],
  ["data.json", "DataJson"],
  ["1h", "Schema1H"],
  ["return", "Return"],
  ["-_-", "Schema"],
  ["", "Schema"],
  ["linkClick", "LinkClick"],
  ["HTTPRequest", "HttpRequest"],
  ["getHTTPResponseCode", "GetHttpResponseCode"],
  ["userID", "UserId"],
  // Digits stay, each word capitalised: a valid identifier that reads as the original.
  ["x-amz-id-2", "XAmzId2"],
  ["123", "Schema123"],
  ["1-0-0", "Schema100"],
  ["2FA", "Schema2Fa"],
  ["a1b2", "A1B2"],
  ["x2y", "X2Y"],
  ["v2_0", "V20"],
  ["mp4_video", "Mp4Video"],
  ["iOS_app", "IOsApp"],
  ["ABC", "Abc"],
  ["X", "X"],
  ["snake__case", "SnakeCase"],
  ["__proto__", "Proto"],
  ["constructor", "Constructor"],
  // Iglu names are ASCII (the metaschema says so); anything else only separates words.
  ["café", "Caf"],
  ["naïve_thing", "NaVeThing"],
  ["über", "Ber"],
  ["日本", "Schema"],
  ["😀", "Schema"],
]);

table("screamingSnake", screamingSnake, [
  ["LinkClick", "LINK_CLICK"],
  ["FooV1_0_0", "FOO_V1_0_0"],
  ["FooV1", "FOO_V1"],
  ["HttpRequest", "HTTP_REQUEST"],
  ["Schema1H", "SCHEMA1_H"],
  ["XAmzId2", "X_AMZ_ID2"],
  ["SnowplowAddToCart", "SNOWPLOW_ADD_TO_CART"],
  ["AB", "AB"],
  ["V20", "V20"],
  ["Schema", "SCHEMA"],
  ["", ""],
]);

table("kebabCase", kebabCase, [
  ["LinkClick", "link-click"],
  ["FooV1_0_0", "foo-v1-0-0"],
  ["FooV1", "foo-v1"],
  ["HttpRequest", "http-request"],
  ["Schema1H", "schema1-h"],
  ["XAmzId2", "x-amz-id2"],
  ["AB", "ab"],
  ["Schema", "schema"],
  ["", ""],
]);

table("stringLiteral", stringLiteral, [
  ["plain", '"plain"'],
  ["", '""'],
  ['q"uote', '"q\\"uote"'],
  ["single'quote", '"single\'quote"'],
  ["back\\slash", '"back\\\\slash"'],
  ["new\nline", '"new\\nline"'],
  ["cr\rx", '"cr\\rx"'],
  ["tab\tx", '"tab\\tx"'],
  ["ls\u2028ps\u2029", '"ls\\u2028ps\\u2029"'],
  ["back`tick", '"back`tick"'],
  ["${x}", '"${x}"'],
  ["*/ export const pwned = 1; /*", '"*/ export const pwned = 1; /*"'],
  ["\u0000\u001f", '"\\u0000\\u001f"'],
  ["😀", '"😀"'],
  ["\ud800", '"\\ud800"'],
  ["iglu:com.acme/link_click/jsonschema/1-0-0", '"iglu:com.acme/link_click/jsonschema/1-0-0"'],
]);

table("commentText", commentText, [
  ["plain text", "plain text"],
  ["a */ b", "a *\\/ b"],
  ["*/ export const pwned = 1; /*", "*\\/ export const pwned = 1; /*"],
  ["**/", "**\\/"],
  ["*/*/", "*\\/*\\/"],
  ["/* x", "/* x"],
  // A control character between `*` and `/` is dropped first, then the pair escaped.
  ["*\u0000/", "*\\/"],
  ["*\r\n/", "*\n/"],
  ["a\r\nb\rc", "a\nb\nc"],
  ["x\n\n\ny", "x\n\n\ny"],
  ["a\u0000b\u0007c\u001bd\u007fe", "abcde"],
  ["a\tb", "a\tb"],
  ["a\u2028b\u2029c", "abc"],
  ["@internal x", "\\@internal x"],
  ["@deprecated */ export const pwned = 1; /*", "\\@deprecated *\\/ export const pwned = 1; /*"],
  ["line\n  @param x", "line\n  \\@param x"],
  ["\r\n@x", "\\@x"],
  [" @a\n@b", "\\@a\n\\@b"],
  ["mail a@b.c", "mail a@b.c"],
  ["  padded  ", "padded"],
  ["", ""],
  ["\u0000\r\n \u2028", ""],
]);

table("lineCommentText", lineCommentText, [
  ["plain", "plain"],
  ["a\nb", "a b"],
  ["a\r\n\r\nb", "a b"],
  ["a\u2028b", "a b"],
  ["a\u2029\u007fb", "a b"],
  ["a\u0000b", "a b"],
  ["tab\there", "tab here"],
  [" x ", "x"],
  ["*/ ok", "*/ ok"],
  ["\n", ""],
]);

table("fileStem", fileStem, [
  ["LinkClick", "link-click"],
  ["FooV1_0_0", "foo-v1-0-0"],
  ["XAmzId2", "x-amz-id2"],
  ["HTTPServer", "http-server"],
  ["ComAcmeIndex", "com-acme-index"],
  ["", "schema"],
  ["..", "schema"],
  ["...", "schema"],
  ["é", "schema"],
  ["../x", "x"],
  ["..\\..\\Evil", "evil"],
  ["/etc/passwd", "etc-passwd"],
  ["A/B", "a-b"],
  ["a b", "a-b"],
  ["index.ts", "index-ts"],
  [".hidden", "hidden"],
]);

const PIECES = [
  "a", "Z", "m", "q", "0", "1", "9", "_", "-", ".", "/", "\\", "..", "../", "*/", "/*", "*", "`", "${", "}", '"', "'",
  "\n", "\r", "\r\n", "\u2028", "\u2029", "\u0000", "\u0007", "\u000b", "\u001b", "\u007f", "\u0085", "\ufeff", "é", "ß", "日", "😀",
  "\ud800", "\udfff", " ", "\t", "@", "@param", "$", "#", "<", ">", "__proto__", "constructor", "return", "HTTP", "Id", "x", "//",
];

function randomStrings(seed: number, count: number): string[] {
  const next = random(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = Math.floor(next() * 13);
    let s = "";
    for (let j = 0; j < length; j++) s += PIECES[Math.floor(next() * PIECES.length)]!;
    out.push(s);
  }
  return out;
}

const SAMPLES = randomStrings(0x1961c, 2000);

/** The tokens TypeScript's scanner finds in `text` (comments and whitespace skipped), up to end of file. */
function tokens(text: string): { kind: ts.SyntaxKind; text: string; value: string }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const found: { kind: ts.SyntaxKind; text: string; value: string }[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    found.push({ kind, text: scanner.getTokenText(), value: scanner.getTokenValue() });
  }
  return found;
}

describe("for any text (2000 seeded random strings)", () => {
  test("the samples do contain the nasty pieces", () => {
    const joined = SAMPLES.join("");
    for (const piece of ["*/", "\u2028", "\r\n", "`", "${", "\ud800", "../", "\u0000"]) assert.ok(joined.includes(piece), JSON.stringify(piece));
  });

  test("pascalCase is a valid identifier, never a reserved word, and its derived names are too", () => {
    for (const s of SAMPLES) {
      const name = pascalCase(s);
      assert.match(name, IDENTIFIER, JSON.stringify(s));
      assert.ok(isPlainIdentifier(name), `${JSON.stringify(s)} → ${name}`);
      assert.match(screamingSnake(name), /^[A-Z0-9]+(?:_[A-Z0-9]+)*$/, JSON.stringify(s));
      assert.ok(isPlainIdentifier(`${screamingSnake(name)}_SCHEMA`), JSON.stringify(s));
    }
  });

  test("fileStem is lowercase letters, digits and single hyphens, never empty, never a path", () => {
    const out = path.resolve("/tmp/igluc-out");
    for (const s of SAMPLES) {
      for (const stem of [fileStem(pascalCase(s)), fileStem(s)]) {
        assert.match(stem, /^[a-z0-9-]+$/, JSON.stringify(s));
        assert.match(stem, STEM, JSON.stringify(s));
        assert.ok(!stem.includes("/") && !stem.includes("\\") && !stem.includes(".."), JSON.stringify(s));
        assert.equal(inside(out, `${stem}.ts`), path.join(out, `${stem}.ts`));
      }
    }
  });

  test("stringLiteral parses back (as JSON and as a TypeScript string) to the same text, on one line", () => {
    for (const s of SAMPLES) {
      const literal = stringLiteral(s);
      assert.equal(JSON.parse(literal), s, JSON.stringify(s));
      assert.doesNotMatch(literal, /[\u0000-\u001f\u2028\u2029]/, JSON.stringify(s));
      const found = tokens(literal);
      assert.equal(found.length, 1, JSON.stringify(s));
      assert.equal(found[0]!.kind, ts.SyntaxKind.StringLiteral, JSON.stringify(s));
      assert.equal(found[0]!.value, s, JSON.stringify(s));
    }
  });

  test("commentText stays inside a /** */ comment and starts no JSDoc tag", () => {
    for (const s of SAMPLES) {
      const text = commentText(s);
      assert.ok(!text.includes("*/"), JSON.stringify(s));
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/, JSON.stringify(s));
      assert.doesNotMatch(text, /^\s*@/m, JSON.stringify(s));
      assert.deepEqual(tokens(`/** ${text} */`), [], JSON.stringify(s));
      // As module.ts lays out a comment of several lines.
      const lines = text.split("\n").map((l) => ` * ${l}`.trimEnd()).join("\n");
      assert.deepEqual(tokens(`/**\n${lines}\n */\nX`).map((t) => t.text), ["X"], JSON.stringify(s));
    }
  });

  test("lineCommentText stays on its // line", () => {
    for (const s of SAMPLES) {
      const text = lineCommentText(s);
      assert.doesNotMatch(text, /[\u0000-\u001f\u007f\u2028\u2029]/, JSON.stringify(s));
      assert.deepEqual(tokens(`// ${text}\nX`).map((t) => t.text), ["X"], JSON.stringify(s));
    }
  });
});
