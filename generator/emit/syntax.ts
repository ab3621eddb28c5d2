/**
 * The TypeScript that generated modules are made of, as structures, and
 * their printer. Only what the generated code uses is here: declarations,
 * imports and exports, the few expressions the track functions are made of,
 * and the type syntax of the index; json-schema-to-typescript writes the data
 * types themselves. Generating through these structures, never through
 * string templates, keeps every identifier a name the naming stage chose and
 * every literal and comment text the escaping module made (escape.ts); a run
 * need not load TypeScript (9 MB, about 0.2 s) to print them.
 *
 * Output: two-space indentation, double quotes, semicolons, JSDoc before the
 * node it documents.
 */
import { stringLiteral } from "./escape.js";

export type TypeNode =
  | { readonly kind: "ref"; readonly name: string; readonly args?: readonly TypeNode[] }
  /** A keyword or literal type written as it is: `string`, `null`, `true`, `unique symbol`. */
  | { readonly kind: "word"; readonly text: string }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "union" | "intersection"; readonly types: readonly TypeNode[] }
  | { readonly kind: "typeof"; readonly name: string }
  | { readonly kind: "array"; readonly element: TypeNode; readonly readonly?: boolean }
  | { readonly kind: "object"; readonly members: readonly Member[] };

export interface Parameter {
  readonly name: string;
  /** Absent in JavaScript. */
  readonly type?: TypeNode;
  readonly optional?: boolean;
}

export type Member =
  | { readonly kind: "property"; readonly name: string; readonly computed?: boolean; readonly readonly?: boolean; readonly optional?: boolean; readonly type: TypeNode; readonly doc?: string }
  | { readonly kind: "method"; readonly name: string; readonly parameters: readonly Parameter[]; readonly returns: TypeNode; readonly doc?: string };

export type Expression =
  /** An identifier, or a literal already made safe by the escaping module. */
  | { readonly kind: "id"; readonly text: string }
  | { readonly kind: "call"; readonly callee: Expression; readonly args: readonly Expression[] }
  | { readonly kind: "member"; readonly object: Expression; readonly name: string; readonly optional?: boolean }
  /** `{ name: value, shorthand }` on one line. */
  | { readonly kind: "object"; readonly entries: readonly { readonly name: string; readonly value?: Expression }[] }
  | { readonly kind: "nullish"; readonly left: Expression; readonly right: Expression }
  | { readonly kind: "as"; readonly expression: Expression; readonly type: TypeNode };

interface Declared {
  readonly exported?: boolean;
  /** `declare` (declarations files, and ambient constants). */
  readonly declare?: boolean;
  readonly doc?: string;
}

export type Statement =
  | { readonly kind: "import"; readonly names: readonly string[]; readonly from: string; readonly typeOnly: boolean; readonly doc?: string }
  /** `export { names } from "from"`, or `export { names }` of local names without `from`. */
  | { readonly kind: "export"; readonly names: readonly string[]; readonly from?: string; readonly typeOnly: boolean; readonly doc?: string }
  | ({ readonly kind: "const"; readonly name: string; readonly type?: TypeNode; readonly value?: Expression } & Declared)
  | ({ readonly kind: "type"; readonly name: string; readonly type: TypeNode } & Declared)
  | ({ readonly kind: "interface"; readonly name: string; readonly typeParameters?: readonly TypeParameter[]; readonly extends?: readonly TypeNode[]; readonly members: readonly Member[] } & Declared)
  /** Without `body`, a declaration (`export declare function …;`). */
  | ({ readonly kind: "function"; readonly name: string; readonly parameters: readonly Parameter[]; readonly returns?: TypeNode; readonly body?: readonly Statement[] } & Declared)
  | { readonly kind: "return"; readonly expression: Expression; readonly doc?: string }
  | { readonly kind: "expression"; readonly expression: Expression; readonly doc?: string };

export interface TypeParameter {
  readonly name: string;
  readonly constraint?: TypeNode;
  readonly default?: TypeNode;
}

// Constructors for the nodes written most often.
export const ref = (name: string, args?: readonly TypeNode[]): TypeNode => (args === undefined ? { kind: "ref", name } : { kind: "ref", name, args });
export const word = (text: "string" | "unknown" | "undefined" | "void" | "null" | "true" | "unique symbol"): TypeNode => ({ kind: "word", text });
export const union = (types: readonly TypeNode[]): TypeNode => ({ kind: "union", types });
export const id = (text: string): Expression => ({ kind: "id", text });
export const call = (callee: Expression, args: readonly Expression[]): Expression => ({ kind: "call", callee, args });
export const member = (object: Expression, name: string): Expression => ({ kind: "member", object, name });

const INDENT = "  ";

