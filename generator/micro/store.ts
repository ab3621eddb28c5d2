/**
 * The events igluc micro received, good and bad, in arrival order, bounded:
 * past `capacity` the oldest go first, and how many went is counted (and
 * reported by /micro/all and the CLI), so a long-running micro never grows
 * without limit.
 */
import type { SelfDescribing } from "./validate.js";

/** One event as micro keeps it: what arrived, and its verdict. */
export interface MicroEvent {
  /** Arrival number, from 1 (never reused, even after a reset). */
  readonly seq: number;
  /** When it arrived (ISO 8601). */
  readonly receivedAt: string;
  readonly valid: boolean;
  /** Why it is bad, one line each; empty when good. */
  readonly messages: readonly string[];
  /** `eid` as sent. */
  readonly eventId: string | undefined;
  readonly eventType: string | undefined;
  /** The self-describing event's schema, for unstructured events. */
  readonly schema: string | undefined;
  /** The entities' schemas. */
  readonly contexts: readonly string[];
  /** The self-describing event and the entities, decoded. */
  readonly event: SelfDescribing | undefined;
  readonly entities: readonly SelfDescribing[];
  /** The parameters as sent (values as the tracker wrote them). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The request that carried it. */
  readonly request: {
    readonly method: string;
    /** tp2 (POST) or i (GET). */
    readonly api: "tp2" | "i";
    readonly contentType: string | undefined;
    readonly userAgent: string | undefined;
    readonly origin: string | undefined;
  };
}

export interface Counts {
  readonly total: number;
  readonly good: number;
  readonly bad: number;
  /** Events dropped, the oldest first, to stay within capacity (since the last reset). */
  readonly dropped: number;
}

export class EventStore {
  /** Arrival order; `head` is the oldest still kept. */
  private events: (MicroEvent | undefined)[] = [];
  private head = 0;
  private readonly byId = new Map<string, MicroEvent>();
  private good = 0;
  private bad = 0;
  private dropped = 0;
  private seq = 0;
  private readonly listeners = new Set<() => void>();

  constructor(readonly capacity: number) {}

  add(event: Omit<MicroEvent, "seq">): MicroEvent {
    const kept: MicroEvent = { ...event, seq: ++this.seq };
    this.events.push(kept);
    if (kept.valid) this.good++;
    else this.bad++;
    if (kept.eventId !== undefined) this.byId.set(kept.eventId, kept);
    while (this.events.length - this.head > this.capacity) this.dropOldest();
    for (const listener of [...this.listeners]) listener();
    return kept;
  }

  private dropOldest(): void {
    const old = this.events[this.head]!;
    this.events[this.head++] = undefined;
    if (old.valid) this.good--;
    else this.bad--;
    this.dropped++;
    if (old.eventId !== undefined && this.byId.get(old.eventId) === old) this.byId.delete(old.eventId);
    // Compact once half the array is gaps: amortised O(1) a drop.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** Every event kept, oldest first. */
  all(): MicroEvent[] {
    return this.events.slice(this.head) as MicroEvent[];
  }

  /** The last event sent with this `eid` (a retried event arrives again with the same id). */
  get(eventId: string): MicroEvent | undefined {
    return this.byId.get(eventId);
  }

  counts(): Counts {
    return { total: this.good + this.bad, good: this.good, bad: this.bad, dropped: this.dropped };
  }

  reset(): void {
    this.events = [];
    this.head = 0;
    this.byId.clear();
    this.good = 0;
    this.bad = 0;
    this.dropped = 0;
    for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` after each event added and each reset, until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }
}
