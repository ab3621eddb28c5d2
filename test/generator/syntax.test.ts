/**
 * The printer of generated code (generator/emit/syntax.ts): each construct
 * with the exact text expected, the places where parentheses or indentation
 * matter, and every printed sample parsed by TypeScript's own parser without
 * a syntax error.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import ts from "typescript";
import { call, id, member, printStatement, printType, ref, union, word, type Statement, type TypeNode } from "../../generator/emit/syntax.js";

const types: [name: string, node: TypeNode, want: string][] = [
  ["a reference with arguments", ref("Pick", [ref("Tracker"), { kind: "string", value: "track" }]), 'Pick<Tracker, "track">'],
  ["a readonly array", { kind: "array", readonly: true, element: ref("Entity") }, "readonly Entity[]"],
  ["an array of a union is parenthesised", { kind: "array", element: union([word("string"), word("null")]) }, "(string | null)[]"],
  ["an intersection with a union is parenthesised", { kind: "intersection", types: [ref("A"), union([ref("B"), ref("C")])] }, "A & (B | C)"],
  ["typeof", ref("SelfDescribingJson", [{ kind: "typeof", name: "X_SCHEMA" }, ref("X")]), "SelfDescribingJson<typeof X_SCHEMA, X>"],
  ["a string literal type is escaped", { kind: "string", value: 'a"b\n' }, '"a\\"b\\n"'],
  ["a readonly tuple with a rest", { kind: "tuple", readonly: true, elements: [ref("P"), ref("P")], rest: ref("P") }, "readonly [P, P, ...P[]]"],
  ["a union of tuples, the empty one included", union([{ kind: "tuple", readonly: true, elements: [] }, { kind: "tuple", readonly: true, elements: [ref("P")] }]), "readonly [] | readonly [P]"],
  ["number, boolean and null literal types", union([{ kind: "literal", value: -1.5 }, { kind: "literal", value: true }, { kind: "literal", value: null }]), "-1.5 | true | null"],
  ["an object type, its members indented", { kind: "object", members: [{ kind: "property", readonly: true, computed: true, name: "unchecked", type: word("true") }] }, "{\n  readonly [unchecked]: true;\n}"],
];
for (const [name, node, want] of types) test(`types: ${name}`, () => assert.equal(printType(node), want));

const statements: [name: string, node: Statement, want: string][] = [
  ["a type import", { kind: "import", names: ["A", "B"], from: "./index.js", typeOnly: true }, 'import type { A, B } from "./index.js";'],
  ["an export of local names", { kind: "export", names: ["SelfDescribingJson"], typeOnly: true }, "export type { SelfDescribingJson };"],
  ["a declared constant", { kind: "const", declare: true, name: "unchecked", type: word("unique symbol") }, "declare const unchecked: unique symbol;"],
  ["a function with a body",
    { kind: "function", exported: true, name: "f", parameters: [{ name: "a", type: ref("A") }, { name: "o", type: ref("O"), optional: true }], returns: word("void"),
      body: [{ kind: "expression", expression: call(member(id("t"), "send"), [{ kind: "as", expression: { kind: "nullish", left: { kind: "member", object: id("o"), name: "c", optional: true }, right: id("null") }, type: word("unknown") }]) }] },
    "export function f(a: A, o?: O): void {\n  t.send((o?.c ?? null) as unknown);\n}"],
  ["a function declaration", { kind: "function", exported: true, declare: true, name: "f", parameters: [{ name: "a", type: ref("A") }], returns: word("void") }, "export declare function f(a: A): void;"],
  ["JavaScript parameters: no types, no question mark", { kind: "function", exported: true, name: "f", parameters: [{ name: "a" }, { name: "o", optional: true }], body: [{ kind: "return", expression: { kind: "object", entries: [{ name: "schema", value: id("S") }, { name: "data" }] } }] },
    "export function f(a, o) {\n  return { schema: S, data };\n}"],
  ["an interface with type parameters, heritage, documented members and a method",
    { kind: "interface", exported: true, name: "I", doc: "One line.\nTwo lines.", typeParameters: [{ name: "S", constraint: word("string"), default: word("string") }, { name: "D", default: word("unknown") }],
      extends: [ref("Omit", [ref("T"), { kind: "string", value: "context" }])],
      members: [
        { kind: "property", readonly: true, name: "schema", type: ref("S"), doc: "The URI." },
        { kind: "property", name: "long", optional: true, type: ref("D"), doc: "First.\n\nThird." },
        { kind: "method", name: "m", parameters: [{ name: "e", type: ref("S") }], returns: word("unknown") },
      ] },
    [
      "/**", " * One line.", " * Two lines.", " */",
      'export interface I<S extends string = string, D = unknown> extends Omit<T, "context"> {',
      "  /** The URI. */", "  readonly schema: S;",
      "  /**", "   * First.", "   *", "   * Third.", "   */", "  long?: D;",
      "  m(e: S): unknown;", "}",
    ].join("\n")],
  ["a destructuring, spreads, a multi-line array, a conditional and an element access",
    { kind: "function", name: "f", parameters: [{ name: "o", type: ref("O"), initializer: { kind: "object", entries: [] } }], returns: word("void"), body: [
      { kind: "destructure", names: ["entities"], rest: "rest", value: id("o") },
      { kind: "expression", expression: call(id("g"), [{ kind: "object", entries: [{ spread: id("rest") }, { name: "context", value: { kind: "array", multiline: true, elements: [
        { kind: "spread", expression: call(member({ kind: "nullish", left: { kind: "member", object: id("entities"), name: "p", optional: true }, right: { kind: "array", elements: [] } }, "map"), [id("createP")]) },
        { kind: "spread", expression: { kind: "conditional", test: { kind: "equals", left: { kind: "element", object: id("entities"), key: '"a b"' }, right: id("undefined") },
          then: { kind: "array", elements: [] }, otherwise: { kind: "array", elements: [call(id("createA"), [{ kind: "element", object: id("entities"), key: '"a b"' }])] } } },
      ] } }] }]) },
    ] },
    [
      "function f(o: O = {}): void {",
      "  const { entities, ...rest } = o;",
      "  g({ ...rest, context: [",
      "    ...(entities?.p ?? []).map(createP),",
      '    ...(entities["a b"] === undefined ? [] : [createA(entities["a b"])]),',
      "  ] });",
      "}",
    ].join("\n")],
  ["a declaration: a parameter with a default is optional", { kind: "function", exported: true, declare: true, name: "f", parameters: [{ name: "o", type: ref("O"), initializer: { kind: "object", entries: [] } }], returns: word("void") },
    "export declare function f(o?: O): void;"],
  ["JavaScript: the default stays", { kind: "function", name: "f", parameters: [{ name: "o", initializer: { kind: "object", entries: [] } }], body: [] }, "function f(o = {}) {\n}"],
];
for (const [name, node, want] of statements) {
  test(`statements: ${name}`, () => {
    const text = printStatement(node);
    assert.equal(text, want);
    const parsed = ts.createSourceFile("sample.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    assert.deepEqual((parsed as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => d.messageText), []);
  });
}
