/**
 * igluc's own plan format, once parsed: checked against its JSON Schema
 * (format.ts) with ajv, each problem said with its pointer, place and a
 * hint; then turned into the PlanDocument every later stage reads.
 */
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Diagnostic } from "../diagnostics.js";
import { escapePointerToken } from "../load/pointer.js";
import { settingName } from "../options/validate.js";
import { ENTITY_KEY_HINT, ENTITY_KEY_PATTERN, FUNCTION_PATTERN, PLAN, SCHEMA_REF_HINT, SCHEMA_REF_PATTERN, SCHEMA_REF_PROBLEM, entityKeyProblem, type PlanFile } from "./format.js";
import type { PlaceOf } from "./data-product.js";
import type { EntityRule, PlanDocument, PropertyRule, SpecDocument } from "./model.js";

let validator: ValidateFunction | undefined;

/** Every problem of `value` as a plan (in document order), or none. */
export function validatePlanFile(value: unknown, placeOf: PlaceOf): Diagnostic[] {
  if (validator === undefined) {
    // Loaded on first use: a run without a plan never compiles it.
    const Ajv = createRequire(import.meta.url)("ajv") as typeof import("ajv").default;
    validator = new Ajv({ allErrors: true, verbose: true, strict: false, ownProperties: true }).compile(PLAN);
  }
  if (validator(value)) return [];
  const errors = validator.errors ?? [];
  // A property rule's anyOf says what a rule may be; the errors of its two branches only say which branch it was not.
  const anyOfs = errors.filter((e) => e.keyword === "anyOf");
  const kept = errors.filter((e) => e.keyword !== "propertyNames" && !anyOfs.some((a) => a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`)));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of kept) {
    const problem = describe(e);
    const key = `${problem.pointer}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const place = placeOf(problem.pointer);
    out.push({ level: "error", code: "plan-invalid", ...place, message: problem.message, hint: problem.hint });
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

const TYPES: Readonly<Record<string, string>> = { string: "a string", number: "a number", integer: "a whole number", boolean: "true or false", array: "a list", object: "an object" };

function describe(e: ErrorObject): { pointer: string; message: string; hint: string } {
  const params = e.params as Record<string, unknown>;
  const name = settingName(e.instancePath) || "the plan";
  const data = JSON.stringify(e.data) ?? String(e.data);
  switch (e.keyword) {
    case "required":
      return { pointer: e.instancePath, message: `${name} needs "${String(params.missingProperty)}"`, hint: `add ${String(params.missingProperty)} (generator/tracking-plan.schema.json describes each member)` };
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).filter((k) => k !== "$schema");
      return { pointer: `${e.instancePath}/${escapePointerToken(key)}`, message: `${name}: unknown member ${JSON.stringify(key)} (known: ${known.join(", ")})`, hint: "remove it, or correct its name" };
    }
    case "type": {
      const types = Array.isArray(params.type) ? params.type as string[] : [String(params.type)];
      return { pointer: e.instancePath, message: `${name} must be ${types.map((t) => TYPES[t] ?? t).join(" or ")}, not ${data}`, hint: "correct the value's type" };
    }
    case "pattern":
      return e.propertyName !== undefined
        ? { pointer: `${e.instancePath}/${escapePointerToken(e.propertyName)}`, ...patternProblem(e.propertyName, String(params.pattern), `${name}: the key`) }
        : { pointer: e.instancePath, ...patternProblem(String(e.data), String(params.pattern), name) };
    case "minimum":
      return { pointer: e.instancePath, message: `${name} must be at least ${String(params.limit)}, not ${data}`, hint: "min is 0 for an optional entity, 1 or more for a required one; max is at least 1" };
    case "minLength":
    case "minItems":
      return { pointer: e.instancePath, message: `${name} must not be empty`, hint: "give it a value, or leave the member out" };
    case "maxItems":
    case "maxProperties":
      return { pointer: e.instancePath, message: `${name} has more than ${String(params.limit)} members, more than igluc reads`, hint: "split the plan" };
    case "anyOf":
      return { pointer: e.instancePath, message: `${name} must be a fixed value (a string, number, true, false or null) or { enum: [values] }, not ${data}`, hint: "write the value itself, or { enum: [...] } for a choice of values" };
    default:
      return { pointer: e.instancePath, message: `${name} ${e.message ?? "is not valid"}`, hint: "see generator/tracking-plan.schema.json" };
  }
}

function patternProblem(value: string, pattern: string, name: string): { message: string; hint: string } {
  const shown = JSON.stringify(value);
  if (pattern === SCHEMA_REF_PATTERN) {
    return { message: `${name} ${shown} ${SCHEMA_REF_PROBLEM}`, hint: SCHEMA_REF_HINT };
  }
  if (pattern === FUNCTION_PATTERN) return { message: `${name} ${shown} is not an identifier starting with track`, hint: "write a name like trackAddToBasket" };
  if (pattern === ENTITY_KEY_PATTERN) return { message: entityKeyProblem(value, name), hint: ENTITY_KEY_HINT };
  return { message: `${name} ${shown} does not match ${pattern}`, hint: "see generator/tracking-plan.schema.json" };
}

/** The document of a plan that passed {@link validatePlanFile}. */
export function planFileToDocument(value: unknown, file: string, placeOf: PlaceOf): PlanDocument {
  const plan = value as PlanFile;
  const product = {
    ...(plan.id !== undefined ? { id: plan.id } : {}),
    ...(plan.name !== undefined ? { name: plan.name } : {}),
    ...(plan.domain !== undefined ? { domain: plan.domain } : {}),
  };
  const specifications = plan.specifications.map((s, i): SpecDocument => {
    const at = `/specifications/${i}`;
    const properties: Record<string, PropertyRule> = {};
    for (const [key, rule] of Object.entries(s.properties ?? {})) {
      const place = placeOf(`${at}/properties/${escapePointerToken(key)}`);
      // Defined as an own data property: a property named __proto__ is a name like any other here.
      Object.defineProperty(properties, key, {
        enumerable: true,
        value: rule !== null && typeof rule === "object" ? { kind: "oneOf", values: rule.enum, place } : { kind: "fixed", value: rule, place },
      });
    }
    const entities = Object.entries(s.entities ?? {}).map(([key, e]): EntityRule => {
      const entityAt = `${at}/entities/${escapePointerToken(key)}`;
      return {
        key, schema: { text: e.schema, place: placeOf(`${entityAt}/schema`) }, min: e.min ?? 0,
        ...(e.max !== undefined ? { max: e.max } : {}),
        ...(e.description !== undefined ? { description: e.description } : {}),
        place: placeOf(entityAt),
      };
    });
    return {
      name: s.name,
      ...(s.function !== undefined ? { functionName: s.function } : {}),
      ...(s.id !== undefined ? { id: s.id } : {}),
      ...(s.description !== undefined ? { description: s.description } : {}),
      event: { text: s.event, place: placeOf(`${at}/event`) },
      properties, entities,
      additionalEntities: s.additionalEntities ?? false,
      place: placeOf(at),
    };
  });
  return { file, format: "igluc", ...(Object.keys(product).length > 0 ? { product } : {}), specifications };
}
