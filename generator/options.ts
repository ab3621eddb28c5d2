/**
 * Options: the public, all-optional GenerateOptions (and the igluc.config.json
 * that holds the same settings), resolved once into a fully-defaulted
 * GeneratorContext that every stage receives.
 */
import fs from "node:fs";
import { OptionsError } from "./errors.js";
import { DEFAULT_HTTP, type HttpSettings } from "./remote/http.js";
import { LOCKFILE } from "./remote/lockfile.js";
import { parseRegistries, readResolverConfig, type RegistryConfig, type Repository } from "./remote/repositories.js";
import os from "node:os";
import path from "node:path";
import type { Emit } from "./emit/forms.js";
import { isName, isVendor, parseSchemaVer } from "../runtime/iglu.js";

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
  /**
   * What to write: TypeScript modules (`.ts`), or JavaScript with declarations
   * (`.js` + `.d.ts`: ES modules, for bundlers and `"type": "module"` packages;
   * tsc reads the declarations without checking them under skipLibCheck). @defaultValue "ts"
   */
  emit?: Emit;
  /** Compare with the files on disk instead of writing; the result lists what is stale. @defaultValue false */
  check?: boolean;
  /** Threads to use, this one included (so 2 means one worker thread; 1 means none). @defaultValue the number of cores */
  concurrency?: number;
  /** Base for relative paths. @defaultValue process.cwd() */
  cwd?: string;
  /** Called as schemas are processed, for progress display. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting it (the CLI does on SIGINT/SIGTERM) removes what was staged; the output stays as it was. */
  signal?: AbortSignal;
  /** Repositories to take schemas from: Iglu Servers, static HTTP registries, folders (see README, "Generating from a registry"). */
  registries?: readonly RegistryConfig[];
  /** An Iglu resolver configuration file whose repositories to use (after `registries`). */
  resolver?: string;
  /** The lockfile written when generating from repositories. @defaultValue "igluc.lock.json" beside the config file (or in `cwd`) */
  lockfile?: string;
  /** Where fetched schemas are kept for --offline. @defaultValue ".igluc" beside the lockfile */
  cacheDir?: string;
  /** Ignore the lockfile: take what the repositories serve now, and rewrite it. @defaultValue false */
  update?: boolean;
  /** No network: use the locked schemas from the cache. @defaultValue false */
  offline?: boolean;
  /** API key for HTTP repositories that have none of their own. @defaultValue the IGLU_API_KEY environment variable */
  apikey?: string;
  /** Timeouts, retries and concurrency for HTTP repositories. */
  http?: Partial<HttpSettings>;
  /** Settings of `igluc lint` (flags override them); `generate` ignores them. */
  lint?: {
    preset?: "default" | "iglu-central";
    skipChecks?: readonly string[];
    skipSchemas?: readonly string[];
    strict?: boolean;
  };
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
  readonly emit: Emit;
  readonly check: boolean;
  readonly concurrency: number;
  readonly onProgress: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /** What the output depends on besides the schemas (part of the inputs hash). */
  readonly fingerprint: string;
  /** Set when schemas come from repositories. */
  readonly remote?: {
    readonly repositories: readonly Repository[];
    readonly lockfile: string;
    readonly cacheDir: string;
    readonly update: boolean;
    readonly offline: boolean;
    readonly http: HttpSettings;
  };
}

const KNOWN = new Set(["$schema", "schemas", "out", "versions", "pin", "include", "exclude", "singleFile", "runtimeImport", "emit", "registries", "resolver", "lockfile", "cacheDir", "http", "lint"]);

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
      ...(options.resolver !== undefined ? { resolver: path.resolve(base, asString("resolver", options.resolver)) } : {}),
      ...(options.cacheDir !== undefined ? { cacheDir: path.resolve(base, asString("cacheDir", options.cacheDir)) } : {}),
      // The lockfile lives beside the config, wherever igluc is run from.
      lockfile: path.resolve(base, options.lockfile !== undefined ? asString("lockfile", options.lockfile) : LOCKFILE),
      ...(options.registries !== undefined ? { registries: asList("registries", options.registries).map((r) => withAbsolutePath(r, base)) } : {}),
    },
  };
}

