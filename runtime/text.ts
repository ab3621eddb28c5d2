/**
 * Text the runtime puts on the wire, on every JavaScript runtime: UTF-8 with
 * the standard TextEncoder/TextDecoder, base64url, and random UUIDs. Nothing
 * here needs Node: where Node's Buffer is present (Node, Bun) it is used as a
 * faster path for base64url, and only then.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Writes the UTF-8 bytes of `text` into `target` (which must have room: 3 bytes per UTF-16 unit at most); answers how many. */
export function writeUtf8(text: string, target: Uint8Array): number {
  return encoder.encodeInto(text, target).written;
}

/**
 * A byte array for many writes with `writeUtf8At`: a Node Buffer where the
 * runtime has one (its `write` needs no view per call), else a Uint8Array.
 */
export function allocBytes(size: number): Uint8Array {
  return scratch !== undefined ? (nodeBuffer as NodeBufferLike).allocUnsafeSlow(size) as unknown as Uint8Array : new Uint8Array(size);
}

/** Writes the UTF-8 bytes of `text` into `target` at `offset` (with room for them); answers how many. */
export function writeUtf8At(text: string, target: Uint8Array, offset: number): number {
  const write = (target as Partial<NodeBytes>).write;
  if (typeof write === "function") return write.call(target, text, offset, "utf8");
  return encoder.encodeInto(text, target.subarray(offset)).written;
}

/** The number of UTF-8 bytes `text` takes. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2;
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

/** Text from UTF-8 bytes. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

interface NodeBufferLike {
  allocUnsafeSlow(size: number): NodeBytes;
}
interface NodeBytes {
  readonly length: number;
  write(text: string, offset: number, encoding: "utf8"): number;
  toString(encoding: "base64url", start: number, end: number): string;
}

const nodeBuffer = (globalThis as { Buffer?: Partial<NodeBufferLike> }).Buffer;
/** Where Node's Buffer exists, one scratch buffer encodes every event (no allocation per event). */
const scratch: NodeBytes | undefined = typeof nodeBuffer?.allocUnsafeSlow === "function" ? nodeBuffer.allocUnsafeSlow(64 * 1024) : undefined;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Two base64 digits for each 12-bit value. */
let pairs: string[] | undefined;

/** URL-safe base64 without padding, of the UTF-8 bytes of `text` (as the Node tracker sends). */
export function base64Url(text: string): string {
  if (scratch !== undefined && text.length * 3 <= scratch.length) return scratch.toString("base64url", 0, scratch.write(text, 0, "utf8"));
  return base64UrlOfBytes(utf8Bytes(text));
}

/** URL-safe base64 without padding of `bytes`, in plain JavaScript. */
export function base64UrlOfBytes(bytes: Uint8Array): string {
  const table = (pairs ??= Array.from({ length: 4096 }, (_, i) => ALPHABET[i >> 6]! + ALPHABET[i & 63]!));
  const n = bytes.length;
  let out = "";
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += table[v >> 12]! + table[v & 4095]!;
  }
  if (n - i === 1) out += table[bytes[i]! << 4]!;
  else if (n - i === 2) {
    const v = (bytes[i]! << 10) | (bytes[i + 1]! << 2);
    out += table[v >> 6]! + ALPHABET[v & 63]!;
  }
  return out;
}

/** The text whose UTF-8 bytes `encoded` is, in URL-safe or standard base64 (padding optional); undefined when it is not base64. */
export function fromBase64Url(encoded: string): string | undefined {
  const clean = encoded.replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/_-]*$/.test(clean) || clean.length % 4 === 1) return undefined;
  const value = (c: string): number => (c === "+" ? 62 : c === "/" ? 63 : ALPHABET.indexOf(c));
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let at = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n = (value(clean[i]!) << 18) | (value(clean[i + 1] ?? "A") << 12) | (value(clean[i + 2] ?? "A") << 6) | value(clean[i + 3] ?? "A");
    bytes[at++] = n >> 16;
    if (i + 2 < clean.length) bytes[at++] = (n >> 8) & 255;
    if (i + 3 < clean.length) bytes[at++] = n & 255;
  }
  return fromUtf8(bytes.subarray(0, at));
}

interface WebCrypto {
  randomUUID?(): string;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

/** A random (version 4) UUID: `crypto.randomUUID()`, or built from `crypto.getRandomValues` where that is missing (a page served over plain http). */
export function randomUuid(): string {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (crypto === undefined) throw new Error("igluc needs the Web Crypto API (globalThis.crypto) for event ids");
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  let hex = "";
  for (let i = 0; i < 16; i++) hex += (b[i]! + 0x100).toString(16).slice(1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
