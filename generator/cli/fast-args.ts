/**
 * The quick parse of a well-formed command line, so that a normal run does
 * not load yargs (about 0.1 s: its import, and the help text it builds after
 * every command). It is yargs' own parser, yargs-parser, given what yargs
 * gives it, from the same declarations (yargsOptions of each command's
 * settings, commands.ts): the same types, arrays, aliases, negation,
 * camel-case expansion and parser configuration. Its answer is taken only
 * when the command line is unambiguous and valid: a known command, known
 * flags only, each value of its type (a string not empty, a finite number,
 * a boolean not given as `--flag=value`), one of its choices, not repeated
 * unless an array; required flags given, no conflicting pair, no `--`, no
 * positional but a command's own. Anything else returns undefined and yargs
 * parses it, to run it, print help or the version, or say what is wrong.
 */
import parser from "yargs-parser";
import { yargsOptions } from "../options/declare.js";
import { COMMANDS, type CommandName, type CommandSpec, type ParsedCommand } from "./commands.js";

type Kind = "string" | "number" | "boolean";

interface Flag {
  readonly kind: Kind | undefined;
  readonly array: boolean;
  readonly choices: readonly string[] | undefined;
  readonly required: boolean;
}

interface Grammar {
  readonly options: parser.Options;
  /** Every key yargs-parser may set for a flag (its name, camelCase name and alias). */
  readonly keys: ReadonlyMap<string, Flag>;
  /** The names (and aliases) of the boolean flags, and of yargs' own --help and --version. */
  readonly booleans: ReadonlySet<string>;
  readonly required: readonly string[];
}

const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** What yargs hands yargs-parser for a command: its global --help (-h) and --version, and each option, as yargs' option() maps it. */
function grammarOf(spec: CommandSpec): Grammar {
  const options = {
    alias: { help: ["h"] } as Record<string, string[]>,
    array: [] as string[], boolean: ["help", "version"], number: [] as string[], string: [] as string[],
    key: { help: true, version: true } as Record<string, boolean>,
    configuration: { "parse-positional-numbers": false, "populate--": true },
  };
  const keys = new Map<string, Flag>();
  const required: string[] = [];
  const declared: [string, Record<string, unknown>][] = Object.entries(yargsOptions(spec.settings));
  if (spec.positional !== undefined) declared.unshift([spec.positional, { type: "string", array: true }]);
  for (const [name, option] of declared) {
    const alias = option.alias as string | undefined;
    const names = alias === undefined ? [name] : [name, alias];
    options.key[name] = true;
    if (alias !== undefined) options.alias[name] = [alias];
    const kind = option.type as Kind | undefined;
    if (kind !== undefined) options[kind].push(...names);
    if (option.array === true) options.array.push(...names);
    if (name === spec.positional) continue;
    const flag: Flag = { kind, array: option.array === true, choices: option.choices as readonly string[] | undefined, required: option.demandOption === true };
    for (const key of new Set([...names, camelCase(name)])) keys.set(key, flag);
    if (flag.required) required.push(name);
  }
  return { options, keys, booleans: new Set(["help", "h", "version", ...options.boolean]), required };
}

/** A value yargs would hand the command as it is, and the command can take: of the flag's type, among its choices. */
function fits(flag: Flag, value: unknown): boolean {
  if (flag.choices !== undefined) return typeof value === "string" && flag.choices.includes(value);
  switch (flag.kind) {
    case "string": return typeof value === "string" && value !== "";
    case "number": return typeof value === "number" && Number.isFinite(value);
    case "boolean": return typeof value === "boolean";
    default: return false;
  }
}

/** The command and its handler's arguments, exactly as yargs would make them; undefined when yargs should decide. */
export function fastArgs(argv: readonly string[]): ParsedCommand | undefined {
  const command = argv[0];
  if (command === undefined || !Object.hasOwn(COMMANDS, command)) return undefined;
  const spec: CommandSpec = COMMANDS[command as CommandName];
  const grammar = grammarOf(spec);
  for (const token of argv) {
    if (token === "--") return undefined;
    // `--flag=value` only for a flag that takes a value (yargs reads `--watch=maybe` as false), named in full or by its alias.
    const given = /^-{1,2}([^=]*)=/.exec(token);
    if (given !== null && (!grammar.keys.has(given[1]!) || grammar.booleans.has(given[1]!))) return undefined;
  }
  const parsed = parser.detailed([...argv], grammar.options);
  if (parsed.error !== null && parsed.error !== undefined) return undefined;
  const { _: positionals, ...flags } = parsed.argv;
  if (positionals[0] !== command || "--" in flags) return undefined;
  const rest = positionals.slice(1);
  if (spec.positional === undefined ? rest.length > 0 : !rest.every((p) => typeof p === "string")) return undefined;
  for (const [key, value] of Object.entries(flags)) {
    const flag = grammar.keys.get(key);
    if (flag === undefined) return undefined;
    const ok = flag.array ? Array.isArray(value) && value.length > 0 && value.every((v) => fits(flag, v)) : !Array.isArray(value) && fits(flag, value);
    if (!ok) return undefined;
  }
  if (grammar.required.some((name) => flags[name] === undefined)) return undefined;
  if ((spec.conflicts ?? []).some(([a, b]) => flags[a] !== undefined && flags[b] !== undefined)) return undefined;
  const args: Record<string, unknown> = { _: [command], ...flags };
  if (spec.positional !== undefined) args[spec.positional] = rest;
  args.$0 = "igluc";
  return { command: command as CommandName, args };
}
