/**
 * `generate()`: load → validate → normalize → emit → write.
 *
 * One bad schema never stops the others: its problems are reported (with
 * file, Iglu URI, JSON pointer and a hint) and the rest is generated. A
 * schema that fails keeps the module an earlier run generated for it, so
 * code using it still compiles. When nothing the output depends on changed,
 * nothing is done at all.
 */
import fs from "node:fs";
import path from "node:path";
import { sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { findSchemas, readSchemaFile } from "./load/registry.js";
import { syncSchemas } from "./remote/sync.js";
import { igluUri, parseSchemaVer } from "@igluc/runtime/iglu";
import type { Candidate } from "./model.js";
import { nameSchemas, type Names } from "./normalize/names.js";
import { selectSchemas } from "./normalize/select.js";
import { resolveOptions, type GenerateOptions, type GeneratorContext, type OutputContext } from "./options/resolve.js";
import { createJobPool, type JobPool } from "./emit/type-pool.js";
import { createOutputWriter, hash, readManifest, type Manifest, type ManifestModule, type OutputFile } from "./write/output.js";
import type { ModuleInput } from "./emit/module.js";
import { formsOf, type Emit } from "./emit/forms.js";
import type { TargetName } from "./emit/targets/index.js";
import { GENERATOR_VERSION } from "./version.js";

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
  const nothing = { read: 0, generated: 0, skipped: 0, failed: 0, written: 0, removed: 0 };
  const untouched = (diagnostics: readonly Diagnostic[], read: number): GenerateResult => ({
    diagnostics: sortDiagnostics(diagnostics), upToDate: false, stale: [], out: ctx.outputs[0]!.out, stats: { ...nothing, read, ms: elapsed() },
    outputs: ctx.outputs.map((o) => ({ out: o.out, target: o.target, emit: o.emit, upToDate: false, stale: [], written: 0, removed: 0 })),
  });
  let dirs = ctx.schemas;
  const remoteDiagnostics: Diagnostic[] = [];
  if (ctx.remote !== undefined) {
    // Schemas from repositories are fetched (or taken from the cache) into a folder read like any registry.
    const synced = await syncSchemas({ ...ctx.remote, check: ctx.check, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) });
    remoteDiagnostics.push(...synced.diagnostics);
    if (synced.dirs.length === 0) return untouched(remoteDiagnostics, 0);
    dirs = [...synced.dirs, ...ctx.schemas];
  }
  const registry = findSchemas(dirs, ctx.cwd);
  const reads = registry.files.map(readSchemaFile);
  const found = { ...registry, diagnostics: [...remoteDiagnostics, ...registry.diagnostics] };
  // A file that cannot be read fails as its schema would: reported, and the rest goes on.
  const texts = reads.map((r) => ("text" in r ? r.text : r.diagnostic));
  const files = found.files.map((f, i) => [f.key, typeof texts[i] === "string" ? hash(texts[i]) : null]);
  const outputs = ctx.outputs.map((output) => ({
    ...output, inputs: hash(JSON.stringify([output.fingerprint, files])), previous: readManifest(output.out),
  }));

  const current = (o: (typeof outputs)[number]): boolean =>
    o.previous?.counts !== undefined && o.previous.inputs === o.inputs && o.previous.generator === GENERATOR_VERSION && outputIntact(o.out, o.previous);
  if (outputs.every(current)) {
    const seen = new Set<string>();
    const replayed = outputs.flatMap((o) => o.previous!.diagnostics as Diagnostic[]).filter((d) => !seen.has(JSON.stringify(d)) && seen.add(JSON.stringify(d)) !== undefined);
    return {
      diagnostics: sortDiagnostics([...found.diagnostics, ...replayed]), upToDate: true, stale: [], out: ctx.outputs[0]!.out,
      stats: { read: found.files.length, ...outputs[0]!.previous!.counts!, written: 0, removed: 0, ms: elapsed() },
      outputs: outputs.map((o) => ({ out: o.out, target: o.target, emit: o.emit, upToDate: true, stale: [], written: 0, removed: 0 })),
    };
  }

  // Run-level problems (a registry that is not there) write nothing: the previous output stays as it was.
  if (found.diagnostics.some((d) => d.level === "error")) return untouched(found.diagnostics, found.files.length);

  return run(ctx, found, texts, outputs, elapsed);
}

/** An output with what its run compares against: the hash of its inputs and the manifest on disk. */
interface PlannedOutput extends OutputContext {
  readonly inputs: string;
  readonly previous: Manifest | undefined;
}

/** Fewer selected schemas than this are processed in this thread: starting workers would cost more. */
const MIN_SCHEMAS_FOR_WORKERS = 40;

