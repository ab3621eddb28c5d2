/**
 * Options: the public, all-optional GenerateOptions (and the igluc.config.json
 * that holds the same settings), resolved once into a fully-defaulted
 * GeneratorContext that every stage receives.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const CONFIG_FILE = "igluc.config.json";

/** Settings of `igluc generate`, in igluc.config.json or passed to `generate()`. Paths are relative to the config file (or `cwd`). */
export interface GenerateOptions {
  /** Static registries to read: each its root (holding `schemas/`) or its `schemas/` folder. Required (here or in the config). */
  schemas?: readonly string[];
  /** Output folder. @defaultValue "src/tracking" */
  out?: string;
  /** Which versions to generate: the latest of each MODEL, or every version. @defaultValue "latest" */
  versions?: "latest" | "all";
  /** Exact versions to generate for some schemas, by `vendor/name`, overriding `versions` for them. */
  pin?: Readonly<Record<string, string | readonly string[]>>;
  /** Only schemas whose `vendor/name` matches one of these patterns (`*` matches any run of characters). @defaultValue all */
  include?: readonly string[];
  /** Leave out schemas whose `vendor/name` matches one of these patterns. */
  exclude?: readonly string[];
  /** Everything in one `index.ts` instead of one module per schema. @defaultValue false */
  singleFile?: boolean;
  /** Module the generated code imports runtime types from. @defaultValue "igluc/runtime" */
  runtimeImport?: string;
  /** Compare with the files on disk instead of writing; the result lists what is stale. @defaultValue false */
  check?: boolean;
  /** Threads to use, this one included (so 2 means one worker thread; 1 means none). @defaultValue the number of cores */
  concurrency?: number;
  /** Base for relative paths. @defaultValue process.cwd() */
  cwd?: string;
  /** Called as schemas are processed, for progress display. */
  onProgress?: (done: number, total: number) => void;
}

export interface GeneratorContext {
  readonly cwd: string;
  readonly schemas: readonly string[];
  readonly out: string;
  readonly versions: "latest" | "all";
  readonly pin: ReadonlyMap<string, readonly string[]>;
  readonly include: readonly RegExp[];
  readonly exclude: readonly RegExp[];
  readonly singleFile: boolean;
  readonly runtimeImport: string;
  readonly check: boolean;
  readonly concurrency: number;
  readonly onProgress: (done: number, total: number) => void;
  /** What the output depends on besides the schemas (part of the inputs hash). */
  readonly fingerprint: string;
}

export class OptionsError extends Error {}

const KNOWN = new Set(["$schema", "schemas", "out", "versions", "pin", "include", "exclude", "singleFile", "runtimeImport"]);

/** Reads igluc.config.json from `file`, or searches `cwd` and its parents for one. */
export function loadConfig(cwd: string, file?: string): { options: GenerateOptions; path: string } | undefined {
  let found = file === undefined ? undefined : path.resolve(cwd, file);
  if (found === undefined) {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, CONFIG_FILE))) {
        found = path.join(dir, CONFIG_FILE);
        break;
      }
      if (path.dirname(dir) === dir) return undefined;
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(found, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `is not valid JSON (${(error as Error).message})`;
    throw new OptionsError(`${path.relative(cwd, found) || found} ${reason}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new OptionsError(`${found}: the config must be a JSON object`);
  const unknown = Object.keys(raw).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    throw new OptionsError(`${found}: unknown setting${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} (known: ${[...KNOWN].filter((k) => k !== "$schema").join(", ")})`);
  }
  const base = path.dirname(found);
  const options = raw as GenerateOptions;
  return {
    path: found,
    options: {
      ...options,
      ...(options.schemas !== undefined ? { schemas: asStrings("schemas", options.schemas).map((p) => path.resolve(base, p)) } : {}),
      ...(options.out !== undefined ? { out: path.resolve(base, asString("out", options.out)) } : {}),
    },
  };
}

export function resolveOptions(options: GenerateOptions, generatorVersion: string): GeneratorContext {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const schemas = options.schemas ?? [];
  if (schemas.length === 0) {
    throw new OptionsError("no schemas to read: pass --schemas DIR (a static registry) or set \"schemas\" in igluc.config.json");
  }
  const versions = options.versions ?? "latest";
  if (versions !== "latest" && versions !== "all") throw new OptionsError(`versions must be "latest" or "all", not ${JSON.stringify(versions)}`);
  const pin = new Map<string, readonly string[]>();
  for (const [family, value] of Object.entries(options.pin ?? {})) {
    if (!/^[a-zA-Z0-9\-_.]+\/[a-zA-Z0-9\-_]+$/.test(family)) throw new OptionsError(`pin: "${family}" is not vendor/name`);
    const list = typeof value === "string" ? [value] : [...value];
    for (const v of list) if (!/^[1-9][0-9]*-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$/.test(v)) throw new OptionsError(`pin: "${v}" for ${family} is not a SchemaVer`);
    pin.set(family, list);
  }
  const runtimeImport = options.runtimeImport ?? "igluc/runtime";
  if (!/^[@a-zA-Z0-9._/-]+$/.test(runtimeImport)) throw new OptionsError(`runtimeImport "${runtimeImport}" is not a module specifier`);
  const concurrency = options.concurrency ?? (os.availableParallelism?.() ?? os.cpus().length);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new OptionsError(`concurrency must be a positive integer, not ${String(concurrency)}`);
  const context = {
    cwd,
    schemas: schemas.map((s) => path.resolve(cwd, s)),
    out: path.resolve(cwd, options.out ?? "src/tracking"),
    versions,
    pin,
    include: (options.include ?? []).map(pattern),
    exclude: (options.exclude ?? []).map(pattern),
    singleFile: options.singleFile ?? false,
    runtimeImport,
    check: options.check ?? false,
    concurrency,
    onProgress: options.onProgress ?? (() => undefined),
  };
  const fingerprint = JSON.stringify([generatorVersion, versions, [...pin].sort(), options.include ?? [], options.exclude ?? [], context.singleFile, runtimeImport]);
  return { ...context, fingerprint };
}

/** `vendor/name` glob (`*` = any run of characters) → anchored RegExp. */
function pattern(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
}

function asString(key: string, value: unknown): string {
  if (typeof value !== "string") throw new OptionsError(`"${key}" must be a string`);
  return value;
}

function asStrings(key: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new OptionsError(`"${key}" must be an array of strings`);
  return value as string[];
}

