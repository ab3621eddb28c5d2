/**
 * `generate()`: load → validate → normalize → emit → write.
 *
 * One bad schema never stops the others: its problems are reported (with
 * file, Iglu URI, JSON pointer and a hint) and the rest is generated. A
 * schema that fails keeps the module an earlier run generated for it, so
 * code using it still compiles. When nothing the output depends on changed,
 * nothing is done at all; when a few schemas changed, only they are compiled
 * again (emit/reuse.ts).
 */
import fs from "node:fs";
import { sortDiagnostics, uniqueDiagnostics, type Diagnostic } from "./diagnostics.js";
import { findSchemas, readSchemaFile } from "./load/registry.js";
import { igluUri, parseSchemaVer } from "@igluc/runtime/iglu";
import type { Candidate } from "./model.js";
import type { nameSchemas } from "./normalize/names.js";
import type { SchemaJob } from "./emit/schema-job.js";
import type { StartedWorkers } from "./emit/type-pool.js";
import { resolveOptions, type GenerateOptions } from "./options/resolve.js";
import { hash, readManifest, type Manifest } from "./write/output.js";
import type { Emit } from "./emit/forms.js";
import type { TargetName } from "./emit/targets/index.js";
import { GENERATOR_VERSION } from "./version.js";
// Type-only: the plan module (with yaml and re2js, 50 ms to load) and the remote one are imported when a run has a plan or repositories.
import type { PlanDocument, PlanResolution } from "./plan/index.js";
import { readRegularFile } from "./load/bounded-read.js";
import { MAX_OUTPUT_FILE_BYTES } from "./limits.js";

export interface GenerateResult {
  /** Every problem found, sorted; errors make the run fail. */
  readonly diagnostics: readonly Diagnostic[];
  readonly stats: {
    /** Schema files read (JSON Schema only). */
    readonly read: number;
    /** Modules generated in this run. */
    readonly generated: number;
    /** Versions not selected (older revisions, excluded). */
    readonly skipped: number;
    /** Selected schemas that could not be generated. */
    readonly failed: number;
    /** Schemas whose types were compiled in this run (the others' modules were reused, their inputs unchanged). */
    readonly compiled: number;
    readonly written: number;
    readonly removed: number;
    readonly ms: number;
  };
  /** True when the inputs were unchanged since the last run and no file needed writing. */
  readonly upToDate: boolean;
  /**
   * With `check`: output files that differ from what would be generated (empty when current),
   * named inside their folder, or by their path from `cwd` when there are several outputs.
   */
  readonly stale: readonly string[];
  /** The output folder (the first, with several outputs). */
  readonly out: string;
  /** Each output, in the order given. */
  readonly outputs: readonly OutputResult[];
}

/** What a run did in one output folder. */
export interface OutputResult {
  readonly out: string;
  readonly target: TargetName;
  readonly emit: Emit;
  /** Nothing in this folder needed writing. */
  readonly upToDate: boolean;
  /** With `check`: this folder's files that differ from what would be generated. */
  readonly stale: readonly string[];
  readonly written: number;
  readonly removed: number;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const ctx = resolveOptions(options, GENERATOR_VERSION);
  const elapsed = (): number => Math.round(performance.now() - started);
  const nothing = { read: 0, generated: 0, skipped: 0, failed: 0, compiled: 0, written: 0, removed: 0 };
  const untouched = (diagnostics: readonly Diagnostic[], read: number): GenerateResult => ({
    diagnostics: sortDiagnostics(diagnostics), upToDate: false, stale: [], out: ctx.outputs[0]!.out, stats: { ...nothing, read, ms: elapsed() },
    outputs: ctx.outputs.map((o) => ({ out: o.out, target: o.target, emit: o.emit, upToDate: false, stale: [], written: 0, removed: 0 })),
  });
  let dirs = ctx.schemas;
  const remoteDiagnostics: Diagnostic[] = [];
  if (ctx.remote !== undefined) {
    // Schemas from repositories are fetched (or taken from the cache) into a folder read like any registry.
    const { syncSchemas } = await import("./remote/sync.js");
    const synced = await syncSchemas({ ...ctx.remote, check: ctx.check, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) });
    remoteDiagnostics.push(...synced.diagnostics);
    if (synced.dirs.length === 0) return untouched(remoteDiagnostics, 0);
    dirs = [...synced.dirs, ...ctx.schemas];
  }
  const registry = findSchemas(dirs, ctx.cwd);
  const previous = ctx.outputs.map((output) => readManifest(output.out));
  // A cold run (no output from this generator version to reuse) of a big registry will compile in worker
  // threads: they start now, and load json-schema-to-typescript while this thread reads and names the schemas.
  const coldRun = registry.files.length >= MIN_SCHEMAS_FOR_WORKERS && previous.every((p) => p?.generator !== GENERATOR_VERSION);
  const early = coldRun ? (await import("./emit/type-pool.js")).startWorkers(ctx.concurrency) : undefined;
  try {
    return await generateFrom(ctx, { registry, previous, remoteDiagnostics, ...(early !== undefined ? { early } : {}) }, elapsed, untouched);
  } finally {
    // Those the job pool took are closed already; these are the ones it did not take (the run stopped early, or had little to compile).
    await early?.close();
  }
}

