/**
 * The igluc command line. The bin is a thin shell over runCli, which returns
 * the exit code: 0 success, 1 failure (or stale output with --check), 2 usage.
 */
import { printable } from "../diagnostics.js";
import { OptionsError } from "../errors.js";
import type { GenerateArgs } from "./generate-command.js";
import type { LintArgs } from "./lint-command.js";
import type { MicroArgs } from "./micro-command.js";
import type { PullArgs } from "./pull-command.js";
import { flagName } from "../options/declare.js";
import { fastArgs } from "./fast-args.js";
import type { CliIo } from "./io.js";
import type { YargsOutcome } from "./yargs-args.js";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Runs one command. Signals: only `generate --watch` and `micro` catch SIGINT
 * and SIGTERM, to stop after the run in progress (micro: to close its server). Any other command stops on the
 * first one: what it staged is removed (nothing in its target changed yet,
 * since moving staged files into place is synchronous and so never
 * interrupted), then the process ends by that same signal. With `io.interrupted`
 * given (an embedding program, a test), no signal handler is installed.
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const out = io.out ?? process.stdout;
  const err = io.err ?? process.stderr;
  const cwd = io.cwd ?? process.cwd();
  const stop = new AbortController();
  let watching = false;
  let interrupt: () => void = () => undefined;
  const interrupted = io.interrupted ?? new Promise<void>((resolve) => { interrupt = resolve; });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (watching) {
      interrupt();
      return;
    }
    for (const s of SIGNALS) process.off(s, onSignal);
    stop.abort(new Error(`stopped by ${signal}`));
    err.write(`igluc: stopped by ${signal}; nothing was left half-written\n`);
    process.kill(process.pid, signal);
  };
  const parsed = await parse(argv);
  if (parsed.kind === "usage") {
    err.write(`igluc: ${parsed.message.split("\n").map(printable).join("\n")}\nRun "igluc --help" for usage.\n`);
    return 2;
  }
  if (parsed.kind === "output") {
    out.write(`${parsed.text}\n`);
    return 0;
  }
  if (parsed.kind === "none") return 0;
  const { command, args } = parsed.parsed;
  watching = command === "micro" || args.watch === true;
  const commandIo = { out, err, cwd, interrupted, signal: stop.signal };
  // Each command's code is loaded only when it runs, so --help and --version stay quick.
  const action = async (): Promise<number> => {
    switch (command) {
      case "generate": return (await import("./generate-command.js")).generateCommand(args as unknown as GenerateArgs, commandIo);
      case "lint": return (await import("./lint-command.js")).lintCommand(args as unknown as LintArgs, commandIo);
      case "pull": return (await import("./pull-command.js")).pullCommand(args as unknown as PullArgs, commandIo);
      case "micro": return (await import("./micro-command.js")).microCommand(args as unknown as MicroArgs, commandIo);
    }
  };
  if (io.interrupted === undefined) for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await action();
  } catch (error) {
    // The one way errors reach the user: a run that cannot start as asked is a usage error (2);
    // anything else thrown is igluc's own failure (1). What a run finds comes as diagnostics.
    if (error instanceof OptionsError) {
      // An option's problem is said by its flag, as typed (--max-body-bytes, not maxBodyBytes).
      const message = error.option === undefined ? error.message : `--${flagName(error.option.key)}${error.option.rest}`;
      err.write(`igluc ${command}: ${printable(message)}\nRun "igluc ${command} --help" for usage.\n`);
      return 2;
    }
    err.write(`igluc: ${printable(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

/**
 * The command line understood: a well-formed command by the quick parse
 * (fast-args.ts, the same arguments yargs would make), anything else by
 * yargs, loaded only then, for help, the version and usage errors.
 */
async function parse(argv: readonly string[]): Promise<YargsOutcome> {
  const parsed = fastArgs(argv);
  if (parsed !== undefined) return { kind: "run", parsed };
  return (await import("./yargs-args.js")).parseWithYargs(argv);
}
