import type { EventStore, StoredEvent } from "./event-store.js";

export interface InMemoryEventStoreOptions {
  /**
   * Most events held at once, waiting and in flight together, so memory stays
   * bounded however long the collector is away. When full, new events are
   * refused (and reported by the emitter). @defaultValue 10_000
   */
  capacity?: number;
}

/** The default store: a bounded queue in this process's memory. */
export class InMemoryEventStore implements EventStore {
  readonly capacity: number;
  #queue: StoredEvent[] = [];
  #head = 0;
  #inFlight = 0;
  #nextId = 1;

  constructor(options: InMemoryEventStoreOptions = {}) {
    const capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError(`InMemoryEventStore: capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
  }

  add(body: string, bytes: number): boolean {
    if (this.#queue.length - this.#head + this.#inFlight >= this.capacity) return false;
    this.#queue.push({ id: this.#nextId++, body, bytes });
    return true;
  }

  take(maxEvents: number, maxBytes: number): readonly StoredEvent[] {
    const queue = this.#queue;
    const start = this.#head;
    let end = start;
    let total = 0;
    while (end < queue.length && end - start < maxEvents) {
      const next = queue[end]!.bytes;
      if (end > start && total + next > maxBytes) break;
      total += next;
      end++;
    }
    if (end === start) return [];
    const taken = queue.slice(start, end);
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
    const back = [...events].sort((a, b) => a.id - b.id);
    const last = back[back.length - 1]!.id;
    // Earlier releases may sit at the head with ids between ours: merge with them.
    let split = this.#head;
    while (split < this.#queue.length && this.#queue[split]!.id < last) split++;
    const merged = mergeById(back, this.#queue.slice(this.#head, split));
    this.#queue = merged.concat(this.#queue.slice(split));
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

function mergeById(a: readonly StoredEvent[], b: readonly StoredEvent[]): StoredEvent[] {
  const out: StoredEvent[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.id <= b[j]!.id ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
