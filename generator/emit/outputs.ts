/**
 * Every output folder of a run, printed and written: each module is printed
 * for every folder (its target, its form) as its type arrives from the job
 * pool, or taken as the last run wrote it when its inputs did not change;
 * then each folder's index, manifest and files are committed.
 */
import path from "node:path";
import { diagnosticKey, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import type { Candidate } from "../model.js";
import type { GeneratorContext, OutputContext } from "../options/resolve.js";
import { createOutputWriter, hash, type Manifest, type ManifestModule, type OutputFile } from "../write/output.js";
import { GENERATOR_VERSION } from "../version.js";
import { formsOf, VALIDATOR_SUFFIXES, type Emit } from "./forms.js";
import type { ModuleInput } from "./module.js";
import type { SpecificationsInput } from "./specifications.js";
import { intactFiles, type IntactFile } from "./reuse.js";
import type { JobPool } from "./type-pool.js";
import type { SchemaJob } from "./schema-job.js";
import type { OutputResult } from "../generate.js";
import type { ResolvedPlan } from "../plan/model.js";
import { TAKEN_NAMES, type Names } from "../normalize/names.js";
import { readRegularFile } from "../load/bounded-read.js";
import { MAX_OUTPUT_FILE_BYTES } from "../limits.js";

/** An output with what its run compares against and what it can keep. */
export interface PlannedOutput extends OutputContext {
  /** The hash of everything the output is made from. */
  readonly inputs: string;
  /** The manifest on disk, from the last run. */
  readonly previous: Manifest | undefined;
  /** Each selected schema's module key (multi-file output). */
  readonly keys: ReadonlyMap<string, string>;
  /** The modules the last run wrote that stay as they are, by Iglu URI. */
  readonly reusable: ReadonlyMap<string, readonly IntactFile[]>;
}

export interface EmitPlan {
  readonly outputs: readonly PlannedOutput[];
  readonly selected: readonly Candidate[];
  /** Versions not selected. */
  readonly skipped: number;
  readonly names: ReadonlyMap<string, Names>;
  /** What each named schema is compiled from besides its text (its `@deprecated` note among it). */
  readonly jobs: ReadonlyMap<string, SchemaJob>;
  /** The run's problems so far; the jobs' are added. */
  readonly diagnostics: readonly Diagnostic[];
  /** The tracking plan resolved against the selected schemas, when there is one (--plan), and whether to attach the event_specification entity. */
  readonly plan?: { readonly resolved: ResolvedPlan; readonly eventSpecificationEntity: boolean };
  /** The jobs are submitted already: `compiled` of them. */
  readonly pool: JobPool;
  readonly compiled: number;
}

export interface Emitted {
  readonly diagnostics: Diagnostic[];
  readonly upToDate: boolean;
  readonly stale: readonly string[];
  readonly outputs: readonly OutputResult[];
  readonly stats: { readonly generated: number; readonly failed: number; readonly compiled: number; readonly written: number; readonly removed: number };
}

export async function emitOutputs(ctx: GeneratorContext, plan: EmitPlan): Promise<Emitted> {
  const { outputs, selected, names, pool, compiled } = plan;
  const diagnostics = [...plan.diagnostics];
  const seen = new Set<string>(diagnostics.map(diagnosticKey));
  const collect = (list: readonly Diagnostic[]): void => {
    for (const d of list) {
      if (!seen.has(diagnosticKey(d))) {
        seen.add(diagnosticKey(d));
        diagnostics.push(d);
      }
    }
  };
  ctx.onProgress(0, compiled);
  // Load the emitter (TypeScript is large) while the workers compile types, then
  // print and stage each module, in every output, as its type arrives.
  const { indexModule, schemaModule } = await import("./module.js");
  const specifications = plan.plan !== undefined ? await import("./specifications.js") : undefined;
  const { targetNamed } = await import("./targets/index.js");
  const validatorFiles = outputs.some((o) => o.validators !== undefined) ? await import("./validator-module.js") : undefined;
  const { linkValidator } = validatorFiles !== undefined ? await import("./validator.js") : { linkValidator: undefined };
  const several = outputs.length > 1;
  const shown = (out: string, name: string): string => path.relative(ctx.cwd, path.join(out, name)) || name;
  const folders = outputs.map((output) => ({
    output,
    settings: { runtimeImport: output.runtimeImport, target: targetNamed(output.target), generatorVersion: GENERATOR_VERSION },
    forms: formsOf(output.emit),
    writer: createOutputWriter(output.out, output.previous, ctx.signal),
    modules: new Map<string, { input: ModuleInput; entry: ManifestModule }>(),
    /** Schemas with a validator written (--validators), by Iglu URI → module file stem. */
    validated: new Map<string, string>(),
    fileHashes: {} as Record<string, string>,
    diagnostics: [] as Diagnostic[],
    /** The key of the index's inputs, once known (multi-file output). */
    indexKey: undefined as string | undefined,
  }));
  type Folder = (typeof folders)[number];
  const add = (folder: Folder, file: OutputFile): void => {
    folder.fileHashes[file.name] = folder.writer.add(file);
  };
  const entryOf = (folder: Folder, uri: string, named: Names, items: readonly string[]): ManifestModule => {
    const key = folder.output.keys.get(uri);
    const entry = manifestEntry(named, folder.output.emit, items);
    return key === undefined ? entry : { ...entry, key };
  };
  // Unchanged schemas: their modules as the last run wrote them, and the problems it found in them.
  for (const folder of folders) {
    const replayed = (folder.output.previous?.diagnostics ?? []) as Diagnostic[];
    for (const [uri, files] of folder.output.reusable) {
      const named = names.get(uri)!;
      for (const file of files) folder.fileHashes[file.name] = folder.writer.keep(file.name, file.hash);
      const items = folder.output.previous?.modules[uri]?.items ?? [];
      if (files.some((f) => f.name === `${named.file}${VALIDATOR_SUFFIXES[0]}`)) folder.validated.set(uri, named.file);
      folder.modules.set(uri, { input: { uri, names: named, typeText: "", items }, entry: entryOf(folder, uri, named, items) });
      collect(replayed.filter((d) => d.uri === uri && d.code !== "kept-previous"));
    }
  }
  try {
    let done = 0;
    // Each schema's type is compiled once, whatever the number of outputs.
    pool.onResult((result) => {
      ctx.onProgress(++done, compiled);
      collect(result.diagnostics);
      if (result.text === undefined) return;
      const named = names.get(result.uri)!;
      const deprecated = plan.jobs.get(result.uri)?.deprecated;
      const items = exportedTypes(result.text).filter((name) => name !== named.type);
      const input: ModuleInput = { uri: result.uri, names: named, typeText: result.text, items, ...(deprecated !== undefined ? { deprecated } : {}) };
      for (const folder of folders) {
        if (folder.output.reusable.has(result.uri)) continue;
        folder.modules.set(result.uri, { input, entry: entryOf(folder, result.uri, named, items) });
        // Validators are modules of their own in single-file output too: the index must never import them.
        if (!folder.output.singleFile) {
          for (const { suffix, form } of folder.forms) add(folder, { name: `${named.file}${suffix}`, content: schemaModule(input, folder.settings, form) });
        }
        const validators = folder.output.validators;
        if (validators === undefined || result.validator === undefined || !("ajvCode" in result.validator)) continue;
        const linked = linkValidator!(result.validator.ajvCode, validators.validationImport);
        if ("error" in linked) {
          collect([{ level: "warning", code: "validator-generation", uri: result.uri, message: `no validator written: ${linked.error}`, hint: "report it to igluc with the schema attached" }]);
          continue;
        }
        add(folder, { name: `${named.file}${VALIDATOR_SUFFIXES[0]}`, content: validatorFiles!.validatorModule(result.uri, linked.code, folder.settings) });
        add(folder, { name: `${named.file}${VALIDATOR_SUFFIXES[1]}`, content: validatorFiles!.validatorDeclarations(result.uri, validators.validationImport, folder.settings) });
        folder.validated.set(result.uri, named.file);
      }
    });
    await pool.results();
    const generated = selected.filter((c) => folders[0]!.modules.has(c.uri)).length;
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
          const files = forms.map((f) => `${stem}${f.suffix}`);
          const read = files.map((name) => readRegularFile(path.join(output.out, name), MAX_OUTPUT_FILE_BYTES)?.toString("utf8"));
          if (read.some((text) => text === undefined)) continue;
          const contents = read as string[];
          const { key: _key, ...entry } = kept;
          modules.set(uri, { input: { uri, names: { ...entry, file: stem }, typeText: "", items: entry.items ?? [] }, entry });
          files.forEach((name, i) => add(folder, { name, content: contents[i]! }));
          folder.diagnostics.push({
            level: "warning", code: "kept-previous", uri, message: `kept the module generated for it earlier (${several ? shown(output.out, kept.file) : kept.file})`,
            hint: "fix the errors reported for this schema to regenerate it",
          });
        }
      }
      const exported = [...modules.keys()].sort().map((uri) => modules.get(uri)!.input);
      // The plan's specifications whose schemas have modules here, and whose names no schema takes.
      let specs: SpecificationsInput | undefined;
      if (plan.plan !== undefined) {
        const checked = specifications!.checkSpecifications(plan.plan.resolved, takenNames(exported), (uri) => modules.has(uri));
        collect(checked.diagnostics);
        const { file, product } = plan.plan.resolved;
        // The header names the plan by its file name: where the run was started from changes nothing in the output.
        if (checked.specs.length > 0) specs = { specs: checked.specs, file: path.basename(file), ...(product !== undefined ? { product } : {}), names, eventSpecificationEntity: plan.plan.eventSpecificationEntity };
      }
      // The index depends on the modules' names only (and the options, and the specifications' names): unchanged, it is reused like a module.
      const specNames = specs?.specs.map((spec) => [spec.functionName, spec.entities.some((e) => e.max !== 0)]) ?? [];
      const indexKey = output.singleFile ? undefined : hash(JSON.stringify([output.fingerprint, exported.map((m) => [m.uri, m.names, m.items]), ...(specNames.length > 0 ? [specNames] : [])]));
      const reused = indexKey === undefined || output.previous?.index !== indexKey ? undefined : intactFiles(output.out, output.previous.files, forms.map((f) => `index${f.suffix}`));
      if (reused !== undefined) for (const file of reused) folder.fileHashes[file.name] = folder.writer.keep(file.name, file.hash);
      else {
        for (const { suffix, form } of forms) {
          const part = specs === undefined ? undefined : output.singleFile
            ? { reexports: [], declarations: specifications!.specificationDeclarations(specs, folder.settings.target, form) }
            : { reexports: specifications!.specificationExports(specs.specs, form), declarations: [] };
          add(folder, { name: `index${suffix}`, content: indexModule(exported, folder.settings, output.singleFile, form, part) });
        }
      }
      // The specifications module is printed every run (it is small); the writer leaves it alone when unchanged.
      if (specs !== undefined && !output.singleFile) {
        for (const { suffix, form } of forms) add(folder, { name: `specifications${suffix}`, content: specifications!.specificationsModule(specs, folder.settings, form) });
      }
      folder.indexKey = indexKey;
      if (output.validators !== undefined) {
        const listed = [...folder.validated].filter(([uri]) => modules.has(uri)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([uri, file]) => ({ uri, file }));
        const index = validatorFiles!.validatorsIndex(listed, output.validators.validationImport, folder.settings);
        add(folder, { name: "validators.js", content: index.js });
        add(folder, { name: "validators.d.ts", content: index.dts });
      }
    }

    const all = sortDiagnostics([...diagnostics, ...folders.flatMap((f) => f.diagnostics)]);
    const stats = { generated, failed: failedUris.length, compiled };
    if (ctx.check) {
      const results = await Promise.all(folders.map(async ({ output, writer }): Promise<OutputResult> => {
        const stale = await writer.stale();
        return { out: output.out, target: output.target, emit: output.emit, upToDate: stale.length === 0, stale, written: 0, removed: 0 };
      }));
      const stale = results.flatMap((r) => (several ? r.stale.map((name) => shown(r.out, name)) : r.stale));
      return { diagnostics: all, upToDate: stale.length === 0, stale, outputs: results, stats: { ...stats, written: 0, removed: 0 } };
    }
    const results: OutputResult[] = [];
    for (const folder of folders) {
      const { output, writer, modules, fileHashes, indexKey } = folder;
      const manifest: Manifest = {
        generator: GENERATOR_VERSION, inputs: output.inputs,
        files: Object.fromEntries(Object.entries(fileHashes).sort(([a], [b]) => (a < b ? -1 : 1))),
        modules: Object.fromEntries([...modules.keys()].sort().map((uri) => [uri, modules.get(uri)!.entry])),
        diagnostics: sortDiagnostics([...diagnostics, ...folder.diagnostics]),
        counts: { generated, skipped: plan.skipped, failed: failedUris.length },
        ...(indexKey !== undefined ? { index: indexKey } : {}),
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
    return {
      diagnostics: all, upToDate: results.every((r) => r.upToDate), stale: [], outputs: results,
      stats: { ...stats, written: results.reduce((n, r) => n + r.written, 0), removed: results.reduce((n, r) => n + r.removed, 0) },
    };
  } catch (error) {
    await Promise.all(folders.map((f) => f.writer.abort()));
    throw error;
  }
}

/**
 * Every name the output declares or imports, with what declares it: the
 * schemas' (their item types too), igluc's own, and the value imports of the
 * targets' modules (a specification's function must not shadow them).
 */
function takenNames(exported: readonly ModuleInput[]): Map<string, string> {
  const IGLUC = "igluc's own declarations";
  const taken = new Map<string, string>([...TAKEN_NAMES, "trackSelfDescribingEvent", "buildSelfDescribingEvent"].map((name) => [name, IGLUC]));
  for (const { uri, names, items = [] } of exported) {
    for (const name of [names.type, names.constant, names.create, names.track, ...items]) taken.set(name, uri);
  }
  return taken;
}

function manifestEntry(names: Names, emit: Emit, items: readonly string[]): ManifestModule {
  const entry = { file: `${names.file}${formsOf(emit)[0]!.suffix}`, type: names.type, constant: names.constant, create: names.create, track: names.track };
  return items.length === 0 ? entry : { ...entry, items };
}

/** The names json-schema-to-typescript's declarations export: the data type, and the types named after it (array items). */
function exportedTypes(typeText: string): string[] {
  return [...typeText.matchAll(/^export (?:interface|type) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
}
