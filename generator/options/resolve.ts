/**
 * Options resolved once: the public, all-optional GenerateOptions (settings.ts
 * declares them; igluc.config.json holds the same) checked against their
 * JSON Schema and turned into a fully-defaulted GeneratorContext that every
 * stage receives.
 */
import os from "node:os";
import path from "node:path";
import type { Emit } from "../emit/forms.js";
import type { TargetName } from "../emit/targets/index.js";
import { OptionsError } from "../errors.js";
import { DEFAULT_HTTP, type HttpSettings } from "../remote/http.js";
import { LOCKFILE } from "../remote/lockfile.js";
import { parseRegistries, readResolverConfig, type Repository } from "../remote/repositories.js";
import { schemaOf, type ValuesOf } from "./declare.js";
import { GENERATE } from "./settings.js";
import { OPTIONS_SCHEMAS, firstProblem } from "./validate.js";

/** Settings of `igluc generate`, in igluc.config.json or passed to `generate()` (settings.ts says what each means). Paths are relative to the config file (or `cwd`). */
export type GenerateOptions = ValuesOf<typeof GENERATE> & {
  /** Base for relative paths. @defaultValue process.cwd() */
  cwd?: string;
  /** Called as schemas are processed, for progress display. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting it (the CLI does on SIGINT/SIGTERM) removes what was staged; the output stays as it was. */
  signal?: AbortSignal;
};

const API_SCHEMA = OPTIONS_SCHEMAS["options-api"];

/** One output folder and how its code is generated (`out` and the top-level settings, or one entry of `outputs`). */
export interface OutputContext {
  readonly out: string;
  readonly target: TargetName;
  readonly emit: Emit;
  readonly singleFile: boolean;
  readonly runtimeImport: string;
  /** Where validators import their helpers from, when validators are written (--validators). */
  readonly validators?: { readonly validationImport: string };
  /** What the output depends on besides the schemas (part of its inputs hash). */
  readonly fingerprint: string;
}

export interface GeneratorContext {
  readonly cwd: string;
  readonly schemas: readonly string[];
  /** Every output, generated from the same schemas, read and compiled once; at least one. */
  readonly outputs: readonly OutputContext[];
  readonly versions: "latest" | "all";
  readonly pin: ReadonlyMap<string, readonly string[]>;
  readonly include: readonly RegExp[];
  readonly exclude: readonly RegExp[];
  readonly check: boolean;
  readonly concurrency: number;
  readonly onProgress: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /** The tracking plan file (absolute), when there is one. */
  readonly plan?: string;
  /** With a plan: each specification's function attaches the event_specification entity. */
  readonly eventSpecificationEntity: boolean;
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

export function resolveOptions(options: GenerateOptions, generatorVersion: string): GeneratorContext {
  const { cwd: _cwd, onProgress: _onProgress, signal: _signal, ...settings } = options;
  const problem = firstProblem(API_SCHEMA, settings);
  if (problem !== undefined) {
    // A problem with one option, named first: the CLI says it by its flag.
    const key = /^\/([^/]+)$/.exec(problem.pointer)?.[1];
    const about = key !== undefined && problem.message.startsWith(key) && /^[: ]/.test(problem.message.slice(key.length));
    throw new OptionsError(problem.message, about ? { key, rest: problem.message.slice(key.length) } : undefined);
  }
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const schemas = options.schemas ?? [];
  const remote = resolveRemote(options, cwd);
  if (schemas.length === 0 && remote === undefined) {
    throw new OptionsError("no schemas to read: pass --schemas DIR (a static registry) or --resolver FILE, or set \"schemas\" or \"registries\" in igluc.config.json");
  }
  const versions = options.versions ?? "latest";
  const pin = new Map<string, readonly string[]>();
  for (const [family, value] of Object.entries(options.pin ?? {})) pin.set(family, typeof value === "string" ? [value] : [...value]);
  const concurrency = options.concurrency ?? (os.availableParallelism?.() ?? os.cpus().length);
  const selection = [generatorVersion, versions, [...pin].sort(), options.include ?? [], options.exclude ?? []];
  const context = {
    cwd,
    schemas: schemas.map((s) => path.resolve(cwd, s)),
    outputs: resolveOutputs(options, cwd, selection),
    versions,
    pin,
    include: (options.include ?? []).map(pattern),
    exclude: (options.exclude ?? []).map(pattern),
    check: options.check ?? false,
    concurrency,
    onProgress: options.onProgress ?? (() => undefined),
    eventSpecificationEntity: options.eventSpecificationEntity ?? false,
  };
  return { ...context, ...(options.plan !== undefined ? { plan: path.resolve(cwd, options.plan) } : {}), ...(remote !== undefined ? { remote } : {}), ...(options.signal !== undefined ? { signal: options.signal } : {}) };
}

/** `out` and the top-level settings as one output, or each entry of `outputs` with those settings as its defaults. */
function resolveOutputs(options: GenerateOptions, cwd: string, selection: readonly unknown[]): OutputContext[] {
  if (options.outputs !== undefined && options.out !== undefined) {
    throw new OptionsError("\"out\" and \"outputs\" are both set: list every output folder in \"outputs\" (or give --out alone for one output)");
  }
  const entries = options.outputs ?? [{ out: options.out ?? "src/tracking" }];
  const outputs = entries.map((entry): OutputContext => {
    const output = {
      out: path.resolve(cwd, entry.out),
      target: entry.target ?? options.target ?? "igluc",
      emit: entry.emit ?? options.emit ?? "ts",
      singleFile: entry.singleFile ?? options.singleFile ?? false,
      runtimeImport: entry.runtimeImport ?? options.runtimeImport ?? "@igluc/runtime",
    };
    const validators = options.validators === true ? { validationImport: options.validationImport ?? "@igluc/runtime/validation" } : undefined;
    const fingerprint = [...selection, output.singleFile, output.runtimeImport, output.emit, output.target, ...(validators !== undefined ? [validators.validationImport] : [])];
    return { ...output, ...(validators !== undefined ? { validators } : {}), fingerprint: JSON.stringify(fingerprint) };
  });
  // Each output folder is igluc's alone: its manifest lists every file in it that igluc wrote.
  for (const [i, a] of outputs.entries()) {
    for (const b of outputs.slice(i + 1)) {
      const inside = (parent: string, child: string): boolean => child === parent || child.startsWith(parent + path.sep);
      if (inside(a.out, b.out) || inside(b.out, a.out)) {
        throw new OptionsError(`outputs: ${path.relative(cwd, a.out) || "."} and ${path.relative(cwd, b.out) || "."} ${a.out === b.out ? "are the same folder" : "are nested"}; give each output a folder of its own`);
      }
    }
  }
  return outputs;
}

/** The repositories of `registries` and `resolver`, with the lockfile, cache and HTTP settings (generate's and micro's); undefined when there are none. */
export function resolveRemote(options: Pick<GenerateOptions, "registries" | "resolver" | "apikey" | "offline" | "lockfile" | "cacheDir" | "update" | "http">, cwd: string): GeneratorContext["remote"] {
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
  const http: HttpSettings = { ...DEFAULT_HTTP, ...options.http };
  return {
    repositories, lockfile,
    cacheDir: path.resolve(cwd, options.cacheDir ?? path.join(path.dirname(lockfile), ".igluc")),
    update: options.update ?? false,
    offline: options.offline ?? false,
    http,
  };
}

/** `vendor/name` glob (`*` = any run of characters) → anchored RegExp. */
function pattern(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`);
}
