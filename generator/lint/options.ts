/**
 * `igluc lint` options, resolved once into a LintContext: which checks run,
 * and what makes the run fail.
 */
import path from "node:path";
import { parseIgluUri } from "@igluc/runtime/iglu";
import { OptionsError } from "../errors.js";
import { CODES, type Code, type CodeInfo } from "../codes.js";
import type { Level } from "../diagnostics.js";
import { LINTERS } from "./linters.js";

export interface LintOptions {
  /** Registries (a root holding `schemas/`, or the `schemas/` folder) or single schema files. */
  readonly paths: readonly string[];
  /** Checks to turn off, by name (as igluctl's --skip-checks); error-level ones cannot be. */
  readonly skipChecks?: readonly string[];
  /** Schemas whose findings are dropped, by Iglu URI (`iglu:vendor/name/jsonschema/1-0-0`). */
  readonly skipSchemas?: readonly string[];
  /** A named set of skipped checks and strictness. @defaultValue "default" */
  readonly preset?: PresetName;
  /** Fail on warnings too, not only on errors. @defaultValue the preset's */
  readonly strict?: boolean;
  /** Base for relative paths. @defaultValue process.cwd() */
  readonly cwd?: string;
  /** A tracking plan to check against the schemas linted (plan/load.ts reads it). */
  readonly plan?: string;
}

export interface CheckInfo {
  readonly name: Code;
  /** As lint reports it (codes.ts). */
  readonly level: Level;
  readonly skippable: boolean;
  /** From igluctl (schema-ddl), or igluc's own. */
  readonly origin: "igluctl" | "igluc";
}

/** igluc's checks beside the eighteen linters, and whether --skip-checks may turn each off. Those igluctl also makes always run cannot be. */
const OWN_CHECKS: readonly (readonly [Code, boolean])[] = [
  ["json-syntax", false], ["too-deep", false], ["file-too-large", false], ["link-outside", false], ["duplicate-key", false],
  ["not-a-schema", false], ["file-unreadable", false], ["self-description", false], ["schemaver", false], ["path-mismatch", false],
  ["draft-04", false], ["unresolved-ref", false], ["version-start", false], ["version-gap", false], ["version-bump", true],
  ["ref-expansion", true], ["pattern-unsupported", true], ["duplicate-schema", true], ["stray-file", true], ["file-extension", true],
  ["format-skipped", true],
];

const lintLevel = (code: Code): Level => {
  const info: CodeInfo = CODES[code];
  return info.lint ?? info.level;
};

export const CHECKS: readonly CheckInfo[] = [
  ...OWN_CHECKS.map(([name, skippable]): CheckInfo => ({ name, level: lintLevel(name), skippable, origin: "igluc" })),
  ...LINTERS.map((l): CheckInfo => ({ name: l.name, level: lintLevel(l.name), skippable: lintLevel(l.name) !== "error", origin: "igluctl" })),
];

export type PresetName = "default" | "iglu-central";

export const PRESETS: Readonly<Record<PresetName, { readonly skipChecks: readonly string[]; readonly strict: boolean; readonly about: string }>> = {
  default: { skipChecks: [], strict: false, about: "every check; errors fail the run" },
  "iglu-central": {
    // Iglu Central's CI runs igluctl 0.10.1 with these six skipped; that igluctl predates the two BigQuery linters.
    skipChecks: ["optionalNull", "description", "numericMinMax", "stringLength", "stringMaxLengthRange", "rootObject", "bqDisallowedCharacters", "bqIllegalStart"],
    strict: true,
    about: "Iglu Central's CI: the checks its igluctl runs, and any finding fails the run",
  },
};

export interface LintContext {
  readonly paths: readonly string[];
  readonly cwd: string;
  /** Names of the checks that run. */
  readonly enabled: ReadonlySet<string>;
  readonly skipSchemas: ReadonlySet<string>;
  readonly strict: boolean;
  readonly plan?: string;
}

export function resolveLintOptions(options: LintOptions): LintContext {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.paths.length === 0) throw new OptionsError("nothing to lint: name a registry folder or schema files");
  const presetName = options.preset ?? "default";
  const preset = PRESETS[presetName];
  if (preset === undefined) throw new OptionsError(`unknown preset "${presetName}" (known: ${Object.keys(PRESETS).join(", ")})`);
  const skip = new Set(preset.skipChecks);
  const unknown: string[] = [];
  const fixed: string[] = [];
  for (const name of options.skipChecks ?? []) {
    const check = CHECKS.find((c) => c.name === name);
    if (check === undefined) unknown.push(name);
    else if (!check.skippable) fixed.push(name);
    else skip.add(name);
  }
  if (unknown.length > 0) {
    throw new OptionsError(`unknown check${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")} in --skip-checks (skippable: ${CHECKS.filter((c) => c.skippable).map((c) => c.name).join(", ")})`);
  }
  if (fixed.length > 0) {
    throw new OptionsError(`${fixed.map((n) => `"${n}"`).join(", ")} cannot be skipped: error-level checks always run (as in igluctl); use --skip-schemas for a schema that must be let through`);
  }
  const bad = (options.skipSchemas ?? []).filter((u) => parseIgluUri(u) === undefined);
  if (bad.length > 0) throw new OptionsError(`--skip-schemas takes Iglu URIs like iglu:com.acme/event/jsonschema/1-0-0, not ${bad.map((u) => JSON.stringify(u)).join(", ")}`);
  return {
    paths: options.paths,
    cwd,
    enabled: new Set(CHECKS.map((c) => c.name).filter((n) => !skip.has(n))),
    skipSchemas: new Set(options.skipSchemas ?? []),
    strict: options.strict ?? preset.strict,
    ...(options.plan !== undefined ? { plan: options.plan } : {}),
  };
}
