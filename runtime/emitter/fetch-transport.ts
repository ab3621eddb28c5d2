/**
 * HTTP through the standard `fetch`, for browsers, web workers, edge runtimes
 * (Cloudflare Workers, Vercel Edge, Deno, Bun) and, by choice, Node. Only the
 * status matters: the body is never read, only released. Small bodies go with
 * `keepalive`, so a request a page started survives the page being closed.
 */
import { parseRetryAfter } from "./retry.js";
import type { HttpOutcome, Transport } from "./transport-types.js";

/** What the transport uses of `fetch`, declared here so the runtime's types need neither the DOM library nor Node's. */
export type FetchLike = (url: string, init: {
  method: string;
  headers: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
  signal: unknown;
  keepalive: boolean;
  redirect: "manual";
  credentials?: "omit" | "same-origin" | "include";
}) => Promise<{
  readonly status: number;
  readonly type?: string;
  readonly headers: { get(name: string): string | null };
  readonly body?: { cancel(): Promise<void> } | null;
}>;

export interface FetchTransportOptions {
  /** e.g. `https://collector.example.com` */
  readonly origin: string;
  /** The fetch to call. @defaultValue globalThis.fetch */
  readonly fetch?: FetchLike | undefined;
  /** Credentials mode for browsers (`include` sends the collector's cookies, as the browser tracker does). */
  readonly credentials?: "omit" | "same-origin" | "include" | undefined;
}

/** Browsers refuse keepalive requests whose bodies in flight exceed 64 KiB in all. */
const KEEPALIVE_LIMIT = 60 * 1024;

export function createFetchTransport(options: FetchTransportOptions): Transport {
  const run = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (typeof run !== "function") throw new TypeError("Emitter: this runtime has no fetch; pass a transport");
  const call = run.bind(globalThis);
  return {
    async send(request, signal) {
      if (signal.aborted) return { kind: "aborted", error: new Error("request aborted before it was sent") };
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      signal.addEventListener("abort", onAbort, { once: true });
      const size = request.body === undefined ? 0 : typeof request.body === "string" ? request.body.length * 3 : request.body.byteLength;
      try {
        const response = await call(options.origin + request.path, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
          signal: controller.signal,
          keepalive: size <= KEEPALIVE_LIMIT,
          redirect: "manual",
          ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
        });
        // The status is all the protocol needs; the body is released unread.
        response.body?.cancel().catch(() => undefined);
        const status = response.status;
        if (response.type === "opaqueredirect" || status === 0) {
          return { kind: "network", error: new Error("the collector answered with a redirect, which is not followed") };
        }
        const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get("retry-after") ?? undefined, Date.now()) : undefined;
        return retryAfterMs === undefined ? { kind: "response", status } : { kind: "response", status, retryAfterMs };
      } catch (cause) {
        const error = cause instanceof Error ? cause : new Error(String(cause));
        return { kind: signal.aborted ? "aborted" : "network", error } satisfies HttpOutcome;
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    },
    async close() {},
  };
}
