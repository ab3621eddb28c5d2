/**
 * Runs schema jobs with worker threads (one per core but this one) or, for
 * small runs, in this thread. With workers, this thread reads, checks and
 * resolves each schema (the half that needs the registry) and the workers
 * compile types, the longest part: the work is shared rather than this
 * thread waiting. Jobs go out in small chunks round-robin, prepared only a
 * little ahead of the workers, so this thread prints the modules of results
 * meanwhile. Results are kept by URI: output never depends on which worker
 * finished first.
 */
import { Worker } from "node:worker_threads";
import { createJobPreparer, createJobRunner, type CompileJob, type JobRegistry, type JobResult, type SchemaJob } from "./schema-job.js";

const CHUNK = 8;
/**
 * Jobs prepared and sent ahead of the results back, per worker: enough to keep
 * a worker busy while this thread loads the emitter (about 100 ms, some 70 types).
 */
const AHEAD = 12 * CHUNK;

export interface JobPool {
  /** Queues a job; work may start at once. */
  submit(job: SchemaJob): void;
  /** Calls `listener` for every result from now on, and at once for those already in. */
  onResult(listener: (result: JobResult) => void): void;
  /** Every result, once all submitted jobs are done. */
  results(): Promise<ReadonlyMap<string, JobResult>>;
  close(): Promise<void>;
}

/**
 * Worker threads started before their jobs are known. A worker takes about 100 ms to start and
 * load json-schema-to-typescript; a cold run starts them as soon as it knows it will need them,
 * so that this overlaps reading and naming the schemas. `close()` ends those no pool took.
 */
export interface StartedWorkers {
  readonly threads: readonly Worker[];
  /** What went wrong in a thread before a pool took it (an error, or the thread ending). */
  readonly problem: () => Error | undefined;
  close(): Promise<void>;
}

/**
 * How many worker threads a pool of `requested` threads has: 0 (or 1) works in this thread, and
 * so does the TypeScript source run through a loader such as tsx: a worker thread cannot load a
 * .ts file on every Node version that igluc supports. The built package always has workers.
 */
function workerCount(requested: number): number {
  // The main thread counts as one: it loads TypeScript, prints and writes meanwhile,
  // and every thread's JIT and GC also run on background threads. Measured on
  // 2 cores over Iglu Central: 1 worker 3.5 s, 2 workers 4.0 s, this thread too 4.2 s.
  return import.meta.url.endsWith(".ts") || requested < 2 ? 0 : requested - 1;
}

/** Starts the worker threads a pool of `requested` threads will take (none, when it would work in this thread). */
export function startWorkers(requested: number): StartedWorkers {
  const url = new URL("./type-worker.js", import.meta.url);
  const threads = Array.from({ length: workerCount(requested) }, () => new Worker(url));
  let problem: Error | undefined;
  let closed = false;
  for (const thread of threads) {
    thread.once("error", (error) => { problem ??= error; });
    thread.once("exit", (code) => { if (!closed) problem ??= new Error(`a type worker stopped (exit code ${code}) before its first job`); });
  }
  return {
    threads,
    problem: () => problem,
    async close() {
      closed = true;
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}

/**
 * A pool of `requested` threads, this one included; `started` are its worker threads when they
 * were started ahead (startWorkers with the same number), and are then the pool's to close.
 */
export function createJobPool(requested: number, registry: JobRegistry, started?: StartedWorkers): JobPool {
  const workers = workerCount(requested);
  const done = new Map<string, JobResult>();
  let listener: ((result: JobResult) => void) | undefined;
  const record = (result: JobResult): void => {
    done.set(result.uri, result);
    listener?.(result);
  };
  const onResult = (next: (result: JobResult) => void): void => {
    listener = next;
    for (const result of done.values()) next(result);
  };
  if (workers === 0) {
    const run = createJobRunner(registry);
    const jobs: SchemaJob[] = [];
    return {
      submit: (job) => { jobs.push(job); },
      onResult,
      async results() {
        for (const job of jobs.splice(0)) record(await run(job));
        return done;
      },
      async close() {},
    };
  }
  const own = started ?? startWorkers(requested);
  const threads = own.threads;
  const prepare = createJobPreparer(registry);
  const queued: SchemaJob[] = [];
  let outstanding = 0;
  let turn = 0;
  let finish: (() => void) | undefined;
  let failure: Error | undefined;
  /** close() was called: workers ending then is expected. */
  let closing = false;
  /**
   * Ends the run with `error` (a worker's, or thrown while preparing a job or handling a result: the
   * output writer's, say): results() rejects with it, as it does without workers, rather than it
   * escaping from a worker's message as an uncaught exception.
   */
  const fail = (error: unknown): void => {
    failure ??= error instanceof Error ? error : new Error(String(error));
    finish?.();
  };
  /** Prepares queued jobs and sends them to the workers, up to AHEAD each; a job that fails here is a result at once. */
  const pump = (): void => {
    try {
      fill();
    } catch (error) {
      fail(error);
    }
  };
  const fill = (): void => {
    while (queued.length > 0 && outstanding < AHEAD * threads.length && failure === undefined) {
      const chunk: CompileJob[] = [];
      while (chunk.length < CHUNK && queued.length > 0) {
        const prepared = prepare(queued.shift()!);
        if ("result" in prepared) record(prepared.result);
        else chunk.push(prepared.compile);
      }
      if (chunk.length === 0) continue;
      outstanding += chunk.length;
      threads[turn++ % threads.length]!.postMessage({ jobs: chunk });
    }
    if (queued.length === 0 && outstanding === 0) finish?.();
  };
  const before = own.problem();
  if (before !== undefined) fail(before);
  for (const thread of threads) {
    thread.on("message", (answer: JobResult[]) => {
      if (failure !== undefined) return;
      outstanding -= answer.length;
      try {
        for (const r of answer) record(r);
      } catch (error) {
        fail(error);
        return;
      }
      pump();
    });
    thread.on("error", fail);
    // A worker that ends (process.exit in it, terminated) or cannot read a message would leave its jobs outstanding for ever.
    thread.on("messageerror", fail);
    thread.on("exit", (code) => {
      if (!closing) fail(new Error(`a type worker stopped (exit code ${code}) with ${outstanding} schema(s) outstanding`));
    });
  }
  return {
    submit(job) {
      queued.push(job);
      if (queued.length >= CHUNK) pump();
    },
    onResult,
    results() {
      return new Promise((resolve, reject) => {
        const settle = (): void => (failure !== undefined ? reject(failure) : resolve(done));
        finish = settle;
        if (failure !== undefined) settle();
        else pump();
      });
    },
    async close() {
      closing = true;
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
