/**
 * `igluc micro`: a validating collector on loopback until Ctrl-C. Prints the
 * URL it listens on, and each bad event's messages (escaped: they carry what
 * clients sent). Exit 0 when stopped, 2 for options it cannot start with
 * (a port in use among them), 1 for igluc's own failure.
 */
import { printable } from "../diagnostics.js";
import { OptionsError } from "../errors.js";
import { startMicro, type StartMicroOptions } from "../micro/micro.js";
import { fromArgs } from "../options/declare.js";
import { loadConfig } from "../options/config.js";
import { MICRO } from "../options/settings.js";
import type { CliIo } from "./io.js";

export type MicroArgs = StartMicroOptions & { config?: string; quiet?: boolean };

export const DEFAULT_PORT = 9090;

export async function microCommand(args: MicroArgs, io: CliIo): Promise<number> {
  const flags = fromArgs(MICRO, args) as StartMicroOptions;
  let options: StartMicroOptions = { ...flags, cwd: io.cwd, port: flags.port ?? DEFAULT_PORT };
  if (flags.schemas === undefined && flags.resolver === undefined) {
    // No schemas named: those of igluc.config.json, as generate reads them.
    const config = loadConfig(io.cwd, args.config)?.options;
    if (config !== undefined) {
      const taken = Object.fromEntries((["schemas", "registries", "resolver", "lockfile", "cacheDir", "http"] as const)
        .filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
      options = { ...taken, ...options };
    }
  }
  const quiet = args.quiet === true;
  let micro;
  try {
    micro = await startMicro({
      ...options,
      onEvent: (event) => {
        if (event.valid || quiet) return;
        io.err.write(`igluc micro: bad event ${printable(event.eventId ?? "(no eid)")} (${printable(event.eventType ?? "no type")}):\n${event.messages.map((m) => `  ${printable(m)}`).join("\n")}\n`);
      },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES") {
      throw new OptionsError(`cannot listen on 127.0.0.1:${options.port} (${code === "EADDRINUSE" ? "the port is in use" : "not allowed"}); pass --port with another port, or --port 0 for a free one`);
    }
    throw error;
  }
  for (const d of micro.schemas.diagnostics) if (d.level !== "info") io.err.write(`igluc micro: ${printable(d.message)}\n`);
  io.out.write(`igluc micro: listening on ${printable(micro.url)} (${micro.schemas.count} schemas; the REST API at ${printable(micro.url)}/micro/all; Ctrl-C to stop)\n`);
  await io.interrupted;
  const counts = micro.all();
  await micro.close();
  io.out.write(`igluc micro: stopped; ${counts.good} good, ${counts.bad} bad${counts.dropped > 0 ? `, ${counts.dropped} dropped (over --max-stored-events or --max-stored-bytes)` : ""}\n`);
  return 0;
}
