/**
 * What an emitter promises the tracker and the application: the shapes of
 * its reports (failures, close, stats) and the contract any emitter meets.
 */
import type { Payload } from "../protocol.js";

/**
 * Why events were handed to `onFailure`:
 * - `status`: the collector answered with an error status;
 * - `network`, `timeout`: no answer (connection failed, or the request's deadline passed);
 * - `store-full`: the event store was at capacity, so the event was refused;
 * - `store-unavailable`: the event store could not take the event (Redis out of reach, say);
 * - `closed`: the emitter was closed: the event came after close, or could not be sent before its deadline
 *   and its store does not keep events beyond the process;
 * - `exit`: the process exited (`beforeExit`) before the event could be sent.
 */
export type FailureReason = "status" | "network" | "timeout" | "store-full" | "store-unavailable" | "closed" | "exit";

export interface FailureInfo {
  /** The events concerned, as they were (or would have been) sent. */
  readonly events: readonly Payload[];
  /** The collector's HTTP status, when it answered. */
  readonly status?: number;
  readonly reason: FailureReason;
  /** True when the events went back to the store and will be sent again. */
  readonly willRetry: boolean;
  readonly error?: Error;
}

export interface CloseOptions {
  /** How long to keep trying to send what is left, in ms. @defaultValue 5_000 */
  timeoutMs?: number;
}

export interface CloseReport {
  /**
   * Events not delivered when the deadline passed: still in the store (kept
   * there by a durable store such as RedisEventStore), in flight, or lost
   * with the process (reported through `onFailure` and the logger).
   */
  readonly remaining: number;
  /** True when the deadline passed before everything was sent. */
  readonly timedOut: boolean;
}

export interface EmitterStats {
  /** Events accepted into the store. */
  readonly accepted: number;
  /** Events the collector acknowledged. */
  readonly sent: number;
  /** Events dropped: store full or unavailable, emitter closed, process exiting, or a status that is not retried. */
  readonly dropped: number;
  /** Requests that failed (each retryable failure counts once). */
  readonly failedRequests: number;
  /**
   * Events accepted and neither sent nor dropped yet: waiting, in flight, or
   * waiting for a retry. (Events a durable store kept from an earlier run are
   * counted in `sent` when they go, not here.)
   */
  readonly pending: number;
}

/** Anything the tracker can hand events to. */
export interface TrackerEmitter {
  /**
   * Takes one event. `json` is the payload already serialised
   * (`JSON.stringify(payload)` up to key order), for emitters that can use it.
   */
  input(payload: Payload, json?: string): unknown;
  flush(): unknown;
  close?(options?: CloseOptions): Promise<CloseReport>;
}

/**
 * Internal: how the tracker hands an event to this package's Emitter as JSON
 * alone, so no payload object is built for it. Not part of the public API.
 */
export const INPUT_JSON: unique symbol = Symbol("igluc.emitter.inputJson");
