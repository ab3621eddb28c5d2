/**
 * The full command-line parser: yargs, for --help, --version, completion and
 * the messages of a command line it cannot run. Built from the commands'
 * declarations (commands.ts); its handlers only record the command, which
 * run.ts then runs.
 */
import yargs, { type Argv } from "yargs";
import { yargsOptions } from "../options/declare.js";
import { GENERATOR_VERSION } from "../version.js";
import { COMMANDS, type CommandName, type ParsedCommand } from "./commands.js";

/** What yargs made of a command line: a command to run, text to print (help, version), a usage error, or nothing to do. */
export type YargsOutcome =
  | { readonly kind: "run"; readonly parsed: ParsedCommand }
  | { readonly kind: "output"; readonly text: string }
  | { readonly kind: "usage"; readonly message: string }
  | { readonly kind: "none" };

/** `y` with the options of `command` and its conflicting pairs. */
function withOptions(y: Argv, command: CommandName): Argv {
  const spec = COMMANDS[command];
  let out = y.options(yargsOptions(spec.settings));
  for (const [a, b] of "conflicts" in spec ? spec.conflicts : []) out = out.conflicts(a, b);
  return out;
}

export async function parseWithYargs(argv: readonly string[]): Promise<YargsOutcome> {
  let usageError: string | undefined;
  let parsed: ParsedCommand | undefined;
  const ran = (command: CommandName) => (args: Record<string, unknown>): void => { parsed = { command, args }; };

  const parser: Argv = yargs([...argv])
    .scriptName("igluc")
    .usage("$0 <command> [options]\n\nTyped Snowplow tracking from Iglu schemas.")
    .command("generate", "Generate typed track functions and entity builders from Iglu schemas", (y) => withOptions(y
      .usage("$0 generate [--schemas DIR]... [--out DIR] [options]\n\nReads igluc.config.json (searched from the working directory up) unless --config names one; flags override it."), "generate")
      .example("$0 generate --schemas ./schemas --out ./src/tracking", "Generate from a local registry")
      .example("$0 generate --check", "In CI: fail when the committed output is stale")
      .example("$0 generate --resolver ./resolver.json --out ./src/tracking", "Generate from the repositories of a resolver configuration"),
    ran("generate"))
    .command("lint [paths..]", "Check Iglu schemas and their version history (for CI)", (y) => withOptions(y
      .usage("$0 lint [paths..] [options]\n\nChecks registry folders (or single schema files): JSON, self-description, draft-04 validity, igluctl's 18 linters, $refs, and that each version's SchemaVer bump matches its changes. With no paths, lints the \"schemas\" of igluc.config.json.")
      .positional("paths", { type: "string", array: true, describe: "Registry folders (root or schemas/) or schema files" }), "lint")
      .example("$0 lint ./schemas", "Lint a registry; exit 1 on errors")
      .example("$0 lint ./schemas --format github", "In GitHub Actions: annotate the pull request")
      .example("$0 lint ./schemas --preset iglu-central", "The checks Iglu Central's CI runs"),
    ran("lint"))
    .command("pull", "Copy schemas from an Iglu Server or a static HTTP registry into a local registry folder", (y) => withOptions(y
      .usage("$0 pull --registry URL [--vendor V]... [--schema vendor/name[@version]]... [--out DIR]\n\nWrites a static registry folder, with the schemas the pulled ones refer to. All or nothing: if any schema fails, nothing is written; files already current are left alone and nothing is deleted."), "pull")
      .example("$0 pull --registry https://iglu.acme.com/api --vendor com.acme --out ./schemas", "Everything of one vendor from an Iglu Server (key from $IGLU_API_KEY)")
      .example("$0 pull --registry http://iglucentral.com --schema com.snowplowanalytics.snowplow/link_click@1", "The latest 1-*-* of one schema from a static registry"),
    ran("pull"))
    .command("micro", "Run a local collector that validates every event like the pipeline (for app tests)", (y) => withOptions(y
      .usage("$0 micro [--port 9090] [--schemas DIR]... [--resolver FILE] [options]\n\nListens on 127.0.0.1 for the tracker protocol (POST /com.snowplowanalytics.snowplow/tp2, GET /i, CORS for browsers), validates each event against its schemas (payload_data, the contexts and unstruct_event envelopes, every entity and event), keeps good and bad events, and serves Snowplow Micro's REST API (/micro/all, /micro/good, /micro/bad, /micro/reset, /micro/iglu/...) and /micro/events/{eventId}. Bad events' messages are printed as they arrive. With no --schemas or --resolver, reads those of igluc.config.json."), "micro")
      .example("$0 micro --schemas ./schemas", "Validate against a local registry on http://127.0.0.1:9090")
      .example("$0 micro --port 0 --resolver ./resolver.json", "A free port; schemas from the repositories of a resolver configuration"),
    ran("micro"))
    .demandCommand(1, "No command given.")
    .strict()
    .help()
    .alias("help", "h")
    .version("version", "Show igluc's version", GENERATOR_VERSION)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => { usageError = message ?? error?.message ?? "invalid arguments"; });

  const output = await new Promise<string>((resolve) => {
    void Promise.resolve(parser.parse([...argv], {}, (_e, _a, text) => resolve(text))).catch((error: unknown) => {
      usageError = error instanceof Error ? error.message : String(error);
      resolve("");
    });
  });
  if (usageError !== undefined) return { kind: "usage", message: usageError };
  if (output !== "") return { kind: "output", text: output };
  return parsed === undefined ? { kind: "none" } : { kind: "run", parsed };
}
