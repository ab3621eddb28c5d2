/**
 * The tracker: turns track calls into tracker-protocol payloads and hands
 * each one to every emitter. Track methods return the tracker, so calls chain.
 */
import { INPUT_JSON, type CloseOptions, type CloseReport, type TrackerEmitter } from "./emitter/emitter.js";
import {
  pagePingPairs, pageViewPairs, structEventPairs, transactionItemPairs, transactionPairs, type Pairs,
} from "./events/builders.js";
import {
  ADD_TO_CART_SCHEMA, CHANGE_FORM_SCHEMA, LINK_CLICK_SCHEMA, REMOVE_FROM_CART_SCHEMA, SCREEN_VIEW_SCHEMA,
  SITE_SEARCH_SCHEMA, SUBMIT_FORM_SCHEMA,
  type AddToCart, type ChangeForm, type LinkClick, type RemoveFromCart, type ScreenView, type SiteSearch, type SubmitForm,
} from "./events/builtins.js";
import type {
  EcommerceTransaction, EcommerceTransactionItem, PagePing, PageView, SelfDescribingJson, StructEvent, Timestamp,
  TrackOptions,
} from "./events/types.js";
import { resolveLogger, type Logger, type LogLevel } from "./logger.js";
import {
  CONTEXTS_SCHEMA, IGLU_URI, TRACKER_VERSION, UNSTRUCT_EVENT_SCHEMA, type Payload,
} from "./protocol.js";
import { Subject } from "./subject.js";
import { PayloadWriter } from "./events/payload-writer.js";
import { base64Url } from "./events/base64.js";

export interface TrackerConfig {
  /** Tracker namespace (`tna`). Required. */
  namespace: string;
  /** One emitter or several; every event goes to each. Required. */
  emitters: TrackerEmitter | readonly TrackerEmitter[];
  /** Sent with every event; an event's own subject overrides it key by key. */
  subject?: Subject;
  /** Application id (`aid`). */
  appId?: string;
  /** Send self-describing JSON base64url-encoded (`ue_px`, `cx`) rather than plain (`ue_pr`, `co`). @defaultValue true */
  encodeBase64?: boolean;
  /**
   * Called for each value JSON cannot encode as it is (a bigint, a Map, a
   * class instance without toJSON…) inside event data and entities; returns
   * what to encode instead.
   */
  jsonEncoder?: (value: unknown) => unknown;
  /** A Logger, or a level for the console logger. @defaultValue "warn" */
  logger?: Logger | LogLevel;
}

export class Tracker {
  readonly namespace: string;
  readonly #emitters: TrackerEmitter[];
  readonly #appId: string | undefined;
  readonly #encodeBase64: boolean;
  readonly #replacer: ((key: string, value: unknown) => unknown) | undefined;
  readonly #logger: Logger;
  /** Reused for base64 encoding, so encoding allocates no buffer per event. */
  readonly #scratch = Buffer.allocUnsafeSlow(32 * 1024);
  /** Iglu URIs already checked, so the pattern runs once per schema (bounded). */
  readonly #checkedUris = new Set<string>();
  #subject: Subject;
  /** Our own emitters take the JSON alone; the payload object is built only when another emitter is present. */
  #needsObject = false;

  constructor(config: TrackerConfig) {
    if (typeof config.namespace !== "string" || config.namespace === "") throw new TypeError("Tracker: namespace is required");
    if (/[:;]/.test(config.namespace)) throw new TypeError(`Tracker: namespace "${config.namespace}" must not contain ":" or ";"`);
    const emitters = Array.isArray(config.emitters) ? [...(config.emitters as readonly TrackerEmitter[])] : [config.emitters as TrackerEmitter];
    if (emitters.length === 0 || emitters.some((e) => typeof e?.input !== "function" || typeof e.flush !== "function")) {
      throw new TypeError("Tracker: emitters must be one or more objects with input(payload) and flush()");
    }
    this.namespace = config.namespace;
    this.#emitters = emitters;
    this.#needsObject = emitters.some(wantsObject);
    this.#appId = config.appId;
    this.#encodeBase64 = config.encodeBase64 ?? true;
    this.#subject = config.subject ?? new Subject();
    this.#logger = resolveLogger(config.logger);
    const encoder = config.jsonEncoder;
    this.#replacer = encoder === undefined ? undefined : (_key, value) => (needsEncoder(value) ? encoder(value) : value);
  }

  trackPageView(data: PageView, options?: TrackOptions): this {
    return this.#track(pageViewPairs(data), options);
  }

  trackPagePing(data: PagePing, options?: TrackOptions): this {
    return this.#track(pagePingPairs(data), options);
  }

