/**
 * The events igluc micro received, good and bad, in arrival order, bounded:
 * past `capacity` events, or `maxBytes` of what they were sent as, the oldest
 * go first, and how many went is counted (and reported by /micro/all and the
 * CLI), so a long-running micro never grows without limit, however big the
 * events a tracker sends.
 */
import { inspect } from "node:util";
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

/** What a good event carried, decoded: micro keeps its request's bytes instead, and decodes again when first asked. */
export interface EventParts {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly event: SelfDescribing | undefined;
  readonly entities: readonly SelfDescribing[];
}

/** Where an event's parts are found again (its request's body), by its index in the request. */
export interface PartsSource {
  parts(index: number): EventParts;
}

/** An event to keep: its verdict, and its parts, or where to find them when asked. */
export type NewEvent = Omit<MicroEvent, "seq" | "parameters" | "event" | "entities"> & {
  /** What it was sent as, in bytes: its share of its request's body, or its query string. */
  readonly bytes: number;
} & ({ readonly parts: EventParts } | { readonly source: PartsSource; readonly index: number });

/**
 * A kept event. Keeping every decoded object of every event alive made the
 * garbage collector copy them all, again and again, while they were young:
 * a good event keeps a few fields and its request's bytes (outside the JS
 * heap), and its parameters, event and entities are decoded when read. They
 * are held weakly: a query that reads every event does not leave the store
 * holding their decoded copies (several times the bytes the bound counts).
 */
class StoredEvent implements MicroEvent {
  readonly seq: number;
  readonly receivedAt: string;
  readonly valid: boolean;
  readonly messages: readonly string[];
  readonly eventId: string | undefined;
  readonly eventType: string | undefined;
  readonly schema: string | undefined;
  readonly contexts: readonly string[];
  readonly request: MicroEvent["request"];
  /** Counted against the store's byte bound. */
  readonly bytes: number;
  /** The parts, when the event arrived with them (a bad event, a sparse body, a GET). */
  private readonly held: EventParts | undefined;
  /** The parts decoded from `source`, while something still uses them. */
  private decoded: WeakRef<EventParts> | undefined;
  private readonly source: PartsSource | undefined;
  private readonly index: number;

  constructor(seq: number, e: NewEvent) {
    this.seq = seq;
    this.receivedAt = e.receivedAt;
    this.valid = e.valid;
    this.messages = e.messages;
    this.eventId = e.eventId;
    this.eventType = e.eventType;
    this.schema = e.schema;
    this.contexts = e.contexts;
    this.request = e.request;
    this.bytes = e.bytes;
    this.held = "parts" in e ? e.parts : undefined;
    this.source = "source" in e ? e.source : undefined;
    this.index = "index" in e ? e.index : 0;
  }

  private get parts(): EventParts {
    const parts = this.held ?? this.decoded?.deref();
    if (parts !== undefined) return parts;
    const fresh = this.source!.parts(this.index);
    this.decoded = new WeakRef(fresh);
    return fresh;
  }

  get parameters(): Readonly<Record<string, unknown>> {
    return this.parts.parameters;
  }

  get event(): SelfDescribing | undefined {
    return this.parts.event;
  }

  get entities(): readonly SelfDescribing[] {
    return this.parts.entities;
  }

  /** A plain object, as JSON and when logged. */
  toJSON(): MicroEvent {
    const { parameters, event, entities } = this.parts;
    return {
      seq: this.seq, receivedAt: this.receivedAt, valid: this.valid, messages: this.messages, eventId: this.eventId, eventType: this.eventType,
      schema: this.schema, contexts: this.contexts, event, entities, parameters, request: this.request,
    };
  }

  [inspect.custom](_depth: number, options: object): string {
    return inspect(this.toJSON(), options);
  }
}

export interface Counts {
  readonly total: number;
  readonly good: number;
  readonly bad: number;
  /** Events dropped, the oldest first, to stay within the bounds (since the last reset). */
  readonly dropped: number;
}

export class EventStore {
  /** Arrival order; `head` is the oldest still kept. */
  private events: (StoredEvent | undefined)[] = [];
  private head = 0;
  /** The kept events' bytes, summed. */
  private bytes = 0;
  private readonly byId = new Map<string, MicroEvent>();
  private good = 0;
  private bad = 0;
  private dropped = 0;
  private seq = 0;
  private readonly listeners = new Set<(added: MicroEvent | undefined) => void>();

  /** `maxBytes` bounds what the kept events were sent as; the newest event is kept even when it alone is larger. */
  constructor(readonly capacity: number, readonly maxBytes = Number.POSITIVE_INFINITY) {}

  add(event: NewEvent): MicroEvent {
    const kept = new StoredEvent(++this.seq, event);
    this.events.push(kept);
    this.bytes += kept.bytes;
    if (kept.valid) this.good++;
    else this.bad++;
    if (kept.eventId !== undefined) this.byId.set(kept.eventId, kept);
    const count = (): number => this.events.length - this.head;
    while (count() > this.capacity || (this.bytes > this.maxBytes && count() > 1)) this.dropOldest();
    if (this.listeners.size > 0) this.notify(kept);
    return kept;
  }

  private dropOldest(): void {
    const old = this.events[this.head]!;
    this.events[this.head++] = undefined;
    this.bytes -= old.bytes;
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
    this.bytes = 0;
    this.byId.clear();
    this.good = 0;
    this.bad = 0;
    this.dropped = 0;
    this.notify(undefined);
  }

  private notify(added: MicroEvent | undefined): void {
    for (const listener of [...this.listeners]) listener(added);
  }

  /** Calls `listener` after each event added (with it) and each reset (with undefined), until the returned function is called. */
  subscribe(listener: (added: MicroEvent | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }
}
