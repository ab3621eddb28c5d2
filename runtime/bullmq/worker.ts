/**
 * The worker side of BullMQEmitter: takes jobs of `{ events }` from the
 * queue and sends each job's events to the collector through the runtime's
 * HTTP transport, with the Emitter's request deadline and retry rules:
 * - delivered: the job completes;
 * - a status that is never retried (400, 401, 403, 410, 413 for one event,
 *   414, 422, and what customRetryCodes turns off): the job fails at once,
 *   without retries (BullMQ's UnrecoverableError), into the failed set with
 *   the reason;
 * - 5xx, network errors, timeouts: the job fails this attempt and BullMQ
 *   tries again after its backoff (or the collector's Retry-After on a 429
 *   or 503, when longer), until its attempts are spent.
 * When part of a job went through, the job is rewritten to hold only what is
 * left before it fails, so a retry does not send the rest again.
 *
 * A worker that dies holds its jobs' locks until they lapse; BullMQ's stalled
 * check then gives those jobs to another worker (at least once: the events of
 * the jobs that were in flight may arrive twice). Jobs that fail for good are
 * reported through the logger and `onFailure`.
 */
import { setMaxListeners } from "node:events";
import type { Job, Worker, WorkerOptions } from "bullmq";
import { describeValue } from "../describe.js";
import { resolveEmitterConfig, type EmitterConfig, type EmitterSettings } from "../emitter/config.js";
import { RequestSender } from "../emitter/request.js";
import { toWirePayload, ENVELOPE_BYTES, PER_EVENT_OVERHEAD } from "../emitter/wire.js";
import type { CloseOptions } from "../emitter/types.js";
import { nodePlatform } from "../platform/node.js";
import type { Payload } from "../protocol.js";
import type { StoredEvent } from "../store/event-store.js";
import { utf8Length } from "../text.js";
import type { EventsJob } from "./emitter.js";
import { connectionOf, connectionUrl, loadBullMQ, openIORedis, queueName, type BullMQConnectionOptions } from "./load.js";
import { settledWithin } from "../within.js";

/** A job that failed for good: its attempts spent, a status that is not retried, or stalled too often. */
export interface BullMQJobFailure {
  readonly jobId: string | undefined;
  /** The events of the job that were not delivered. */
  readonly events: readonly Payload[];
  /** BullMQ's failedReason. */
  readonly reason: string;
  /** The collector's status, when it answered (known to the worker that ran the last attempt). */
  readonly status?: number;
  readonly attemptsMade: number;
}

export interface BullMQWorkerOptions
  extends BullMQConnectionOptions,
  Pick<EmitterConfig, "endpoint" | "protocol" | "port" | "byteLimit" | "requestTimeout" | "customRetryCodes" | "headers" | "transport" | "agent" | "dispatcher" | "logger"> {
  /** The queue's name. */
  queue: string;
  /** Jobs processed at once by this worker. @defaultValue 4 */
  concurrency?: number;
  /** BullMQ's lock on an active job, in ms: a dead worker's jobs go to another worker once it lapses. @defaultValue 30_000 */
  lockDuration?: number;
  /** How often stalled jobs are looked for, in ms. @defaultValue 30_000 */
  stalledInterval?: number;
  /** Times a job may stall (its worker died) before it fails for good. @defaultValue 5 */
  maxStalledCount?: number;
  /** Close on SIGINT and SIGTERM, within closeTimeoutMs. @defaultValue false */
  handleSignals?: boolean;
  /** The deadline of a close started by a signal, in ms. @defaultValue 10_000 */
  closeTimeoutMs?: number;
  /** Called with the events of each job delivered. */
  onSuccess?: (events: readonly Payload[]) => void;
  /** Called for each job that failed for good, and for events dropped because of a status that is not retried. */
  onFailure?: (failure: BullMQJobFailure) => void;
}

export interface BullMQWorkerStats {
  readonly completedJobs: number;
  /** Events the collector acknowledged. */
  readonly delivered: number;
  /** Attempts that failed and will be tried again. */
  readonly retriedJobs: number;
  /** Jobs that failed for good. */
  readonly failedJobs: number;
}

