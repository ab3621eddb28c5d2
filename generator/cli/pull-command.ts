/**
 * `igluc pull`: a registry's schemas into a static registry folder.
 * Exit 0 pulled, 1 a registry or schema problem (nothing written), 2 usage.
 */
import path from "node:path";
import { count as counted, formatDiagnostic, printable } from "../diagnostics.js";
import { pull } from "../remote/pull.js";
import type { CliIo } from "./io.js";
import { progressLine } from "./progress.js";

export interface PullArgs {
  registry: string;
  type?: "iglu-server" | "static";
  apikey?: string;
  vendor?: string[];
  schema?: string[];
  out?: string;
  timeout?: number;
}

export async function pullCommand(args: PullArgs, io: CliIo): Promise<number> {
  const progress = progressLine(io, "igluc pull", "schemas");
  const result = await pull({
    registry: args.registry, out: args.out ?? "schemas", cwd: io.cwd,
    onProgress: (done, total) => progress.update(done, total),
    ...(io.signal !== undefined ? { signal: io.signal } : {}),
    ...(args.type !== undefined ? { type: args.type } : {}),
    ...(args.apikey !== undefined ? { apikey: args.apikey } : {}),
    ...(args.vendor !== undefined ? { vendors: args.vendor } : {}),
    ...(args.schema !== undefined ? { schemas: args.schema } : {}),
    ...(args.timeout !== undefined ? { http: { timeoutMs: args.timeout * 1000 } } : {}),
  }).finally(() => progress.end());
  for (const d of result.diagnostics) io.err.write(`${formatDiagnostic(d)}\n`);
  const failed = result.diagnostics.some((d) => d.level === "error");
  const out = printable(path.relative(io.cwd, result.out) || ".");
  io.out.write(failed
    ? `igluc pull: failed; nothing written to ${out} (${(result.ms / 1000).toFixed(2)} s)\n`
    : `igluc pull: ${counted(result.schemas, "schema")}; ${counted(result.written, "file")} written to ${out} (${(result.ms / 1000).toFixed(2)} s)\n`);
  return failed ? 1 : 0;
}
