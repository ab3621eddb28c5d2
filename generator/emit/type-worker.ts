/**
 * A worker thread compiling types (and validators) for schemas the main
 * thread read, checked and resolved, so the two share the work: json-schema-
 * to-typescript here, everything else there. Each message is a chunk of
 * compile jobs, answered with their results in order.
 */
import { parentPort } from "node:worker_threads";
import { compileJob, type CompileJob, type JobResult } from "./schema-job.js";
import { compileType } from "./types.js";

// Load json-schema-to-typescript now, while the first jobs are on their way.
void compileType({ uri: "", typeName: "Warmup", schema: { type: "object" } });

let queue: Promise<void> = Promise.resolve();

parentPort?.on("message", (message: { jobs: CompileJob[] }) => {
  queue = queue.then(async () => {
    const results: JobResult[] = [];
    for (const job of message.jobs) results.push(await compileJob(job));
    parentPort?.postMessage(results);
  });
});