export interface BullMQWorkerCloseReport {
  /** True when the jobs in hand finished before the deadline; otherwise they were cut short and will run again. */
  readonly graceful: boolean;
}

export interface BullMQWorkerHandle {
  readonly worker: Worker<EventsJob>;
  stats(): BullMQWorkerStats;
  /** Takes no more jobs, lets those in hand finish within the deadline, cuts the rest short (back to waiting, at no cost of an attempt, when Redis answers in time; else they run again once their lock lapses), closes the connections. */
  close(options?: CloseOptions): Promise<BullMQWorkerCloseReport>;
  /** Resolves when the worker has closed (by close() or a signal). */
  readonly closed: Promise<BullMQWorkerCloseReport>;
}

/** A failed request's outcome, carried to the 'failed' handler. */
class DeliveryError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined) {
    super(message);
    this.name = "DeliveryError";
    this.status = status;
  }
}

interface Tally {
  delivered: StoredEvent[];
  retry: StoredEvent[];
  dropped: StoredEvent[];
  retryWhy: string | undefined;
  dropWhy: string | undefined;
  dropStatus: number | undefined;
  retryStatus: number | undefined;
  /** The longest Retry-After the collector asked for, in ms. */
  retryAfterMs: number | undefined;
}

/**
 * Makes the retry BullMQ is about to schedule wait at least `ms` (a
 * collector's Retry-After, capped as the Emitter caps it). BullMQ computes
 * the delay from the job's backoff when the processor throws, reading the
 * job in hand: a longer wait is set there as a fixed one, for this retry only
 * (nothing is written to Redis). A custom backoff type is left to its strategy.
 */
function waitAtLeast(job: Job<EventsJob>, ms: number): void {
  const backoff = job.opts.backoff;
  const next = job.attemptsMade + 1;
  let planned: number | undefined;
  if (backoff === undefined) planned = 0;
  else if (typeof backoff === "number") planned = backoff;
  else if (backoff.type === "fixed") planned = backoff.delay ?? 0;
  else if (backoff.type === "exponential") planned = Math.round(2 ** (next - 1) * (backoff.delay ?? 0));
  // With jitter, BullMQ waits anywhere from planned × (1 − jitter) to planned: the shortest wait is what must cover ms.
  const jitter = typeof backoff === "object" ? Math.min(1, Math.max(0, backoff.jitter ?? 0)) : 0;
  if (planned !== undefined && ms > Math.floor(planned * (1 - jitter))) job.opts.backoff = { type: "fixed", delay: ms };
}

/** How long a failed job's state is waited for, to tell a retry from a failure for good. */
const STATE_TIMEOUT_MS = 2_000;
/** How long a job cut short by close() may take to go back to waiting before the connections are ended. */
const CUT_SHORT_MOVE_MS = 250;

