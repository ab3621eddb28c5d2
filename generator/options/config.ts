/**
 * igluc.config.json: found (named, or searched from the working directory
 * up), read with positions, checked against the JSON Schema the settings
 * declare (settings.ts), every problem shown at its line and column, and
 * its relative paths resolved against its own folder.
 */
import fs from "node:fs";
import path from "node:path";
import { OptionsError } from "../errors.js";
import { readSettingsText } from "../load/bounded-read.js";
import { parseSettingsJson } from "../load/json.js";
import { MAX_SETTINGS_BYTES } from "../limits.js";
import { LOCKFILE } from "../remote/lockfile.js";
import { isPath, schemaOf, type JsonSchema } from "./declare.js";
import type { GenerateOptions } from "./resolve.js";
import { GENERATE } from "./settings.js";
import { OPTIONS_SCHEMAS, firstProblem } from "./validate.js";

export const CONFIG_FILE = "igluc.config.json";

const CONFIG_SCHEMA = OPTIONS_SCHEMAS["options-config"];

/** generator/config.schema.json, as `npm run config:schema` writes it from the settings (a test fails when the file differs). */
export function configSchemaText(): string {
  const document = {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://igluc.dev/config.schema.json",
    title: "igluc.config.json",
    description: "Settings of igluc generate (and the registries igluc lint reads by default). Paths are relative to this file; command-line flags override them.",
    ...CONFIG_SCHEMA,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Reads igluc.config.json from `file`, or searches `cwd` and its parents for one. */
export function loadConfig(cwd: string, file?: string): { options: GenerateOptions; path: string } | undefined {
  const found = file === undefined ? search(cwd) : path.resolve(cwd, file);
  if (found === undefined) return undefined;
  const shown = path.relative(cwd, found) || found;
  const read = readSettingsText(found, MAX_SETTINGS_BYTES);
  if ("problem" in read) throw new OptionsError(`${shown} ${read.problem}`);
  const json = parseSettingsJson(read.text, shown);
  const problem = firstProblem(CONFIG_SCHEMA, json.value);
  if (problem !== undefined) {
    const p = json.positionOf(problem.pointer) ?? json.positionOf("");
    throw new OptionsError(`${shown}${p === undefined ? "" : `:${p.line}:${p.column}`}: ${problem.message}`);
  }
  const base = path.dirname(found);
  const options = resolvePaths(json.value, CONFIG_SCHEMA, base) as GenerateOptions;
  // The lockfile lives beside the config, wherever igluc is run from.
  return { path: found, options: { ...options, lockfile: options.lockfile ?? path.join(base, LOCKFILE) } };
}

function search(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, CONFIG_FILE))) return path.join(dir, CONFIG_FILE);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `value` with every string its schema marks as a path made absolute against `base`. */
function resolvePaths(value: unknown, schema: JsonSchema | undefined, base: string): unknown {
  if (schema === undefined) return value;
  if (typeof value === "string") return isPath(schema) ? path.resolve(base, value) : value;
  if (Array.isArray(value)) return value.map((item) => resolvePaths(item, schema.items as JsonSchema | undefined, base));
  if (value !== null && typeof value === "object") {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: resolvePaths(member, Object.hasOwn(properties, key) ? properties[key] : undefined, base), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
