/**
 * Data types through json-schema-to-typescript. Schemas arrive prepared
 * (references resolved, unsafe keywords dropped), so nothing is fetched and
 * nothing from the schema reaches the output unescaped.
 */
import { Module, createRequire } from "node:module";
import type { Options } from "json-schema-to-typescript";

export interface TypeJob {
  readonly uri: string;
  /** The declared name; json-schema-to-typescript must keep it as it is. */
  readonly typeName: string;
  readonly schema: unknown;
}

export type TypeResult = { readonly uri: string; readonly text: string } | { readonly uri: string; readonly error: string };

const OPTIONS: Partial<Options> = {
  bannerComment: "",
  format: false,
  additionalProperties: false,
  unknownAny: true,
  strictIndexSignatures: false,
  declareExternallyReferenced: true,
  enableConstEnums: false,
  maxItems: 4,
  ignoreMinAndMaxItems: false,
  // Every reference in a schema position is resolved already; a `$ref` left (in an enum value, an unknown keyword) is data.
  $refOptions: { resolve: { external: false }, dereference: { excludedPathMatcher: excludeEveryPath } },
};

/** The reference parser's matcher in igluc's options: no path is dereferenced. Known by its identity (see STUBBED). */
function excludeEveryPath(): boolean {
  return true;
}

type Compile = typeof import("json-schema-to-typescript").compile;
let compiler: Promise<Compile> | undefined;

/**
 * json-schema-to-typescript is only loaded where types are compiled, and without what igluc never has it use (withStubs).
 * Required, as the CommonJS it is: imported, Node would first scan its entry's source for the names it exports.
 */
function load(): Promise<Compile> {
  // Synchronously, in the executor: the stubs are in the require cache for that call only, and no other code of the process
  // (a promise settled just before, say) runs while they are; a require that throws rejects.
  compiler ??= new Promise<Compile>((resolve) => {
    resolve(withStubs(() => (createRequire(import.meta.url)("json-schema-to-typescript") as typeof import("json-schema-to-typescript")).compile));
  });
  return compiler;
}

/**
 * Modules json-schema-to-typescript requires as it loads that igluc never has it
 * use, by the package requiring them: prettier (igluc compiles with `format: false`),
 * whose CommonJS entry at once imports its 680 KB ES module, about 30 ms of CPU;
 * and its reference parser (igluc's schemas arrive resolved, and its options have
 * the parser dereference no path), about 20 ms. A stub's members are the real
 * module's, loaded when first used; `standIn` members replace them instead.
 * Measured: a process loading json-schema-to-typescript and compiling one type,
 * 180 -> 150 -> 140 ms of CPU (prettier, then the parser's js-yaml), and loading
 * it 52 -> 31 ms with the parser itself stubbed (medians of 3); the types of all
 * of Iglu Central came out the same byte for byte.
 */
const STUBBED: readonly {
  readonly from: string;
  readonly id: string;
  readonly members: readonly string[];
  readonly standIn?: (real: () => Record<string, unknown>) => Record<string, unknown>;
}[] = [
  { from: "json-schema-to-typescript", id: "prettier", members: ["format"] },
  {
    from: "json-schema-to-typescript",
    id: "@apidevtools/json-schema-ref-parser",
    members: ["$RefParser"],
    // json-schema-to-typescript makes a $RefParser and calls its dereference(cwd, schema, options), nothing else.
    // With igluc's options (its matcher, by identity) that returns the schema as it is; any other call goes to the real parser.
    standIn: (real) => ({
      $RefParser: class {
        dereference(cwd: unknown, schema: unknown, options?: { dereference?: { excludedPathMatcher?: unknown } }): Promise<unknown> {
          if (options?.dereference?.excludedPathMatcher === excludeEveryPath) return Promise.resolve(schema);
          const Parser = real().$RefParser as new () => { dereference(...args: unknown[]): Promise<unknown> };
          return new Parser().dereference(cwd, schema, options);
        }
      },
    }),
  },
];

/**
 * Runs `load` with each STUBBED module standing in for a stub, in the require
 * cache only while it loads. A stub's members are the real module's, required
 * when first used (a stand-in's, for calls other than igluc's): anyone else in
 * the process (formatting with json-schema-to-typescript, or compiling schemas
 * with references through it, say) still gets the real thing.
 */
