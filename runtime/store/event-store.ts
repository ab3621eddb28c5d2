/**
 * Where an emitter keeps events until the collector has them.
 *
 * The contract is that of a reliable queue: `take` moves events from the head
 * of the queue into an in-flight set, `ack` forgets them once delivered (or
 * given up), and `release` puts them back at the head, in their original
 * order, for a retry. A store that survives the process (Redis, say) can then
 * recover whatever was in flight when a process died.
 *
 * Methods may answer synchronously or with a promise; the in-memory store
 * answers synchronously so that tracking costs no promise per event.
 */
export interface StoredEvent {
  /** Position in the queue: ids only grow, so sorting by id restores order. */
  readonly id: number;
  /** The event's payload as JSON, without `stm` (which is set at send time): text, or its UTF-8 bytes. */
  readonly body: string | Uint8Array;
  /** UTF-8 length of `body`. */
  readonly bytes: number;
}

export type MaybePromise<T> = T | Promise<T>;

export interface EventStore {
  /**
   * Adds an event at the tail. Answers false, keeping nothing, when the store
   * is full; the emitter then counts and reports the event as dropped
   * (`store-full`). Throwing or rejecting means the store could not take it
   * (`store-unavailable`). A store that answers with a promise settles it in
   * bounded time or holds the event in a bounded buffer.
   */
  add(body: string): MaybePromise<boolean>;
  /**
   * Moves events from the head into the in-flight set: at most `maxEvents`,
   * and no more than `maxBytes` counting each event as its `bytes` plus
   * `overheadPerEvent`, except that a first event over the limit is taken
   * alone. Oldest first; empty when nothing waits.
   */
  take(maxEvents: number, maxBytes: number, overheadPerEvent?: number): MaybePromise<readonly StoredEvent[]>;
  /** Forgets in-flight events for good. */
  ack(events: readonly StoredEvent[]): MaybePromise<void>;
  /** Puts in-flight events back at the head, before any newer event. */
  release(events: readonly StoredEvent[]): MaybePromise<void>;
  /** How many events wait to be taken (in-flight ones not counted). */
  size(): MaybePromise<number>;
  /**
   * Releases what the store holds open (a connection, a lease); the emitter
   * calls it last when it closes, with the time left before its deadline.
   */
  close?(timeoutMs?: number): MaybePromise<void>;
  /**
   * True when what the store holds outlives the emitter (RedisEventStore):
   * events not sent by a close deadline are then kept for the next run rather
   * than reported lost. @defaultValue false
   */
  readonly durable?: boolean;
}
