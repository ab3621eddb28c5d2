/**
 * A tracking plan, resolved: what `generate` emits per event specification
 * and what `lint` checks. Both plan formats (igluc's own, plan/load.ts, and
 * Snowplow CLI's data-product YAML, plan/data-product.ts) are read into
 * `PlanDocument`, and resolve.ts turns that into `ResolvedPlan` against the
 * schemas selected for generation. Nothing downstream reads plan files.
 */

/** Where something in a plan file is, for messages. */
export interface PlanPlace {
  /** The plan file, as messages name it (relative to the working directory). */
  readonly file: string;
  /** JSON pointer into the plan document ("" is the whole document). */
  readonly pointer: string;
  readonly line?: number;
  readonly column?: number;
}

/** A schema reference as written: a full Iglu URI, or one with `*` for REVISION and/or ADDITION (`iglu:v/n/jsonschema/1-*-*`). */
export interface SchemaRef {
  readonly text: string;
  readonly place: PlanPlace;
}

/** A property of the event constrained by the specification. */
export type PropertyRule =
  /** The property always has this value: the generated function fills it in, and a caller may pass only the same value. */
  | { readonly kind: "fixed"; readonly value: string | number | boolean | null; readonly place: PlanPlace }
  /** The property takes one of these values (a subset of what its schema allows). */
  | { readonly kind: "oneOf"; readonly values: readonly (string | number | boolean | null)[]; readonly place: PlanPlace };

/** An entity the specification lists: how many of it the event carries. */
export interface EntityRule {
  /** The key of `options.entities` in the generated function (an identifier, unique in the specification). */
  readonly key: string;
  readonly schema: SchemaRef;
  /** At least this many (0: optional). */
  readonly min: number;
  /** At most this many; undefined: no limit. */
  readonly max?: number;
  readonly description?: string;
  readonly place: PlanPlace;
}

/** One event specification, as read from a plan file. */
export interface SpecDocument {
  /** Human name, unique in the plan: "Add to basket". */
  readonly name: string;
  /** The generated function's name; default `track` + the name in PascalCase. */
  readonly functionName?: string;
  /** Id for Snowplow's event_specification entity (a UUID in Snowplow's tooling). */
  readonly id?: string;
  readonly description?: string;
  readonly event: SchemaRef;
  /** Rules on the event's top-level properties, by property name. */
  readonly properties: Readonly<Record<string, PropertyRule>>;
  readonly entities: readonly EntityRule[];
  /** May the caller attach other entities (generated or unchecked) through `context`? */
  readonly additionalEntities: boolean;
  readonly place: PlanPlace;
}

/** A whole plan file, read. */
export interface PlanDocument {
  readonly file: string;
  readonly format: "igluc" | "data-product";
  /** The data product (Snowplow's name for a plan): for the event_specification entity. */
  readonly product?: { readonly id?: string; readonly name?: string; readonly domain?: string };
  readonly specifications: readonly SpecDocument[];
}

/** An entity rule with its schema found among the generated ones. */
export interface ResolvedEntity extends Omit<EntityRule, "schema"> {
  /** The Iglu URI of the entity's schema (one of the generated schemas). */
  readonly uri: string;
  /** Its count is not typed (an array of any length): the plan's typed counts reached MAX_PLAN_TUPLE_ELEMENTS before it. */
  readonly unchecked?: true;
}

/** An event specification with its schemas found among the generated ones: what emit works from. */
export interface ResolvedSpec extends Omit<SpecDocument, "event" | "entities" | "functionName"> {
  readonly functionName: string;
  /** The plan named the function (`function:`); otherwise it was made from the name, and emit may add `Spec` to it when a schema's names take it. */
  readonly namedFunction: boolean;
  /** The event's Iglu URI (one of the generated schemas). */
  readonly uri: string;
  readonly entities: readonly ResolvedEntity[];
}

export interface ResolvedPlan {
  readonly file: string;
  readonly product?: PlanDocument["product"];
  /** In the plan's order. */
  readonly specifications: readonly ResolvedSpec[];
}