function withStubs<T>(load: () => T): T {
  const placed: { require: NodeJS.Require; id: string; stub: Module }[] = [];
  let from = createRequire(import.meta.url);
  let jstt: NodeJS.Require | undefined;
  for (const { from: parent, id, members, standIn } of STUBBED) {
    let file: string;
    try {
      from = createRequire(from.resolve(parent));
      jstt ??= from;
      file = from.resolve(id);
    } catch {
      break;
    }
    // Already loaded by someone else: nothing to save. And a file that json-schema-to-typescript
    // requires itself (its own js-yaml, were npm to share one) is used as it loads: never stubbed.
    if (from.cache[file] !== undefined || (parent !== STUBBED[0]!.from && resolvesTo(jstt!, id) === file)) continue;
    const require = from;
    const stub = new Module(file);
    // Used while json-schema-to-typescript loads (it never is), the stub must not find itself.
    const real = (): Record<string, unknown> => {
      if (require.cache[file] === stub) delete require.cache[file];
      return require(id) as Record<string, unknown>;
    };
    stub.filename = file;
    stub.loaded = true;
    stub.exports = standIn !== undefined ? standIn(real) : Object.defineProperties({}, Object.fromEntries(members.map((name) => [name, { enumerable: true, get: () => real()[name] }])));
    require.cache[file] = stub;
    placed.push({ require, id: file, stub });
  }
  try {
    return load();
  } finally {
    for (const { require, id, stub } of placed) if (require.cache[id] === stub) delete require.cache[id];
  }
}

function resolvesTo(require: NodeJS.Require, id: string): string | undefined {
  try {
    return require.resolve(id);
  } catch {
    return undefined;
  }
}

export async function compileType(job: TypeJob): Promise<TypeResult> {
  try {
    const compile = await load();
    const { schema, restore } = withoutPrototypeNames(job.schema);
    const text = restore(indent((await compile(schema as Parameters<Compile>[0], job.typeName, OPTIONS)).trim()));
    const declared = /^export (?:interface|type) ([A-Za-z_$][A-Za-z0-9_$]*)/m.exec(text)?.[1];
    if (declared !== job.typeName) {
      return { uri: job.uri, error: `json-schema-to-typescript named the type ${String(declared)} instead of ${job.typeName}` };
    }
    return { uri: job.uri, text };
  } catch (error) {
    return { uri: job.uri, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Names Object.prototype has: json-schema-to-typescript calls some of them as methods of the objects it walks. */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * json-schema-to-typescript calls `node.hasOwnProperty(…)` on every object
 * it walks, so a property (or an enum value's member) named like a method of
 * Object.prototype would break it. Such keys, and the `required` entries
 * naming them, are given placeholder names that occur nowhere in the schema,
 * and the placeholders are turned back into the names in the printed type:
 * the output is exactly what the names themselves would have given.
 */
export function withoutPrototypeNames(schema: unknown): { schema: unknown; restore: (text: string) => string } {
  // Most schemas have no such name: looking costs far less than the copy (json-schema-to-typescript's input is its own to change).
  if (!hasPrototypeName(schema)) return { schema, restore: (t) => t };
  const text = JSON.stringify(schema) ?? "";
  let nonce = 0;
  while (text.includes(`IglucKey${nonce}x`)) nonce++;
  const placeholders = new Map<string, string>();
  const rename = (name: string): string => {
    if (!PROTOTYPE_NAMES.has(name)) return name;
    let placeholder = placeholders.get(name);
    if (placeholder === undefined) {
      placeholder = `IglucKey${nonce}x${placeholders.size}`;
      placeholders.set(name, placeholder);
    }
    return placeholder;
  };
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      const renamed = key === "required" && Array.isArray(member) ? member.map((r) => (typeof r === "string" ? rename(r) : r)) : copy(member);
      Object.defineProperty(out, rename(key), { value: renamed, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  const renamed = copy(schema);
  const back = new Map([...placeholders].map(([name, placeholder]) => [placeholder, name]));
  const pattern = new RegExp(`IglucKey${nonce}x[0-9]+`, "g");
  return { schema: renamed, restore: (t) => t.replace(pattern, (p) => back.get(p) ?? p) };
}

/** Whether a key anywhere in `value`, or a `required` entry, is a name Object.prototype has. */
function hasPrototypeName(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasPrototypeName);
  if (value === null || typeof value !== "object") return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const member = (value as Record<string, unknown>)[key];
    if (PROTOTYPE_NAMES.has(key)) return true;
    if (key === "required" && Array.isArray(member) ? member.some((r) => typeof r === "string" && PROTOTYPE_NAMES.has(r)) : hasPrototypeName(member)) return true;
  }
  return false;
}

/**
 * Indents json-schema-to-typescript's unformatted output (it is run without
 * prettier, which would cost more than everything else). Only leading
 * whitespace changes, and a blank line goes between top-level declarations:
 * it never writes a string literal over several lines.
 */
export function indent(text: string): string {
  let depth = 0;
  const lines: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("*")) {
      lines.push(`${"  ".repeat(depth)} ${line}`);
      continue;
    }
    if (/^[}\])]/.test(line)) depth = Math.max(0, depth - 1);
    // Declarations (the data type, then its item types) are separated by a blank line.
    if (depth === 0 && line !== "" && lines.length > 0 && /^[}\])]/.test(lines.at(-1)!)) lines.push("");
    lines.push(line === "" ? "" : `${"  ".repeat(depth)}${line}`);
    if (!line.startsWith("/*") && /[{[(]$/.test(line)) depth++;
  }
  return lines.join("\n");
}
