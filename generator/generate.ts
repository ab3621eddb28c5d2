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
import { resolveOptions, type GenerateOptions, type GeneratorContext } from "./options/resolve.js";
import { createJobPool, type JobPool } from "./emit/type-pool.js";
import { createOutputWriter, hash, readManifest, type Manifest, type ManifestModule, type OutputFile } from "./write/output.js";
import type { ModuleInput } from "./emit/module.js";
import { formsOf, type Emit } from "./emit/forms.js";
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
  /** With `check`: output files that differ from what would be generated (empty when current). */
  readonly stale: readonly string[];
  /** The output folder. */
  readonly out: string;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const ctx = resolveOptions(options, GENERATOR_VERSION);
  const elapsed = (): number => Math.round(performance.now() - started);
  let dirs = ctx.schemas;
  const remoteDiagnostics: Diagnostic[] = [];
  if (ctx.remote !== undefined) {
    // Schemas from repositories are fetched (or taken from the cache) into a folder read like any registry.
    const synced = await syncSchemas({ ...ctx.remote, check: ctx.check, ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}) });
    remoteDiagnostics.push(...synced.diagnostics);
    if (synced.dirs.length === 0) {
      return { diagnostics: sortDiagnostics(remoteDiagnostics), upToDate: false, stale: [], out: ctx.out, stats: { read: 0, generated: 0, skipped: 0, failed: 0, written: 0, removed: 0, ms: elapsed() } };
    }
    dirs = [...synced.dirs, ...ctx.schemas];
  }
  const registry = findSchemas(dirs, ctx.cwd);
  const reads = registry.files.map(readSchemaFile);
  const found = { ...registry, diagnostics: [...remoteDiagnostics, ...registry.diagnostics] };
  // A file that cannot be read fails as its schema would: reported, and the rest goes on.
  const texts = reads.map((r) => ("text" in r ? r.text : r.diagnostic));
  const inputs = hash(JSON.stringify([ctx.fingerprint, found.files.map((f, i) => [f.key, typeof texts[i] === "string" ? hash(texts[i]) : null])]));
  const previous = readManifest(ctx.out);

  if (previous?.counts !== undefined && previous.inputs === inputs && previous.generator === GENERATOR_VERSION && outputIntact(ctx.out, previous)) {
    const diagnostics = sortDiagnostics([...found.diagnostics, ...(previous.diagnostics as Diagnostic[])]);
    return {
      diagnostics, upToDate: true, stale: [], out: ctx.out,
      stats: { read: found.files.length, ...previous.counts, written: 0, removed: 0, ms: elapsed() },
    };
  }

  // Run-level problems (a registry that is not there) write nothing: the previous output stays as it was.
  if (found.diagnostics.some((d) => d.level === "error")) {
    return { diagnostics: sortDiagnostics(found.diagnostics), upToDate: false, stale: [], out: ctx.out, stats: { read: found.files.length, generated: 0, skipped: 0, failed: 0, written: 0, removed: 0, ms: elapsed() } };
  }

  return run(ctx, found, texts, inputs, previous, elapsed);
}

/** Fewer selected schemas than this are processed in this thread: starting workers would cost more. */
const MIN_SCHEMAS_FOR_WORKERS = 40;

async function run(
  ctx: GeneratorContext, found: ReturnType<typeof findSchemas>, texts: readonly (string | Diagnostic)[], inputs: string,
  previous: Manifest | undefined, elapsed: () => number,
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
    return await emitAndWrite(ctx, { found, candidates, selected, naming, diagnostics, inputs, previous, pool, elapsed });
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
  readonly inputs: string;
  readonly previous: Manifest | undefined;
  readonly pool: JobPool;
  readonly elapsed: () => number;
}

