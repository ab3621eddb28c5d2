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
  /** `readonly [A, B, ...C[]]`: `rest` is the element type of the rest, if any. */
  | { readonly kind: "tuple"; readonly elements: readonly TypeNode[]; readonly rest?: TypeNode; readonly readonly?: boolean }
  /** A number, boolean or null literal type. */
  | { readonly kind: "literal"; readonly value: number | boolean | null }
  | { readonly kind: "object"; readonly members: readonly Member[] };

export interface Parameter {
  readonly name: string;
  /** Absent in JavaScript. */
  readonly type?: TypeNode;
  readonly optional?: boolean;
  /** A default value (`options = {}`): written in TypeScript and JavaScript; a declaration marks the parameter optional instead. */
  readonly initializer?: Expression;
}

export type Member =
  | { readonly kind: "property"; readonly name: string; readonly computed?: boolean; readonly readonly?: boolean; readonly optional?: boolean; readonly type: TypeNode; readonly doc?: string }
  | { readonly kind: "method"; readonly name: string; readonly parameters: readonly Parameter[]; readonly returns: TypeNode; readonly doc?: string };

export type Expression =
  /** An identifier, or a literal already made safe by the escaping module. */
  | { readonly kind: "id"; readonly text: string }
  | { readonly kind: "call"; readonly callee: Expression; readonly args: readonly Expression[] }
  | { readonly kind: "member"; readonly object: Expression; readonly name: string; readonly optional?: boolean }
  /** `object[key]`, `key` a literal from the escaping module. */
  | { readonly kind: "element"; readonly object: Expression; readonly key: string; readonly optional?: boolean }
  /** `{ name: value, shorthand, ...spread }` on one line; a name that is not an identifier is a string literal from the escaping module. */
  | { readonly kind: "object"; readonly entries: readonly ({ readonly name: string; readonly value?: Expression } | { readonly spread: Expression })[] }
  /** `[a, ...b]`: on one line, or with `multiline` one element a line. */
  | { readonly kind: "array"; readonly elements: readonly Expression[]; readonly multiline?: boolean }
  /** `...expression`, in an array. */
  | { readonly kind: "spread"; readonly expression: Expression }
  | { readonly kind: "nullish"; readonly left: Expression; readonly right: Expression }
  | { readonly kind: "equals"; readonly left: Expression; readonly right: Expression; readonly negated?: boolean }
  | { readonly kind: "conditional"; readonly test: Expression; readonly then: Expression; readonly otherwise: Expression }
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
  /** `const { names, ...rest } = value;` */
  | { readonly kind: "destructure"; readonly names: readonly string[]; readonly rest?: string; readonly value: Expression; readonly doc?: string }
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
export const word = (text: "string" | "unknown" | "undefined" | "void" | "null" | "true" | "never" | "unique symbol"): TypeNode => ({ kind: "word", text });
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
    case "tuple": {
      const elements = node.elements.map((t) => printType(t, indent));
      if (node.rest !== undefined) elements.push(`...${printType({ kind: "array", element: node.rest }, indent)}`);
      return `${node.readonly === true ? "readonly " : ""}[${elements.join(", ")}]`;
    }
    case "literal": return String(node.value);
    case "object": return `{\n${node.members.map((m) => printMember(m, indent + INDENT)).join("")}${indent}}`;
  }
}

/** `body`: the parameters of a function with a body, where an initializer is written; in a declaration it makes the parameter optional. */
function printParameters(parameters: readonly Parameter[], indent: string, body = false): string {
  return parameters.map((p) => {
    const initialized = p.initializer !== undefined && body;
    const question = (p.optional === true || p.initializer !== undefined) && !initialized && p.type !== undefined;
    return `${p.name}${question ? "?" : ""}${p.type === undefined ? "" : `: ${printType(p.type, indent)}`}${initialized ? ` = ${printExpression(p.initializer!)}` : ""}`;
  }).join(", ");
}

