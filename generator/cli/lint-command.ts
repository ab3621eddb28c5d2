/**
 * `igluc lint`: paths from the arguments (or the config's registries),
 * findings in the chosen format on stdout, exit 0 passed, 1 failed, 2 usage.
 */
import { printable } from "../diagnostics.js";
import { lint } from "../lint/lint.js";
import { formatLintReport, type LintFormat } from "../lint/format.js";
import type { PresetName } from "../lint/options.js";
import { OptionsError } from "../errors.js";
import { loadConfig } from "../options.js";
import type { CliIo } from "./io.js";

export interface LintArgs {
  paths?: string[];
  format: LintFormat;
  preset?: PresetName;
  skipChecks?: string[];
  skipSchemas?: string[];
  strict?: boolean;
  config?: string;
}

export async function lintCommand(args: LintArgs, io: CliIo): Promise<number> {
  try {
    const config = loadConfig(io.cwd, args.config);
    const settings = lintSettings(config?.options.lint, config?.path);
    let paths = args.paths ?? [];
    if (paths.length === 0) {
      paths = [...(config?.options.schemas ?? [])];
      if (paths.length === 0) throw new OptionsError("nothing to lint: name a registry folder (e.g. igluc lint ./schemas) or set \"schemas\" in igluc.config.json");
    }
    // Flags override the config's "lint" settings.
    const preset = args.preset ?? settings.preset;
    const skipChecks = args.skipChecks !== undefined ? splitList(args.skipChecks) : settings.skipChecks;
    const skipSchemas = args.skipSchemas !== undefined ? splitList(args.skipSchemas) : settings.skipSchemas;
    const strict = args.strict ?? settings.strict;
    const result = await lint({
      paths, cwd: io.cwd,
      ...(preset !== undefined ? { preset } : {}),
      ...(skipChecks !== undefined ? { skipChecks } : {}),
      ...(skipSchemas !== undefined ? { skipSchemas } : {}),
      ...(strict !== undefined ? { strict } : {}),
    });
    io.out.write(formatLintReport(result, args.format));
    return result.failed ? 1 : 0;
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    io.err.write(`igluc lint: ${printable(error.message)}\nRun "igluc lint --help" for usage.\n`);
    return 2;
  }
}

/** The config's "lint" settings, checked. */
function lintSettings(raw: unknown, file: string | undefined): { preset?: PresetName; skipChecks?: string[]; skipSchemas?: string[]; strict?: boolean } {
  if (raw === undefined) return {};
  const where = `${file ?? "the config"}: "lint"`;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new OptionsError(`${where} must be an object`);
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !["preset", "skipChecks", "skipSchemas", "strict"].includes(k));
  if (unknown.length > 0) throw new OptionsError(`${where}: unknown setting${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} (known: preset, skipChecks, skipSchemas, strict)`);
  const list = (key: string): string[] | undefined => {
    const v = r[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new OptionsError(`${where}: ${key} must be a list of strings`);
    return v as string[];
  };
  if (r.strict !== undefined && typeof r.strict !== "boolean") throw new OptionsError(`${where}: strict must be true or false`);
  if (r.preset !== undefined && typeof r.preset !== "string") throw new OptionsError(`${where}: preset must be a string`);
  const skipChecks = list("skipChecks");
  const skipSchemas = list("skipSchemas");
  return {
    ...(r.preset !== undefined ? { preset: r.preset as PresetName } : {}),
    ...(skipChecks !== undefined ? { skipChecks } : {}),
    ...(skipSchemas !== undefined ? { skipSchemas } : {}),
    ...(r.strict !== undefined ? { strict: r.strict as boolean } : {}),
  };
}

/** `--skip-checks a,b --skip-checks c` is a, b and c (igluctl takes a comma-separated list). */
function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}
