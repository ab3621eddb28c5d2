import { NON_RETRYABLE_STATUSES } from "../protocol.js";

export interface RetryOptions {
  /** Delay before the first retry, in ms; each further failure doubles it. @defaultValue 500 */
  initialDelay?: number;
  /** The longest delay between retries, in ms. @defaultValue 60_000 */
  maxDelay?: number;
}

/** Decides whether a failure is retried, and when. */
export interface RetryPolicy {
  /** `status` is undefined for network errors and timeouts. */
  shouldRetry(status: number | undefined): boolean;
  /** Delay before the attempt that follows `failures` consecutive failures (1-based). */
  delay(failures: number): number;
}

export function createRetryPolicy(
  retry: false | RetryOptions | undefined,
  customRetryCodes: Readonly<Record<number, boolean>> | undefined,
  random: () => number = Math.random,
): RetryPolicy {
  const custom = new Map<number, boolean>();
  for (const [code, decision] of Object.entries(customRetryCodes ?? {})) {
    const status = Number(code);
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new TypeError(`Emitter: customRetryCodes key "${code}" is not an HTTP status`);
    if (status >= 200 && status < 300) throw new TypeError(`Emitter: customRetryCodes cannot list ${status}: 2xx statuses are successes`);
    custom.set(status, decision === true);
  }
  const initial = retry === false ? 0 : retry?.initialDelay ?? 500;
  const cap = retry === false ? 0 : retry?.maxDelay ?? 60_000;
  if (!(initial >= 0) || !(cap >= initial)) throw new TypeError(`Emitter: retry delays must satisfy 0 <= initialDelay <= maxDelay (got ${initial}, ${cap})`);
  return {
    shouldRetry(status) {
      if (retry === false) return false;
      if (status === undefined) return true;
      const decision = custom.get(status);
      if (decision !== undefined) return decision;
      return !NON_RETRYABLE_STATUSES.includes(status);
    },
    delay(failures) {
      // Exponential, capped, with "equal jitter": between half and all of the step.
      const step = Math.min(cap, initial * 2 ** Math.min(failures - 1, 30));
      return Math.round(step / 2 + (random() * step) / 2);
    },
  };
}
