/**
 * Options checked against the JSON Schema their declaration makes
 * (declare.ts), with ajv, and what it rejects said in the settings' terms:
 * `emit must be "ts" or "js", not "mjs"`, `unknown setting "outDir" (known:
 * …)`, `pin["com.acme/x"]: "1-0" is not a SchemaVer`. The first problem is
 * reported, with its JSON pointer so a config file can show line and column.
 */
import { createRequire } from "node:module";
type Ajv = import("ajv").default;
import type { ErrorObject, ValidateFunction } from "ajv";
import { escapePointerToken, unescapePointerToken } from "../load/pointer.js";
import { fingerprintOf, loadPrecompiled } from "../validate/precompiled.js";
import { schemaOf, whatOf, type JsonSchema } from "./declare.js";
import { GENERATE } from "./settings.js";

/** The options' schemas: of igluc.config.json, and of generate()'s options; the build precompiles both (validate/precompiled.ts). */
export const OPTIONS_SCHEMAS = {
  "options-config": schemaOf(GENERATE, "config"),
  "options-api": schemaOf(GENERATE, "api"),
} as const;

const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false } as const;

/** ajv's validator of an options schema; `standalone` keeps the code for the build. */
export function compileOptionsSchema(schema: JsonSchema, standalone = false): { ajv: Ajv; validate: ValidateFunction; fingerprint: string } {
  // Loaded here, not at import: a run with nothing to check never needs ajv.
  const AjvClass = createRequire(import.meta.url)("ajv") as typeof import("ajv").default;
  const ajv = new AjvClass({ ...AJV_OPTIONS, ...(standalone ? { code: { source: true } } : {}) });
  return { ajv, validate: ajv.compile(schema), fingerprint: fingerprintOf([schema, AJV_OPTIONS]) };
}

export interface OptionsProblem {
  /** Where in the options (or the config file) the problem is. */
  readonly pointer: string;
  readonly message: string;
}

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/** The validator of one of OPTIONS_SCHEMAS as the build precompiled it, when current; else (or for another schema) compiled now. */
export function optionsValidator(schema: JsonSchema): ValidateFunction {
  const name = Object.entries(OPTIONS_SCHEMAS).find(([, known]) => known === schema)?.[0];
  return (name === undefined ? undefined : loadPrecompiled(name, fingerprintOf([schema, AJV_OPTIONS]))) ?? compileOptionsSchema(schema).validate;
}

/** The first problem of `value` against `schema`, or undefined when it is valid. */
export function firstProblem(schema: JsonSchema, value: unknown): OptionsProblem | undefined {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = optionsValidator(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return undefined;
  // A precompiled validator's errors carry copies of the schema's parts: point them back at the
  // declared ones, which the settings' words (whatOf) are attached to.
  const errors = (validate.errors ?? []).map((e): ErrorObject => {
    const declared = declaredAt(schema, e.schemaPath);
    return declared === undefined ? e : { ...e, parentSchema: declared };
  });
  const error = pick(errors);
  return error === undefined ? { pointer: "", message: "is not valid" } : describe(error);
}

/** The subschema holding the keyword at `schemaPath` (`#/properties/pin/propertyNames/pattern` → the propertyNames schema). */
function declaredAt(schema: JsonSchema, schemaPath: string): Record<string, unknown> | undefined {
  const tokens = schemaPath.replace(/^#\/?/, "").split("/").filter((t) => t !== "").map(unescapePointerToken).slice(0, -1);
  let node: unknown = schema;
  for (const token of tokens) {
    if (token === undefined || node === null || typeof node !== "object" || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node !== null && typeof node === "object" ? node as Record<string, unknown> : undefined;
}

/**
 * The error worth reporting: a `oneOf` that says what it means stands for
 * its alternatives' errors; one that does not gives way to them, the
 * alternatives' plain type mismatches left out (they only say which
 * alternative the value was not).
 */
function pick(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const labelled = errors.filter((e) => e.keyword === "oneOf" && whatOf(e.parentSchema) !== undefined);
  const unlabelled = errors.filter((e) => e.keyword === "oneOf" && whatOf(e.parentSchema) === undefined);
  const inside = (e: ErrorObject, of: readonly ErrorObject[]): boolean => of.some((o) => e !== o && e.schemaPath.startsWith(`${o.schemaPath}/`));
  const kept = errors.filter((e) => !inside(e, labelled) && !unlabelled.includes(e) && !(e.keyword === "type" && inside(e, unlabelled)));
  return kept[0] ?? errors[0];
}

const TYPES: Readonly<Record<string, string>> = { string: "a string", number: "a number", integer: "an integer", boolean: "true or false", array: "a list", object: "an object" };

function describe(e: ErrorObject): OptionsProblem {
  const name = settingName(e.instancePath) || "the settings";
  const at = (text: string): string => (e.instancePath === "" ? text : `${name}: ${text}`);
  const params = e.params as Record<string, unknown>;
  const what = whatOf(e.parentSchema);
  const data = JSON.stringify(e.data);
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).filter((k) => k !== "$schema");
      return { pointer: `${e.instancePath}/${escapePointerToken(key)}`, message: at(`unknown setting "${key}" (known: ${known.join(", ")})`) };
    }
    case "type":
      return { pointer: e.instancePath, message: `${name} must be ${TYPES[String(params.type)] ?? String(params.type)}` };
    case "enum":
      return { pointer: e.instancePath, message: `${name} must be ${alternatives((params.allowedValues as unknown[]).map((v) => JSON.stringify(v)))}, not ${data}` };
    case "pattern":
      return e.propertyName !== undefined
        ? { pointer: `${e.instancePath}/${escapePointerToken(e.propertyName)}`, message: at(`"${e.propertyName}" ${what ?? `does not match ${String(params.pattern)}`}`) }
        : { pointer: e.instancePath, message: at(`${data} ${what ?? `does not match ${String(params.pattern)}`}`) };
    case "minimum":
      return { pointer: e.instancePath, message: `${name} must be at least ${String(params.limit)}, not ${data}` };
    case "minItems":
    case "minLength":
      return { pointer: e.instancePath, message: `${name} must not be empty` };
    case "required":
      return { pointer: e.instancePath, message: at(`needs ${/^[aeiou]/i.test(String(params.missingProperty)) ? "an" : "a"} "${String(params.missingProperty)}"`) };
    case "oneOf":
      return { pointer: e.instancePath, message: at(what ?? "matches none of its forms, or more than one") };
    default:
      return { pointer: e.instancePath, message: at(e.message ?? "is not valid") };
  }
}

/** `/registries/0/priority` → `registries[0].priority`; `/pin/com.acme~1x` → `pin["com.acme/x"]`. */
export function settingName(pointer: string): string {
  if (pointer === "") return "";
  let name = "";
  for (const raw of pointer.slice(1).split("/")) {
    const token = unescapePointerToken(raw) ?? raw;
    if (/^(?:0|[1-9][0-9]*)$/.test(token)) name += `[${token}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(token)) name += name === "" ? token : `.${token}`;
    else name += `[${JSON.stringify(token)}]`;
  }
  return name;
}

/** `"a" or "b"`; `"a", "b" or "c"`. */
function alternatives(values: readonly string[]): string {
  return values.length <= 2 ? values.join(" or ") : `${values.slice(0, -1).join(", ")} or ${values.at(-1)!}`;
}
