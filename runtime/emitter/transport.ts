import type { Dispatcher, Pool } from "undici";
import type { HttpOutcome, Transport } from "./transport-types.js";

export interface UndiciTransportOptions {
  origin: string;
  /** Connections kept open (keep-alive) to the collector. */
  connections: number;
  /** Ms to wait for the response headers, and then for the body. */
  timeout: number;
  /** Use this undici dispatcher instead of a pool of our own (not closed by us). */
  dispatcher?: Dispatcher | undefined;
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * HTTP through undici's dispatch API, with keep-alive connections to one
 * collector origin. Only the status matters, so the response body is
 * discarded as it arrives rather than wrapped in a stream.
 */
export function createUndiciTransport(options: UndiciTransportOptions): Transport {
  const owned = options.dispatcher === undefined;
  let dispatcher: Dispatcher | Promise<Dispatcher> | undefined = options.dispatcher;
  const ready = (): Dispatcher | Promise<Dispatcher> => {
    dispatcher ??= loadPool().then((PoolClass) => (dispatcher = new PoolClass(options.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.timeout },
    })));
    return dispatcher;
  };
  return {
    async send(request, signal) {
      const target = await ready();
      return new Promise<HttpOutcome>((resolve) => {
        if (signal.aborted) {
          resolve({ kind: "aborted", error: new Error("request aborted before it was sent") });
          return;
        }
        let status = 0;
        let settled = false;
        let controller: Dispatcher.DispatchController | undefined;
        const onAbort = (): void => controller?.abort(new Error("request aborted"));
        const settle = (outcome: HttpOutcome): void => {
          if (settled) return;
          settled = true;
          signal.removeEventListener("abort", onAbort);
          resolve(outcome);
        };
        const fail = (cause: unknown): void => {
          const error = cause instanceof Error ? cause : new Error(String(cause));
          const code = (error as { code?: unknown }).code;
          if (signal.aborted) settle({ kind: "aborted", error });
          else if (typeof code === "string" && TIMEOUT_CODES.has(code)) settle({ kind: "timeout", error });
          else settle({ kind: "network", error });
        };
        signal.addEventListener("abort", onAbort, { once: true });
        try {
          target.dispatch({
            origin: options.origin,
            path: request.path,
            method: request.method,
            headers: request.headers,
            body: request.body ?? null,
            headersTimeout: options.timeout,
            bodyTimeout: options.timeout,
          }, {
            onRequestStart(c) {
              controller = c;
              if (signal.aborted) c.abort(new Error("request aborted"));
            },
            onResponseStart(_c, statusCode) {
              status = statusCode;
            },
            onResponseData() {},
            onResponseEnd() {
              settle({ kind: "response", status });
            },
            onResponseError(_c, error) {
              fail(error);
            },
          });
        } catch (error) {
          fail(error);
        }
      });
    },
    async close() {
      if (owned && dispatcher !== undefined) await (await dispatcher).destroy().catch(() => undefined);
    },
  };
}

/**
 * undici's Pool, loaded on first use and on its own: the full package costs
 * about twice the memory (fetch, WebSocket, caches…) and a process that never
 * sends should not pay for it. undici has no exports map, so its files are
 * importable; if a release moves this one, the full package is used instead.
 */
async function loadPool(): Promise<typeof Pool> {
  try {
    const module = (await import("undici/lib/dispatcher/pool.js" as string)) as { default: typeof Pool };
    if (typeof module.default === "function") return module.default;
  } catch {
    // fall through to the package entry
  }
  return (await import("undici")).Pool;
}