  trackStructEvent(data: StructEvent, options?: TrackOptions): this {
    return this.#track(structEventPairs(data), options);
  }

  /** Tracks a custom event described by an Iglu schema. */
  trackSelfDescribingEvent(event: SelfDescribingJson, options?: TrackOptions): this {
    this.#check("trackSelfDescribingEvent", event);
    return this.#track({ e: "ue" }, options, event);
  }

  /** @deprecated Use {@link Tracker.trackSelfDescribingEvent}; this alias exists for parity with older trackers. */
  trackUnstructEvent(event: SelfDescribingJson, options?: TrackOptions): this {
    return this.trackSelfDescribingEvent(event, options);
  }

  trackScreenView(data: ScreenView, options?: TrackOptions): this {
    if ((data.name === undefined || data.name === "") && (data.id === undefined || data.id === "")) {
      throw new TypeError("trackScreenView: name or id is required");
    }
    return this.trackSelfDescribingEvent({ schema: SCREEN_VIEW_SCHEMA, data }, options);
  }

  trackLinkClick(data: LinkClick, options?: TrackOptions): this {
    return this.trackSelfDescribingEvent({ schema: LINK_CLICK_SCHEMA, data }, options);
  }

  trackAddToCart(data: AddToCart, options?: TrackOptions): this {
    return this.trackSelfDescribingEvent({ schema: ADD_TO_CART_SCHEMA, data }, options);
  }

  trackRemoveFromCart(data: RemoveFromCart, options?: TrackOptions): this {
    return this.trackSelfDescribingEvent({ schema: REMOVE_FROM_CART_SCHEMA, data }, options);
  }

  trackFormChange(data: ChangeForm, options?: TrackOptions): this {
    return this.trackSelfDescribingEvent({ schema: CHANGE_FORM_SCHEMA, data }, options);
  }

  trackFormSubmit(data: SubmitForm, options?: TrackOptions): this {
    return this.trackSelfDescribingEvent({ schema: SUBMIT_FORM_SCHEMA, data }, options);
  }

  trackSiteSearch(data: SiteSearch, options?: TrackOptions): this {
    return this.trackSelfDescribingEvent({ schema: SITE_SEARCH_SCHEMA, data }, options);
  }

  /**
   * Tracks a transaction, then each of its items as a transaction-item event
   * with the same order id, currency, timestamp and subject. An item's events
   * carry the transaction's entities followed by the item's own.
   */
  trackEcommerceTransaction(data: EcommerceTransaction, options?: TrackOptions): this {
    const transaction = transactionPairs(data);
    const items = data.items.map((item) => ({
      pairs: transactionItemPairs({ ...item, orderId: data.orderId, currency: data.currency }),
      context: [...(options?.context ?? []), ...(item.context ?? [])],
    }));
    this.#track(transaction, options);
    for (const item of items) this.#track(item.pairs, { ...options, context: item.context });
    return this;
  }

  trackEcommerceTransactionItem(data: EcommerceTransactionItem, options?: TrackOptions): this {
    return this.#track(transactionItemPairs(data), options);
  }

  /** Replaces the tracker-wide subject. */
  setSubject(subject: Subject): this {
    this.#subject = subject;
    return this;
  }

  addEmitter(emitter: TrackerEmitter): this {
    if (typeof emitter?.input !== "function" || typeof emitter.flush !== "function") {
      throw new TypeError("Tracker.addEmitter: an emitter needs input(payload) and flush()");
    }
    this.#emitters.push(emitter);
    this.#needsObject ||= wantsObject(emitter);
    return this;
  }

