/**
 * BullMQEmitter: the Emitter (batching, byte limit, backoff, callbacks,
 * close with a deadline and a report), with a BullMQ queue where the
 * collector would be: each batch becomes one job, `{ events }`, which a
 * worker (createBullMQWorker) sends to the collector with BullMQ's retries,
 * backoff and failed set. As the Python tracker's CeleryEmitter does with
 * Celery.
 *
 * The job id is the SHA-256 of the batch's event ids, so a batch added again
 * (its add timed out, but Redis had it) is not queued twice while the first
 * job is kept (removeOnComplete). An add that fails (Redis out of reach) is
 * retried with the Emitter's backoff and reported through `onFailure` and
 * the logger, never thrown; what is still not queued at close is reported
 * lost. `onSuccess` hears of batches once they are queued.
 */
import { createHash } from "node:crypto";
import type { ConnectionOptions, JobsOptions, Queue } from "bullmq";
import { describeValue } from "../describe.js";
import type { EmitterConfig } from "../emitter/config.js";
import { EmitterCore } from "../emitter/emitter.js";
import type { EmitterPlatform } from "../emitter/platform.js";
import type { HttpOutcome, Transport } from "../emitter/transport-types.js";
import { registerForExit } from "../exit.js";
import { resolveLogger, type Logger } from "../logger.js";
import type { Payload } from "../protocol.js";
import { fromUtf8 } from "../text.js";
import { connectionOf, connectionUrl, loadBullMQ, openIORedis, queueName, type BullMQConnectionOptions } from "./load.js";
import { settledWithin } from "../within.js";

/** What a job holds: the events of one batch, without `stm` (the worker sets it when it sends them). */
export interface EventsJob {
  readonly events: readonly Payload[];
}

type KeepJobs = boolean | number | { readonly age?: number; readonly count?: number };

export interface BullMQEmitterOptions
  extends BullMQConnectionOptions, Omit<EmitterConfig, "endpoint" | "method" | "protocol" | "port" | "transport" | "agent" | "dispatcher" | "credentials" | "headers"> {
  /** The queue's name, or a Queue of the application's (which close() leaves open). */
  queue: string | Queue;
  /** The name given to each job. @defaultValue "snowplow-events" */
  jobName?: string;
  /** Attempts a worker makes at a job before it goes to the failed set. @defaultValue 10 */
  attempts?: number;
  /** BullMQ's backoff between attempts. @defaultValue { type: "exponential", delay: 1_000 } */
  backoff?: number | { readonly type: "fixed" | "exponential"; readonly delay?: number };
  /** Completed jobs kept (their ids also deduplicate a batch added again). @defaultValue { age: 3_600, count: 1_000 } */
  removeOnComplete?: KeepJobs;
  /** Failed jobs kept, for inspection and retry. @defaultValue { age: 7 days, count: 10_000 } */
  removeOnFail?: KeepJobs;
}

/** How long closing a queue igluc made may take, in ms, before its connection is cut. */
const QUEUE_CLOSE_MS = 2_000;
/** Repeated Redis errors are logged once a minute. */
const REPEAT_LOG_MS = 60_000;

export class BullMQEmitter extends EmitterCore {
  /** The queue jobs go to. */
  readonly queue: Queue;

  constructor(options: BullMQEmitterOptions) {
    if (options === null || typeof options !== "object") throw new TypeError(`BullMQEmitter: expected options like { queue: "snowplow", url: "redis://…" }, got ${describeValue(options)}`);
    const logger = resolveLogger(options.logger);
    const jobOptions = jobOptionsOf(options);
    const jobName = options.jobName ?? "snowplow-events";
    if (typeof jobName !== "string" || jobName === "") throw new TypeError(`BullMQEmitter: jobName must be a non-empty string, got ${describeValue(options.jobName)}`);
    const { queue, close } = openQueue(options, logger);
    const { queue: _queue, url: _url, connection: _connection, prefix: _prefix, jobName: _jobName, attempts: _attempts, backoff: _backoff,
      removeOnComplete: _complete, removeOnFail: _fail, ...config } = options;
    const platform: EmitterPlatform = {
      transport: () => queueTransport(queue, close, jobName, jobOptions),
      lifecycle: (participant) => registerForExit(participant),
    };
    // The Emitter's messages speak of a collector: here it is the queue.
    const where = `BullMQEmitter (queue "${typeof options.queue === "string" ? options.queue : queue.name}"): `;
    const coreLogger: Logger = {
      error: (message, details) => logger.error(where + message, details),
      warn: (message, details) => logger.warn(where + message, details),
      info: (message, details) => logger.info(where + message, details),
      debug: (message, details) => logger.debug(where + message, details),
    };
    try {
      super({ ...config, logger: coreLogger, endpoint: "http://bullmq.invalid", method: "post" }, platform);
    } catch (error) {
      // An option the Emitter refuses: the connection made for it is ended, not left to the garbage collector.
      void close?.(CLOSE_ON_ERROR_MS);
      throw error;
    }
    this.queue = queue;
  }
}

/** How long a connection opened for an emitter that could not be made has to end. */
const CLOSE_ON_ERROR_MS = 1_000;

