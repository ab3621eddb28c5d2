/**
 * What a target is: the tracker the generated track functions call, and what
 * that changes in the output. Everything else (the data types, the `…_SCHEMA`
 * URIs, `createX`, `Entity`, `uncheckedEntity`) is the same in every target
 * and is printed by module.ts. A target contributes the index's imports and
 * declarations (`SelfDescribingJson`, `TrackEventOptions`, `EventTracker`),
 * what a schema module imports, and the parameters and body of `trackX`.
 *
 * Targets build syntax with the `Build` module.ts hands them, and import
 * TypeScript's types only, so naming the targets (settings.ts) loads nothing.
 * Adding a target is one file in this folder, listed in index.ts.
 */
import type ts from "typescript";
import type { Form } from "../forms.js";

/** What module.ts gives a target to build syntax with, for one form. */
export interface Build {
  readonly f: ts.NodeFactory;
  readonly ts: typeof ts;
  readonly form: Form;
  /** `export` (`export declare` in declarations). */
  exported(): ts.ModifierLike[];
  /** `import type { …names } from "from"` (names sorted). */
  typeImport(names: readonly string[], from: string): ts.ImportDeclaration;
  /** `import { …names } from "from"` (names sorted). */
  valueImport(names: readonly string[], from: string): ts.ImportDeclaration;
  /** `expression as unknown as type` where types are written; the expression alone in JavaScript. */
  cast(expression: ts.Expression, type: ts.TypeNode): ts.Expression;
  /** `{ member; member }` on one line. */
  inlineType(members: readonly ts.TypeElement[]): ts.TypeLiteralNode;
  /** `readonly name?: type` (optional unless said), with JSDoc. */
  property(name: string, type: ts.TypeNode, doc: string, optional?: boolean): ts.PropertySignature;
  /** A node with a JSDoc comment (the text is escaped). */
  jsDoc<T extends ts.Node>(node: T, text: string): T;
  /** `Name` or `Name<…args>`. */
  ref(name: string, args?: readonly ts.TypeNode[]): ts.TypeReferenceNode;
  /** `a | b | …` */
  union(types: readonly ts.TypeNode[]): ts.TypeNode;
  keyword(kind: "undefined" | "null" | "string" | "unknown" | "void"): ts.TypeNode;
  /** `options?.name` */
  option(name: string): ts.Expression;
  /** `left ?? right` */
  orElse(left: ts.Expression, right: ts.Expression): ts.Expression;
}

/** One parameter of `trackX`. */
export interface Parameter {
  readonly name: string;
  readonly type: ts.TypeNode;
  readonly optional?: boolean;
}

/** What module.ts knows of the schema whose `trackX` a target writes. */
export interface TrackInput {
  /** The data type, `CheckoutStarted`. */
  readonly dataType: ts.TypeNode;
  /** `{ schema: CHECKOUT_STARTED_SCHEMA, data }`: the event as the tracker takes it. */
  readonly event: ts.ObjectLiteralExpression;
  /** `CHECKOUT_STARTED_SCHEMA` */
  readonly schema: ts.Identifier;
  /** `data`, the parameter. */
  readonly data: ts.Identifier;
}

export interface TrackFunction {
  readonly parameters: readonly Parameter[];
  readonly body: readonly ts.Statement[];
}

/** Where the generated code imports igluc's runtime from (`runtimeImport`); other targets ignore it. */
export interface TargetSettings {
  readonly runtimeImport: string;
}

export interface Target<N extends string = string> {
  /** What `--target` takes. */
  readonly name: N;
  /** One line, for --help and the config schema. */
  readonly describe: string;
  /** The package the generated code imports (a peer of the user's project, never bundled). */
  packageName(settings: TargetSettings): string;
  /** Type imports of index.ts (`.ts` and `.d.ts`). */
  indexImports(b: Build, settings: TargetSettings): ts.Statement[];
  /** `SelfDescribingJson` in index.ts: the runtime's re-exported, or declared there. */
  selfDescribingJson(b: Build): ts.Statement[];
  /** index.ts after `Entity`: `TrackEventOptions`, and `EventTracker` where `trackX` takes a tracker. */
  indexDeclarations(b: Build): ts.Statement[];
  /** Types a schema module takes from `./index.js`. */
  readonly moduleTypes: readonly string[];
  /** Value imports `trackX` needs (in `.ts` and `.js`, not in `.d.ts`; at the top of the index with `singleFile`). */
  moduleImports(b: Build, settings: TargetSettings): ts.Statement[];
  /** The options `trackX` takes besides the data, as its JSDoc names them. */
  readonly optionNames: string;
  /** `trackX`'s parameters (besides `data`, which comes where the target puts it) and body. */
  track(b: Build, input: TrackInput): TrackFunction;
}
