/**
 * The emitter on Node: undici for HTTP unless the options choose fetch, and
 * the process's beforeExit/exit for the end.
 */
import type { Dispatcher } from "undici";
import { createFetchTransport } from "../emitter/fetch-transport.js";
import type { EmitterPlatform } from "../emitter/platform.js";
import { createUndiciTransport } from "../emitter/undici-transport.js";
import { registerForExit } from "../exit.js";

export const nodePlatform: EmitterPlatform = {
  transport(settings) {
    const chosen = settings.transport;
    if (typeof chosen === "object") return chosen;
    if (chosen === "fetch") return createFetchTransport({ origin: settings.origin, credentials: settings.credentials });
    return createUndiciTransport({
      origin: settings.origin, connections: settings.maxConcurrent, timeout: settings.requestTimeout,
      dispatcher: settings.dispatcher as Dispatcher | undefined,
    });
  },
  lifecycle: (participant) => registerForExit(participant),
};
