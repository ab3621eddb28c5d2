/**
 * The two errors igluc throws on purpose. Everything else a run finds is a
 * Diagnostic in its result (diagnostics.ts); anything else thrown is a bug.
 *
 * - OptionsError: the run cannot start as asked (a flag, a config file, a
 *   resolver file or a lockfile is wrong). The CLI prints it with a pointer
 *   to --help and exits 2.
 * - RegistryError: a repository failed as a whole (refused the key, cannot
 *   be reached, answered nonsense). It never leaves remote/: sync and pull
 *   turn it into a `registry-*` diagnostic with registryDiagnostic.
 */
import type { Diagnostic } from "./diagnostics.js";

export class OptionsError extends Error {
  /**
   * `option`, when the message is about one option named first: the message is `key` then `rest`,
   * and the CLI (cli/run.ts) says it by the flag instead (`--max-body-bytes`, not `maxBodyBytes`).
   */
  constructor(message: string, readonly option?: { readonly key: string; readonly rest: string }) {
    super(message);
  }
}

/** An option with a wrong value: `key problem` through the API, `--flag problem` on the command line. */
export function optionProblem(key: string, problem: string): OptionsError {
  return new OptionsError(`${key} ${problem}`, { key, rest: ` ${problem}` });
}

export type RegistryErrorKind = "auth" | "not-found" | "unreachable" | "timeout" | "server" | "invalid";

/** A registry failure, said in the user's terms: which repository, which URL, what to do. */
export class RegistryError extends Error {
  constructor(readonly kind: RegistryErrorKind, message: string, readonly hint: string) {
    super(message);
  }
}

/** The diagnostic a registry failure is reported as. */
export function registryDiagnostic(error: RegistryError): Diagnostic {
  return { level: "error", code: `registry-${error.kind}`, message: error.message, hint: error.hint };
}
