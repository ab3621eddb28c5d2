/**
 * `igluc generate`: options from flags over the config file, diagnostics and
 * a summary line, --check and --watch.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count as counted, formatDiagnostic, printable, type Diagnostic } from "../diagnostics.js";
import { generate, type GenerateResult } from "../generate.js";
import { OptionsError } from "../errors.js";
import { fromArgs } from "../options/declare.js";
import { loadConfig } from "../options/config.js";
import type { GenerateOptions } from "../options/resolve.js";
import { GENERATE } from "../options/settings.js";
import type { CliIo } from "./io.js";
import { progressLine } from "./progress.js";
import { POLL_MS, fingerprint } from "./watch-fingerprint.js";

/** The parsed flags (settings.ts declares them): options for `generate()`, and the CLI's own --config, --watch and --quiet. */
export type GenerateArgs = GenerateOptions & { config?: string; watch?: boolean; quiet?: boolean };

export async function generateCommand(args: GenerateArgs, io: CliIo): Promise<number> {
  const first = prepare(args, io);
  const once = async (options: GenerateOptions): Promise<number> => {
    const progress = progressLine(io, "igluc generate", "schemas", args.quiet !== true);
    let result: GenerateResult;
    try {
      result = await generate({ ...options, onProgress: (done, total) => progress.update(done, total) });
    } finally {
      progress.end();
    }
    report(result, args, io);
    const failed = result.diagnostics.some((d) => d.level === "error");
    return failed || result.stale.length > 0 ? 1 : 0;
  };
  const code = await once(first.options);
  if (args.watch !== true) return code;
  return watch(args, first, once, io);
}

interface Prepared {
  readonly options: GenerateOptions;
  /** The config file read, if any. */
  readonly configPath: string | undefined;
}

/** The options of one run: igluc.config.json (read again each time), with the flags over it, one by one. */
function prepare(args: GenerateArgs, io: CliIo): Prepared {
  const config = loadConfig(io.cwd, args.config);
  const flags = fromArgs(GENERATE, args) as GenerateOptions;
  // Flags override the config file's settings, one by one; --out names the one output, so the config's list of outputs goes.
  const { outputs: _outputs, ...configured } = config?.options ?? {};
  const options: GenerateOptions = {
    ...(flags.out !== undefined ? configured : config?.options),
    ...flags,
    cwd: io.cwd,
    ...(io.signal !== undefined ? { signal: io.signal } : {}),
    check: args.check === true,
  };
  if ((options.schemas === undefined || options.schemas.length === 0) && options.registries === undefined && options.resolver === undefined) {
    throw new OptionsError("no schemas to read: pass --schemas DIR (a static registry) or --resolver FILE, or create igluc.config.json with \"schemas\" (or \"registries\") and \"out\"");
  }
  return { options, configPath: config?.path };
}

function report(result: GenerateResult, args: GenerateArgs, io: CliIo): void {
  for (const d of result.diagnostics) {
    if (args.quiet && d.level !== "error") continue;
    if (d.level === "info" && result.diagnostics.length > 50 && !args.quiet) continue;
    io.err.write(`${formatDiagnostic(d)}\n`);
  }
  const counts = count(result.diagnostics);
  const { stats } = result;
  // One folder by its path; several, each with its target.
  const where = (o: GenerateResult["outputs"][number]): string => printable(path.relative(process.cwd(), o.out) || ".");
  const out = result.outputs.length === 1 ? where(result.outputs[0]!) : result.outputs.map((o) => `${where(o)} (${o.target})`).join(", ");
  const seconds = (stats.ms / 1000).toFixed(2);
  const schemas = `${counted(stats.read, "schema file")} read, ${stats.generated} generated, ${stats.skipped} not selected, ${stats.failed} failed`;
  if (args.check) {
    io.out.write(result.stale.length === 0
      ? `igluc generate --check: ${out} ${result.outputs.length === 1 ? "is" : "are"} up to date (${schemas}; ${seconds} s)\n`
      : `igluc generate --check: ${result.outputs.length === 1 ? `${out} is ` : ""}stale: ${result.stale.map(printable).join(", ")}\n  hint: run igluc generate and commit the result\n`);
    return;
  }
  const files = result.upToDate && result.stats.written === 0 ? "nothing changed" : `${counted(stats.written, "file")} written, ${stats.removed} removed`;
  io.out.write(`igluc generate: ${schemas}; ${files} in ${out} (${seconds} s)` +
    `${counts.error + counts.warning > 0 ? `; ${counted(counts.error, "error")}, ${counted(counts.warning, "warning")}` : ""}\n`);
  if (counts.info > 0 && result.diagnostics.length > 50 && !args.quiet) io.err.write(`(${counted(counts.info, "notice")} not shown)\n`);
}

function count(list: readonly Diagnostic[]): Record<Diagnostic["level"], number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of list) counts[d.level]++;
  return counts;
}

/**
 * What a run reads, so a change to any of it runs again: the registries,
 * watched whole (`trees`), and the config file, the resolver file, the
 * lockfile and the tracking plan (`files`). A single file is watched through its folder, which
 * sees a file replaced by a rename (how editors and `sed -i` save) however
 * quickly the saves follow each other; the folder's other entries are
 * ignored.
 */
interface Watched {
  readonly trees: readonly string[];
  readonly files: readonly string[];
}

