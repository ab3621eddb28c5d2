/**
 * The `specifications` module: for each event specification of the tracking
 * plan (plan/model.ts), `XData`, `XEntities`, `XOptions` and `trackX`, whose
 * types make a missing required entity, too many or too few of one, an
 * entity the specification does not list, or a property value it does not
 * allow a tsc error. `trackX` takes the parameters of the event's own
 * generated track function, with these types, and calls it, building each
 * entity with its generated `createX`: what differs between targets stays in
 * the targets. Every text from the plan reaches the output through the
 * escaping module and the syntax structures, never pasted.
 */
import type { Diagnostic } from "../diagnostics.js";
import { MAX_PLAN_CARDINALITY } from "../limits.js";
import type { Names } from "../normalize/names.js";
import type { PropertyRule, ResolvedEntity, ResolvedPlan, ResolvedSpec } from "../plan/model.js";
import { stringLiteral } from "./escape.js";
import type { Form } from "./forms.js";
import { builder, functionDeclaration, header, print, typeImport, type EmitSettings } from "./module.js";
import { call, id, member, ref, union, word, type Expression, type Member, type Statement, type TypeNode } from "./syntax.js";
import type { Build, Target } from "./targets/target.js";

/** The event_specification entity's version whose fields a plan fills (id, name, data_product_id, data_product_name, data_product_domain); 1-0-4 adds only `version`. */
export const EVENT_SPECIFICATION_SCHEMA = "iglu:com.snowplowanalytics.snowplow/event_specification/jsonschema/1-0-3";


/** What the module is made from. */
export interface SpecificationsInput {
  /** The specifications to emit (checkSpecifications' `specs`). */
  readonly specs: readonly ResolvedSpec[];
  readonly product?: ResolvedPlan["product"];
  /** The plan file's name, for the header. */
  readonly file: string;
  /** The schemas' generated names, by Iglu URI. */
  readonly names: ReadonlyMap<string, Names>;
  /** Attach Snowplow's event_specification entity to each event. */
  readonly eventSpecificationEntity: boolean;
}

/** The names generated for one specification. */
export interface SpecNames {
  readonly data: string;
  readonly entities: string;
  readonly options: string;
  readonly track: string;
}

export function specNames(spec: Pick<ResolvedSpec, "functionName">): SpecNames {
  const base = spec.functionName.replace(/^track/, "");
  return { data: `${base}Data`, entities: `${base}Entities`, options: `${base}Options`, track: spec.functionName };
}

/**
 * The specifications that can be emitted: each whose event and entities have
 * modules, and whose names no generated schema (or igluc itself, or an earlier
 * specification) takes; an error for each name taken. `taken`: every name the
 * output declares, with what declares it.
 */
export function checkSpecifications(plan: ResolvedPlan, taken: ReadonlyMap<string, string>, hasModule: (uri: string) => boolean): { specs: ResolvedSpec[]; diagnostics: Diagnostic[] } {
  const claimed = new Map(taken);
  const specs: ResolvedSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const planned of plan.specifications) {
    if (!hasModule(planned.uri) || planned.entities.some((e) => !hasModule(e.uri))) continue;
    // A specification named like a schema ("Add to basket" over add_to_basket) takes `Spec` after its made-up
    // function name, as Snowtype names them: Snowplow's data products cannot name the function.
    const renamed = !planned.namedFunction && Object.values(specNames(planned)).some((name) => taken.has(name));
    const spec = renamed ? { ...planned, functionName: `${planned.functionName}Spec` } : planned;
    const generated = Object.values(specNames(spec));
    const clash = generated.find((name) => claimed.has(name));
    if (clash !== undefined) {
      const { file, pointer, line, column } = spec.place;
      diagnostics.push({
        level: "error", code: "plan-name-collision", file, pointer, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}),
        message: `the specification "${spec.name}" would generate ${clash}, which is also the name of ${claimed.get(clash)!}; it is not generated`,
        hint: "give the specification another name, or (in igluc's own plan format) name its function with \"function: trackSomethingElse\"",
      });
      continue;
    }
    for (const name of generated) claimed.set(name, `specification "${spec.name}"`);
    specs.push(spec);
  }
  return { specs, diagnostics };
}

/** The index's re-exports of the module. */
export function specificationExports(specs: readonly ResolvedSpec[], form: Form): Statement[] {
  if (specs.length === 0) return [];
  const all = specs.map(specNames);
  const types = all.flatMap((n, i) => [n.data, ...(entityMembers(specs[i]!).length > 0 ? [n.entities] : []), n.options]).sort();
  return [
    ...(form === "js" ? [] : [{ kind: "export", names: types, from: "./specifications.js", typeOnly: true } as const]),
    { kind: "export", names: all.map((n) => n.track).sort(), from: "./specifications.js", typeOnly: false },
  ];
}