/** The run, once the registry is listed. */
async function generateFrom(
  ctx: ReturnType<typeof resolveOptions>,
  run: { registry: ReturnType<typeof findSchemas>; previous: readonly (Manifest | undefined)[]; remoteDiagnostics: readonly Diagnostic[]; early?: StartedWorkers },
  elapsed: () => number,
  untouched: (diagnostics: readonly Diagnostic[], read: number) => GenerateResult,
): Promise<GenerateResult> {
  const { registry, remoteDiagnostics } = run;
  const reads = registry.files.map(readSchemaFile);
  const found = { ...registry, diagnostics: [...remoteDiagnostics, ...registry.diagnostics] };
  // A file that cannot be read fails as its schema would: reported, and the rest goes on.
  const texts = reads.map((r) => ("text" in r ? r.text : r.diagnostic));
  const textHashes = texts.map((t) => (typeof t === "string" ? hash(t) : null));
  const files = found.files.map((f, i) => [f.key, textHashes[i]]);
  // The tracking plan is an input too: read here, its content (as read) is part of every output's inputs.
  const planModule = ctx.plan !== undefined ? await import("./plan/index.js") : undefined;
  const planRead = ctx.plan !== undefined ? planModule!.readPlan(ctx.plan, ctx.cwd) : undefined;
  const planKey = planRead === undefined ? [] : [[planRead.document ?? null, planRead.diagnostics, ctx.eventSpecificationEntity]];
  const outputs = ctx.outputs.map((output, i) => ({
    ...output, inputs: hash(JSON.stringify([output.fingerprint, files, ...planKey], keepNumbers)), previous: run.previous[i],
  }));

  const current = (o: (typeof outputs)[number]): boolean =>
    o.previous?.counts !== undefined && o.previous.inputs === o.inputs && o.previous.generator === GENERATOR_VERSION && outputIntact(o.out, o.previous);
  if (outputs.every(current)) {
    // The last runs recorded the registry's own notices too: each is reported once.
    const replayed = outputs.flatMap((o) => o.previous!.diagnostics as Diagnostic[]);
    return {
      diagnostics: sortDiagnostics(uniqueDiagnostics([...found.diagnostics, ...replayed])), upToDate: true, stale: [], out: ctx.outputs[0]!.out,
      stats: { read: found.files.length, ...outputs[0]!.previous!.counts!, compiled: 0, written: 0, removed: 0, ms: elapsed() },
      outputs: outputs.map((o) => ({ out: o.out, target: o.target, emit: o.emit, upToDate: true, stale: [], written: 0, removed: 0 })),
    };
  }

  // Run-level problems (a registry that is not there, a plan that cannot be read) write nothing: the previous output stays as it was.
  const runProblems = [...found.diagnostics, ...(planRead?.diagnostics ?? [])];
  if (runProblems.some((d) => d.level === "error")) return untouched(runProblems, found.files.length);

  // What only a run with something to do needs (naming, the job pool, the emitter: 16 modules) is loaded here, not by a run with nothing changed.
  const [{ nameSchemas }, { selectSchemas }, { supersededNote, supersessions }, { createJobPool }, { emitOutputs }, { planReuse }] = await Promise.all([
    import("./normalize/names.js"), import("./normalize/select.js"), import("./normalize/supersede.js"),
    import("./emit/type-pool.js"), import("./emit/outputs.js"), import("./emit/reuse.js"),
  ]);
  const diagnostics: Diagnostic[] = [...runProblems];
  // Select and name from the files' locations, so one broken schema never renames the others.
  const candidates: Candidate[] = [];
  const textOf = new Map<string, string | Diagnostic>();
  // Each readable text's hash, as hashed for the inputs above: module keys are made of them too.
  const hashOf = new Map<string, string>();
  found.files.forEach((file, i) => {
    const ver = parseSchemaVer(file.key.version);
    if (ver !== undefined) {
      const uri = igluUri(file.key);
      candidates.push({ file, key: file.key, ver, uri });
      textOf.set(uri, texts[i]!);
      if (textHashes[i] !== null) hashOf.set(uri, textHashes[i]!);
    } else {
      diagnostics.push({
        level: "error", code: "schemaver", file: file.display, uri: igluUri(file.key),
        message: `file name "${file.key.version}" is not a SchemaVer (MODEL-REVISION-ADDITION, MODEL >= 1, no leading zeros)`,
        hint: "name the file after the schema's version, e.g. 1-0-0",
      });
    }
  });
  const { selected, diagnostics: selectProblems } = selectSchemas(candidates, ctx);
  diagnostics.push(...selectProblems);
  const naming = nameSchemas(selected);
  diagnostics.push(...naming.diagnostics);
  diagnostics.push(...texts.filter((t): t is Diagnostic => typeof t !== "string"));

  const reserved = reservedPrefixes(naming.names);
  const superseded = supersessions(selected, naming.names, textOf);
  // What each schema's module is compiled from, besides its text: its names, and what supersedes it.
  const jobs = new Map<string, SchemaJob>();
  for (const [uri, named] of naming.names) {
    const by = superseded.get(uri);
    jobs.set(uri, {
      uri, typeName: named.type, reserved: reserved.get(uri)!, ...(by !== undefined ? { deprecated: supersededNote(by) } : {}),
      ...(ctx.outputs.some((o) => o.validators !== undefined) ? { validator: true as const } : {}),
    });
  }
  const plan = planRead?.document === undefined ? undefined : resolveRunPlan(planModule!.resolvePlan, planRead.document, naming.names, textOf, ctx.eventSpecificationEntity);
  diagnostics.push(...(plan?.diagnostics ?? []));
  const planned = outputs.map((output) => planReuse(output, selected, naming.names, jobs, textOf, hashOf));
  // A schema is compiled once for every output that cannot reuse its module.
  const toCompile = selected.filter((c) => naming.names.has(c.uri) && planned.some((o) => !o.reusable.has(c.uri)));
  // Checks, references and types happen per schema in the workers (or here, for small runs).
  const pool = createJobPool(toCompile.length >= MIN_SCHEMAS_FOR_WORKERS ? ctx.concurrency : 0, {
    files: candidates.map((c) => {
      const text = textOf.get(c.uri)!;
      return typeof text === "string" ? { uri: c.uri, file: c.file, text } : { uri: c.uri, file: c.file, unreadable: text };
    }),
  }, toCompile.length >= MIN_SCHEMAS_FOR_WORKERS ? run.early : undefined);
  try {
    for (const c of toCompile) pool.submit(jobs.get(c.uri)!);
    const emitted = await emitOutputs(ctx, {
      outputs: planned, selected, skipped: candidates.length - selected.length, names: naming.names, jobs, diagnostics, pool, compiled: toCompile.length,
      ...(plan !== undefined ? { plan: { resolved: plan.plan, eventSpecificationEntity: ctx.eventSpecificationEntity } } : {}),
    });
    const { generated, failed, compiled, written, removed } = emitted.stats;
    return {
      diagnostics: emitted.diagnostics, upToDate: emitted.upToDate, stale: emitted.stale, out: ctx.outputs[0]!.out, outputs: emitted.outputs,
      stats: { read: found.files.length, generated, skipped: candidates.length - selected.length, failed, compiled, written, removed, ms: elapsed() },
    };
  } finally {
    await pool.close();
  }
}