function printMember(node: Member, indent: string): string {
  const doc = node.doc === undefined ? "" : jsDocText(node.doc, indent);
  if (node.kind === "method") return `${doc}${indent}${node.name}(${printParameters(node.parameters, indent)}): ${printType(node.returns, indent)};\n`;
  const name = node.computed === true ? `[${node.name}]` : node.name;
  return `${doc}${indent}${node.readonly === true ? "readonly " : ""}${name}${node.optional === true ? "?" : ""}: ${printType(node.type, indent)};\n`;
}

/** Binds looser than a member access or a call: parenthesised as their object or callee, or as a spread's argument. */
const LOOSE = new Set<Expression["kind"]>(["nullish", "equals", "conditional", "as"]);
const tight = (node: Expression, indent: string): string => (LOOSE.has(node.kind) ? `(${printExpression(node, indent)})` : printExpression(node, indent));

/** `indent`: of the line the expression starts on (a multi-line array's elements go one level deeper). */
export function printExpression(node: Expression, indent = ""): string {
  switch (node.kind) {
    case "id": return node.text;
    case "call": return `${tight(node.callee, indent)}(${node.args.map((a) => printExpression(a, indent)).join(", ")})`;
    case "member": return `${tight(node.object, indent)}${node.optional === true ? "?." : "."}${node.name}`;
    case "element": return `${tight(node.object, indent)}${node.optional === true ? "?." : ""}[${node.key}]`;
    case "object": return node.entries.length === 0 ? "{}" : `{ ${node.entries.map((e) =>
      ("spread" in e ? `...${tight(e.spread, indent)}` : e.value === undefined ? e.name : `${e.name}: ${printExpression(e.value, indent)}`)).join(", ")} }`;
    case "array": {
      if (node.multiline !== true || node.elements.length === 0) return `[${node.elements.map((e) => printExpression(e, indent)).join(", ")}]`;
      return `[\n${node.elements.map((e) => `${indent}${INDENT}${printExpression(e, indent + INDENT)},\n`).join("")}${indent}]`;
    }
    case "spread": return `...${tight(node.expression, indent)}`;
    case "nullish": return `${printExpression(node.left, indent)} ?? ${printExpression(node.right, indent)}`;
    case "equals": return `${printExpression(node.left, indent)} ${node.negated === true ? "!==" : "==="} ${printExpression(node.right, indent)}`;
    case "conditional": return `${printExpression(node.test, indent)} ? ${printExpression(node.then, indent)} : ${printExpression(node.otherwise, indent)}`;
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
    case "const": return `${modifiers(node)}const ${node.name}${node.type === undefined ? "" : `: ${printType(node.type, indent)}`}${node.value === undefined ? "" : ` = ${printExpression(node.value, indent)}`};`;
    case "destructure": return `const { ${[...node.names, ...(node.rest === undefined ? [] : [`...${node.rest}`])].join(", ")} } = ${printExpression(node.value, indent)};`;
    case "type": return `${modifiers(node)}type ${node.name} = ${printType(node.type, indent)};`;
    case "interface": {
      const parameters = node.typeParameters === undefined ? "" : `<${node.typeParameters.map((p) =>
        `${p.name}${p.constraint === undefined ? "" : ` extends ${printType(p.constraint, indent)}`}${p.default === undefined ? "" : ` = ${printType(p.default, indent)}`}`).join(", ")}>`;
      const heritage = node.extends === undefined ? "" : ` extends ${node.extends.map((t) => printType(t, indent)).join(", ")}`;
      return `${modifiers(node)}interface ${node.name}${parameters}${heritage} {\n${node.members.map((m) => printMember(m, indent + INDENT)).join("")}${indent}}`;
    }
    case "function": {
      const head = `${modifiers(node)}function ${node.name}(${printParameters(node.parameters, indent, node.body !== undefined)})${node.returns === undefined ? "" : `: ${printType(node.returns, indent)}`}`;
      if (node.body === undefined) return `${head};`;
      return `${head} {\n${node.body.map((s) => `${printStatement(s, indent + INDENT)}\n`).join("")}${indent}}`;
    }
    case "return": return `return ${printExpression(node.expression, indent)};`;
    case "expression": return `${printExpression(node.expression, indent)};`;
  }
}