export function resolveOptions(options: GenerateOptions, generatorVersion: string): GeneratorContext {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const schemas = options.schemas ?? [];
  const remote = resolveRemote(options, cwd);
  if (schemas.length === 0 && remote === undefined) {
    throw new OptionsError("no schemas to read: pass --schemas DIR (a static registry) or --resolver FILE, or set \"schemas\" or \"registries\" in igluc.config.json");
  }
  const versions = options.versions ?? "latest";
  if (versions !== "latest" && versions !== "all") throw new OptionsError(`versions must be "latest" or "all", not ${JSON.stringify(versions)}`);
  const pin = new Map<string, readonly string[]>();
  for (const [family, value] of Object.entries(options.pin ?? {})) {
    const [vendor = "", name, ...rest] = family.split("/");
    if (!isVendor(vendor) || name === undefined || !isName(name) || rest.length > 0) throw new OptionsError(`pin: "${family}" is not vendor/name`);
    const list = typeof value === "string" ? [value] : [...value];
    for (const v of list) if (parseSchemaVer(v) === undefined) throw new OptionsError(`pin: "${v}" for ${family} is not a SchemaVer`);
    pin.set(family, list);
  }
  const runtimeImport = options.runtimeImport ?? "igluc/runtime";
  if (!/^[@a-zA-Z0-9._/-]+$/.test(runtimeImport)) throw new OptionsError(`runtimeImport "${runtimeImport}" is not a module specifier`);
  const emit = options.emit ?? "ts";
  if (emit !== "ts" && emit !== "js") throw new OptionsError(`emit must be "ts" or "js", not ${JSON.stringify(emit)}`);
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
    emit,
    check: options.check ?? false,
    concurrency,
    onProgress: options.onProgress ?? (() => undefined),
  };
  const fingerprint = JSON.stringify([generatorVersion, versions, [...pin].sort(), options.include ?? [], options.exclude ?? [], context.singleFile, runtimeImport, emit]);
  return { ...context, fingerprint, ...(remote !== undefined ? { remote } : {}), ...(options.signal !== undefined ? { signal: options.signal } : {}) };
}

function resolveRemote(options: GenerateOptions, cwd: string): GeneratorContext["remote"] {
  if (options.registries === undefined && options.resolver === undefined) return undefined;
  const flag = options.apikey ?? process.env.IGLU_API_KEY;
  const keys = { ...(flag !== undefined && flag !== "" ? { flag } : {}), env: process.env, offline: options.offline === true };
  const repositories = [
    ...parseRegistries(options.registries ?? [], cwd, keys, "registries"),
    ...(options.resolver !== undefined ? readResolverConfig(path.resolve(cwd, options.resolver), keys) : []),
  ];
  const names = new Set<string>();
  for (const r of repositories) {
    if (names.has(r.name)) throw new OptionsError(`two repositories are named "${r.name}" (in registries and the resolver configuration); names must be unique`);
    names.add(r.name);
  }
  if (repositories.length === 0) throw new OptionsError("no repositories: \"registries\" is empty and the resolver configuration lists none");
  const lockfile = path.resolve(cwd, options.lockfile ?? LOCKFILE);
  const http = { ...DEFAULT_HTTP, ...options.http };
  for (const [k, v] of Object.entries(http)) if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new OptionsError(`http.${k} must be a non-negative number`);
  if (http.concurrency < 1) throw new OptionsError("http.concurrency must be at least 1");
  return {
    repositories, lockfile,
    cacheDir: path.resolve(cwd, options.cacheDir ?? path.join(path.dirname(lockfile), ".igluc")),
    update: options.update ?? false,
    offline: options.offline ?? false,
    http,
  };
}

function withAbsolutePath(raw: unknown, base: string): RegistryConfig {
  const r = raw as RegistryConfig;
  return r !== null && typeof r === "object" && typeof r.path === "string" ? { ...r, path: path.resolve(base, r.path) } : r;
}

function asList(key: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new OptionsError(`"${key}" must be a list`);
  return value;
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

