/**
 * What the targets for Snowplow's own trackers share: the index declares its
 * own literal-typed `SelfDescribingJson` (the trackers' is keyed by data type
 * alone and takes `Record<string, unknown>`, which the generated interfaces
 * are not assignable to), and the generated call hands the tracker the
 * event and entities through type-only assertions (erased in `--emit js`),
 * so the public parameters stay exact and nothing runs but the call.
 */
import { ref, union, word, type Expression, type Statement, type TypeNode } from "../syntax.js";
import type { Build } from "./target.js";

/** `export interface SelfDescribingJson<S extends string = string, D = unknown> { readonly schema: S; readonly data: D }` */
export function declaredSelfDescribingJson(b: Build): Statement[] {
  return [b.jsDoc({
    kind: "interface", exported: true, name: "SelfDescribingJson",
    typeParameters: [{ name: "S", constraint: word("string"), default: word("string") }, { name: "D", default: word("unknown") }],
    members: [
      b.property("schema", ref("S"), "The Iglu URI of the data's schema.", false),
      b.property("data", ref("D"), "The data, as its schema describes it.", false),
    ],
  }, "A self-describing JSON: data with the Iglu URI of its schema, both typed, so an entity's data is checked against its own schema.")];
}

/** `readonly Entity[]`, with `| null` where the tracker takes null, and `| undefined`. */
export function entities(nullable: boolean): TypeNode {
  return union([{ kind: "array", readonly: true, element: ref("Entity") }, ...(nullable ? [word("null")] : []), word("undefined")]);
}

/** `export interface TrackEventOptions { …members }` */
export function optionsInterface(b: Build, members: Extract<Statement, { kind: "interface" }>["members"], text: string): Statement {
  return b.jsDoc({ kind: "interface", exported: true, name: "TrackEventOptions", members }, text);
}

/** `export type EventTracker = Pick<tracker, "method">` */
export function pickedTracker(b: Build, tracker: string, method: string, text: string): Statement {
  return b.jsDoc({ kind: "type", exported: true, name: "EventTracker", type: ref("Pick", [ref(tracker), { kind: "string", value: method }]) }, text);
}

/** `Record<string, unknown>`, the data type the trackers take. */
export function record(): TypeNode {
  return ref("Record", [word("string"), word("unknown")]);
}

/** `{ schema: X_SCHEMA, data: data as unknown as Record<string, unknown> }` */
export function trackerEvent(b: Build, schema: Expression, data: Expression): Expression {
  return { kind: "object", entries: [{ name: "schema", value: schema }, b.form === "js" ? { name: "data" } : { name: "data", value: b.cast(data, record()) }] };
}

/** `context as unknown as SelfDescribingJson<string, Record<string, unknown>>[] | …` */
export function trackerEntities(b: Build, context: Expression, or: "null" | "undefined"): Expression {
  return b.cast(context, union([{ kind: "array", element: ref("SelfDescribingJson", [word("string"), record()]) }, word(or)]));
}