/** A node with `doc` as its JSDoc: `text` is comment text from the escaping module (commentText), one or several lines. */
export function jsDocText(doc: string, indent = ""): string {
  const lines = doc.split("\n");
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

export function printType(node: TypeNode, indent = ""): string {
  switch (node.kind) {
    case "ref": return node.args === undefined ? node.name : `${node.name}<${node.args.map((a) => printType(a, indent)).join(", ")}>`;
    case "word": return node.text;
    case "string": return stringLiteral(node.value);
    case "union": return node.types.map((t) => printType(t, indent)).join(" | ");
    case "intersection": return node.types.map((t) => (t.kind === "union" ? `(${printType(t, indent)})` : printType(t, indent))).join(" & ");
    case "typeof": return `typeof ${node.name}`;
    case "array": {
      const element = printType(node.element, indent);
      const wrapped = node.element.kind === "union" || node.element.kind === "intersection" ? `(${element})` : element;
      return `${node.readonly === true ? "readonly " : ""}${wrapped}[]`;
    }
    case "object": return `{\n${node.members.map((m) => printMember(m, indent + INDENT)).join("")}${indent}}`;
  }
}

function printParameters(parameters: readonly Parameter[], indent: string): string {
  return parameters.map((p) => `${p.name}${p.optional === true && p.type !== undefined ? "?" : ""}${p.type === undefined ? "" : `: ${printType(p.type, indent)}`}`).join(", ");
}

function printMember(node: Member, indent: string): string {
  const doc = node.doc === undefined ? "" : jsDocText(node.doc, indent);
  if (node.kind === "method") return `${doc}${indent}${node.name}(${printParameters(node.parameters, indent)}): ${printType(node.returns, indent)};\n`;
  const name = node.computed === true ? `[${node.name}]` : node.name;
  return `${doc}${indent}${node.readonly === true ? "readonly " : ""}${name}${node.optional === true ? "?" : ""}: ${printType(node.type, indent)};\n`;
}

export function printExpression(node: Expression): string {
  switch (node.kind) {
    case "id": return node.text;
    case "call": return `${printExpression(node.callee)}(${node.args.map(printExpression).join(", ")})`;
    case "member": return `${printExpression(node.object)}${node.optional === true ? "?." : "."}${node.name}`;
    case "object": return node.entries.length === 0 ? "{}" : `{ ${node.entries.map((e) => (e.value === undefined ? e.name : `${e.name}: ${printExpression(e.value)}`)).join(", ")} }`;
    case "nullish": return `${printExpression(node.left)} ?? ${printExpression(node.right)}`;
    // `as` binds tighter than `??`: `(a ?? b) as …`.
    case "as": return `${node.expression.kind === "nullish" ? `(${printExpression(node.expression)})` : printExpression(node.expression)} as ${printType(node.type)}`;
  }
}

const modifiers = (node: Declared): string => `${node.exported === true ? "export " : ""}${node.declare === true ? "declare " : ""}`;
const nameList = (names: readonly string[]): string => `{ ${names.join(", ")} }`;

/** One statement, with its JSDoc, without a final newline. */
export function printStatement(node: Statement, indent = ""): string {
  const doc = node.doc === undefined ? "" : jsDocText(node.doc, indent);
  return doc + indent + statementText(node, indent);
}

function statementText(node: Statement, indent: string): string {
  switch (node.kind) {
    case "import": return `import ${node.typeOnly ? "type " : ""}${nameList(node.names)} from ${stringLiteral(node.from)};`;
    case "export": return `export ${node.typeOnly ? "type " : ""}${nameList(node.names)}${node.from === undefined ? "" : ` from ${stringLiteral(node.from)}`};`;
    case "const": return `${modifiers(node)}const ${node.name}${node.type === undefined ? "" : `: ${printType(node.type, indent)}`}${node.value === undefined ? "" : ` = ${printExpression(node.value)}`};`;
    case "type": return `${modifiers(node)}type ${node.name} = ${printType(node.type, indent)};`;
    case "interface": {
      const parameters = node.typeParameters === undefined ? "" : `<${node.typeParameters.map((p) =>
        `${p.name}${p.constraint === undefined ? "" : ` extends ${printType(p.constraint, indent)}`}${p.default === undefined ? "" : ` = ${printType(p.default, indent)}`}`).join(", ")}>`;
      const heritage = node.extends === undefined ? "" : ` extends ${node.extends.map((t) => printType(t, indent)).join(", ")}`;
      return `${modifiers(node)}interface ${node.name}${parameters}${heritage} {\n${node.members.map((m) => printMember(m, indent + INDENT)).join("")}${indent}}`;
    }
    case "function": {
      const head = `${modifiers(node)}function ${node.name}(${printParameters(node.parameters, indent)})${node.returns === undefined ? "" : `: ${printType(node.returns, indent)}`}`;
      if (node.body === undefined) return `${head};`;
      return `${head} {\n${node.body.map((s) => `${printStatement(s, indent + INDENT)}\n`).join("")}${indent}}`;
    }
    case "return": return `return ${printExpression(node.expression)};`;
    case "expression": return `${printExpression(node.expression)};`;
  }
}
