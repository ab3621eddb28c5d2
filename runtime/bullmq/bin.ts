/**
 * igluc-worker: a process that only runs BullMQ workers, sending the jobs a
 * BullMQEmitter queued to a collector, until SIGTERM or SIGINT (then the
 * jobs in hand finish within --close-timeout, and it exits 0).
 * Exit codes: 0 stopped cleanly; 1 could not start or did not close cleanly; 2 usage error.
 */
import { parseArgs } from "node:util";
import type { LogLevel } from "../logger.js";
import { createBullMQWorker } from "./worker.js";

const USAGE = `Usage: igluc-worker --queue NAME --endpoint URL [options]

Sends the jobs a BullMQEmitter queued to a Snowplow collector, until SIGTERM or SIGINT.

Options:
  --queue NAME            the BullMQ queue (required)
  --endpoint URL          the collector, e.g. https://collector.example.com (required)
  --redis URL             redis://[[user]:password@]host[:port][/db] (default redis://127.0.0.1:6379)
  --prefix PREFIX         BullMQ's key prefix (default bull)
  --concurrency N         jobs sent at once (default 4)
  --close-timeout MS      how long jobs in hand may take to finish at SIGTERM (default 10000)
  --log-level LEVEL       silent, error, warn, info or debug (default info)
  -h, --help              this text

Needs the bullmq and ioredis packages: npm install bullmq ioredis
Exit codes: 0 stopped cleanly, 1 failed to start or to close in time, 2 usage error.`;

const LEVELS = ["silent", "error", "warn", "info", "debug"];

export async function main(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv], strict: true, allowPositionals: false,
      options: {
        queue: { type: "string" }, endpoint: { type: "string" }, redis: { type: "string" }, prefix: { type: "string" },
        concurrency: { type: "string" }, "close-timeout": { type: "string" }, "log-level": { type: "string" }, help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    process.stderr.write(`igluc-worker: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const usage = (message: string): number => {
    process.stderr.write(`igluc-worker: ${message}\n\n${USAGE}\n`);
    return 2;
  };
  if (values.queue === undefined) return usage("--queue is required");
  if (values.endpoint === undefined) return usage("--endpoint is required");
  const concurrency = Number(values.concurrency ?? "4");
  if (!Number.isInteger(concurrency) || concurrency < 1) return usage(`--concurrency must be a positive integer, got ${values.concurrency}`);
  const closeTimeoutMs = Number(values["close-timeout"] ?? "10000");
  if (!Number.isInteger(closeTimeoutMs) || closeTimeoutMs < 0) return usage(`--close-timeout must be a number of ms, got ${values["close-timeout"]}`);
  const level = values["log-level"] ?? "info";
  if (!LEVELS.includes(level)) return usage(`--log-level must be one of ${LEVELS.join(", ")}, got ${level}`);
  let handle;
  try {
    handle = createBullMQWorker({
      queue: values.queue, endpoint: values.endpoint, concurrency, closeTimeoutMs, handleSignals: true, logger: level as LogLevel,
      // Without --redis, the worker's own default Redis URL (load.ts).
      ...(values.redis !== undefined ? { url: values.redis } : {}), ...(values.prefix !== undefined ? { prefix: values.prefix } : {}),
    });
  } catch (error) {
    // Wrong options (a TypeError) are a usage error; a missing package cannot start.
    if (error instanceof TypeError) return usage(error.message);
    process.stderr.write(`igluc-worker: ${(error as Error).message}\n`);
    return 1;
  }
  if (level !== "silent" && level !== "error" && level !== "warn") process.stdout.write(`igluc-worker: sending jobs of queue "${values.queue}" to ${values.endpoint} (concurrency ${concurrency})\n`);
  const report = await handle.closed;
  const stats = handle.stats();
  if (level !== "silent") process.stdout.write(`igluc-worker: stopped; ${stats.completedJobs} job(s) and ${stats.delivered} event(s) delivered, ${stats.failedJobs} job(s) failed for good\n`);
  return report.graceful ? 0 : 1;
}
