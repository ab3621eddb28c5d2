/**
 * @igluc/runtime for browsers, web workers, edge runtimes (Cloudflare
 * Workers, Vercel Edge), Deno and Bun: a Snowplow tracker, subject and
 * emitter that send with the standard fetch. Nothing here loads undici,
 * Redis or a Node module; Node gets node.ts (with undici and Redis) through
 * the package's conditional exports. The public API is exactly what is named
 * here and in api.ts.
 */
import type { EmitterConfig } from "./emitter/config.js";
import { EmitterCore } from "./emitter/emitter.js";
import { webPlatform } from "./platform/web.js";
import { createSnowplow } from "./snowplow.js";

export * from "./api.js";

/** Buffers events and delivers them to a collector with fetch (see EmitterConfig). */
export class Emitter extends EmitterCore {
  constructor(config: EmitterConfig) {
    super(config, webPlatform);
  }
}

/** The registry of trackers by namespace, with the Python tracker's one-call set-up. */
export const Snowplow = /* @__PURE__ */ createSnowplow((config) => new Emitter(config));
