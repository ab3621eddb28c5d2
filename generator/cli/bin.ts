#!/usr/bin/env node
/**
 * The igluc bin: `igluc --version` answers at once; everything else goes to
 * runCli, loaded only then (it loads every command's settings, and yargs,
 * about 90 ms, when the command line is not a well-formed command).
 */
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const { GENERATOR_VERSION } = await import("../version.js");
  process.stdout.write(`${GENERATOR_VERSION}\n`);
} else {
  const { runCli } = await import("./run.js");
  process.exitCode = await runCli(argv);
}
