/**
 * igluc/generator: typed tracking code from Iglu schemas, schema lint, and
 * pulling schemas from registries, and a local validating collector for
 * tests (`startMicro`). The CLI (`runCli`) is a thin layer over
 * `generate()`, `lint()`, `pull()` and `startMicro()`.
 */
export { generate, type GenerateResult } from "./generate.js";
export { loadConfig, CONFIG_FILE } from "./options/config.js";
export type { GenerateOptions } from "./options/resolve.js";
export type { RegistryConfig } from "./options/settings.js";
export { OptionsError } from "./errors.js";
export { formatDiagnostic, type Diagnostic, type Level } from "./diagnostics.js";
export { lint, type LintResult } from "./lint/lint.js";
export { CHECKS, PRESETS, type CheckInfo, type LintOptions, type PresetName } from "./lint/options.js";
export { formatLintReport, type LintFormat } from "./lint/format.js";
export { pull, type PullOptions, type PullResult } from "./remote/pull.js";
export { startMicro, type Micro, type MicroEvent, type StartMicroOptions, type Expected, type Counts } from "./micro/micro.js";
export { runCli } from "./cli/run.js";
export type { CliIo } from "./cli/io.js";
