import type { Dispatcher, Pool } from "undici";
import { parseRetryAfter } from "./retry.js";
import type { HttpOutcome, Transport } from "./transport-types.js";

export interface UndiciTransportOptions {
  /** undici's Pool class (the package is an optional peer, loaded by the caller). */
  Pool: typeof Pool;
  origin: string;
  /** Connections kept open (keep-alive) to the collector. */
  connections: number;
  /** Ms allowed to connect, and to wait for the response headers. */
  timeout: number;
  /** Use this undici dispatcher instead of a pool of our own (not closed by us). */
  dispatcher?: Dispatcher | undefined;
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);
/** How long a response body may take after its status arrived before the connection is given up. */
const BODY_GRACE_MS = 500;
/** How much of a response body is read before the connection is given up. */
const BODY_LIMIT = 64 * 1024;

/**
 * HTTP through undici's dispatch API, with keep-alive connections to one
 * collector origin. Only the status matters: the answer is known once the
 * headers arrive. The body (a collector sends a few bytes) is read and
 * discarded so the connection can be reused, but one that trickles past a
 * short grace or runs long is cut, so a slow collector cannot hold a
 * connection. The emitter's signal (its per-request deadline, or close)
 * aborts the request at any stage.
 */
export function createUndiciTransport(options: UndiciTransportOptions): Transport {
  const owned = options.dispatcher === undefined;
  let dispatcher: Dispatcher | undefined = options.dispatcher;
  const ready = (): Dispatcher => {
    dispatcher ??= new options.Pool(options.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.timeout },
    });
    return dispatcher;
  };
  return {
    async send(request, signal) {
      const target = ready();
      return new Promise<HttpOutcome>((resolve) => {
        if (signal.aborted) {
          resolve({ kind: "aborted", error: new Error("request aborted before it was sent") });
          return;
        }
        let answer: HttpOutcome | undefined;
        let settled = false;
        let received = 0;
        let grace: ReturnType<typeof setTimeout> | undefined;
        let controller: Dispatcher.DispatchController | undefined;
        const cut = (why: string): void => {
          if (controller !== undefined && !controller.aborted) controller.abort(new Error(why));
        };
        const onAbort = (): void => cut("request aborted");
        const settle = (outcome: HttpOutcome): void => {
          if (grace !== undefined) clearTimeout(grace);
          if (settled) return;
          settled = true;
          signal.removeEventListener("abort", onAbort);
          resolve(outcome);
        };
        const fail = (cause: unknown): void => {
          // The status is all the protocol needs: once it is known, a body that fails changes nothing.
          if (answer !== undefined) return settle(answer);
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
            onResponseStart(_c, statusCode, headers) {
              if (statusCode < 200) return;
              const retryAfterMs = statusCode === 429 || statusCode === 503 ? parseRetryAfter(headers["retry-after"], Date.now()) : undefined;
              answer = retryAfterMs === undefined ? { kind: "response", status: statusCode } : { kind: "response", status: statusCode, retryAfterMs };
              grace = setTimeout(() => {
                settle(answer!);
                cut("response body too slow; connection closed");
              }, BODY_GRACE_MS);
              grace.unref?.();
            },
            onResponseData(_c, chunk) {
              received += chunk.length;
              if (received > BODY_LIMIT) {
                settle(answer!);
                cut("response body too long; connection closed");
              }
            },
            onResponseEnd() {
              settle(answer ?? { kind: "network", error: new Error("response ended without a status") });
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
      if (owned && dispatcher !== undefined) await dispatcher.destroy().catch(() => undefined);
    },
  };
}
