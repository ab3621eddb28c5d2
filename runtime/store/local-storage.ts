/**
 * An event store for web pages that survives a reload or a closed tab: the
 * events it holds (waiting and in flight) are kept in `localStorage` as well
 * as in memory, and the next page of the same site sends what an earlier one
 * did not. Delivery is at least once: a request whose answer the page did
 * not live to see is sent again.
 *
 * Each page (each store) writes under a key of its own, with the time it last
 * wrote, so tabs open at once never overwrite each other. When the page is
 * unloaded (`pagehide`) its key is marked released, so the next page (a
 * reload) takes its events over at once; a key nobody has refreshed for
 * `staleMs` (a page that died without pagehide) is taken over too. A page
 * restored from the back-forward cache claims its key again. `capacity` bounds what one
 * page holds; a storage that is full or refused is reported once through the
 * logger, and the events are then only in memory.
 */
import { resolveLogger, type Logger, type LogLevel } from "../logger.js";
import { randomUuid, utf8Length } from "../text.js";
import type { EventStore, StoredEvent } from "./event-store.js";

/** What the store uses of `localStorage` (any Web Storage fits). */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LocalStorageEventStoreOptions {
  /** The prefix of the store's keys. @defaultValue "igluc:events" */
  key?: string;
  /** Most events held, waiting and in flight. @defaultValue 1_000 */
  capacity?: number;
  /** Where to keep them. @defaultValue globalThis.localStorage */
  storage?: StorageLike;
  /** After how long without a write another page's events are taken over, in ms. @defaultValue 60_000 */
  staleMs?: number;
  logger?: Logger | LogLevel;
}

class Held implements StoredEvent {
  constructor(readonly id: number, readonly body: string, readonly bytes: number) {}
}

interface Saved {
  /** When the owner last wrote. */
  readonly t: number;
  readonly events: readonly string[];
}

export class LocalStorageEventStore implements EventStore {
  readonly capacity: number;
  /** What it holds outlives the page: the emitter leaves unsent events here at close. */
  readonly durable = true;
  readonly #storage: StorageLike | undefined;
  readonly #prefix: string;
  readonly #key: string;
  readonly #staleMs: number;
  readonly #logger: Logger;
  #waiting: Held[] = [];
  readonly #inFlight = new Map<number, Held>();
  #nextId = 1;
  #saveScheduled = false;
  #failed = false;
  /** The page is being unloaded: writes mark the key as free for the next page to take. */
  #released = false;
  #refresh: ReturnType<typeof setInterval> | undefined;

