/**
 * `igluc lint`: paths from the arguments (or the config's registries),
 * findings in the chosen format on stdout, exit 0 passed, 1 failed, 2 usage.
 * The flags and the config's "lint" settings are declared in options/settings.ts.
 */
import { OptionsError } from "../errors.js";
import { lint } from "../lint/lint.js";
import { formatLintReport, type LintFormat } from "../lint/format.js";
import type { LintOptions } from "../lint/options.js";
import { fromArgs } from "../options/declare.js";
import { loadConfig } from "../options/config.js";
import { LINT } from "../options/settings.js";
import type { CliIo } from "./io.js";

export type LintArgs = Omit<LintOptions, "paths" | "cwd"> & { paths?: string[]; format?: LintFormat; config?: string; verbose?: boolean };

export async function lintCommand(args: LintArgs, io: CliIo): Promise<number> {
  const config = loadConfig(io.cwd, args.config);
  let paths = args.paths ?? [];
  if (paths.length === 0) {
    paths = [...(config?.options.schemas ?? [])];
    if (paths.length === 0) throw new OptionsError("nothing to lint: name a registry folder (e.g. igluc lint ./schemas) or set \"schemas\" in igluc.config.json");
  }
  // Flags override the config's "lint" settings, one by one.
  const flags = fromArgs(LINT, args) as Omit<LintOptions, "paths">;
  // The plan is a top-level setting of the config (generate reads it too); --plan overrides it.
  const plan: unknown = flags.plan ?? config?.options.plan;
  // yargs makes a repeated flag a list, and a flag without a value "": both are usage errors, not a file to read.
  if (plan !== undefined && (typeof plan !== "string" || plan === "")) throw new OptionsError("--plan takes one file: a tracking plan (.json, .yaml, .yml)");
  const settings = { ...config?.options.lint, ...flags, ...(typeof plan === "string" ? { plan } : {}) };
  const result = await lint({
    ...settings, paths, cwd: io.cwd,
    ...(flags.skipChecks !== undefined ? { skipChecks: splitList(flags.skipChecks) } : {}),
    ...(flags.skipSchemas !== undefined ? { skipSchemas: splitList(flags.skipSchemas) } : {}),
  });
  io.out.write(formatLintReport(result, args.format ?? "human", args.verbose === true));
  return result.failed ? 1 : 0;
}

/** `--skip-checks a,b --skip-checks c` is a, b and c (igluctl takes a comma-separated list). */
function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}
