/**
 * A progress line for runs that take a while, on a terminal only: once a run
 * has taken a second, one line ("igluc generate: 120 of 660 schemas") is
 * drawn and redrawn in place, and erased when the run ends. Nothing is shown
 * when the output is piped or under CI, so logs stay what they were.
 */
import type { CliIo } from "./io.js";

/** After how long a run shows the line; IGLUC_PROGRESS_AFTER_MS changes it (the tests set 0). */
const AFTER_MS = Number(process.env.IGLUC_PROGRESS_AFTER_MS ?? 1_000);
/** Redraw at most this often. */
const EVERY_MS = 100;

export interface Progress {
  update(done: number, total: number): void;
  /** Erases the line, if one was drawn. */
  end(): void;
}

export function progressLine(io: CliIo, label: string, what: string, enabled = true): Progress {
  const stream = io.err as NodeJS.WritableStream & { isTTY?: boolean };
  if (!enabled || stream.isTTY !== true || process.env.CI !== undefined) return { update: () => undefined, end: () => undefined };
  const started = Date.now();
  let drawn = false;
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - started < AFTER_MS || (now - last < EVERY_MS && done < total)) return;
      last = now;
      stream.write(`\r\u001b[2K${label}: ${done} of ${total} ${what}`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write("\r\u001b[2K");
      drawn = false;
    },
  };
}