/** For the inputs' hash: JSON makes NaN and ±Infinity null, and a plan's rule may hold them (an error a null is not). */
function keepNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? { number: String(value) } : value;
}

/** The plan resolved against the named schemas (a schema's JSON is parsed only when a rule on its properties asks for it, once). */
function resolveRunPlan(resolvePlan: typeof import("./plan/index.js").resolvePlan, document: PlanDocument, names: ReturnType<typeof nameSchemas>["names"], textOf: ReadonlyMap<string, string | Diagnostic>, eventSpecificationEntity: boolean): PlanResolution {
  const parsed = new Map<string, Readonly<Record<string, unknown>> | undefined>();
  const parse = (text: string | Diagnostic | undefined): Readonly<Record<string, unknown>> | undefined => {
    if (typeof text !== "string") return undefined;
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
    } catch {
      return undefined;
    }
  };
  // Several specifications share an event (and references repeat): each schema's text is parsed once.
  const json = (uri: string): Readonly<Record<string, unknown>> | undefined => {
    if (!parsed.has(uri)) parsed.set(uri, parse(textOf.get(uri)));
    return parsed.get(uri);
  };
  return resolvePlan(document, { uris: [...names.keys()], json }, { eventSpecificationEntity });
}

/** Fewer schemas to compile than this are compiled in this thread: starting workers would cost more. */
const MIN_SCHEMAS_FOR_WORKERS = 40;

/** For each schema, the other schemas' type names that begin with its own (names its item types must not begin with). */
function reservedPrefixes(names: ReturnType<typeof nameSchemas>["names"]): Map<string, readonly string[]> {
  const types = [...new Set([...names.values()].map((n) => n.type))].sort();
  const at = new Map(types.map((type, i) => [type, i]));
  const reserved = new Map<string, readonly string[]>();
  for (const [uri, { type }] of names) {
    // Sorted, the names beginning with `type` follow it directly.
    const longer: string[] = [];
    for (let i = at.get(type)! + 1; i < types.length && types[i]!.startsWith(type); i++) longer.push(types[i]!);
    reserved.set(uri, longer);
  }
  return reserved;
}

/** Every file the manifest lists is on disk with the content igluc wrote. */
function outputIntact(out: string, manifest: Manifest): boolean {
  return Object.entries(manifest.files).every(([name, expected]) => {
    const content = readRegularFile(`${out}/${name}`, MAX_OUTPUT_FILE_BYTES);
    return content !== undefined && hash(content) === expected;
  });
}