function watchedPaths(prepared: Prepared, cwd: string): Watched {
  const { options } = prepared;
  const trees = [...(options.schemas ?? []).map((dir) => path.resolve(cwd, dir))];
  for (const registry of options.registries ?? []) if (registry.path !== undefined) trees.push(path.resolve(cwd, registry.path));
  const files: string[] = [];
  if (options.resolver !== undefined) files.push(path.resolve(cwd, options.resolver));
  if (options.lockfile !== undefined) files.push(path.resolve(cwd, options.lockfile));
  if (options.plan !== undefined) files.push(path.resolve(cwd, options.plan));
  if (prepared.configPath !== undefined) files.push(prepared.configPath);
  return { trees: [...new Set(trees)].sort(), files: [...new Set(files)].sort() };
}

/** The paths chokidar watches for `watched`: the trees, and the folders of the single files. */
function watchRoots(watched: Watched): string[] {
  return [...new Set([...watched.trees, ...watched.files.map((file) => path.dirname(file))])].sort();
}

/** Whether `file` is something a run reads (or a folder on the way to it), as opposed to a neighbour of a watched file. */
function isWatched(watched: Watched, file: string): boolean {
  const within = (dir: string): boolean => file === dir || file.startsWith(`${dir}${path.sep}`);
  return watched.trees.some(within) || watched.files.some((f) => f === file || path.dirname(f) === file);
}

/** Changes closer together than this are one run (an editor's save can be several events). */
const DEBOUNCE_MS = 40;

/**
 * Generates one small schema off to the side, so the first edit does not pay
 * for loading the emitter, json-schema-to-typescript and ajv in this
 * thread (the first run may have compiled in worker threads, or reused all):
 * measured over Iglu Central, the first edit took 0.35 s to generate and the
 * next ones 0.08–0.10 s.
 */
async function warmUp(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-warm-"));
  try {
    const file = path.join(dir, "schemas/com.example/warm/jsonschema/1-0-0");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({
      $schema: "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
      self: { vendor: "com.example", name: "warm", format: "jsonschema", version: "1-0-0" },
      type: "object", properties: { id: { type: "string", maxLength: 8 } }, additionalProperties: false,
    }));
    await generate({ schemas: [dir], out: path.join(dir, "out"), cwd: dir, concurrency: 1 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs again (debounced) whenever what a run reads changes, until Ctrl-C.
 * Each run reads igluc.config.json again (a changed "out" or "schemas" takes
 * effect, and what is watched follows); a config that does not load is
 * reported and the last good one kept. chokidar follows files that editors
 * save by writing a new file and renaming it over the old one (vim, sed -i),
 * which a plain fs.watch on the old file loses.
 */
async function watch(args: GenerateArgs, first: Prepared, once: (options: GenerateOptions) => Promise<number>, io: CliIo): Promise<number> {
  const { watch: chokidarWatch } = await import("chokidar");
  let current = first;
  let watched = watchedPaths(current, io.cwd);
  let roots = watchRoots(watched);
  // Every output folder of the current settings (one, or the config's list of outputs).
  const outsOf = (prepared: Prepared): string[] =>
    (prepared.options.outputs?.map((o) => o.out) ?? [prepared.options.out ?? "src/tracking"]).map((out) => path.resolve(io.cwd, out));
  // The output (and igluc's own staging and cache folders) never triggers a run.
  const ownFiles = (file: string): boolean =>
    outsOf(current).some((out) => file === out || file.startsWith(`${out}${path.sep}`)) || /[\\/]\.igluc(-staging[^\\/]*)?([\\/]|$)/.test(file);
  const watcher = chokidarWatch(roots, { ignoreInitial: true, atomic: true, ignored: (file: string) => !isWatched(watched, file) || ownFiles(file) });
  const inputs = (): string => fingerprint(watched.trees, watched.files, ownFiles);
  let lastInputs = inputs();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const rerun = async (): Promise<void> => {
    io.err.write("igluc generate: change detected, regenerating…\n");
    try {
      current = prepare(args, io);
    } catch (error) {
      io.err.write(`igluc generate: ${printable(error instanceof Error ? error.message : String(error))}\n  (the last good configuration is kept; fix it to run again)\n`);
    }
    watched = watchedPaths(current, io.cwd);
    const next = watchRoots(watched);
    const added = next.filter((p) => !roots.includes(p));
    const removed = roots.filter((p) => !next.includes(p));
    if (added.length > 0) watcher.add(added);
    if (removed.length > 0) watcher.unwatch(removed);
    roots = next;
    lastInputs = inputs();
    await once(current.options);
  };
  const trigger = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(rerun).catch((error: unknown) => io.err.write(`igluc generate: ${printable(error instanceof Error ? error.message : String(error))}\n`));
    }, DEBOUNCE_MS);
  };
  watcher.on("all", trigger);
  // The safety net (watch-fingerprint.ts): a change chokidar did not report is seen within POLL_MS.
  const poll = setInterval(() => {
    if (inputs() !== lastInputs) trigger();
  }, POLL_MS);
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  io.err.write("igluc generate: watching for changes (Ctrl-C to stop)\n");
  running = running.then(warmUp).catch(() => undefined);
  await io.interrupted;
  clearInterval(poll);
  clearTimeout(timer);
  await watcher.close();
  await running;
  io.err.write("igluc generate: stopped\n");
  return 0;
}