async function emitAndWrite(ctx: GeneratorContext, state: RunState): Promise<GenerateResult> {
  const { found, candidates, selected, naming, diagnostics, inputs, previous, pool, elapsed } = state;
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
  // print and stage each module as its type arrives.
  const { indexModule, schemaModule } = await import("./emit/module.js");
  const { targetNamed } = await import("./emit/targets/index.js");
  const settings = { runtimeImport: ctx.runtimeImport, target: targetNamed("igluc"), generatorVersion: GENERATOR_VERSION };
  const forms = formsOf(ctx.emit);
  const writer = createOutputWriter(ctx.out, previous, ctx.signal);
  const modules = new Map<string, { input: ModuleInput; entry: ManifestModule }>();
  const fileHashes: Record<string, string> = {};
  const add = (file: OutputFile): void => {
    fileHashes[file.name] = writer.add(file);
  };
  try {
    pool.onResult((result) => {
      collect(result.diagnostics);
      if (result.text === undefined) return;
      const names = naming.names.get(result.uri)!;
      const input = { uri: result.uri, names, typeText: result.text };
      modules.set(result.uri, { input, entry: manifestEntry(names, ctx.emit) });
      if (ctx.singleFile) return;
      for (const { suffix, form } of forms) add({ name: `${names.file}${suffix}`, content: schemaModule(input, settings, form) });
    });
    await pool.results();
    ctx.onProgress(submitted, submitted);
    const generated = modules.size;

    // A selected schema that failed keeps its earlier module, still exported, so code using it still compiles.
    const failedUris = selected.map((c) => c.uri).filter((uri) => !modules.has(uri));
    if (!ctx.singleFile && previous !== undefined) {
      for (const uri of failedUris) {
        const kept = previous.modules[uri];
        // Only a module written in the form this run writes can be kept (the mode may have changed since).
        const suffix = forms[0]!.suffix;
        if (kept === undefined || !kept.file.endsWith(suffix) || fileHashes[kept.file] !== undefined) continue;
        const stem = kept.file.slice(0, -suffix.length);
        const names = forms.map((f) => `${stem}${f.suffix}`);
        let contents: string[];
        try {
          contents = names.map((name) => fs.readFileSync(`${ctx.out}/${name}`, "utf8"));
        } catch {
          continue;
        }
        modules.set(uri, { input: { uri, names: { ...kept, file: stem }, typeText: "" }, entry: kept });
        names.forEach((name, i) => add({ name, content: contents[i]! }));
        diagnostics.push({
          level: "warning", code: "kept-previous", uri, message: `kept the module generated for it earlier (${kept.file})`,
          hint: "fix the errors reported for this schema to regenerate it",
        });
      }
    }
    const ordered = [...modules.keys()].sort();
    const exported = ordered.map((uri) => modules.get(uri)!.input);
    for (const { suffix, form } of forms) add({ name: `index${suffix}`, content: indexModule(exported, settings, ctx.singleFile, form) });

    const sorted = sortDiagnostics(diagnostics);
    const stats = { read: found.files.length, generated, skipped: candidates.length - selected.length, failed: failedUris.length };
    if (ctx.check) {
      const stale = await writer.stale();
      return { diagnostics: sorted, upToDate: stale.length === 0, stale, out: ctx.out, stats: { ...stats, written: 0, removed: 0, ms: elapsed() } };
    }
    const manifest: Manifest = {
      generator: GENERATOR_VERSION, inputs,
      files: Object.fromEntries(Object.entries(fileHashes).sort(([a], [b]) => (a < b ? -1 : 1))),
      modules: Object.fromEntries(ordered.map((uri) => [uri, modules.get(uri)!.entry])),
      diagnostics: sorted,
      counts: { generated: stats.generated, skipped: stats.skipped, failed: stats.failed },
    };
    const report = await writer.commit(manifest);
    for (const b of report.blocked) {
      sorted.push({
        level: "error", code: "output-blocked", file: path.relative(ctx.cwd, path.join(ctx.out, b.relative)) || b.relative,
        message: `cannot be written (${b.code}): something that is not a file is in its place`, hint: "remove or move what is there, then generate again",
      });
    }
    for (const name of report.keptEdited) {
      sorted.push({
        level: "warning", code: "edited-output", file: name, message: "igluc generated this file earlier and no longer would, but it was edited since; left in place",
        hint: "delete it if it is no longer needed",
      });
    }
    return {
      diagnostics: sorted, upToDate: report.written.length === 0 && report.removed.length === 0, stale: [], out: ctx.out,
      stats: { ...stats, written: report.written.length, removed: report.removed.length, ms: elapsed() },
    };
  } catch (error) {
    await writer.abort();
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
