/**
 * The commands of the igluc CLI as both argument parsers see them: which
 * settings are each one's flags (declared once, in options/settings.ts), its
 * positional arguments and the flags that exclude each other. yargs-args.ts
 * builds yargs (with --help, examples and messages) from this table, and
 * fast-args.ts the quick parse of a well-formed command line.
 */
import type { Settings } from "../options/declare.js";
import { GENERATE, LINT, MICRO, PULL } from "../options/settings.js";

export interface CommandSpec {
  readonly settings: Settings;
  /** A variadic positional of strings (`lint [paths..]`), by its key; commands without one take no positionals. */
  readonly positional?: string;
  /** Flags that cannot be given together, by pairs. */
  readonly conflicts?: readonly (readonly [string, string])[];
}

export const COMMANDS = {
  generate: { settings: GENERATE, conflicts: [["check", "watch"], ["offline", "update"]] },
  lint: { settings: LINT, positional: "paths" },
  pull: { settings: PULL },
  micro: { settings: MICRO },
} as const satisfies Readonly<Record<string, CommandSpec>>;

export type CommandName = keyof typeof COMMANDS;

/** A command line understood: the command, and the arguments its handler gets (as yargs builds them). */
export interface ParsedCommand {
  readonly command: CommandName;
  readonly args: Record<string, unknown>;
}
