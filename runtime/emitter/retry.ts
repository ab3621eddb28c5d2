import { describeValue } from "../describe.js";
import { NON_RETRYABLE_STATUSES } from "../protocol.js";

export interface RetryOptions {
  /** Delay before the first retry, in ms; each further failure doubles it. @defaultValue 500 */
  initialDelay?: number;
  /** The longest delay between retries, in ms; also caps a collector's `Retry-After`. @defaultValue 60_000 */
  maxDelay?: number;
}

/** Decides whether a failure is retried, and when. */
export interface RetryPolicy {
  /** `status` is undefined for network errors and timeouts. */
  shouldRetry(status: number | undefined): boolean;
  /**
   * Delay before the attempt that follows `failures` consecutive failures
   * (1-based). A collector's `Retry-After` (in ms) replaces the computed
   * delay, capped at `maxDelay`.
   */
  delay(failures: number, retryAfterMs?: number): number;
}

export function createRetryPolicy(
  retry: false | RetryOptions | undefined,
  customRetryCodes: Readonly<Record<number, boolean>> | undefined,
  random: () => number = Math.random,
): RetryPolicy {
  if (retry !== undefined && retry !== false && (retry === null || typeof retry !== "object")) {
    throw new TypeError(`Emitter: retry must be false or { initialDelay, maxDelay }, got ${describeValue(retry)}`);
  }
  if (customRetryCodes !== undefined && (customRetryCodes === null || typeof customRetryCodes !== "object" || Array.isArray(customRetryCodes))) {
    throw new TypeError(`Emitter: customRetryCodes must be an object such as { 500: false }, got ${describeValue(customRetryCodes)}`);
  }
  const custom = new Map<number, boolean>();
  for (const [code, decision] of Object.entries(customRetryCodes ?? {})) {
    const status = Number(code);
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new TypeError(`Emitter: customRetryCodes key "${code}" is not an HTTP status`);
    if (status >= 200 && status < 300) throw new TypeError(`Emitter: customRetryCodes cannot list ${status}: 2xx statuses are successes`);
    if (typeof decision !== "boolean") throw new TypeError(`Emitter: customRetryCodes[${status}] must be true or false, got ${describeValue(decision)}`);
    custom.set(status, decision);
  }
  const initial = retry === false ? 0 : retry?.initialDelay ?? 500;
  const cap = retry === false ? 0 : retry?.maxDelay ?? 60_000;
  if (typeof initial !== "number" || typeof cap !== "number" || !(initial >= 0) || !(cap >= initial) || !Number.isFinite(cap)) {
    throw new TypeError(`Emitter: retry delays must be numbers with 0 <= initialDelay <= maxDelay, got initialDelay ${describeValue(initial)} and maxDelay ${describeValue(cap)}`);
  }
  return {
    shouldRetry(status) {
      if (retry === false) return false;
      if (status === undefined) return true;
      const decision = custom.get(status);
      if (decision !== undefined) return decision;
      return !NON_RETRYABLE_STATUSES.includes(status);
    },
    delay(failures, retryAfterMs) {
      // Exponential, capped, with "equal jitter": between half and all of the step.
      const step = Math.min(cap, initial * 2 ** Math.min(failures - 1, 30));
      const backoff = Math.round(step / 2 + (random() * step) / 2);
      // Retry-After can only lengthen the wait: "0", or a date in the past, must not turn the backoff into a hot loop.
      return retryAfterMs === undefined ? backoff : Math.min(cap, Math.max(backoff, retryAfterMs));
    },
  };
}

/**
 * A `Retry-After` header value in ms from `now`: delay-seconds or an HTTP
 * date. Undefined when absent or unreadable (the backoff then applies).
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value) as string | undefined;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
