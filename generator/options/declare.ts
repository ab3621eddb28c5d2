/**
 * How a setting is declared, once (settings.ts), and the views made from a
 * declaration: its TypeScript type (`ValuesOf`), the JSON Schema the config
 * file is validated against (and that ships as config.schema.json), the
 * command-line flags and their --help text, and readable messages for what
 * the JSON Schema rejects. A value's schema is built with the typed
 * builders below, so its TypeScript type and its JSON Schema are one
 * expression.
 */

/** A JSON Schema (draft-07) object. */
export type JsonSchema = { readonly [keyword: string]: unknown };

declare const TYPE: unique symbol;
/** A JSON Schema that also carries the TypeScript type of the values it accepts. */
export type Typed<T> = JsonSchema & { readonly [TYPE]?: T };
export type TypeOf<S> = S extends Typed<infer T> ? T : never;

/** What a pattern or a `oneOf` means, for messages ("is not a SchemaVer"), by schema object. */
const WHAT = new WeakMap<object, string>();
/** Schemas of strings that are paths, resolved against the config file's folder. */
const PATHS = new WeakSet<object>();

const typed = <T>(schema: JsonSchema, what?: string): Typed<T> => {
  if (what !== undefined) WHAT.set(schema, what);
  return schema as Typed<T>;
};

export const text = (extra: JsonSchema = {}, what?: string): Typed<string> => typed({ type: "string", ...extra }, what);
/** A file or folder: relative to the config file when given there, to the working directory otherwise. */
export const pathText = (): Typed<string> => {
  const schema = text();
  PATHS.add(schema);
  return schema;
};
export const bool = (): Typed<boolean> => typed({ type: "boolean" });
export const num = (extra: JsonSchema = {}): Typed<number> => typed({ type: "number", ...extra });
export const int = (extra: JsonSchema = {}): Typed<number> => typed({ type: "integer", ...extra });
export const choice = <const V extends readonly string[]>(values: V): Typed<V[number]> => typed({ enum: values });
export const list = <T>(items: Typed<T>, extra: JsonSchema = {}): Typed<readonly T[]> => typed({ type: "array", items, ...extra });
export const either = <A, B>(a: Typed<A>, b: Typed<B>): Typed<A | B> => typed({ oneOf: [a, b] });
export const record = <T>(keys: Typed<string>, values: Typed<T>, extra: JsonSchema = {}): Typed<Readonly<Record<string, T>>> =>
  typed({ type: "object", propertyNames: keys, additionalProperties: values, ...extra });

type Fields = Readonly<Record<string, { readonly schema: Typed<unknown>; readonly describe?: string }>>;
/** An object of the fields given, none other; `required` ones must be present; `what` names a oneOf's rule. */
export const object = <F extends Fields, R extends keyof F & string = never>(
  fields: F, options: { readonly required?: readonly R[]; readonly oneOf?: readonly JsonSchema[]; readonly what?: string } = {},
): Typed<{ readonly [K in R]: TypeOf<F[K]["schema"]> } & { readonly [K in Exclude<keyof F, R>]?: TypeOf<F[K]["schema"]> }> => {
  const properties = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, withDescription(f.schema, f.describe)]));
  return typed({
    type: "object", additionalProperties: false,
    ...(options.required !== undefined ? { required: options.required } : {}),
    ...(options.oneOf !== undefined ? { oneOf: options.oneOf } : {}),
    properties,
  }, options.what);
};

/** The schema with a description (and a default) added, keeping what WHAT and PATHS know of it. */
function withDescription(schema: JsonSchema, describe: string | undefined, defaultValue?: unknown): JsonSchema {
  if (describe === undefined && defaultValue === undefined) return schema;
  const described = { ...(describe !== undefined ? { description: describe } : {}), ...schema, ...(defaultValue !== undefined ? { default: defaultValue } : {}) };
  if (WHAT.has(schema)) WHAT.set(described, WHAT.get(schema)!);
  if (PATHS.has(schema)) PATHS.add(described);
  return described;
}

/** One setting: its value, what it means, and where it may be given. */
export interface Setting<T = unknown> {
  readonly schema: Typed<T>;
  /** One line: the JSON Schema's description and the flag's --help text. */
  readonly describe: string;
  /** A key of igluc.config.json (and so of the API's options). */
  readonly config?: boolean;
  /** A flag of the command, `--kebab-case` of the key. */
  readonly flag?: { readonly alias?: string; readonly required?: boolean };
  /** Given to the API as an option even when not in the config file; false for flags of the CLI alone (--config, --watch). */
  readonly api?: boolean;
  /** The default as --help and README say it (the code applies defaults once, when options are resolved). */
  readonly defaultText?: string;
  /** The default the JSON Schema documents, for editors. */
  readonly default?: unknown;
}

/** A setting, its declaration kept as written (which keys it is, and its value type), for ValuesOf. */
export const setting = <const S extends Setting<unknown>>(s: S): S => s;

export type Settings = Readonly<Record<string, Setting>>;

/** The options the API takes: every setting of the config file or marked `api`. */
export type ValuesOf<S extends Settings> = {
  -readonly [K in keyof S as S[K]["config"] extends true ? K : S[K]["api"] extends true ? K : never]?: TypeOf<S[K]["schema"]>;
};

/** The JSON Schema of what a config file (or the options object, with `api` ones too) may hold. */
export function schemaOf(settings: Settings, scope: "config" | "api"): JsonSchema {
  const keys = Object.entries(settings).filter(([, s]) => s.config === true || (scope === "api" && s.api === true));
  return {
    type: "object", additionalProperties: false,
    properties: Object.fromEntries(keys.map(([k, s]) => [k, withDescription(s.schema, s.describe, s.default)])),
  };
}

/** `singleFile` → `single-file` */
export const flagName = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** yargs options for the settings that are flags: type, alias, choices, and --help text with the default. */
export function yargsOptions(settings: Settings): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, s] of Object.entries(settings)) {
    if (s.flag === undefined) continue;
    const schema = s.schema as JsonSchema & { type?: string; enum?: readonly string[]; items?: JsonSchema & { type?: string } };
    const array = schema.type === "array";
    const type = array ? schema.items?.type : schema.type;
    out[flagName(key)] = {
      ...(schema.enum !== undefined ? { choices: schema.enum } : { type: type === "integer" ? "number" : type }),
      ...(array ? { array: true } : {}),
      ...(s.flag.alias !== undefined ? { alias: s.flag.alias } : {}),
      ...(s.flag.required === true ? { demandOption: true } : {}),
      describe: s.defaultText === undefined ? s.describe : `${s.describe} [default: ${s.defaultText}]`,
    };
  }
  return out;
}

/** The flags given on the command line, as options under their keys; flags not given are left out. */
export function fromArgs(settings: Settings, args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(settings)) {
    if (s.flag !== undefined && s.api !== false && args[key] !== undefined) out[key] = args[key];
  }
  return out;
}

/** What a pattern, enum or oneOf at `schema` means, if said. */
export function whatOf(schema: unknown): string | undefined {
  return schema !== null && typeof schema === "object" ? WHAT.get(schema) : undefined;
}

/** Is `schema` a path setting's? */
export function isPath(schema: unknown): boolean {
  return schema !== null && typeof schema === "object" && PATHS.has(schema);
}
