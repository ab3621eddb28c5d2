import { describeValue } from "./describe.js";
import { PLATFORMS, UUID, type Platform } from "./protocol.js";

/**
 * Who and where an event comes from. An event's own subject overrides the
 * tracker's subject key by key:
 * - a key never set on the event's subject ("unset") takes the tracker's value;
 * - a key set to `""` or `null` ("empty") sends no value at all, even when
 *   the tracker's subject has one, as in the Python tracker: an event meant
 *   to be anonymous (`setUserId("")`) does not carry the tracker's user id.
 * The platform is the exception: it is always sent, so `setPlatform(null)`
 * unsets it (the tracker's, or `srv`). Unlike the Python tracker, a fresh
 * Subject never resets the platform it did not set.
 */
export class Subject {
  /** Keys in the order first set; an empty value means "send none". */
  readonly #pairs = new Map<string, string>();

  /** Platform (`p`). The tracker sends `srv` when no subject sets one. `null` unsets it. */
  setPlatform(platform: Platform | null): this {
    if (platform === null) {
      this.#pairs.delete("p");
      return this;
    }
    if (!(PLATFORMS as readonly string[]).includes(platform)) {
      throw new TypeError(`Subject.setPlatform: expected one of the platforms enrich accepts (${PLATFORMS.join(", ")}), got ${describeValue(platform)}`);
    }
    return this.#set("p", platform);
  }

  /** Business user id (`uid`). */
  setUserId(userId: string | null): this {
    return this.#set("uid", text("setUserId", userId));
  }

  /** Device screen size in pixels (`res`). */
  setScreenResolution(width: number | null, height?: number): this {
    return this.#set("res", width === null ? "" : dimensions("setScreenResolution", width, height));
  }

  /** Browser viewport size in pixels (`vp`). */
  setViewport(width: number | null, height?: number): this {
    return this.#set("vp", width === null ? "" : dimensions("setViewport", width, height));
  }

  /** Colour depth in bits (`cd`). */
  setColorDepth(depth: number | null): this {
    return this.#set("cd", integer("setColorDepth", depth));
  }

  /** IANA time zone, e.g. `Europe/London` (`tz`). */
  setTimezone(timezone: string | null): this {
    return this.#set("tz", text("setTimezone", timezone));
  }

  /** Language, e.g. `en-GB` (`lang`). */
  setLang(language: string | null): this {
    return this.#set("lang", text("setLang", language));
  }

  /** IP address to record instead of the request's (`ip`). */
  setIpAddress(ip: string | null): this {
    return this.#set("ip", text("setIpAddress", ip));
  }

  /** User agent to record instead of the request's (`ua`). */
  setUseragent(userAgent: string | null): this {
    return this.#set("ua", text("setUseragent", userAgent));
  }

  /** First-party cookie id (`duid`). */
  setDomainUserId(domainUserId: string | null): this {
    return this.#set("duid", text("setDomainUserId", domainUserId));
  }

  /** Session id (`sid`); enrich rejects anything but a UUID. */
  setDomainSessionId(sessionId: string | null): this {
    const value = text("setDomainSessionId", sessionId);
    if (value !== "" && !UUID.test(value)) {
      throw new TypeError(`Subject.setDomainSessionId: expected a UUID (enrich would fail the event), got ${describeValue(value)}`);
    }
    return this.#set("sid", value);
  }

  /** Session index, counting from 1 (`vid`). */
  setDomainSessionIndex(index: number | null): this {
    return this.#set("vid", integer("setDomainSessionIndex", index));
  }

  /**
   * Network user id. Sent as `tnuid`, the parameter enrich uses to override
   * the collector's cookie (the Node tracker sends `nuid`, which the
   * collector's own cookie value replaces).
   */
  setNetworkUserId(networkUserId: string | null): this {
    return this.#set("tnuid", text("setNetworkUserId", networkUserId));
  }

  /** The keys this subject sets, in the order they were first set; `""` means "send none". */
  pairs(): ReadonlyMap<string, string> {
    return this.#pairs;
  }

  #set(key: string, value: string): this {
    this.#pairs.set(key, value);
    return this;
  }
}

function text(method: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null) return "";
  throw new TypeError(`Subject.${method}: expected a string (or "" / null to send none), got ${describeValue(value)}`);
}

function integer(method: string, n: unknown): string {
  if (n === null) return "";
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new TypeError(`Subject.${method}: expected a non-negative integer (or null to send none), got ${describeValue(n)}`);
  }
  return String(n);
}

function dimensions(method: string, width: unknown, height: unknown): string {
  const ok = (n: unknown): boolean => typeof n === "number" && Number.isInteger(n) && n > 0;
  if (!ok(width) || !ok(height)) {
    throw new TypeError(`Subject.${method}: expected positive integer width and height (or null to send none), got ${describeValue(width)} and ${describeValue(height)}`);
  }
  return `${String(width)}x${String(height)}`;
}
