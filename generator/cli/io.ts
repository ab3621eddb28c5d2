/** What a command of the CLI is given: where to write, where it runs, and how it is told to stop. */
export interface CliIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  readonly cwd: string;
  /** Resolves when the process is asked to stop (Ctrl-C); only --watch waits for it, to stop gracefully. */
  readonly interrupted: Promise<void>;
  /** Aborted when a command is stopped by a signal: what it staged is removed at once. */
  readonly signal?: AbortSignal;
}
