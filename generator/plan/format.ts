/**
 * igluc's own tracking-plan format, declared once: the typed JSON Schema
 * the reader validates a plan against (load.ts), whose TypeScript type is
 * what the reader then converts, and which ships for editors as
 * generator/tracking-plan.schema.json (a test checks the file is this).
 * Built with the settings' builders (options/declare.ts) so the type and
 * the schema are one expression.
 */
import { IGLU_PATTERNS as P } from "@igluc/runtime/iglu";
import { MAX_PLAN_ENTITIES, MAX_PLAN_SPECIFICATIONS, MAX_PLAN_VALUES } from "../limits.js";
import { bool, int, list, object, record, text, type JsonSchema, type Typed, type TypeOf } from "../options/declare.js";

/** A schema reference: an Iglu URI whose REVISION, or REVISION and ADDITION, may be `*` (the highest generated). */
export const SCHEMA_REF_PATTERN = `^iglu:${P.vendor}/${P.name}/jsonschema/${P.model}-(?:(?:0|[1-9][0-9]*)-(?:0|[1-9][0-9]*|\\*)|\\*-\\*)$`;
const SCHEMA_REF = new RegExp(SCHEMA_REF_PATTERN);
/** What is wrong with a text {@link SCHEMA_REF_PATTERN} refuses, after the text, and what to write instead. */
export const SCHEMA_REF_PROBLEM = "is not an Iglu URI of a JSON Schema, with * allowed for REVISION or REVISION and ADDITION";
export const SCHEMA_REF_HINT = "write iglu:vendor/name/jsonschema/1-0-0, or 1-0-* or 1-*-* for the highest generated version";

/** A schema reference's parts, `*` where any goes; undefined when the text is not one. */
export function parseSchemaRef(text: string): { vendor: string; name: string; model: number; revision: number | "*"; addition: number | "*" } | undefined {
  if (!SCHEMA_REF.test(text)) return undefined;
  const [vendor, name, , version] = text.slice("iglu:".length).split("/") as [string, string, string, string];
  const [model, revision, addition] = version.split("-") as [string, string, string];
  const part = (p: string): number | "*" => (p === "*" ? "*" : Number(p));
  return { vendor, name, model: Number(model), revision: part(revision), addition: part(addition) };
}
/**
 * Names every object has from Object.prototype. An entity key is a property the generated code reads
 * (`entities.page === undefined`), so one of these would read the inherited member when the caller left
 * the entity out (`entities.constructor` is `Object`), and `__proto__` in an object literal sets the prototype.
 */
export const INHERITED_NAMES = [
  "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__", "constructor", "hasOwnProperty",
  "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "toString", "valueOf",
] as const;
/** A key of `options.entities`: it becomes a property name in generated code, so an identifier, and none of {@link INHERITED_NAMES}. */
export const ENTITY_KEY_PATTERN = `^(?!(?:${INHERITED_NAMES.join("|")})$)[A-Za-z_$][A-Za-z0-9_$]*$`;
export const ENTITY_KEY_HINT = "use letters, digits, _ and $, not starting with a digit (productList), and no name every object inherits (__proto__, constructor, toString…)";

/** Why `key` cannot be an entity key (`what` names it: "entity key", "specifications[0].entities: the key"). */
export function entityKeyProblem(key: string, what: string): string {
  return (INHERITED_NAMES as readonly string[]).includes(key)
    ? `${what} ${JSON.stringify(key)} is a name every object inherits: generated code reading it would find Object's when the entity is left out`
    : `${what} ${JSON.stringify(key)} is not an identifier: generated code takes the entity under it`;
}
/** A generated function's name: `track` and more, an identifier (so it reads as a track function and never shadows a type or `createX`). */
export const FUNCTION_PATTERN = "^track[A-Z0-9_$][A-Za-z0-9_$]*$";

/** A property value a rule may name: JSON's scalars (objects and arrays are not fixed in tracking plans). */
type Scalar = string | number | boolean | null;
const scalar = { type: ["string", "number", "boolean", "null"] } as JsonSchema as Typed<Scalar>;
const schemaRef = text({ pattern: SCHEMA_REF_PATTERN });

const ONE_OF = object({
  enum: { schema: list(scalar, { minItems: 1, maxItems: MAX_PLAN_VALUES }), describe: "The values the property may take: a subset of what its schema allows." },
}, { required: ["enum"] });

/** A property rule: a scalar (the fixed value) or `{ enum: [...] }`. */
const PROPERTY_RULE = { anyOf: [scalar, ONE_OF], description: "A scalar: the property's fixed value. { enum: [...] }: the values it may take." } as JsonSchema as Typed<Scalar | TypeOf<typeof ONE_OF>>;

const ENTITY = object({
  schema: { schema: schemaRef, describe: "The entity's schema: an Iglu URI; `1-0-*` or `1-*-*` take the highest generated version." },
  min: { schema: int({ minimum: 0 }), describe: "At least this many (0: optional). Default 0." },
  max: { schema: int({ minimum: 1 }), describe: "At most this many. Default: no limit." },
  description: { schema: text(), describe: "For the generated documentation." },
}, { required: ["schema"] });

const SPECIFICATION = object({
  name: { schema: text({ minLength: 1 }), describe: "Unique in the plan. The function is `track` and the name's words in PascalCase, unless `function` says otherwise." },
  function: { schema: text({ pattern: FUNCTION_PATTERN }), describe: "The generated function's name: an identifier starting with track (trackAddToBasket)." },
  id: { schema: text({ minLength: 1 }), describe: "The event specification's id (a UUID in Snowplow's tooling), for the event_specification entity." },
  description: { schema: text(), describe: "For the generated documentation." },
  event: { schema: schemaRef, describe: "The event's schema: an Iglu URI; `1-0-*` or `1-*-*` take the highest generated version." },
  properties: {
    schema: record(text(), PROPERTY_RULE, { maxProperties: MAX_PLAN_ENTITIES }),
    describe: "Rules on the event's top-level properties, by name: a fixed value, or { enum: [...] }.",
  },
  entities: {
    schema: record(text({ pattern: ENTITY_KEY_PATTERN }), ENTITY, { maxProperties: MAX_PLAN_ENTITIES }),
    describe: "The entities the event carries, by the key the generated function takes them under.",
  },
  additionalEntities: { schema: bool(), describe: "May other entities be attached (through context)? Default false." },
}, { required: ["name", "event"] });

/** The whole plan file. */
export const PLAN = object({
  $schema: { schema: text(), describe: "This schema, for editors." },
  name: { schema: text(), describe: "The data product's name (for the event_specification entity)." },
  id: { schema: text(), describe: "The data product's id (for the event_specification entity)." },
  domain: { schema: text(), describe: "The data product's domain (for the event_specification entity)." },
  description: { schema: text(), describe: "What the plan covers." },
  specifications: { schema: list(SPECIFICATION, { maxItems: MAX_PLAN_SPECIFICATIONS }), describe: "The event specifications." },
}, { required: ["specifications"] });

export type PlanFile = TypeOf<typeof PLAN>;
export type SpecificationFile = PlanFile["specifications"][number];

/** generator/tracking-plan.schema.json, as `npm run plan:schema` writes it (a test fails when the file differs). */
export function planSchemaText(): string {
  const document = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://igluc.dev/tracking-plan.schema.json",
    title: "igluc tracking plan",
    description: "Event specifications igluc generates track functions for, and igluc lint checks: which event, which entities and how many, which property values.",
    ...PLAN,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
