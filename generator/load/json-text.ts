/**
 * Characters of a JSON text and how messages name them: the character
 * codes the parser compares, and the readable names and escapes its syntax
 * errors use.
 */

export const QUOTE = 0x22; // "
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const MINUS = 0x2d;
export const PLUS = 0x2b;
export const DOT = 0x2e;
export const ZERO = 0x30;
export const NINE = 0x39;

export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function hexValue(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

export function codePointName(cp: number): string {
  return "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0c: "\\f", 0x0d: "\\r" };

/** The message for control character `c` found raw in a string. */
export function controlCharacter(c: number): string {
  const escape = SHORT_ESCAPES[c] ?? "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
  return `Control character ${codePointName(c)} in string (escape it as ${escape})`;
}

/** The text of a bad \u escape for a message: up to six characters, cut before a quote or control character. */
export function shownEscape(s: string, backslash: number): string {
  let end = backslash + 2;
  while (end < backslash + 6 && end < s.length) {
    const c = s.charCodeAt(end);
    if (c === QUOTE || c < 0x20) break;
    end++;
  }
  return s.slice(backslash, end);
}

export function isWordCharacter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= ZERO && c <= NINE) || c === 0x5f || c === 0x24;
}

/** How a message names the unexpected character at offset i: a whole word for letters, U+XXXX for invisible characters, else the character in quotes. */
export function describe(s: string, i: number): string {
  const c = s.charCodeAt(i);
  if (isWordCharacter(c)) {
    let end = i + 1;
    while (end < s.length && end - i < 32 && isWordCharacter(s.charCodeAt(end))) end++;
    return `"${s.slice(i, end)}"`;
  }
  const cp = s.codePointAt(i) ?? c;
  if (
    cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xad || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200f)
    || (cp >= 0x2028 && cp <= 0x202f) || cp === 0x205f || cp === 0x3000 || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff)
  ) {
    return codePointName(cp);
  }
  if (cp === QUOTE) return `'"'`;
  return `"${String.fromCodePoint(cp)}"`;
}