  constructor(options: LocalStorageEventStoreOptions = {}) {
    this.capacity = options.capacity ?? 1_000;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) throw new TypeError(`LocalStorageEventStore: capacity must be a positive integer, got ${String(options.capacity)}`);
    this.#staleMs = options.staleMs ?? 60_000;
    this.#prefix = options.key ?? "igluc:events";
    this.#key = `${this.#prefix}:${randomUuid()}`;
    this.#logger = resolveLogger(options.logger);
    this.#storage = options.storage ?? storageOf(this.#logger);
    this.#adopt();
    const page = globalThis as { addEventListener?: (type: string, listener: (event: { persisted?: boolean }) => void) => void };
    if (typeof page.addEventListener === "function" && (globalThis as { document?: unknown }).document !== undefined) {
      page.addEventListener("pagehide", () => {
        this.#released = true;
        this.#write();
      });
      page.addEventListener("pageshow", (event) => {
        if (event.persisted !== true) return;
        this.#released = false;
        this.#write();
      });
    }
  }

  add(body: string): boolean {
    if (this.#waiting.length + this.#inFlight.size >= this.capacity) return false;
    this.#waiting.push(new Held(this.#nextId++, body, utf8Length(body)));
    this.#save();
    return true;
  }

  take(maxEvents: number, maxBytes: number, overheadPerEvent = 0): readonly StoredEvent[] {
    let count = 0;
    let total = 0;
    while (count < this.#waiting.length && count < maxEvents) {
      const next = this.#waiting[count]!.bytes + overheadPerEvent;
      if (count > 0 && total + next > maxBytes) break;
      total += next;
      count++;
    }
    const taken = this.#waiting.splice(0, count);
    for (const event of taken) this.#inFlight.set(event.id, event);
    return taken;
  }

  ack(events: readonly StoredEvent[]): void {
    for (const event of events) this.#inFlight.delete(event.id);
    this.#save();
  }

  release(events: readonly StoredEvent[]): void {
    const back: Held[] = [];
    for (const event of events) {
      const held = this.#inFlight.get(event.id);
      if (held === undefined) continue;
      this.#inFlight.delete(event.id);
      back.push(held);
    }
    this.#waiting = [...back, ...this.#waiting].sort((a, b) => a.id - b.id);
  }

  size(): number {
    return this.#waiting.length;
  }

  /** Writes what it holds a last time and stops refreshing its key. */
  close(): void {
    this.#write();
    if (this.#refresh !== undefined) clearInterval(this.#refresh);
    this.#refresh = undefined;
  }

  /** Takes over the events of pages that are gone: keys of this prefix not refreshed for staleMs. */
  #adopt(): void {
    const storage = this.#storage;
    if (storage === undefined) return;
    const now = Date.now();
    const stale: string[] = [];
    try {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key === null || !key.startsWith(`${this.#prefix}:`) || key === this.#key) continue;
        const saved = parse(storage.getItem(key));
        if (saved === undefined || now - saved.t >= this.#staleMs) {
          stale.push(key);
          for (const body of saved?.events ?? []) {
            if (this.#waiting.length >= this.capacity) break;
            this.#waiting.push(new Held(this.#nextId++, body, utf8Length(body)));
          }
        }
      }
      for (const key of stale) storage.removeItem(key);
    } catch (error) {
      this.#logger.warn("LocalStorageEventStore: earlier pages' events could not be read", { error: String(error) });
    }
    if (this.#waiting.length > 0) this.#save();
  }

  /** Saves at the end of the tick (one write for a burst of changes). */
  #save(): void {
    if (this.#saveScheduled || this.#storage === undefined) return;
    this.#saveScheduled = true;
    queueMicrotask(() => {
      this.#saveScheduled = false;
      this.#write();
    });
  }

  #write(): void {
    const storage = this.#storage;
    if (storage === undefined) return;
    const held = [...this.#inFlight.values(), ...this.#waiting].sort((a, b) => a.id - b.id);
    try {
      if (held.length === 0) storage.removeItem(this.#key);
      else storage.setItem(this.#key, JSON.stringify({ t: this.#released ? 0 : Date.now(), events: held.map((e) => e.body) } satisfies Saved));
      this.#failed = false;
    } catch (error) {
      if (!this.#failed) this.#logger.warn("LocalStorageEventStore: the storage refused the events (full?); they are kept in memory only", { error: String(error) });
      this.#failed = true;
    }
    // While it holds events, the key is refreshed, so other pages know this one is alive.
    if (held.length > 0 && this.#refresh === undefined && !this.#released) {
      this.#refresh = setInterval(() => this.#write(), Math.max(1_000, Math.floor(this.#staleMs / 3)));
      (this.#refresh as { unref?: () => void }).unref?.();
    } else if (held.length === 0 && this.#refresh !== undefined) {
      clearInterval(this.#refresh);
      this.#refresh = undefined;
    }
  }
}

function storageOf(logger: Logger): StorageLike | undefined {
  try {
    const storage = (globalThis as { localStorage?: StorageLike }).localStorage;
    if (storage !== undefined) return storage;
  } catch {
    // Reading localStorage throws where the page may not use it (sandboxed frames, some privacy settings).
  }
  logger.warn("LocalStorageEventStore: localStorage is not available here; events are kept in memory only");
  return undefined;
}

function parse(text: string | null): Saved | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Saved>;
    if (typeof value.t === "number" && Array.isArray(value.events) && value.events.every((e) => typeof e === "string")) return value as Saved;
  } catch {
    // Not ours, or damaged: taken over as empty.
  }
  return undefined;
}