function jobOptionsOf(options: BullMQEmitterOptions): JobsOptions {
  const attempts = options.attempts ?? 10;
  if (typeof attempts !== "number" || !Number.isInteger(attempts) || attempts < 1) throw new TypeError(`BullMQEmitter: attempts must be a positive integer, got ${describeValue(attempts)}`);
  const backoff = options.backoff ?? { type: "exponential", delay: 1_000 };
  if (typeof backoff === "number" ? !(backoff >= 0) : backoff === null || typeof backoff !== "object" || (backoff.type !== "fixed" && backoff.type !== "exponential")) {
    throw new TypeError(`BullMQEmitter: backoff must be a number of ms or { type: "fixed" | "exponential", delay }, got ${describeValue(backoff)}`);
  }
  const keep = (name: string, value: KeepJobs): KeepJobs => {
    if (typeof value === "boolean" || (typeof value === "number" && value >= 0) || (value !== null && typeof value === "object")) return value;
    throw new TypeError(`BullMQEmitter: ${name} must be true, false, a count or { age, count }, got ${describeValue(value)}`);
  };
  return {
    attempts,
    backoff: typeof backoff === "number" ? backoff : { ...backoff },
    removeOnComplete: keep("removeOnComplete", options.removeOnComplete ?? { age: 3_600, count: 1_000 }) as NonNullable<JobsOptions["removeOnComplete"]>,
    removeOnFail: keep("removeOnFail", options.removeOnFail ?? { age: 7 * 24 * 3_600, count: 10_000 }) as NonNullable<JobsOptions["removeOnFail"]>,
  };
}

interface OpenQueue {
  readonly queue: Queue;
  /** Closes what igluc opened (the queue, and the connection it made from `url`), by the deadline; undefined for a Queue of the application's. */
  readonly close: ((timeoutMs: number) => Promise<void>) | undefined;
}

function openQueue(options: BullMQEmitterOptions, logger: Logger): OpenQueue {
  if (options.queue !== null && typeof options.queue === "object") {
    if (typeof (options.queue as Partial<Queue>).add !== "function") throw new TypeError("BullMQEmitter: queue must be a queue name or a BullMQ Queue");
    return { queue: options.queue, close: undefined };
  }
  const name = queueName(options.queue, "BullMQEmitter");
  const { Queue: QueueClass } = loadBullMQ("BullMQEmitter");
  // From a URL, igluc makes the connection: commands fail at once while Redis is out of reach (the Emitter backs off and
  // retries), and it does not keep the process alive; connection options or a client of the application's are used as given.
  const own = options.connection === undefined ? openIORedis(connectionUrl(options, "BullMQEmitter"), "BullMQEmitter") : undefined;
  const connection: ConnectionOptions = own?.client ?? connectionOf(options, "BullMQEmitter");
  const queue = new QueueClass(name, { connection, ...(options.prefix !== undefined ? { prefix: options.prefix } : {}) });
  const close = async (timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    if (!(await settledWithin(queue.close(), timeoutMs))) {
      logger.warn(`BullMQEmitter: the queue did not close within ${timeoutMs} ms; its connection was cut`);
      await settledWithin(queue.disconnect(), 200);
    }
    await own?.close(Math.max(100, deadline - Date.now()));
  };
  let lastLog = 0;
  queue.on("error", (error: Error) => {
    const now = Date.now();
    if (now - lastLog < REPEAT_LOG_MS) return;
    lastLog = now;
    logger.warn(`BullMQEmitter: Redis error on queue "${name}"; events wait in memory and are tried again`, { error: error.message });
  });
  return { queue, close };
}

/** The job id of a batch: hex SHA-256 of its event ids (or, for events without one, of the events). */
export function batchJobId(events: readonly Payload[]): string {
  const hash = createHash("sha256");
  if (events.every((event) => typeof event.eid === "string" && event.eid !== "")) {
    for (const event of events) hash.update(`${event.eid}\n`);
  } else {
    hash.update(JSON.stringify(events));
  }
  return hash.digest("hex");
}

/** The Emitter's transport: each POST body it builds (one batch) becomes a job. */
function queueTransport(queue: Queue, close: OpenQueue["close"], jobName: string, jobOptions: JobsOptions): Transport {
  // Adds still waiting for Redis, by job id: a batch tried again while its add waits joins that add rather
  // than starting another, so adds never pile up in memory while Redis is out of reach.
  const pending = new Map<string, Promise<HttpOutcome>>();
  return {
    send(request, signal) {
      if (signal.aborted) return Promise.resolve({ kind: "aborted", error: new Error("emitter closed") });
      let events: Payload[];
      try {
        const body = request.body === undefined ? "" : typeof request.body === "string" ? request.body : fromUtf8(request.body);
        events = (JSON.parse(body) as { data: Record<string, string>[] }).data;
        for (const event of events) delete (event as { stm?: string }).stm;
      } catch (error) {
        return Promise.resolve({ kind: "network", error: error instanceof Error ? error : new Error(String(error)) });
      }
      const job: EventsJob = { events };
      const jobId = batchJobId(events);
      let adding = pending.get(jobId);
      if (adding === undefined) {
        adding = queue.add(jobName, job, { ...jobOptions, jobId }).then(
          (): HttpOutcome => ({ kind: "response", status: 200 }),
          (error: unknown): HttpOutcome => ({ kind: "network", error: error instanceof Error ? error : new Error(String(error)) }),
        );
        pending.set(jobId, adding);
        void adding.then(() => pending.delete(jobId));
      }
      const added = adding;
      return new Promise<HttpOutcome>((resolve) => {
        // An add cut short may still reach Redis: the same batch added again then has the same job id, and is not queued twice.
        const onAbort = (): void => resolve({ kind: "aborted", error: new Error("adding the job was cut short") });
        signal.addEventListener("abort", onAbort, { once: true });
        void added.then((outcome) => {
          signal.removeEventListener("abort", onAbort);
          resolve(outcome);
        });
      });
    },
    async close() {
      await close?.(QUEUE_CLOSE_MS);
    },
  };
}
