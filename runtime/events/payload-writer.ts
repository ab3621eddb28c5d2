/**
 * Builds an event's payload object and its JSON text in one pass, so the
 * emitter does not serialise it again. Values the runtime made itself (UUIDs,
 * digits, base64url, protocol constants) cannot need escaping and are written
 * as they are; every other value goes through JSON.stringify.
 */
import type { Payload } from "../protocol.js";

/** Characters that may need escaping in JSON; everything else is printable ASCII and is written as is. */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\u007f-\uffff]/;

export class PayloadWriter {
  /** The payload object, or undefined when only the JSON is wanted. */
  readonly payload: Record<string, string> | undefined;
  #json = "{";

  constructor(withObject: boolean) {
    this.payload = withObject ? {} : undefined;
  }

  /** A value from outside (user data): escaped. Empty values are omitted. */
  add(key: string, value: string | undefined): void {
    if (value === undefined || value === "") return;
    if (this.payload !== undefined) this.payload[key] = value;
    const quoted = NEEDS_ESCAPING.test(value) ? JSON.stringify(value) : `"${value}"`;
    this.#json += `${this.#json.length === 1 ? "" : ","}"${key}":${quoted}`;
  }

  /** A value the runtime produced that holds no character JSON must escape. */
  addSafe(key: string, value: string): void {
    if (this.payload !== undefined) this.payload[key] = value;
    this.#json += `${this.#json.length === 1 ? "" : ","}"${key}":"${value}"`;
  }

  addAll(pairs: Readonly<Record<string, string>>): void {
    for (const key in pairs) this.add(key, pairs[key]);
  }

  finish(): { payload: Payload | undefined; json: string } {
    return { payload: this.payload, json: `${this.#json}}` };
  }
}
