/**
 * The tracker: turns track calls into tracker-protocol payloads and hands
 * each one to every emitter. Track methods return the tracker, so calls chain.
 */
import { INPUT_JSON, type CloseOptions, type CloseReport, type TrackerEmitter } from "./emitter/types.js";
import { describeValue } from "./describe.js";
import {
  checkData, pagePingPairs, pageViewPairs, structEventPairs, transactionItemPairs, transactionPairs, type Pairs,
} from "./events/builders.js";
import {
  ADD_TO_CART_SCHEMA, CHANGE_FORM_SCHEMA, LINK_CLICK_SCHEMA, MOBILE_SCREEN_VIEW_SCHEMA, REMOVE_FROM_CART_SCHEMA,
  SCREEN_VIEW_SCHEMA, SITE_SEARCH_SCHEMA, SUBMIT_FORM_SCHEMA,
  type AddToCart, type ChangeForm, type LinkClick, type MobileScreenView, type RemoveFromCart, type ScreenView,
  type SiteSearch, type SubmitForm,
} from "./events/builtins.js";
import type {
  EcommerceTransaction, EcommerceTransactionItem, PagePing, PageView, SelfDescribingJson, StructEvent,
  TrackOptions,
} from "./events/types.js";
import { resolveLogger, type Logger, type LogLevel } from "./logger.js";
import {
  CONTEXTS_SCHEMA, TRACKER_VERSION, UNSTRUCT_EVENT_SCHEMA, type Payload,
} from "./protocol.js";
import { Subject } from "./subject.js";
import { PayloadWriter } from "./events/payload-writer.js";
import { addTimestamp, checkOptions, checkSelfDescribing, contextOf } from "./events/options.js";
import { base64Url, randomUuid } from "./text.js";
import { registry } from "./registry.js";
import { issuesOf, resolveValidation, ValidationError, type ResolvedValidation, type ValidationIssue, type ValidationOptions } from "./validation/validate.js";

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
  /**
   * Dev-time validation: each self-describing event's data and each entity
   * checked by the validators `igluc generate --validators` writes (import
   * them from its separate `validators` module, so production builds leave
   * them out). Schemas without a validator are not checked.
   */
  validation?: ValidationOptions;
}

export class Tracker {
  readonly namespace: string;
  readonly #emitters: TrackerEmitter[];
  readonly #appId: string | undefined;
  readonly #encodeBase64: boolean;
  readonly #replacer: ((key: string, value: unknown) => unknown) | undefined;
  readonly #logger: Logger;
  /** Iglu URIs already checked, so the pattern runs once per schema (bounded). */
  readonly #checkedUris = new Set<string>();
  #subject: Subject;
  /** Set when validation is on ("warn" or "throw" with validators). */
  readonly #validation: ResolvedValidation | undefined;
  /** Our own emitters take the JSON alone; the payload object is built only when another emitter is present. */
  #needsObject = false;

