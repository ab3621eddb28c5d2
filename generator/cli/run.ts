/**
 * The igluc command line. The bin is a thin shell over runCli, which returns
 * the exit code: 0 success, 1 failure (or stale output with --check), 2 usage.
 */
import yargs, { type Argv } from "yargs";
import { printable } from "../diagnostics.js";
import { OptionsError } from "../errors.js";
import { yargsOptions } from "../options/declare.js";
import { GENERATE, LINT, MICRO, PULL } from "../options/settings.js";
import type { GenerateArgs } from "./generate-command.js";
import type { LintArgs } from "./lint-command.js";
import type { MicroArgs } from "./micro-command.js";
import type { PullArgs } from "./pull-command.js";
import { GENERATOR_VERSION } from "../version.js";
import type { CliIo } from "./io.js";

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
  let usageError: string | undefined;
  let action: (() => Promise<number>) | undefined;
  let command = "";

  const parser: Argv = yargs([...argv])
    .scriptName("igluc")
    .usage("$0 <command> [options]\n\nTyped Snowplow tracking from Iglu schemas.")
    .command("generate", "Generate typed track functions and entity builders from Iglu schemas", (y) => y
      .usage("$0 generate [--schemas DIR]... [--out DIR] [options]\n\nReads igluc.config.json (searched from the working directory up) unless --config names one; flags override it.")
      .options(yargsOptions(GENERATE))
      .conflicts("check", "watch")
      .conflicts("offline", "update")
      .example("$0 generate --schemas ./schemas --out ./src/tracking", "Generate from a local registry")
      .example("$0 generate --check", "In CI: fail when the committed output is stale")
      .example("$0 generate --resolver ./resolver.json --out ./src/tracking", "Generate from the repositories of a resolver configuration"),
    (args) => {
      watching = args.watch === true;
      command = "generate";
      // Each command's code is loaded only when it runs, so --help and --version stay quick.
      action = async () => (await import("./generate-command.js")).generateCommand(args as unknown as GenerateArgs, { out, err, cwd, interrupted, signal: stop.signal });
    })
    .command("lint [paths..]", "Check Iglu schemas and their version history (for CI)", (y) => y
      .usage("$0 lint [paths..] [options]\n\nChecks registry folders (or single schema files): JSON, self-description, draft-04 validity, igluctl's 18 linters, $refs, and that each version's SchemaVer bump matches its changes. With no paths, lints the \"schemas\" of igluc.config.json.")
      .positional("paths", { type: "string", array: true, describe: "Registry folders (root or schemas/) or schema files" })
      .options(yargsOptions(LINT))
      .example("$0 lint ./schemas", "Lint a registry; exit 1 on errors")
      .example("$0 lint ./schemas --format github", "In GitHub Actions: annotate the pull request")
      .example("$0 lint ./schemas --preset iglu-central", "The checks Iglu Central's CI runs"),
    (args) => {
      command = "lint";
      action = async () => (await import("./lint-command.js")).lintCommand(args as unknown as LintArgs, { out, err, cwd, interrupted, signal: stop.signal });
    })
    .command("pull", "Copy schemas from an Iglu Server or a static HTTP registry into a local registry folder", (y) => y
      .usage("$0 pull --registry URL [--vendor V]... [--schema vendor/name[@version]]... [--out DIR]\n\nWrites a static registry folder, with the schemas the pulled ones refer to. All or nothing: if any schema fails, nothing is written; files already current are left alone and nothing is deleted.")
      .options(yargsOptions(PULL))
      .example("$0 pull --registry https://iglu.acme.com/api --vendor com.acme --out ./schemas", "Everything of one vendor from an Iglu Server (key from $IGLU_API_KEY)")
      .example("$0 pull --registry http://iglucentral.com --schema com.snowplowanalytics.snowplow/link_click@1", "The latest 1-*-* of one schema from a static registry"),
    (args) => {
      command = "pull";
      action = async () => (await import("./pull-command.js")).pullCommand(args as unknown as PullArgs, { out, err, cwd, interrupted, signal: stop.signal });
    })
    .command("micro", "Run a local collector that validates every event like the pipeline (for app tests)", (y) => y
      .usage("$0 micro [--port 9090] [--schemas DIR]... [--resolver FILE] [options]\n\nListens on 127.0.0.1 for the tracker protocol (POST /com.snowplowanalytics.snowplow/tp2, GET /i, CORS for browsers), validates each event against its schemas (payload_data, the contexts and unstruct_event envelopes, every entity and event), keeps good and bad events, and serves Snowplow Micro's REST API (/micro/all, /micro/good, /micro/bad, /micro/reset, /micro/iglu/...) and /micro/events/{eventId}. Bad events' messages are printed as they arrive. With no --schemas or --resolver, reads those of igluc.config.json.")
      .options(yargsOptions(MICRO))
      .example("$0 micro --schemas ./schemas", "Validate against a local registry on http://127.0.0.1:9090")
      .example("$0 micro --port 0 --resolver ./resolver.json", "A free port; schemas from the repositories of a resolver configuration"),
    (args) => {
      watching = true;
      command = "micro";
      action = async () => (await import("./micro-command.js")).microCommand(args as unknown as MicroArgs, { out, err, cwd, interrupted, signal: stop.signal });
    })
    .demandCommand(1, "No command given.")
    .strict()
    .help()
    .alias("help", "h")
    .version("version", "Show igluc's version", GENERATOR_VERSION)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => { usageError = message ?? error?.message ?? "invalid arguments"; });

  const help = await new Promise<string>((resolve) => {
    void Promise.resolve(parser.parse([...argv], {}, (_e, _a, output) => resolve(output))).catch((error: unknown) => {
      usageError = error instanceof Error ? error.message : String(error);
      resolve("");
    });
  });
  if (usageError !== undefined) {
    err.write(`igluc: ${usageError.split("\n").map(printable).join("\n")}\nRun "igluc --help" for usage.\n`);
    return 2;
  }
  if (help !== "") {
    out.write(`${help}\n`);
    return 0;
  }
  if (action === undefined) return 0;
  if (io.interrupted === undefined) for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await action();
  } catch (error) {
    // The one way errors reach the user: a run that cannot start as asked is a usage error (2);
    // anything else thrown is igluc's own failure (1). What a run finds comes as diagnostics.
    if (error instanceof OptionsError) {
      err.write(`igluc ${command}: ${printable(error.message)}\nRun "igluc ${command} --help" for usage.\n`);
      return 2;
    }
    err.write(`igluc: ${printable(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}
