/**
 * @igluc/runtime for Node: everything index.ts has, with an Emitter that
 * sends through undici (keep-alive connections; `transport: "fetch"`
 * chooses fetch), durable delivery through Redis (RedisEventStore,
 * RedisEmitter, RedisWorker: @redis/client, an optional peer, is loaded only
 * when one of them is made), and sending at process exit. The public API is
 * exactly what is named here and in api.ts.
 */
import type { EmitterConfig } from "./emitter/config.js";
import { EmitterCore } from "./emitter/emitter.js";
import { nodePlatform } from "./platform/node.js";
import { createSnowplow } from "./snowplow.js";

export * from "./api.js";
export { RedisEventStore, type RedisEventStoreOptions } from "./redis/event-store.js";
export { RedisEmitter, type RedisEmitterOptions, type RedisEmitterStats } from "./redis/emitter.js";
export { RedisWorker, type RedisWorkerOptions, type RunOptions, type WorkerReport } from "./redis/worker.js";
export type { RedisCommander, RedisConnectionOptions } from "./redis/connection.js";

/** Buffers events and delivers them to a collector through undici (see EmitterConfig). */
export class Emitter extends EmitterCore {
  constructor(config: EmitterConfig) {
    super(config, nodePlatform);
  }
}

/** The registry of trackers by namespace, with the Python tracker's one-call set-up. */
export const Snowplow = /* @__PURE__ */ createSnowplow((config) => new Emitter(config));