/** `specifications.ts` (or its `.js`, `.d.ts`): the declarations, importing what they use from the schemas' modules and the index. */
export function specificationsModule(input: SpecificationsInput, settings: EmitSettings, form: Form): string {
  const types = new Map<string, Set<string>>();
  const values = new Map<string, Set<string>>();
  const use = (into: Map<string, Set<string>>, file: string, name: string): void => {
    into.set(file, (into.get(file) ?? new Set()).add(name));
  };
  const b = builder(form);
  for (const spec of input.specs) {
    const event = input.names.get(spec.uri)!;
    use(types, `./${event.file}.js`, event.type);
    use(values, `./${event.file}.js`, event.track);
    for (const e of entityMembers(spec)) {
      const entity = input.names.get(e.uri)!;
      use(types, `./${entity.file}.js`, entity.type);
      use(values, `./${entity.file}.js`, entity.create);
    }
    use(types, "./index.js", "TrackEventOptions");
    for (const p of trackParameters(b, settings.target, event)) if (p.type?.kind === "ref" && p.name !== "data" && p.name !== "options") use(types, "./index.js", p.type.name);
  }
  if (input.eventSpecificationEntity && input.specs.some((spec) => spec.id !== undefined)) use(values, "./index.js", "uncheckedEntity");
  const imports: Statement[] = [];
  for (const file of [...new Set([...types.keys(), ...values.keys()])].sort()) {
    if (form !== "js" && types.has(file)) imports.push(typeImport([...types.get(file)!], file));
    if (form !== "dts" && values.has(file)) imports.push(typeImport([...values.get(file)!], file, false));
  }
  const parts = [header(`the tracking plan ${input.file}`, settings, "the tracking plan")];
  if (imports.length > 0) parts.push(print(imports, "\n"));
  parts.push(print(specificationDeclarations(input, settings.target, form)));
  return parts.join("\n\n").replace(/\n{3,}/g, "\n\n") + "\n";
}

/** Every specification's declarations, in the plan's order (in the index itself with singleFile). */
export function specificationDeclarations(input: SpecificationsInput, target: Target, form: Form): Statement[] {
  return input.specs.flatMap((spec) => declarations(spec, input, target, form));
}

/** The entities that are members of `XEntities`: a listed entity with at most 0 is not allowed, like one not listed. */
function entityMembers(spec: ResolvedSpec): readonly ResolvedEntity[] {
  return spec.entities.filter((e) => e.max !== 0);
}

function trackParameters(b: Build, target: Target, event: Names): readonly { name: string; type?: TypeNode }[] {
  return target.track(b, { dataType: ref(event.type), event: id("event"), schema: id(event.constant), data: id("data") }).parameters;
}

/** The count is not typed: a bound above MAX_PLAN_CARDINALITY, or the plan's tuple budget spent before it (plan/resolve.ts). */
function uncounted(e: ResolvedEntity): boolean {
  return e.unchecked === true || e.min > MAX_PLAN_CARDINALITY || (e.max ?? 0) > MAX_PLAN_CARDINALITY;
}

/** How an entity is passed: one value, or an array or tuple of them. */
interface Shape {
  readonly type: TypeNode;
  readonly optional: boolean;
  readonly one: boolean;
}

function shapeOf(e: ResolvedEntity, type: TypeNode): Shape {
  const optional = e.min === 0;
  if (e.max === 1) return { type, optional, one: true };
  const array: TypeNode = { kind: "array", readonly: true, element: type };
  if (uncounted(e)) return { type: array, optional, one: false };
  const tuple = (n: number, rest?: TypeNode): TypeNode => ({ kind: "tuple", readonly: true, elements: Array.from({ length: n }, () => type), ...(rest !== undefined ? { rest } : {}) });
  if (e.max === undefined) return { type: e.min === 0 ? array : tuple(e.min, type), optional, one: false };
  const lengths = Array.from({ length: e.max - e.min + 1 }, (_, i) => e.min + i);
  return { type: union(lengths.map((n) => tuple(n))), optional, one: false };
}