export function createBullMQWorker(options: BullMQWorkerOptions): BullMQWorkerHandle {
  if (options === null || typeof options !== "object") throw new TypeError(`createBullMQWorker: expected options like { queue, url, endpoint }, got ${describeValue(options)}`);
  const name = queueName(options.queue, "createBullMQWorker");
  const settings: EmitterSettings = resolveEmitterConfig({
    endpoint: options.endpoint,
    ...pick(options, ["protocol", "port", "byteLimit", "requestTimeout", "customRetryCodes", "headers", "transport", "agent", "dispatcher", "logger"]),
    maxConcurrentRequests: options.concurrency ?? 4,
  });
  const concurrency = settings.maxConcurrent;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  if (typeof closeTimeoutMs !== "number" || !(closeTimeoutMs >= 0)) throw new TypeError(`createBullMQWorker: closeTimeoutMs must be a number of ms, got ${describeValue(closeTimeoutMs)}`);
  for (const key of ["onSuccess", "onFailure"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "function") throw new TypeError(`createBullMQWorker: ${key} must be a function, got ${describeValue(options[key])}`);
  }
  const logger = settings.logger;
  const bullmq = loadBullMQ("createBullMQWorker");
  const transport = nodePlatform.transport(settings);
  const closing = new AbortController();
  // Each request in flight listens for the close: up to one per job in hand, and a 413 split adds none at once.
  setMaxListeners(concurrency + 10, closing.signal);
  const sender = new RequestSender(settings, transport, closing.signal);
  const stats = { completedJobs: 0, delivered: 0, retriedJobs: 0, failedJobs: 0 };
  const callback = (what: string, call: () => void): void => {
    try {
      call();
    } catch (error) {
      logger.error(`createBullMQWorker: ${what} callback threw`, { error });
    }
  };

  /** Sends some events, halving a batch the collector finds too large; sorts each event into the tally. */
  const send = async (batch: StoredEvent[], tally: Tally): Promise<void> => {
    const { outcome, closed } = await sender.send(batch);
    if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) {
      tally.delivered.push(...batch);
      return;
    }
    const status = outcome.kind === "response" ? outcome.status : undefined;
    if (status === 413 && batch.length > 1) {
      const middle = Math.ceil(batch.length / 2);
      await send(batch.slice(0, middle), tally);
      await send(batch.slice(middle), tally);
      return;
    }
    const why = status !== undefined ? `HTTP ${status}` : closed ? "the worker closed" : `${outcome.kind}: ${outcome.kind === "response" ? "" : outcome.error.message}`;
    if (!closed && !settings.retry.shouldRetry(status)) {
      tally.dropped.push(...batch);
      tally.dropWhy = why;
      tally.dropStatus = status;
    } else {
      tally.retry.push(...batch);
      tally.retryWhy = why;
      tally.retryStatus = status;
      if (outcome.kind === "response" && outcome.retryAfterMs !== undefined) tally.retryAfterMs = Math.max(tally.retryAfterMs ?? 0, outcome.retryAfterMs);
    }
  };

  const processJob = async (job: Job<EventsJob>, token?: string): Promise<{ delivered: number }> => {
    const events = eventsOf(job.data);
    if (events === undefined) throw new bullmq.UnrecoverableError(`job data is not { events: [payload, …] }: ${describeValue(job.data).slice(0, 200)}`);
    const tally: Tally = { delivered: [], retry: [], dropped: [], retryWhy: undefined, dropWhy: undefined, dropStatus: undefined, retryStatus: undefined, retryAfterMs: undefined };
    for (const batch of batches(events, settings.byteLimit)) await send(batch, tally);
    const payloads = (list: readonly StoredEvent[]): Payload[] => list.map((e) => events[e.id]!);
    stats.delivered += tally.delivered.length;
    if (tally.delivered.length > 0 && options.onSuccess !== undefined) callback("onSuccess", () => options.onSuccess!(payloads(tally.delivered)));
    if (tally.retry.length === 0 && tally.dropped.length === 0) return { delivered: tally.delivered.length };
    if (tally.retry.length > 0) {
      if (tally.dropped.length > 0) {
        // Those will not be sent again: reported now, as the job keeps only what is retried.
        const dropped = payloads(tally.dropped);
        logger.error(`createBullMQWorker: job ${job.id}: the collector refused ${dropped.length} event(s) (${tally.dropWhy}, not retried); dropped`);
        if (options.onFailure !== undefined) callback("onFailure", () => options.onFailure!({ jobId: job.id, events: dropped, reason: `${tally.dropWhy} (not retried)`, ...(tally.dropStatus !== undefined ? { status: tally.dropStatus } : {}), attemptsMade: job.attemptsMade + 1 }));
      }
      if (tally.retry.length < events.length) await rewrite(job, payloads(tally.retry));
      if (closing.signal.aborted && token !== undefined && await backToWaiting(job, token)) {
        // Cut short by close(): not the collector's fault, so it costs no attempt; the next worker takes it.
        throw new bullmq.WaitingError();
      }
      if (tally.retryAfterMs !== undefined) waitAtLeast(job, settings.retry.delay(1, tally.retryAfterMs));
      throw new DeliveryError(`${tally.retry.length} of ${events.length} event(s) not delivered (${tally.retryWhy}); retried with backoff`, tally.retryStatus);
    }
    if (tally.dropped.length < events.length) await rewrite(job, payloads(tally.dropped));
    const error = new bullmq.UnrecoverableError(`the collector refused ${tally.dropped.length} event(s) with ${tally.dropWhy}, a status that is not retried`);
    (error as { status?: number | undefined }).status = tally.dropStatus;
    throw error;
  };

  /** Returns a job in hand to the waiting list, its attempts untouched; false when Redis did not do it in time. */
  const backToWaiting = async (job: Job<EventsJob>, token: string): Promise<boolean> => {
    let moved = false;
    await settledWithin(job.moveToWait(token).then(() => { moved = true; }, () => undefined), CUT_SHORT_MOVE_MS);
    return moved;
  };

  const rewrite = async (job: Job<EventsJob>, left: Payload[]): Promise<void> => {
    try {
      await job.updateData({ events: left });
    } catch (error) {
      // The job keeps every event: a retry sends the delivered ones again (at least once).
      logger.warn(`createBullMQWorker: job ${job.id}: could not record which events were delivered; a retry may send them again`, { error: String(error) });
    }
  };

  // From a URL, igluc makes the connection, so close() can end it (and BullMQ's copies) whatever Redis does.
  const own = options.connection === undefined ? openIORedis(connectionUrl(options, "createBullMQWorker"), "createBullMQWorker", true) : undefined;
  const workerOptions: WorkerOptions = {
    connection: own?.client ?? connectionOf(options, "createBullMQWorker"),
    concurrency,
    ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 5,
  };
  let worker: Worker<EventsJob>;
  try {
    worker = new bullmq.Worker<EventsJob>(name, processJob, workerOptions);
  } catch (error) {
    // An option BullMQ refuses: the connection made for it would keep the process alive.
    void own?.close(1_000);
    void transport.close();
    throw error;
  }
  let lastRedisLog = 0;
  worker.on("error", (error: Error) => {
    if (Date.now() - lastRedisLog < 60_000) return;
    lastRedisLog = Date.now();
    logger.warn(`createBullMQWorker: Redis error on queue "${name}"; jobs wait in Redis and the worker reconnects`, { error: error.message });
  });
  worker.on("completed", () => { stats.completedJobs++; });
  worker.on("stalled", (jobId: string) => {
    logger.warn(`createBullMQWorker: job ${jobId} stalled (the worker running it stopped); it runs again`);
  });
  worker.on("failed", (job: Job<EventsJob> | undefined, error: Error) => {
    void reportFailed(job, error);
  });
  const reportFailed = async (job: Job<EventsJob> | undefined, error: Error): Promise<void> => {
    if (job === undefined) {
      stats.failedJobs++;
      logger.error(`createBullMQWorker: a job failed: ${error.message}`);
      return;
    }
    let forGood = error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!forGood) {
      try {
        // Waiting out its backoff (or taken again already); a job no longer there was removed on failing (removeOnFail).
        // Bounded: the worker's connection waits for Redis while it is out of reach.
        let state: string | undefined;
        const answered = await settledWithin(job.getState().then((s) => { state = s; }), STATE_TIMEOUT_MS);
        if (answered && state !== undefined) forGood = !["delayed", "waiting", "prioritized", "active"].includes(state);
      } catch {
        // Redis did not answer: the attempts count decides.
      }
    }
    if (!forGood) {
      stats.retriedJobs++;
      return;
    }
    stats.failedJobs++;
    const events = eventsOf(job.data) ?? [];
    const status = (error as { status?: unknown }).status;
    const reason = job.failedReason ?? error.message;
    logger.error(`createBullMQWorker: job ${job.id} failed for good after ${job.attemptsMade} attempt(s), ${events.length} event(s) not delivered: ${reason}`);
    if (options.onFailure !== undefined) {
      callback("onFailure", () => options.onFailure!({ jobId: job.id, events, reason, ...(typeof status === "number" ? { status } : {}), attemptsMade: job.attemptsMade }));
    }
  };

  let closingReport: Promise<BullMQWorkerCloseReport> | undefined;
  let resolveClosed!: (report: BullMQWorkerCloseReport) => void;
  const closed = new Promise<BullMQWorkerCloseReport>((resolve) => { resolveClosed = resolve; });
  const onSignal = (signal: string): void => {
    logger.info(`createBullMQWorker: ${signal}: closing (jobs in hand finish within ${closeTimeoutMs} ms)`);
    void close({ timeoutMs: closeTimeoutMs });
  };
  const close = (closeOptions: CloseOptions = {}): Promise<BullMQWorkerCloseReport> => {
    closingReport ??= (async () => {
      const timeoutMs = closeOptions.timeoutMs ?? 10_000;
      const deadline = Date.now() + timeoutMs;
      if (options.handleSignals === true) {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
      // Most of the time goes to the jobs in hand; what is left, to cutting them short and closing.
      const closingWorker = worker.close();
      const graceful = await settledWithin(closingWorker, Math.max(0, timeoutMs * 0.8));
      if (!graceful) {
        logger.warn(`createBullMQWorker: jobs still in hand at the close deadline (${timeoutMs} ms) were cut short; they will run again`);
        closing.abort();
        // The jobs cut short put themselves back to waiting (backToWaiting) over the connections still open.
        await settledWithin(closingWorker, Math.min(CUT_SHORT_MOVE_MS, Math.max(0, (deadline - Date.now()) / 2)));
        // BullMQ's forced close only joins the graceful one still waiting: end its connections instead
        // (those it made from connection options too, which no one else would close).
        await settledWithin(worker.disconnect(), Math.max(50, deadline - Date.now()));
        // A close BullMQ could not finish (Redis out of reach: the graceful one above is still waiting, and a
        // forced one only joins it) leaves its lock-renewal timer running, which would keep the process alive.
        const lockManager = (worker as unknown as { lockManager?: { close?: () => Promise<void> } }).lockManager;
        await settledWithin(Promise.resolve(lockManager?.close?.()), Math.max(0, deadline - Date.now()));
      }
      await settledWithin(transport.close(), Math.max(0, deadline - Date.now()));
      // A close that could not finish (Redis out of reach) leaves connections retrying, which would keep the process alive.
      await own?.close(Math.max(50, deadline - Date.now()));
      const report = { graceful };
      resolveClosed(report);
      return report;
    })();
    return closingReport;
  };
  if (options.handleSignals === true) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  return { worker, stats: () => ({ ...stats }), close, closed };
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key];
  return out;
}

/** A job's events as wire payloads, or undefined when the data is not `{ events: [...] }`. */
function eventsOf(data: unknown): Payload[] | undefined {
  const events = (data as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return undefined;
  try {
    return events.map((event: unknown) => {
      if (event === null || typeof event !== "object" || Array.isArray(event)) throw new TypeError("not an event");
      return toWirePayload(event as Record<string, unknown>, "createBullMQWorker");
    });
  } catch {
    return undefined;
  }
}

/** The events as requests of at most byteLimit bytes (a larger event goes alone); each StoredEvent's id is its index in the job. */
function* batches(events: readonly Payload[], byteLimit: number): Generator<StoredEvent[]> {
  let batch: StoredEvent[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const [id, event] of events.entries()) {
    const body = JSON.stringify(event);
    const size = utf8Length(body);
    if (batch.length > 0 && bytes + size + PER_EVENT_OVERHEAD > byteLimit) {
      yield batch;
      batch = [];
      bytes = ENVELOPE_BYTES;
    }
    batch.push({ id, body, bytes: size });
    bytes += size + PER_EVENT_OVERHEAD;
  }
  if (batch.length > 0) yield batch;
}
