/**
 * The emitter on Node: Node's own http/https unless the options choose fetch
 * or undici (an optional peer, then loaded at once, so a missing package is
 * an error at construction), and the process's beforeExit/exit for the end.
 */
import type http from "node:http";
import type { Dispatcher, Pool } from "undici";
import { createFetchTransport } from "../emitter/fetch-transport.js";
import { createHttpTransport } from "../emitter/http-transport.js";
import type { EmitterPlatform } from "../emitter/platform.js";
import { createUndiciTransport } from "../emitter/undici-transport.js";
import { registerForExit } from "../exit.js";
import { requireOptional } from "./optional.js";

export const nodePlatform: EmitterPlatform = {
  transport(settings) {
    const chosen = settings.transport;
    if (typeof chosen === "object") return chosen;
    if (chosen === "fetch") return createFetchTransport({ origin: settings.origin, credentials: settings.credentials });
    if (chosen === "undici" || settings.dispatcher !== undefined) {
      const { Pool: PoolClass } = requireOptional<{ Pool: typeof Pool }>("undici", "Emitter", "for transport \"undici\" and the dispatcher option");
      return createUndiciTransport({
        Pool: PoolClass, origin: settings.origin, connections: settings.maxConcurrent, timeout: settings.requestTimeout,
        dispatcher: settings.dispatcher as Dispatcher | undefined,
      });
    }
    return createHttpTransport({ origin: settings.origin, connections: settings.maxConcurrent, agent: settings.agent as http.Agent | undefined });
  },
  lifecycle: (participant) => registerForExit(participant),
};
