/**
 * A worker process for bench/bullmq.mjs: a BullMQ worker (createBullMQWorker)
 * or a RedisWorker draining into an Emitter, sending to the bench collector
 * until SIGTERM. Argument: JSON { kind: "bullmq" | "redis", redis, queue, endpoint }.
 * Prints "ready" once it takes work.
 */
import { Emitter, RedisWorker } from "@igluc/runtime";
import { createBullMQWorker } from "@igluc/runtime/bullmq";

const args = JSON.parse(process.argv[2]);
if (args.kind === "bullmq") {
  const handle = createBullMQWorker({ queue: args.queue, url: args.redis, endpoint: args.endpoint, logger: "silent" });
  process.once("SIGTERM", () => void handle.close({ timeoutMs: 2_000 }).then(() => process.exit(0)));
  await handle.worker.waitUntilReady();
} else {
  const emitter = new Emitter({ endpoint: args.endpoint, logger: "silent" });
  const worker = new RedisWorker({ url: args.redis, key: args.queue, emitter, batchSize: 500, pollMs: 20, logger: "silent" });
  process.once("SIGTERM", () => void worker.stop().then(() => process.exit(0)));
  void worker.run();
}
process.stdout.write("ready\n");
