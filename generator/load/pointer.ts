/**
 * JSON pointers (RFC 6901), the one way igluc names a place in a document:
 * escaping and unescaping reference tokens, and finding the value at one.
 */

/** Escapes one reference token of a JSON pointer (RFC 6901): "~" becomes "~0", "/" becomes "~1". */
export function escapePointerToken(token: string): string {
  if (token.indexOf("~") === -1 && token.indexOf("/") === -1) return token;
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The key a reference token names; undefined when it holds a "~" that is not "~0" or "~1". */
export function unescapePointerToken(token: string): string | undefined {
  if (token.indexOf("~") === -1) return token;
  if (/~(?![01])/.test(token)) return undefined;
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** A reference token that can index an array: a decimal number without leading zeros. */
export const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/** The value at a JSON pointer, or undefined. A token with a stray "~" is taken as it is written. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === "" || pointer === "/") return pointer === "" ? document : (document as Record<string, unknown>)?.[""];
  if (!pointer.startsWith("/")) return undefined;
  let node: unknown = document;
  for (const raw of pointer.slice(1).split("/")) {
    const token = unescapePointerToken(raw) ?? raw;
    if (Array.isArray(node)) node = ARRAY_INDEX.test(token) ? node[Number(token)] : undefined;
    else if (node !== null && typeof node === "object") node = Object.prototype.hasOwnProperty.call(node, token) ? (node as Record<string, unknown>)[token] : undefined;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}
