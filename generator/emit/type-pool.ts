/**
 * Compiles data types in worker threads (one per core) or, for small runs,
 * in this thread. Jobs are submitted as soon as each schema is prepared and
 * go out in small chunks, so workers compile while the main thread is still
 * checking schemas. Results are returned by URI, so output never depends on
 * which worker finished first.
 */
import { Worker } from "node:worker_threads";
import { compileType, type TypeJob, type TypeResult } from "./types.js";

const CHUNK = 8;

export interface TypePool {
  /** Queues a job; compilation may start at once. */
  submit(job: TypeJob): void;
  /** Calls `listener` for every result from now on, and at once for those already in. */
  onResult(listener: (result: TypeResult) => void): void;
  /** Every result, once all submitted jobs are done. */
  results(): Promise<ReadonlyMap<string, TypeResult>>;
  close(): Promise<void>;
}

/** `workers` 0 (or 1) compiles in this thread. */
export function createTypePool(workers: number): TypePool {
  const done = new Map<string, TypeResult>();
  let listener: ((result: TypeResult) => void) | undefined;
  const record = (result: TypeResult): void => {
    done.set(result.uri, result);
    listener?.(result);
  };
  const onResult = (next: (result: TypeResult) => void): void => {
    listener = next;
    for (const result of done.values()) next(result);
  };
  if (workers <= 1) {
    const jobs: TypeJob[] = [];
    return {
      submit: (job) => { jobs.push(job); },
      onResult,
      async results() {
        for (const job of jobs.splice(0)) record(await compileType(job));
        return done;
      },
      async close() {},
    };
  }
  const url = new URL(import.meta.url.endsWith(".ts") ? "./type-worker.ts" : "./type-worker.js", import.meta.url);
  const threads = Array.from({ length: workers }, () => new Worker(url));
  let pending: TypeJob[] = [];
  let outstanding = 0;
  let turn = 0;
  let finish: (() => void) | undefined;
  let failure: Error | undefined;
  for (const thread of threads) {
    thread.on("message", (answer: TypeResult[]) => {
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
    threads[turn++ % threads.length]!.postMessage(pending);
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