/** "1 or more", "exactly 1", "at most 3 (optional)"… */
function cardinality(e: ResolvedEntity): string {
  const unchecked = e.unchecked === true ? " (the plan's typed counts are spent: the count is not checked)"
    : uncounted(e) ? ` (more than ${MAX_PLAN_CARDINALITY}: the count is not checked)` : "";
  if (e.max === undefined) return (e.min === 0 ? "any number (optional)" : `${e.min} or more`) + unchecked;
  if (e.min === e.max) return `exactly ${e.min}${unchecked}`;
  return (e.min === 0 ? `at most ${e.max} (optional)` : `${e.min} to ${e.max}`) + unchecked;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** A property name as a type member's key: an identifier, or a string literal. */
const memberKey = (name: string): string => (IDENTIFIER.test(name) ? name : stringLiteral(name));
/** A property name as an object literal's key: `__proto__: v` would set the prototype, so it is computed. */
const literalKey = (name: string): string => (name === "__proto__" ? `[${stringLiteral(name)}]` : memberKey(name));
/** `object.name`, or `object["name"]` for a name that is not an identifier. */
const access = (object: Expression, name: string, optional: boolean): Expression =>
  IDENTIFIER.test(name) ? { kind: "member", object, name, optional } : { kind: "element", object, key: stringLiteral(name), optional };

function valueType(value: string | number | boolean | null): TypeNode {
  return typeof value === "string" ? { kind: "string", value } : { kind: "literal", value };
}

function valueExpression(value: string | number | boolean | null): Expression {
  return id(typeof value === "string" ? stringLiteral(value) : String(value));
}

function ruleText(key: string, rule: PropertyRule): string {
  return rule.kind === "fixed" ? `${key} is ${JSON.stringify(rule.value)}` : `${key} is one of ${rule.values.map((v) => JSON.stringify(v)).join(", ")}`;
}

function declarations(spec: ResolvedSpec, input: SpecificationsInput, target: Target, form: Form): Statement[] {
  const b = builder(form);
  const doc = <T extends Statement | Member>(node: T, text: string): T => (form === "js" ? node : b.jsDoc(node, text));
  const n = specNames(spec);
  const event = input.names.get(spec.uri)!;
  const rules = Object.entries(spec.properties).sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0));
  const fixed = rules.filter(([, r]) => r.kind === "fixed");
  const members = entityMembers(spec);
  const required = members.some((e) => e.min > 0);
  const statements: Statement[] = [];

  // XData: the event's data, fixed properties optional and of their one value, the others narrowed to their values.
  if (form !== "js") {
    const base = fixed.length === 0 ? ref(event.type) : ref("Omit", [ref(event.type), union(fixed.map(([k]) => ({ kind: "string", value: k })))]);
    const narrowed: Member[] = rules.map(([key, rule]) => doc({
      kind: "property", readonly: true, optional: true, name: memberKey(key),
      type: rule.kind === "fixed" ? valueType(rule.value) : union(rule.values.map(valueType)),
    }, rule.kind === "fixed" ? `Always ${JSON.stringify(rule.value)}: {@link ${n.track}} sends it.` : `One of ${rule.values.map((v) => JSON.stringify(v)).join(", ")}.`));
    const said = rules.length === 0 ? "" : `, where ${rules.map(([k, r]) => ruleText(k, r)).join(" and ")}`;
    statements.push(doc({ kind: "type", exported: true, name: n.data, type: narrowed.length === 0 ? base : { kind: "intersection", types: [base, { kind: "object", members: narrowed }] } },
      `The data of {@link ${n.track}}: a {@link ${event.type}}${said}.`));
    if (members.length > 0) {
      statements.push(doc({
        kind: "interface", exported: true, name: n.entities,
        members: members.map((e) => {
          const entity = input.names.get(e.uri)!;
          const shape = shapeOf(e, ref(entity.type));
          return doc({ kind: "property", readonly: true, optional: shape.optional, name: memberKey(e.key), type: shape.type },
            `${shape.one ? `A {@link ${entity.type}}` : `{@link ${entity.type}} entities`} (${e.uri}): ${cardinality(e)}.${e.description === undefined ? "" : `\n${e.description}`}`);
        }),
      }, `The entities of {@link ${n.track}}, as data: it builds each entity.${spec.additionalEntities ? " Others go in `context`." : " No others may be attached."}`));
    }
    const options: TypeNode[] = [spec.additionalEntities ? ref("TrackEventOptions") : ref("Omit", [ref("TrackEventOptions"), { kind: "string", value: "context" }])];
    if (members.length > 0) options.push({ kind: "object", members: [{ kind: "property", readonly: true, optional: !required, name: "entities", type: ref(n.entities) }] });
    // Nothing else to say, the options could be `{}`-like (the React Native tracker's have only context), which takes any property: context is said to be absent.
    else if (!spec.additionalEntities) options.push({ kind: "object", members: [{ kind: "property", readonly: true, optional: true, name: "context", type: word("never") }] });
    statements.push(doc({ kind: "type", exported: true, name: n.options, type: options.length === 1 ? options[0]! : { kind: "intersection", types: options } },
      `The options of {@link ${n.track}}: the track functions' options${members.length > 0 ? `, with its entities${required ? "" : " (none required)"}` : ""}${spec.additionalEntities ? "" : ", and no `context`: the specification allows no other entities"}.`));
  }

  // trackX: the event's track function's parameters, with these types; its body calls that function.
  const entitiesOptional = !required;
  const entitiesId = id("entities");
  const context: Expression[] = members.map((e) => {
    const create = id(input.names.get(e.uri)!.create);
    const shape = shapeOf(e, word("unknown"));
    const value = access(entitiesId, e.key, entitiesOptional);
    if (shape.one) {
      if (!shape.optional) return call(create, [value]);
      return { kind: "spread", expression: { kind: "conditional", test: { kind: "equals", left: value, right: id("undefined") }, then: { kind: "array", elements: [] },
        otherwise: { kind: "array", elements: [call(create, [access(entitiesId, e.key, false)])] } } };
    }
    const list = shape.optional ? { kind: "nullish", left: value, right: { kind: "array", elements: [] } } as const : value;
    return { kind: "spread", expression: call(member(list, "map"), [create]) };
  });
  if (spec.additionalEntities) context.push({ kind: "spread", expression: { kind: "nullish", left: id("context"), right: { kind: "array", elements: [] } } });
  if (input.eventSpecificationEntity && spec.id !== undefined) {
    const { product } = input;
    const fields: [string, string | undefined][] = [["id", spec.id], ["name", spec.name], ["data_product_id", product?.id], ["data_product_name", product?.name], ["data_product_domain", product?.domain]];
    context.push(call(id("uncheckedEntity"), [{ kind: "object", entries: [
      { name: "schema", value: id(stringLiteral(EVENT_SPECIFICATION_SCHEMA)) },
      { name: "data", value: { kind: "object", entries: fields.filter((f): f is [string, string] => f[1] !== undefined).map(([name, v]) => ({ name, value: id(stringLiteral(v)) })) } },
    ] }]));
  }
  const picked = [...(members.length > 0 ? ["entities"] : []), ...(spec.additionalEntities ? ["context"] : [])];
  const body: Statement[] = [];
  if (picked.length > 0) body.push({ kind: "destructure", names: picked, rest: "rest", value: id("options") });
  const options: Expression = { kind: "object", entries: [{ spread: id(picked.length > 0 ? "rest" : "options") }, { name: "context", value: { kind: "array", elements: context, multiline: context.length > 0 } }] };
  const data: Expression = fixed.length === 0 ? id("data")
    : { kind: "object", entries: [{ spread: id("data") }, ...fixed.map(([k, r]) => ({ name: literalKey(k), value: valueExpression((r as Extract<PropertyRule, { kind: "fixed" }>).value) }))] };
  const parameters = trackParameters(b, target, event).map((p) =>
    p.name === "data" ? { name: "data", type: ref(n.data) }
    : p.name === "options" ? { name: "options", type: ref(n.options), ...(required ? {} : { initializer: { kind: "object", entries: [] } as const }) }
    : { name: p.name, type: p.type! });
  body.push({ kind: "expression", expression: call(id(event.track), parameters.map((p) => (p.name === "data" ? data : p.name === "options" ? options : id(p.name)))) });

  const described = [
    `Tracks the event specification ${JSON.stringify(spec.name)}${spec.id === undefined ? "" : ` (${spec.id})`}: a {@link ${event.type}} event (${spec.uri})${rules.length === 0 ? "" : `, where ${rules.map(([k, r]) => ruleText(k, r)).join(" and ")}`}.`,
    ...(spec.description === undefined ? [] : [spec.description]),
    ...(members.length === 0 ? ["It carries no entities of its own."] : ["Entities (`options.entities`, as data):", ...members.map((e) => `- \`${e.key}\`: ${e.uri}, ${cardinality(e)}`)]),
    spec.additionalEntities ? "Other entities may be attached in `options.context`." : "No other entities may be attached.",
    ...(input.eventSpecificationEntity && spec.id !== undefined ? [`It also attaches the event_specification entity (${EVENT_SPECIFICATION_SCHEMA}).`] : []),
  ];
  statements.push(doc(functionDeclaration(form, n.track, parameters, word("void"), body), described.join("\n")));
  return statements;
}