  constructor(config: TrackerConfig) {
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      throw new TypeError(`Tracker: expected an options object like { namespace: "app", emitters: emitter }, got ${describeValue(config)}`);
    }
    if (typeof config.namespace !== "string" || config.namespace === "") throw new TypeError(`Tracker: namespace must be a non-empty string, got ${describeValue(config.namespace)}`);
    if (/[:;]/.test(config.namespace)) throw new TypeError(`Tracker: namespace "${config.namespace}" must not contain ":" or ";"`);
    if (config.appId !== undefined && typeof config.appId !== "string") throw new TypeError(`Tracker: appId must be a string, got ${describeValue(config.appId)}`);
    if (config.subject !== undefined && !(config.subject instanceof Subject)) throw new TypeError(`Tracker: subject must be a Subject (new Subject()), got ${describeValue(config.subject)}`);
    if (config.jsonEncoder !== undefined && typeof config.jsonEncoder !== "function") throw new TypeError(`Tracker: jsonEncoder must be a function, got ${describeValue(config.jsonEncoder)}`);
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
    this.#validation = resolveValidation(config.validation, "Tracker");
  }

  trackPageView(data: PageView, options?: TrackOptions): this {
    return this.#track("trackPageView", pageViewPairs(data), options);
  }

  trackPagePing(data: PagePing, options?: TrackOptions): this {
    return this.#track("trackPagePing", pagePingPairs(data), options);
  }

  trackStructEvent(data: StructEvent, options?: TrackOptions): this {
    return this.#track("trackStructEvent", structEventPairs(data), options);
  }

  /** Tracks a custom event described by an Iglu schema. */
  trackSelfDescribingEvent(event: SelfDescribingJson, options?: TrackOptions): this {
    return this.#selfDescribing("trackSelfDescribingEvent", event, options);
  }

  /** @deprecated Use {@link Tracker.trackSelfDescribingEvent}; this alias exists for parity with older trackers. */
  trackUnstructEvent(event: SelfDescribingJson, options?: TrackOptions): this {
    return this.#selfDescribing("trackUnstructEvent", event, options);
  }

  /** The web and server `screen_view` event (`com.snowplowanalytics.snowplow/screen_view` 1-0-0): a name, an id, or both. */
  trackScreenView(data: ScreenView, options?: TrackOptions): this {
    const method = "trackScreenView";
    checkData(method, data, "{ name: \"Home\" }");
    if ((data.name === undefined || data.name === "") && (data.id === undefined || data.id === "")) {
      throw new TypeError(`${method}: name or id is required`);
    }
    return this.#selfDescribing(method, { schema: SCREEN_VIEW_SCHEMA, data }, options);
  }

  /**
   * The mobile `screen_view` event (`com.snowplowanalytics.mobile/screen_view`
   * 1-0-0), as the Python tracker's `track_mobile_screen_view`: `name` is
   * required; `id` is generated (a UUID) when not given.
   */
  trackMobileScreenView(data: MobileScreenView, options?: TrackOptions): this {
    const method = "trackMobileScreenView";
    checkData(method, data, "{ name: \"Home\" }");
    if (typeof data.name !== "string" || data.name === "") throw new TypeError(`${method}: name must be a non-empty string, got ${describeValue(data.name)}`);
    const withId = data.id === undefined || data.id === null || data.id === "" ? { ...data, id: randomUuid() } : data;
    return this.#selfDescribing(method, { schema: MOBILE_SCREEN_VIEW_SCHEMA, data: withId }, options);
  }

  trackLinkClick(data: LinkClick, options?: TrackOptions): this {
    return this.#builtin("trackLinkClick", LINK_CLICK_SCHEMA, data, "{ targetUrl: \"https://…\" }", options);
  }

  trackAddToCart(data: AddToCart, options?: TrackOptions): this {
    return this.#builtin("trackAddToCart", ADD_TO_CART_SCHEMA, data, "{ sku: \"s1\", quantity: 1 }", options);
  }

  trackRemoveFromCart(data: RemoveFromCart, options?: TrackOptions): this {
    return this.#builtin("trackRemoveFromCart", REMOVE_FROM_CART_SCHEMA, data, "{ sku: \"s1\", quantity: 1 }", options);
  }

  trackFormChange(data: ChangeForm, options?: TrackOptions): this {
    return this.#builtin("trackFormChange", CHANGE_FORM_SCHEMA, data, "{ formId, elementId, nodeName, value }", options);
  }

  trackFormSubmit(data: SubmitForm, options?: TrackOptions): this {
    return this.#builtin("trackFormSubmit", SUBMIT_FORM_SCHEMA, data, "{ formId: \"f1\" }", options);
  }

  trackSiteSearch(data: SiteSearch, options?: TrackOptions): this {
    return this.#builtin("trackSiteSearch", SITE_SEARCH_SCHEMA, data, "{ terms: [\"shoes\"] }", options);
  }

  /**
   * Tracks a transaction, then each of its items as a transaction-item event
   * with the same order id, currency, timestamp (`dtm` included: one clock
   * reading for them all) and subject. An item's events carry the
   * transaction's entities followed by the item's own.
   */
  trackEcommerceTransaction(data: EcommerceTransaction, options?: TrackOptions): this {
    const method = "trackEcommerceTransaction";
    const transaction = transactionPairs(data);
    const checked = checkOptions(method, options);
    const items = data.items.map((item, i) => {
      const where = `${method}: items[${i}]`;
      const pairs = transactionItemPairs({ ...item, orderId: data.orderId, currency: data.currency }, where);
      return { pairs, context: [...(checked?.context ?? []), ...(contextOf(where, item.context) ?? [])] };
    });
    const now = Date.now();
    this.#track(method, transaction, checked, undefined, now);
    for (const item of items) this.#track(method, item.pairs, { ...checked, context: item.context }, undefined, now);
    return this;
  }

  trackEcommerceTransactionItem(data: EcommerceTransactionItem, options?: TrackOptions): this {
    return this.#track("trackEcommerceTransactionItem", transactionItemPairs(data), options);
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

  /**
   * Flushes within a deadline and stops every emitter's timers and
   * connections; the tracker also leaves the `Snowplow` registry, so its
   * namespace can be used again.
   */
  async close(options: CloseOptions = {}): Promise<CloseReport> {
    registry.remove(this);
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

  #selfDescribing(method: string, event: SelfDescribingJson, options: TrackOptions | undefined): this {
    checkSelfDescribing(method, "the event", event, this.#checkedUris);
    return this.#track(method, { e: "ue" }, options, event);
  }

  #builtin(method: string, schema: string, data: unknown, example: string, options: TrackOptions | undefined): this {
    checkData(method, data, example);
    return this.#selfDescribing(method, { schema, data }, options);
  }

  #track(method: string, pairs: Pairs, options: TrackOptions | undefined, event?: SelfDescribingJson, now?: number): this {
    const { payload, json } = this.#complete(method, pairs, checkOptions(method, options), event, this.#needsObject, now ?? Date.now());
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

  #complete(
    method: string, pairs: Pairs, options: TrackOptions | undefined, event: SelfDescribingJson | undefined, withObject: boolean, now: number,
  ): { payload: Payload | undefined; json: string } {
    const out = new PayloadWriter(withObject);
    out.addAll(pairs);
    out.addSafe("eid", randomUuid());
    const own = options?.subject?.pairs();
    const shared = this.#subject.pairs();
    out.addSafe("p", own?.get("p") ?? shared.get("p") ?? "srv");
    out.addSafe("tv", TRACKER_VERSION);
    out.add("tna", this.namespace);
    out.add("aid", this.#appId);
    // A key the event's subject sets (to a value, or to "" for none) hides the tracker's.
    if (shared.size > 0) for (const [key, value] of shared) if (key !== "p" && own?.has(key) !== true) out.add(key, value);
    if (own !== undefined && own.size > 0) for (const [key, value] of own) if (key !== "p") out.add(key, value);
    addTimestamp(method, out, options?.timestamp, now);
    if (event !== undefined) {
      const inner = `{"schema":"${UNSTRUCT_EVENT_SCHEMA}","data":{"schema":${JSON.stringify(event.schema)},"data":${this.#stringify(method, event.data, event.schema)}}}`;
      this.#addJson(out, "ue_px", "ue_pr", inner);
    }
    const context = options?.context;
    if (context !== undefined && context.length > 0) {
      for (let i = 0; i < context.length; i++) checkSelfDescribing(method, `options.context[${i}]`, context[i]!, this.#checkedUris);
      this.#addJson(out, "cx", "co", `{"schema":"${CONTEXTS_SCHEMA}","data":${this.#stringify(method, context, "the context")}}`);
    }
    if (this.#validation !== undefined) this.#validate(method, event, context);
    return out.finish();
  }

  /** Checks the event's data and each entity; warns, or throws (before anything is sent). */
  #validate(method: string, event: SelfDescribingJson | undefined, context: readonly SelfDescribingJson[] | undefined): void {
    const { mode, validators, onError } = this.#validation!;
    const issues: ValidationIssue[] = [];
    if (event !== undefined) issues.push(...issuesOf(validators, event.schema, event.data));
    if (context !== undefined) for (const entity of context) issues.push(...issuesOf(validators, entity.schema, entity.data));
    if (issues.length === 0) return;
    for (const issue of issues) {
      if (mode === "warn") this.#logger.warn(`${method}: ${issue.message}`, { uri: issue.uri, pointer: issue.pointer, keyword: issue.keyword });
      if (onError === undefined) continue;
      try {
        onError(issue);
      } catch (error) {
        this.#logger.error("validation onError callback failed", { error });
      }
    }
    if (mode === "throw") throw new ValidationError(method, issues);
  }

  #stringify(method: string, value: unknown, what: string): string {
    const json = JSON.stringify(value, this.#replacer) as string | undefined;
    if (typeof json !== "string") throw new TypeError(`${method}: the data of ${what} cannot be encoded as JSON, got ${describeValue(value)}`);
    return json;
  }

  #addJson(out: PayloadWriter, encodedKey: string, plainKey: string, json: string): void {
    if (this.#encodeBase64) out.addSafe(encodedKey, base64Url(json));
    else out.add(plainKey, json);
  }
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
