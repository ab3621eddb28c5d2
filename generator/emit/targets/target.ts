/**
 * What a target is: the tracker the generated track functions call, and what
 * that changes in the output. Everything else (the data types, the `…_SCHEMA`
 * URIs, `createX`, `Entity`, `uncheckedEntity`) is the same in every target
 * and is printed by module.ts. A target contributes the index's imports and
 * declarations (`SelfDescribingJson`, `TrackEventOptions`, `EventTracker`),
 * what a schema module imports, and the parameters and body of `trackX`.
 *
 * Targets build syntax with the `Build` module.ts hands them and the nodes
 * of ../syntax.ts, so naming the targets (settings.ts) loads next to nothing.
 * Adding a target is one file in this folder, listed in index.ts.
 */
import type { Form } from "../forms.js";
import type { Expression, Member, Statement, TypeNode } from "../syntax.js";

/** What module.ts gives a target to build syntax with, for one form (the nodes themselves are in ../syntax.ts). */
export interface Build {
  readonly form: Form;
  /** `import type { …names } from "from"` (names sorted). */
  typeImport(names: readonly string[], from: string): Statement;
  /** `import { …names } from "from"` (names sorted). */
  valueImport(names: readonly string[], from: string): Statement;
  /** `expression as unknown as type` where types are written; the expression alone in JavaScript. */
  cast(expression: Expression, type: TypeNode): Expression;
  /** `readonly name?: type` (optional unless said), with JSDoc. */
  property(name: string, type: TypeNode, doc: string, optional?: boolean): Member;
  /** A node with a JSDoc comment (the text is escaped). */
  jsDoc<T extends Statement | Member>(node: T, text: string): T;
  /** `options?.name` */
  option(name: string): Expression;
  /** `left ?? right` */
  orElse(left: Expression, right: Expression): Expression;
}

/** One parameter of `trackX`. */
export interface Parameter {
  readonly name: string;
  readonly type: TypeNode;
  readonly optional?: boolean;
}

/** What module.ts knows of the schema whose `trackX` a target writes. */
export interface TrackInput {
  /** The data type, `CheckoutStarted`. */
  readonly dataType: TypeNode;
  /** `{ schema: CHECKOUT_STARTED_SCHEMA, data }`: the event as the tracker takes it. */
  readonly event: Expression;
  /** `CHECKOUT_STARTED_SCHEMA` */
  readonly schema: Expression;
  /** `data`, the parameter. */
  readonly data: Expression;
}

export interface TrackFunction {
  readonly parameters: readonly Parameter[];
  readonly body: readonly Statement[];
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
  indexImports(b: Build, settings: TargetSettings): Statement[];
  /** `SelfDescribingJson` in index.ts: the runtime's re-exported, or declared there. */
  selfDescribingJson(b: Build): Statement[];
  /** index.ts after `Entity`: `TrackEventOptions`, and `EventTracker` where `trackX` takes a tracker. */
  indexDeclarations(b: Build): Statement[];
  /** Types a schema module takes from `./index.js`. */
  readonly moduleTypes: readonly string[];
  /** Value imports `trackX` needs (in `.ts` and `.js`, not in `.d.ts`; at the top of the index with `singleFile`). */
  moduleImports(b: Build, settings: TargetSettings): Statement[];
  /** The options `trackX` takes besides the data, as its JSDoc names them. */
  readonly optionNames: string;
  /** `trackX`'s parameters (besides `data`, which comes where the target puts it) and body. */
  track(b: Build, input: TrackInput): TrackFunction;
}