async function run(
  ctx: GeneratorContext, found: ReturnType<typeof findSchemas>, texts: readonly (string | Diagnostic)[], outputs: readonly PlannedOutput[], elapsed: () => number,
): Promise<GenerateResult> {
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  // Select and name from the files' locations, so one broken schema never renames the others.
  const candidates: Candidate[] = [];
  const textOf = new Map<string, string | Diagnostic>();
  found.files.forEach((file, i) => {
    const ver = parseSchemaVer(file.key.version);
    if (ver !== undefined) {
      candidates.push({ file, key: file.key, ver, uri: igluUri(file.key) });
      textOf.set(igluUri(file.key), texts[i]!);
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

  // Checks, references and types happen per schema in the workers (or here, for small runs).
  const registry = {
    files: candidates.map((c) => {
      const text = textOf.get(c.uri)!;
      return typeof text === "string" ? { uri: c.uri, file: c.file, text } : { uri: c.uri, file: c.file, unreadable: text };
    }),
  };
  diagnostics.push(...texts.filter((t): t is Diagnostic => typeof t !== "string"));
  const pool = createJobPool(selected.length >= MIN_SCHEMAS_FOR_WORKERS ? ctx.concurrency : 0, registry);
  try {
    return await emitAndWrite(ctx, { found, candidates, selected, naming, diagnostics, outputs, pool, elapsed });
  } finally {
    await pool.close();
  }
}

interface RunState {
  readonly found: ReturnType<typeof findSchemas>;
  readonly candidates: readonly Candidate[];
  readonly selected: readonly Candidate[];
  readonly naming: ReturnType<typeof nameSchemas>;
  readonly diagnostics: Diagnostic[];
  readonly outputs: readonly PlannedOutput[];
  readonly pool: JobPool;
  readonly elapsed: () => number;
}

async function emitAndWrite(ctx: GeneratorContext, state: RunState): Promise<GenerateResult> {
  const { found, candidates, selected, naming, diagnostics, outputs, pool, elapsed } = state;
  let submitted = 0;
  for (const candidate of selected) {
    const names = naming.names.get(candidate.uri);
    if (names === undefined) continue;
    pool.submit({ uri: candidate.uri, typeName: names.type });
    submitted++;
  }
  const id = (d: Diagnostic): string => `${d.code}|${d.file ?? ""}|${d.line ?? ""}:${d.column ?? ""}|${d.uri ?? ""}|${d.pointer ?? ""}|${d.message}`;
  const seen = new Set<string>(diagnostics.map(id));
  const collect = (list: readonly Diagnostic[]): void => {
    for (const d of list) {
      if (!seen.has(id(d))) {
        seen.add(id(d));
        diagnostics.push(d);
      }
    }
  };
  ctx.onProgress(0, submitted);
  // Load the emitter (TypeScript is large) while the workers compile types, then
  // print and stage each module, in every output, as its type arrives.
  const { indexModule, schemaModule } = await import("./emit/module.js");
  const { targetNamed } = await import("./emit/targets/index.js");
  const several = outputs.length > 1;
  const shown = (out: string, name: string): string => path.relative(ctx.cwd, path.join(out, name)) || name;
  const folders = outputs.map((output) => ({
    output,
    settings: { runtimeImport: output.runtimeImport, target: targetNamed(output.target), generatorVersion: GENERATOR_VERSION },
    forms: formsOf(output.emit),
    writer: createOutputWriter(output.out, output.previous, ctx.signal),
    modules: new Map<string, { input: ModuleInput; entry: ManifestModule }>(),
    fileHashes: {} as Record<string, string>,
    diagnostics: [] as Diagnostic[],
  }));
  type Folder = (typeof folders)[number];
  const add = (folder: Folder, file: OutputFile): void => {
    folder.fileHashes[file.name] = folder.writer.add(file);
  };
  try {
    // Each schema's type is compiled once, whatever the number of outputs.
    pool.onResult((result) => {
      collect(result.diagnostics);
      if (result.text === undefined) return;
      const names = naming.names.get(result.uri)!;
      const input = { uri: result.uri, names, typeText: result.text };
      for (const folder of folders) {
        folder.modules.set(result.uri, { input, entry: manifestEntry(names, folder.output.emit) });
        if (folder.output.singleFile) continue;
        for (const { suffix, form } of folder.forms) add(folder, { name: `${names.file}${suffix}`, content: schemaModule(input, folder.settings, form) });
      }
    });
    await pool.results();
    ctx.onProgress(submitted, submitted);
    const generated = folders[0]!.modules.size;
    const failedUris = selected.map((c) => c.uri).filter((uri) => !folders[0]!.modules.has(uri));

    for (const folder of folders) {
      const { output, forms, modules, fileHashes } = folder;
      // A selected schema that failed keeps its earlier module, still exported, so code using it still compiles.
      if (!output.singleFile && output.previous !== undefined) {
        for (const uri of failedUris) {
          const kept = output.previous.modules[uri];
          // Only a module written in the form this run writes can be kept (the mode may have changed since).
          const suffix = forms[0]!.suffix;
          if (kept === undefined || !kept.file.endsWith(suffix) || fileHashes[kept.file] !== undefined) continue;
          const stem = kept.file.slice(0, -suffix.length);
          const names = forms.map((f) => `${stem}${f.suffix}`);
          let contents: string[];
          try {
            contents = names.map((name) => fs.readFileSync(`${output.out}/${name}`, "utf8"));
          } catch {
            continue;
          }
          modules.set(uri, { input: { uri, names: { ...kept, file: stem }, typeText: "" }, entry: kept });
          names.forEach((name, i) => add(folder, { name, content: contents[i]! }));
          folder.diagnostics.push({
            level: "warning", code: "kept-previous", uri, message: `kept the module generated for it earlier (${several ? shown(output.out, kept.file) : kept.file})`,
            hint: "fix the errors reported for this schema to regenerate it",
          });
        }
      }
      const ordered = [...modules.keys()].sort();
      const exported = ordered.map((uri) => modules.get(uri)!.input);
      for (const { suffix, form } of forms) add(folder, { name: `index${suffix}`, content: indexModule(exported, folder.settings, output.singleFile, form) });
    }

    const stats = { read: found.files.length, generated, skipped: candidates.length - selected.length, failed: failedUris.length };
    const all = sortDiagnostics([...diagnostics, ...folders.flatMap((f) => f.diagnostics)]);
    if (ctx.check) {
      const results = await Promise.all(folders.map(async ({ output, writer }): Promise<OutputResult> => {
        const stale = await writer.stale();
        return { out: output.out, target: output.target, emit: output.emit, upToDate: stale.length === 0, stale, written: 0, removed: 0 };
      }));
      const stale = results.flatMap((r) => (several ? r.stale.map((name) => shown(r.out, name)) : r.stale));
      return { diagnostics: all, upToDate: stale.length === 0, stale, out: outputs[0]!.out, stats: { ...stats, written: 0, removed: 0, ms: elapsed() }, outputs: results };
    }
    const results: OutputResult[] = [];
    for (const folder of folders) {
      const { output, writer, modules, fileHashes } = folder;
      const ordered = [...modules.keys()].sort();
      const manifest: Manifest = {
        generator: GENERATOR_VERSION, inputs: output.inputs,
        files: Object.fromEntries(Object.entries(fileHashes).sort(([a], [b]) => (a < b ? -1 : 1))),
        modules: Object.fromEntries(ordered.map((uri) => [uri, modules.get(uri)!.entry])),
        diagnostics: sortDiagnostics([...diagnostics, ...folder.diagnostics]),
        counts: { generated: stats.generated, skipped: stats.skipped, failed: stats.failed },
      };
      const report = await writer.commit(manifest);
      for (const b of report.blocked) {
        all.push({
          level: "error", code: "output-blocked", file: path.relative(ctx.cwd, path.join(output.out, b.relative)) || b.relative,
          message: `cannot be written (${b.code}): something that is not a file is in its place`, hint: "remove or move what is there, then generate again",
        });
      }
      for (const name of report.keptEdited) {
        all.push({
          level: "warning", code: "edited-output", file: several ? shown(output.out, name) : name, message: "igluc generated this file earlier and no longer would, but it was edited since; left in place",
          hint: "delete it if it is no longer needed",
        });
      }
      results.push({
        out: output.out, target: output.target, emit: output.emit, upToDate: report.written.length === 0 && report.removed.length === 0,
        stale: [], written: report.written.length, removed: report.removed.length,
      });
    }
    const written = results.reduce((n, r) => n + r.written, 0);
    const removed = results.reduce((n, r) => n + r.removed, 0);
    return {
      diagnostics: all, upToDate: results.every((r) => r.upToDate), stale: [], out: outputs[0]!.out,
      stats: { ...stats, written, removed, ms: elapsed() }, outputs: results,
    };
  } catch (error) {
    await Promise.all(folders.map((f) => f.writer.abort()));
    throw error;
  }
}

function manifestEntry(names: Names, emit: Emit): ManifestModule {
  return { file: `${names.file}${formsOf(emit)[0]!.suffix}`, type: names.type, constant: names.constant, create: names.create, track: names.track };
}

/** Every file the manifest lists is on disk with the content igluc wrote. */
function outputIntact(out: string, manifest: Manifest): boolean {
  return Object.entries(manifest.files).every(([name, expected]) => {
    try {
      return hash(fs.readFileSync(`${out}/${name}`)) === expected;
    } catch {
      return false;
    }
  });
}
