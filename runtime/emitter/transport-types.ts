/**
 * The contract between an emitter and whatever carries its requests. Kept
 * free of undici's types, so code using the runtime's declarations does not
 * load them (nor, through them, all of @types/node).
 */
export interface HttpRequest {
  readonly method: "GET" | "POST";
  /** Path and query, starting with "/". */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/**
 * Outcome of one request: a status, or why there was none. Only the status
 * matters to the protocol, so a transport may answer as soon as it has it.
 * `retryAfterMs` is the collector's `Retry-After`, when it sent one.
 */
export type HttpOutcome =
  | { readonly kind: "response"; readonly status: number; readonly retryAfterMs?: number }
  | { readonly kind: "timeout" | "network" | "aborted"; readonly error: Error };

/**
 * What a transport uses of the emitter's AbortSignal (a standard AbortSignal
 * fits). Declared here because the global AbortSignal type comes only with the
 * DOM library or @types/node, which a project compiling with skipLibCheck off
 * may have neither of.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { readonly once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** How an emitter talks to a collector; injected so tests and hosts can swap it. */
export interface Transport {
  /**
   * Sends one request. Never rejects. The emitter aborts `signal` when the
   * request's deadline passes or the emitter closes; the transport then stops
   * and answers `aborted` promptly (the emitter stops waiting shortly after
   * the deadline in any case). `request.body` may be reused by the emitter
   * once the promise settles, so a transport must not read it afterwards.
   */
  send(request: HttpRequest, signal: AbortSignalLike): Promise<HttpOutcome>;
  close(): Promise<void>;
}
