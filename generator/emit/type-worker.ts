/**
 * A worker thread doing the per-schema work (checks, references, types), so
 * generation uses every core. The first message is the registry; each later
 * one a chunk of jobs, answered with their results.
 */
import { parentPort } from "node:worker_threads";
import { createJobRunner, type JobRegistry, type JobResult, type SchemaJob } from "./schema-job.js";
import { compileType } from "./types.js";

// Load json-schema-to-typescript now, while the registry is on its way.
void compileType({ uri: "", typeName: "Warmup", schema: { type: "object" } });

let run: ((job: SchemaJob) => Promise<JobResult>) | undefined;
let queue: Promise<void> = Promise.resolve();

parentPort?.on("message", (message: { registry: JobRegistry } | { jobs: SchemaJob[] }) => {
  if ("registry" in message) {
    run = createJobRunner(message.registry);
    return;
  }
  queue = queue.then(async () => {
    const results: JobResult[] = [];
    for (const job of message.jobs) results.push(await run!(job));
    parentPort?.postMessage(results);
  });
});
