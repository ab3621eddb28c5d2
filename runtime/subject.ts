import { PLATFORMS, UUID, type Platform } from "./protocol.js";

/**
 * Who and where an event comes from. Only what is set is sent: an event's own
 * subject overrides the tracker's subject key by key, and never resets a key
 * it did not set (unlike the Python tracker, where a fresh Subject always
 * carries `p=pc`).
 */
export class Subject {
  readonly #pairs = new Map<string, string>();

  /** Platform (`p`). The tracker sends `srv` when no subject sets one. */
  setPlatform(platform: Platform): this {
    if (!(PLATFORMS as readonly string[]).includes(platform)) {
      throw new TypeError(`Subject.setPlatform: "${String(platform)}" is not a platform enrich accepts (${PLATFORMS.join(", ")})`);
    }
    return this.#set("p", platform);
  }

  /** Business user id (`uid`). */
  setUserId(userId: string): this {
    return this.#set("uid", userId);
  }

  /** Device screen size in pixels (`res`). */
  setScreenResolution(width: number, height: number): this {
    return this.#set("res", dimensions("setScreenResolution", width, height));
  }

  /** Browser viewport size in pixels (`vp`). */
  setViewport(width: number, height: number): this {
    return this.#set("vp", dimensions("setViewport", width, height));
  }

  /** Colour depth in bits (`cd`). */
  setColorDepth(depth: number): this {
    return this.#set("cd", integer("setColorDepth", depth));
  }

  /** IANA time zone, e.g. `Europe/London` (`tz`). */
  setTimezone(timezone: string): this {
    return this.#set("tz", timezone);
  }

  /** Language, e.g. `en-GB` (`lang`). */
  setLang(language: string): this {
    return this.#set("lang", language);
  }

  /** IP address to record instead of the request's (`ip`). */
  setIpAddress(ip: string): this {
    return this.#set("ip", ip);
  }

  /** User agent to record instead of the request's (`ua`). */
  setUseragent(userAgent: string): this {
    return this.#set("ua", userAgent);
  }

  /** First-party cookie id (`duid`). */
  setDomainUserId(domainUserId: string): this {
    return this.#set("duid", domainUserId);
  }

  /** Session id (`sid`); enrich rejects anything but a UUID. */
  setDomainSessionId(sessionId: string): this {
    if (!UUID.test(sessionId)) throw new TypeError(`Subject.setDomainSessionId: "${sessionId}" is not a UUID; enrich would fail the event`);
    return this.#set("sid", sessionId);
  }

  /** Session index, counting from 1 (`vid`). */
  setDomainSessionIndex(index: number): this {
    return this.#set("vid", integer("setDomainSessionIndex", index));
  }

  /**
   * Network user id. Sent as `tnuid`, the parameter enrich uses to override
   * the collector's cookie (the Node tracker sends `nuid`, which the
   * collector's own cookie value replaces).
   */
  setNetworkUserId(networkUserId: string): this {
    return this.#set("tnuid", networkUserId);
  }

  /** The pairs this subject sets, in the order they were first set. */
  pairs(): ReadonlyMap<string, string> {
    return this.#pairs;
  }

  #set(key: string, value: string): this {
    if (value === "") this.#pairs.delete(key);
    else this.#pairs.set(key, value);
    return this;
  }
}

function integer(method: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new TypeError(`Subject.${method}: expected a non-negative integer, got ${String(n)}`);
  return String(n);
}

function dimensions(method: string, width: number, height: number): string {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new TypeError(`Subject.${method}: expected positive integer width and height, got ${String(width)}x${String(height)}`);
  }
  return `${width}x${height}`;
}
