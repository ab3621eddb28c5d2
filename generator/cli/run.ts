/**
 * The igluc command line. The bin is a thin shell over runCli, which returns
 * the exit code: 0 success, 1 failure, 2 usage error.
 */
import yargs from "yargs";

export async function runCli(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let code = 0;
  const parser = yargs([...argv])
    .scriptName("igluc")
    .usage("$0 <command>\n\nTyped Snowplow tracking from Iglu schemas.")
    .strict()
    .help()
    .version(false)
    .fail((message, error) => {
      err.write(`igluc: ${message ?? error?.message ?? "invalid arguments"}\nRun "igluc --help" for usage.\n`);
      code = 2;
    })
    .demandCommand(1, "No command given.");
  try {
    const output = await new Promise<string>((resolve) => {
      void parser.parse([...argv], {}, (_error, _args, text) => resolve(text));
    });
    if (output !== "") (code === 0 ? out : err).write(output + "\n");
  } catch (error) {
    err.write(`igluc: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return code;
}