  /** Resolves when every emitter has sent, or reported through onFailure, every event tracked before the call. */
  async flush(): Promise<void> {
    await Promise.all(this.#emitters.map(async (emitter) => {
      try {
        await emitter.flush();
      } catch (error) {
        this.#logger.error("emitter flush failed", { error });
      }
    }));
  }

  /** Flushes within a deadline and stops every emitter's timers and connections. */
  async close(options: CloseOptions = {}): Promise<CloseReport> {
    const reports = await Promise.all(this.#emitters.map(async (emitter): Promise<CloseReport> => {
      try {
        if (emitter.close !== undefined) return await emitter.close(options);
        await emitter.flush();
        return { remaining: 0, timedOut: false };
      } catch (error) {
        this.#logger.error("emitter close failed", { error });
        return { remaining: 0, timedOut: true };
      }
    }));
    return {
      remaining: reports.reduce((sum, r) => sum + r.remaining, 0),
      timedOut: reports.some((r) => r.timedOut),
    };
  }

  #track(pairs: Pairs, options: TrackOptions | undefined, event?: SelfDescribingJson): this {
    const { payload, json } = this.#complete(pairs, options, event, this.#needsObject);
    for (const emitter of this.#emitters) {
      try {
        const own = (emitter as Partial<Record<typeof INPUT_JSON, (json: string) => void>>)[INPUT_JSON];
        const result = own !== undefined ? own.call(emitter, json) : emitter.input(payload!, json);
        if (isThenable(result)) result.then(undefined, (error: unknown) => this.#logger.error("emitter input failed", { error }));
      } catch (error) {
        this.#logger.error("emitter input failed", { error });
      }
    }
    return this;
  }

  #complete(pairs: Pairs, options: TrackOptions | undefined, event: SelfDescribingJson | undefined, withObject: boolean): { payload: Payload | undefined; json: string } {
    const out = new PayloadWriter(withObject);
    out.addAll(pairs);
    out.addSafe("eid", crypto.randomUUID());
    const own = options?.subject?.pairs();
    const shared = this.#subject.pairs();
    out.addSafe("p", own?.get("p") ?? shared.get("p") ?? "srv");
    out.addSafe("tv", TRACKER_VERSION);
    out.add("tna", this.namespace);
    out.add("aid", this.#appId);
    if (shared.size > 0) for (const [key, value] of shared) if (key !== "p" && own?.has(key) !== true) out.add(key, value);
    if (own !== undefined && own.size > 0) for (const [key, value] of own) if (key !== "p") out.add(key, value);
    addTimestamp(out, options?.timestamp);
    if (event !== undefined) {
      const inner = `{"schema":"${UNSTRUCT_EVENT_SCHEMA}","data":{"schema":${JSON.stringify(event.schema)},"data":${this.#stringify(event.data, event.schema)}}}`;
      this.#addJson(out, "ue_px", "ue_pr", inner);
    }
    const context = options?.context;
    if (context !== undefined && context.length > 0) {
      for (const entity of context) this.#check("context entity", entity);
      this.#addJson(out, "cx", "co", `{"schema":"${CONTEXTS_SCHEMA}","data":${this.#stringify(context, "context")}}`);
    }
    return out.finish();
  }

  #check(where: string, value: SelfDescribingJson): void {
    checkSelfDescribing(where, value, this.#checkedUris);
  }

  #stringify(value: unknown, what: string): string {
    const json = JSON.stringify(value, this.#replacer) as string | undefined;
    if (typeof json !== "string") throw new TypeError(`${what}: data cannot be encoded as JSON`);
    return json;
  }

  #addJson(out: PayloadWriter, encodedKey: string, plainKey: string, json: string): void {
    if (this.#encodeBase64) out.addSafe(encodedKey, base64Url(json, this.#scratch));
    else out.add(plainKey, json);
  }
}

function addTimestamp(out: PayloadWriter, timestamp: Timestamp | undefined): void {
  if (timestamp === undefined) {
    out.addSafe("dtm", String(Date.now()));
  } else if (typeof timestamp === "number") {
    out.addSafe("dtm", epochMillis(timestamp));
  } else if (timestamp.type === "true") {
    // Keep the device's own time too: ttm says when it happened, dtm when it was tracked.
    out.addSafe("dtm", String(Date.now()));
    out.addSafe("ttm", epochMillis(timestamp.value));
  } else if (timestamp.type === "device") {
    out.addSafe("dtm", epochMillis(timestamp.value));
  } else {
    throw new TypeError(`timestamp.type must be "true" or "device", got "${String((timestamp as { type: unknown }).type)}"`);
  }
}

function epochMillis(value: number): string {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`timestamp: expected milliseconds since the epoch, got ${String(value)}`);
  }
  return String(Math.round(value));
}

function checkSelfDescribing(where: string, value: SelfDescribingJson, checkedUris: Set<string>): void {
  if (value === null || typeof value !== "object" || typeof value.schema !== "string") {
    throw new TypeError(`${where}: expected { schema, data }`);
  }
  if (!checkedUris.has(value.schema)) {
    if (!IGLU_URI.test(value.schema)) {
      throw new TypeError(`${where}: "${value.schema}" is not an Iglu URI (iglu:vendor/name/jsonschema/M-R-A)`);
    }
    if (checkedUris.size < 1_000) checkedUris.add(value.schema);
  }
  if (value.data === undefined) throw new TypeError(`${where}: ${value.schema} has no data`);
}

function needsEncoder(value: unknown): boolean {
  if (typeof value === "bigint") return true;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto !== Object.prototype && proto !== null;
}

function wantsObject(emitter: TrackerEmitter): boolean {
  return typeof (emitter as Partial<Record<typeof INPUT_JSON, unknown>>)[INPUT_JSON] !== "function";
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}
