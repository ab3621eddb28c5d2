/** Bounded waits, shared by the emitter and the BullMQ emitter and worker. */

/**
 * Waits for `promise` at most `ms`; answers its value, or undefined when the
 * time ran out first. `keepAlive` holds the process open while waiting (for
 * waits an application is awaiting, such as close).
 */
export async function within<T>(promise: Promise<T>, ms: number, keepAlive = false): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    if (!keepAlive) timer.unref?.();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `promise` at most `ms`, keeping the process alive meanwhile; true when it settled in time (a rejection counts as settled). */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return (await within(promise.then(() => true, () => true), ms, true)) ?? false;
}
