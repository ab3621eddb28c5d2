import { Pool, type Dispatcher } from "undici";

export interface HttpRequest {
  readonly method: "GET" | "POST";
  /** Path and query, starting with "/". */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Outcome of one request: a status, or why there was none. */
export type HttpOutcome =
  | { readonly kind: "response"; readonly status: number }
  | { readonly kind: "timeout" | "network" | "aborted"; readonly error: Error };

/** How an emitter talks to a collector; injected so tests and hosts can swap it. */
export interface Transport {
  send(request: HttpRequest, signal: AbortSignal): Promise<HttpOutcome>;
  close(): Promise<void>;
}

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

/** HTTP through undici, with keep-alive connections to one collector origin. */
export function createUndiciTransport(options: UndiciTransportOptions): Transport {
  const owned = options.dispatcher === undefined;
  const dispatcher: Dispatcher = options.dispatcher ?? new Pool(options.origin, {
    connections: options.connections,
    keepAliveTimeout: 30_000,
    connect: { timeout: options.timeout },
  });
  return {
    async send(request, signal) {
      try {
        const response = await dispatcher.request({
          origin: options.origin,
          path: request.path,
          method: request.method,
          headers: request.headers,
          body: request.body ?? null,
          signal,
          headersTimeout: options.timeout,
          bodyTimeout: options.timeout,
        });
        // Read the body so the connection can be reused.
        await response.body.dump();
        return { kind: "response", status: response.statusCode };
      } catch (cause) {
        const error = cause instanceof Error ? cause : new Error(String(cause));
        const code = (error as { code?: unknown }).code;
        if (signal.aborted) return { kind: "aborted", error };
        if (typeof code === "string" && TIMEOUT_CODES.has(code)) return { kind: "timeout", error };
        return { kind: "network", error };
      }
    },
    async close() {
      if (owned) await dispatcher.destroy().catch(() => undefined);
    },
  };
}
