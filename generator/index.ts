/**
 * igluc/generator: typed tracking code from Iglu schemas, and schema lint.
 * The CLI is a thin layer over `generate()` and `lint()`.
 */
export { generate, type GenerateResult } from "./generate.js";
export { loadConfig, CONFIG_FILE, type GenerateOptions } from "./options.js";
export { OptionsError } from "./errors.js";
export { formatDiagnostic, type Diagnostic, type Level } from "./diagnostics.js";
export { lint, type LintResult } from "./lint/lint.js";
export { CHECKS, PRESETS, type CheckInfo, type LintOptions, type PresetName } from "./lint/options.js";
export { formatLintReport, type LintFormat } from "./lint/format.js";

import type { GenerateOptions } from "./options.js";

/** Types a config object for editors and scripts: `export default defineConfig({ … })`. */
export function defineConfig(options: Omit<GenerateOptions, "cwd" | "onProgress" | "check" | "concurrency">): typeof options {
  return options;
}
