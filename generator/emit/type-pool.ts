/**
 * Runs schema jobs in worker threads (one per core) or, for small runs, in
 * this thread. Jobs go out in small chunks round-robin; results are kept by
 * URI, so output never depends on which worker finished first.
 */
import { Worker } from "node:worker_threads";
import { createJobRunner, type JobRegistry, type JobResult, type SchemaJob } from "./schema-job.js";

const CHUNK = 8;

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
 * `workers` 0 (or 1) works in this thread, and so does the TypeScript source
 * run through a loader such as tsx: a worker thread cannot load a .ts file on
 * every Node version that igluc supports. The built package always has workers.
 */
export function createJobPool(requested: number, registry: JobRegistry): JobPool {
  // The main thread counts as one: it loads TypeScript, prints and writes meanwhile,
  // and every thread's JIT and GC also run on background threads. Measured on
  // 2 cores over Iglu Central: 1 worker 3.5 s, 2 workers 4.0 s, this thread too 4.2 s.
  const workers = import.meta.url.endsWith(".ts") || requested < 2 ? 0 : requested - 1;
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
  const url = new URL("./type-worker.js", import.meta.url);
  const threads = Array.from({ length: workers }, () => {
    const worker = new Worker(url);
    worker.postMessage({ registry });
    return worker;
  });
  let pending: SchemaJob[] = [];
  let outstanding = 0;
  let turn = 0;
  let finish: (() => void) | undefined;
  let failure: Error | undefined;
  for (const thread of threads) {
    thread.on("message", (answer: JobResult[]) => {
      for (const r of answer) record(r);
      outstanding -= answer.length;
      if (outstanding === 0) finish?.();
    });
    thread.on("error", (error) => {
      failure = error;
      finish?.();
    });
  }
  const send = (): void => {
    if (pending.length === 0) return;
    outstanding += pending.length;
    threads[turn++ % threads.length]!.postMessage({ jobs: pending });
    pending = [];
  };
  return {
    submit(job) {
      pending.push(job);
      if (pending.length >= CHUNK) send();
    },
    onResult,
    results() {
      send();
      return new Promise((resolve, reject) => {
        const settle = (): void => (failure !== undefined ? reject(failure) : resolve(done));
        if (outstanding === 0 || failure !== undefined) settle();
        else finish = settle;
      });
    },
    async close() {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
