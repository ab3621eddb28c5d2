import { allocBytes, utf8Length, writeUtf8At } from "../text.js";
import type { EventStore, StoredEvent } from "./event-store.js";

export interface InMemoryEventStoreOptions {
  /**
   * Most events held at once, waiting and in flight together, so memory stays
   * bounded however long the collector is away. When full, new events are
   * refused (and reported by the emitter). @defaultValue 10_000
   */
  capacity?: number;
}

/** Bodies are written one after another into chunks of this size (larger events get a chunk of their own). */
const CHUNK_BYTES = 1 << 20;

/**
 * One stored event: where its UTF-8 body sits in a chunk. A chunk is freed by
 * the garbage collector once no event in it is referenced any more.
 */
class Slot implements StoredEvent {
  constructor(
    readonly id: number,
    readonly bytes: number,
    private readonly chunk: Uint8Array,
    private readonly start: number,
  ) {}

  get body(): Uint8Array {
    return this.chunk.subarray(this.start, this.start + this.bytes);
  }
}

/**
 * The default store: a bounded queue in this process's memory. Bodies live
 * outside the JavaScript heap as UTF-8 in large byte arrays, so holding many
 * events costs their bytes and little else (a string per event would be
 * promoted to the old generation and make garbage collection work harder).
 */
export class InMemoryEventStore implements EventStore {
  readonly capacity: number;
  /** Waiting events from #head on; entries before it are cleared so their chunks can be freed. */
  #queue: (Slot | undefined)[] = [];
  #head = 0;
  #inFlight = 0;
  #nextId = 1;
  #chunk: Uint8Array = new Uint8Array(0);
  #offset = 0;

  constructor(options: InMemoryEventStoreOptions = {}) {
    const capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError(`InMemoryEventStore: capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
  }

  add(body: string): boolean {
    if (this.#queue.length - this.#head + this.#inFlight >= this.capacity) return false;
    // A UTF-16 unit never takes more than 3 UTF-8 bytes: measure only when it might not fit.
    if (this.#offset + body.length * 3 > this.#chunk.length) {
      const needed = utf8Length(body);
      if (this.#offset + needed > this.#chunk.length) {
        this.#chunk = allocBytes(Math.max(CHUNK_BYTES, needed));
        this.#offset = 0;
      }
    }
    const length = writeUtf8At(body, this.#chunk, this.#offset);
    this.#queue.push(new Slot(this.#nextId++, length, this.#chunk, this.#offset));
    this.#offset += length;
    return true;
  }

  take(maxEvents: number, maxBytes: number, overheadPerEvent = 0): readonly StoredEvent[] {
    const queue = this.#queue;
    const start = this.#head;
    let end = start;
    let total = 0;
    while (end < queue.length && end - start < maxEvents) {
      const next = queue[end]!.bytes + overheadPerEvent;
      if (end > start && total + next > maxBytes) break;
      total += next;
      end++;
    }
    if (end === start) return [];
    const taken = queue.slice(start, end) as Slot[];
    queue.fill(undefined, start, end);
    this.#head = end;
    this.#inFlight += taken.length;
    this.#compact();
    return taken;
  }

  ack(events: readonly StoredEvent[]): void {
    this.#inFlight -= events.length;
  }

  release(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    this.#inFlight -= events.length;
    const back = (events as readonly StoredEvent[] as readonly Slot[]).slice().sort((a, b) => a.id - b.id);
    const queue = this.#queue;
    const last = back[back.length - 1]!.id;
    // Common case: everything released is older than what waits, and there is room before the head.
    if (this.#head >= back.length && (this.#head === queue.length || queue[this.#head]!.id > last)) {
      this.#head -= back.length;
      for (let i = 0; i < back.length; i++) queue[this.#head + i] = back[i]!;
      return;
    }
    // Otherwise merge with earlier releases that sit at the head with ids between ours.
    let split = this.#head;
    while (split < queue.length && queue[split]!.id < last) split++;
    this.#queue = (mergeById(back, queue.slice(this.#head, split) as Slot[]) as (Slot | undefined)[]).concat(queue.slice(split));
    this.#head = 0;
  }

  size(): number {
    return this.#queue.length - this.#head;
  }

  #compact(): void {
    if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}

function mergeById(a: readonly Slot[], b: readonly Slot[]): Slot[] {
  const out: Slot[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.id <= b[j]!.id ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
