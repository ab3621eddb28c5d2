/**
 * One request to the collector for a batch of stored events, under a
 * deadline: the transport is told to stop when the deadline passes (or the
 * emitter closes), and the emitter stops waiting a moment later whatever the
 * transport does, so no request can hold a slot for longer than that.
 */
import type { StoredEvent } from "../store/event-store.js";
import type { EmitterSettings } from "./config.js";
import type { AbortSignalLike, HttpOutcome, Transport } from "./transport-types.js";
import { ENVELOPE_BYTES, getRequest, PER_EVENT_OVERHEAD, postRequest } from "./wire.js";

/** How long past its deadline a transport that ignores the abort is waited for. */
const ABORT_GRACE_MS = 1_000;

export interface RequestResult {
  readonly outcome: HttpOutcome;
  /** The `stm` the request carried. */
  readonly stm: number;
  /** True when the emitter's close, not the deadline, stopped the request. */
  readonly closed: boolean;
}

export class RequestSender {
  readonly #settings: EmitterSettings;
  readonly #transport: Transport;
  readonly #closing: AbortSignal;
  /** POST body buffers of byteLimit bytes, reused once their request has settled (one per concurrent request). */
  readonly #spareBodies: Uint8Array[] = [];

  constructor(settings: EmitterSettings, transport: Transport, closing: AbortSignal) {
    this.#settings = settings;
    this.#transport = transport;
    this.#closing = closing;
  }

  /** Whether a batch of one event is over byteLimit (and so sent alone). */
  oversized(batch: readonly StoredEvent[]): boolean {
    return this.#settings.method === "POST" && batch.length === 1 && batch[0]!.bytes + PER_EVENT_OVERHEAD + ENVELOPE_BYTES - 1 > this.#settings.byteLimit;
  }

  async send(batch: readonly StoredEvent[]): Promise<RequestResult> {
    const { method, basePath, headers, byteLimit, requestTimeout, maxConcurrent } = this.#settings;
    const stm = Date.now();
    if (this.#closing.aborted) return { outcome: { kind: "aborted", error: new Error("emitter closed") }, stm, closed: true };
    const scratch = method === "POST" ? this.#spareBodies.pop() ?? new Uint8Array(byteLimit) : undefined;
    const request = method === "POST" ? postRequest(basePath, batch, stm, headers, scratch) : getRequest(basePath, batch[0]!, stm, headers);

    const controller = new RequestSignal();
    const onClose = (): void => controller.abort();
    this.#closing.addEventListener("abort", onClose, { once: true });
    let timedOut = false;
    let abandoned = false;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    let guard: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<HttpOutcome>((resolve) => {
      deadline = setTimeout(() => {
        timedOut = true;
        controller.abort();
        guard = setTimeout(() => {
          abandoned = true;
          resolve({ kind: "timeout", error: new Error(`no answer within ${requestTimeout} ms, and the transport did not stop when told to`) });
        }, ABORT_GRACE_MS);
      }, requestTimeout);
    });
    let outcome: HttpOutcome;
    try {
      outcome = await Promise.race([this.#transport.send(request, controller), late]);
    } catch (cause) {
      outcome = { kind: "network", error: cause instanceof Error ? cause : new Error(String(cause)) };
    } finally {
      clearTimeout(deadline);
      clearTimeout(guard);
      this.#closing.removeEventListener("abort", onClose);
    }
    const closed = outcome.kind === "aborted" && !timedOut;
    if (outcome.kind === "aborted" && timedOut) outcome = { kind: "timeout", error: new Error(`no answer within ${requestTimeout} ms`) };
    // A transport that did not stop may still be reading the body: its buffer is not reused.
    if (scratch !== undefined && !abandoned && this.#spareBodies.length < maxConcurrent) this.#spareBodies.push(scratch);
    return { outcome, stm, closed };
  }
}

/**
 * The abort signal of one request: what a transport uses of an AbortSignal,
 * without the cost of an EventTarget per request (measured: creating an
 * AbortController was the largest single cost of a request on Node).
 */
class RequestSignal implements AbortSignalLike {
  aborted = false;
  #listeners: (() => void)[] = [];

  addEventListener(_type: "abort", listener: () => void): void {
    if (this.aborted) return;
    this.#listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const at = this.#listeners.indexOf(listener);
    if (at !== -1) this.#listeners.splice(at, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) {
      try {
        listener();
      } catch {
        // A transport's listener that throws must not stop the others.
      }
    }
  }
}
