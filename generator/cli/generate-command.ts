/**
 * `igluc generate`: options from flags over the config file, diagnostics and
 * a summary line, --check and --watch.
 */
import fs from "node:fs";
import path from "node:path";
import { formatDiagnostic, printable, type Diagnostic } from "../diagnostics.js";
import { generate, type GenerateResult } from "../generate.js";
import { OptionsError } from "../errors.js";
import { fromArgs } from "../options/declare.js";
import { loadConfig } from "../options/config.js";
import type { GenerateOptions } from "../options/resolve.js";
import { GENERATE } from "../options/settings.js";
import type { CliIo } from "./io.js";

/** The parsed flags (settings.ts declares them): options for `generate()`, and the CLI's own --config, --watch and --quiet. */
export type GenerateArgs = GenerateOptions & { config?: string; watch?: boolean; quiet?: boolean };

/** Runs with more schemas than this show a progress line while types compile. */
const PROGRESS_THRESHOLD = 100;

export async function generateCommand(args: GenerateArgs, io: CliIo): Promise<number> {
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

  const progress = (done: number, total: number): void => {
    if (done === 0 && total > PROGRESS_THRESHOLD && args.quiet !== true) io.err.write(`igluc generate: compiling ${total} schemas…\n`);
  };
  let outs: readonly string[] = [];
  const once = async (): Promise<number> => {
    const result = await generate({ ...options, onProgress: progress });
    outs = result.outputs.map((o) => o.out);
    report(result, args, io);
    const failed = result.diagnostics.some((d) => d.level === "error");
    return failed || result.stale.length > 0 ? 1 : 0;
  };

  const first = await once();
  if (args.watch !== true) return first;
  return watch(options, config?.path, once, () => outs, io);
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
  const schemas = `${stats.read} schema files read, ${stats.generated} generated, ${stats.skipped} not selected, ${stats.failed} failed`;
  if (args.check) {
    io.out.write(result.stale.length === 0
      ? `igluc generate --check: ${out} ${result.outputs.length === 1 ? "is" : "are"} up to date (${schemas}; ${seconds} s)\n`
      : `igluc generate --check: ${result.outputs.length === 1 ? `${out} is ` : ""}stale: ${result.stale.map(printable).join(", ")}\n  hint: run igluc generate and commit the result\n`);
    return;
  }
  const files = result.upToDate && result.stats.written === 0 ? "nothing changed" : `${stats.written} files written, ${stats.removed} removed`;
  io.out.write(`igluc generate: ${schemas}; ${files} in ${out} (${seconds} s)` +
    `${counts.error + counts.warning > 0 ? `; ${counts.error} errors, ${counts.warning} warnings` : ""}\n`);
  if (counts.info > 0 && result.diagnostics.length > 50 && !args.quiet) io.err.write(`(${counts.info} notices not shown)\n`);
}

function count(list: readonly Diagnostic[]): Record<Diagnostic["level"], number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of list) counts[d.level]++;
  return counts;
}

/** Regenerates (debounced) when anything under the schema folders or the config changes; resolves on Ctrl-C. */
async function watch(options: GenerateOptions, configPath: string | undefined, once: () => Promise<number>, outs: () => readonly string[], io: CliIo): Promise<number> {
  const cwd = options.cwd ?? process.cwd();
  const watchers: fs.FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const trigger = (changed?: string | null): void => {
    if (changed != null && outs().some((out) => path.resolve(changed).startsWith(out))) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        io.err.write("igluc generate: change detected, regenerating…\n");
        await once();
      }).catch((error: unknown) => io.err.write(`igluc generate: ${printable(error instanceof Error ? error.message : String(error))}\n`));
    }, 150);
  };
  for (const dir of options.schemas ?? []) {
    const absolute = path.resolve(cwd, dir);
    watchers.push(fs.watch(absolute, { recursive: true }, (_event, file) => trigger(file === null ? null : path.join(absolute, file))));
  }
  if (configPath !== undefined) watchers.push(fs.watch(configPath, () => trigger()));
  io.err.write("igluc generate: watching for changes (Ctrl-C to stop)\n");
  await io.interrupted;
  clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
  io.err.write("igluc generate: stopped\n");
  return 0;
}
