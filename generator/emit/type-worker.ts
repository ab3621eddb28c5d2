/** A worker thread compiling data types, so generation uses every core. */
import { parentPort } from "node:worker_threads";
import { compileType, type TypeJob, type TypeResult } from "./types.js";

// Load json-schema-to-typescript now, while the main thread is still validating.
void compileType({ uri: "", typeName: "Warmup", schema: { type: "object" } });

parentPort?.on("message", (jobs: TypeJob[]) => {
  void (async () => {
    const results: TypeResult[] = [];
    for (const job of jobs) results.push(await compileType(job));
    parentPort?.postMessage(results);
  })();
});
