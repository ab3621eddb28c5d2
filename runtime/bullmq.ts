/**
 * @igluc/runtime/bullmq (Node only): delivery through a BullMQ queue. The
 * BullMQEmitter adds each batch as a job; createBullMQWorker's workers send
 * jobs to the collector. bullmq (and ioredis, for a connection made from a
 * URL) are optional peers, loaded when one of them is made; the package's
 * main entry never loads them.
 */
export { BullMQEmitter, batchJobId, type BullMQEmitterOptions, type EventsJob } from "./bullmq/emitter.js";
export {
  createBullMQWorker, type BullMQJobFailure, type BullMQWorkerCloseReport, type BullMQWorkerHandle, type BullMQWorkerOptions, type BullMQWorkerStats,
} from "./bullmq/worker.js";
export type { BullMQConnectionOptions } from "./bullmq/load.js";
