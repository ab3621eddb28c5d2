/**
 * `igluc lint`: paths from the arguments (or the config's registries),
 * findings in the chosen format on stdout, exit 0 passed, 1 failed, 2 usage.
 */
import { lint } from "../lint/lint.js";
import { formatLintReport, type LintFormat } from "../lint/format.js";
import type { PresetName } from "../lint/options.js";
import { loadConfig, OptionsError } from "../options.js";
import type { CliIo } from "./run.js";

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
    let paths = args.paths ?? [];
    if (paths.length === 0) {
      const config = loadConfig(io.cwd, args.config);
      paths = [...(config?.options.schemas ?? [])];
      if (paths.length === 0) throw new OptionsError("nothing to lint: name a registry folder (e.g. igluc lint ./schemas) or set \"schemas\" in igluc.config.json");
    }
    const result = await lint({
      paths, cwd: io.cwd,
      ...(args.preset !== undefined ? { preset: args.preset } : {}),
      ...(args.skipChecks !== undefined ? { skipChecks: splitList(args.skipChecks) } : {}),
      ...(args.skipSchemas !== undefined ? { skipSchemas: splitList(args.skipSchemas) } : {}),
      ...(args.strict !== undefined ? { strict: args.strict } : {}),
    });
    io.out.write(formatLintReport(result, args.format));
    return result.failed ? 1 : 0;
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    io.err.write(`igluc lint: ${error.message}\nRun "igluc lint --help" for usage.\n`);
    return 2;
  }
}

/** `--skip-checks a,b --skip-checks c` is a, b and c (igluctl takes a comma-separated list). */
function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}
