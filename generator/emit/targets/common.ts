/**
 * What the targets for Snowplow's own trackers share: the index declares its
 * own literal-typed `SelfDescribingJson` (the trackers' is keyed by data type
 * alone and takes `Record<string, unknown>`, which the generated interfaces
 * are not assignable to), and the generated call hands the tracker the
 * event and entities through type-only assertions (erased in `--emit js`),
 * so the public parameters stay exact and nothing runs but the call.
 */
import type ts from "typescript";
import type { Build } from "./target.js";

/** `export interface SelfDescribingJson<S extends string = string, D = unknown> { readonly schema: S; readonly data: D }` */
export function declaredSelfDescribingJson(b: Build): ts.Statement[] {
  const { f } = b;
  return [b.jsDoc(f.createInterfaceDeclaration(b.exported(), "SelfDescribingJson", [
    f.createTypeParameterDeclaration(undefined, "S", b.keyword("string"), b.keyword("string")),
    f.createTypeParameterDeclaration(undefined, "D", undefined, b.keyword("unknown")),
  ], undefined, [
    b.property("schema", b.ref("S"), "The Iglu URI of the data's schema.", false),
    b.property("data", b.ref("D"), "The data, as its schema describes it.", false),
  ]), "A self-describing JSON: data with the Iglu URI of its schema, both typed, so an entity's data is checked against its own schema.")];
}

/** `readonly Entity[]`, with `| null` where the tracker takes null, and `| undefined`. */
export function entities(b: Build, nullable: boolean): ts.TypeNode {
  const list = b.f.createTypeOperatorNode(b.ts.SyntaxKind.ReadonlyKeyword, b.f.createArrayTypeNode(b.ref("Entity")));
  return b.union([list, ...(nullable ? [b.keyword("null")] : []), b.keyword("undefined")]);
}

/** `export interface TrackEventOptions { …members }` */
export function optionsInterface(b: Build, members: readonly ts.TypeElement[], text: string): ts.Statement {
  return b.jsDoc(b.f.createInterfaceDeclaration(b.exported(), "TrackEventOptions", undefined, undefined, [...members]), text);
}

/** `export type EventTracker = Pick<tracker, "method">` */
export function pickedTracker(b: Build, tracker: string, method: string, text: string): ts.Statement {
  return b.jsDoc(b.f.createTypeAliasDeclaration(b.exported(), "EventTracker", undefined,
    b.ref("Pick", [b.ref(tracker), b.f.createLiteralTypeNode(b.f.createStringLiteral(method))])), text);
}

/** `Record<string, unknown>`, the data type the trackers take. */
export function record(b: Build): ts.TypeNode {
  return b.ref("Record", [b.keyword("string"), b.keyword("unknown")]);
}

/** `{ schema: X_SCHEMA, data: data as unknown as Record<string, unknown> }` */
export function trackerEvent(b: Build, schema: ts.Identifier, data: ts.Identifier): ts.ObjectLiteralExpression {
  return b.f.createObjectLiteralExpression([
    b.f.createPropertyAssignment("schema", schema),
    b.form === "js" ? b.f.createShorthandPropertyAssignment(data) : b.f.createPropertyAssignment("data", b.cast(data, record(b))),
  ]);
}

/** `context as unknown as SelfDescribingJson<string, Record<string, unknown>>[] | …` */
export function trackerEntities(b: Build, context: ts.Expression, or: "null" | "undefined"): ts.Expression {
  return b.cast(context, b.union([b.f.createArrayTypeNode(b.ref("SelfDescribingJson", [b.keyword("string"), record(b)])), b.keyword(or)]));
}
