/**
 * The JSON parser behind load/json.ts: one pass over the text, building the
 * value JSON.parse builds, the start offset of every value (positions.ts)
 * and the duplicated keys, and failing with a readable message at the first
 * syntax error or past the allowed nesting.
 */
import { escapePointerToken } from "./pointer.js";
import { Container, startOf, type PositionNode } from "./positions.js";
import {
  BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, DOT, MINUS, NINE, OPEN_BRACE, OPEN_BRACKET, PLUS, QUOTE, ZERO,
  codePointName, controlCharacter, describe, hexValue, isWhitespace, shownEscape,
} from "./json-text.js";

/** Deepest nesting of objects and arrays accepted unless the caller says otherwise. */
export const MAX_DEPTH = 1000;

/** A number as written, for when its double would lose digits (64-bit bounds, 1e400). */
export class ExactNumber {
  constructor(readonly text: string) {}
}

export interface RawDuplicate {
  readonly pointer: string;
  readonly key: string;
  readonly first: number;
  readonly second: number;
}

/** Thrown inside the parser; parseJson turns it into a JsonSyntaxError with a line and column. */
export class Failure {
  constructor(
    readonly message: string,
    readonly offset: number,
    /** Set for nesting too deep: where. */
    readonly pointer?: string,
  ) {}
}

export class Parser {
  private readonly s: string;
  private readonly n: number;
  private i: number;
  /** Offset of the first character after the BOM, if any. */
  readonly start: number;
  /** Position node of the value parseValue returned last. */
  private node: PositionNode = 0;
  /** The reference tokens leading to the value being parsed: path[d] is the key or index inside the container at depth d. */
  private readonly path: (string | number)[] = [""];
  root: PositionNode = 0;
  readonly duplicates: RawDuplicate[] = [];
  /** For objects with a repeated key: where each repeated key first appeared. Created on the first duplicate only. */
  private firstKeys: Map<Map<string, PositionNode>, Map<string, number>> | undefined;

  constructor(text: string, private readonly maxDepth: number, private readonly exactNumbers: boolean) {
    this.s = text;
    this.n = text.length;
    this.start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.i = this.start;
  }

  parseDocument(): unknown {
    this.skipWhitespace();
    const value = this.parseValue(0, false);
    this.root = this.node;
    this.skipWhitespace();
    if (this.i < this.n) throw new Failure("Trailing content after the JSON value", this.i);
    return value;
  }

  private skipWhitespace(): void {
    const s = this.s;
    const n = this.n;
    let i = this.i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.i = i;
  }

  /** Parses the value at this.i (whitespace already skipped) and leaves its position node in this.node. */
  private parseValue(depth: number, afterComma: boolean): unknown {
    const s = this.s;
    const i = this.i;
    if (i >= this.n) throw new Failure("Unexpected end of input: expected a value", i);
    const c = s.charCodeAt(i);
    this.node = i;
    switch (c) {
      case QUOTE:
        return this.parseString();
      case OPEN_BRACE:
        return this.parseObject(depth + 1);
      case OPEN_BRACKET:
        return this.parseArray(depth + 1);
      case 0x74: // t
        if (s.startsWith("true", i)) {
          this.i = i + 4;
          return true;
        }
        break;
      case 0x66: // f
        if (s.startsWith("false", i)) {
          this.i = i + 5;
          return false;
        }
        break;
      case 0x6e: // n
        if (s.startsWith("null", i)) {
          this.i = i + 4;
          return null;
        }
        break;
      default:
        if (c === MINUS || (c >= ZERO && c <= NINE)) return this.parseNumber();
    }
    const note = afterComma && c === CLOSE_BRACKET ? " (trailing commas are not allowed)" : "";
    throw new Failure(`Unexpected ${describe(s, i)}: expected a value${note}`, i);
  }

  private parseObject(depth: number): Record<string, unknown> {
    const s = this.s;
    const start = this.i;
    if (depth > this.maxDepth) throw this.tooDeep(depth, start);
    const object: Record<string, unknown> = {};
    const children = new Map<string, PositionNode>();
    const path = this.path;
    this.i++;
    this.skipWhitespace();
    if (this.i < this.n && s.charCodeAt(this.i) === CLOSE_BRACE) {
      this.i++;
      this.node = new Container(start, children);
      return object;
    }
    let afterComma = false;
    for (;;) {
      const keyStart = this.i;
      if (keyStart >= this.n) throw new Failure(afterComma ? "Unexpected end of input: expected a string key" : 'Unexpected end of input: expected "}"', keyStart);
      if (s.charCodeAt(keyStart) !== QUOTE) {
        const found = describe(s, keyStart);
        const message = afterComma
          ? `Unexpected ${found}: expected a string key${s.charCodeAt(keyStart) === CLOSE_BRACE ? " (trailing commas are not allowed)" : ""}`
          : `Unexpected ${found}: expected a string key or "}"`;
        throw new Failure(message, keyStart);
      }
      const key = this.parseString();
      this.skipWhitespace();
      if (this.i >= this.n) throw new Failure('Unexpected end of input: expected ":"', this.i);
      if (s.charCodeAt(this.i) !== COLON) throw new Failure('Expected ":" after an object key', this.i);
      this.i++;
      this.skipWhitespace();
      path[depth] = key;
      const previous = children.get(key);
      if (previous !== undefined) this.recordDuplicate(depth, key, children, previous, keyStart);
      const value = this.parseValue(depth, false);
      children.set(key, this.node);
      if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
      else object[key] = value;
      this.skipWhitespace();
      if (this.i >= this.n) throw new Failure('Unexpected end of input: expected "}"', this.i);
      const c = s.charCodeAt(this.i);
      if (c === COMMA) {
        this.i++;
        this.skipWhitespace();
        afterComma = true;
        continue;
      }
      if (c === CLOSE_BRACE) {
        this.i++;
        this.node = new Container(start, children);
        return object;
      }
      throw new Failure('Expected "," or "}" after an object member', this.i);
    }
  }

  private parseArray(depth: number): unknown[] {
    const s = this.s;
    const start = this.i;
    if (depth > this.maxDepth) throw this.tooDeep(depth, start);
    const array: unknown[] = [];
    const children: PositionNode[] = [];
    const path = this.path;
    this.i++;
    this.skipWhitespace();
    if (this.i < this.n && s.charCodeAt(this.i) === CLOSE_BRACKET) {
      this.i++;
      this.node = new Container(start, children);
      return array;
    }
    if (this.i >= this.n) throw new Failure('Unexpected end of input: expected "]"', this.i);
    let afterComma = false;
    for (let index = 0; ; index++) {
      path[depth] = index;
      array.push(this.parseValue(depth, afterComma));
      children.push(this.node);
      this.skipWhitespace();
      if (this.i >= this.n) throw new Failure('Unexpected end of input: expected "]"', this.i);
      const c = s.charCodeAt(this.i);
      if (c === COMMA) {
        this.i++;
        this.skipWhitespace();
        afterComma = true;
        continue;
      }
      if (c === CLOSE_BRACKET) {
        this.i++;
        this.node = new Container(start, children);
        return array;
      }
      throw new Failure('Expected "," or "]" after an array element', this.i);
    }
  }

  /** Parses the string whose opening quote is at this.i. */
  private parseString(): string {
    const s = this.s;
    const n = this.n;
    const open = this.i;
    let i = open + 1;
    // Fast path: no escapes.
    for (;;) {
      if (i >= n) throw new Failure("Unterminated string", open);
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.i = i + 1;
        return s.slice(open + 1, i);
      }
      if (c === BACKSLASH) break;
      if (c < 0x20) throw new Failure(controlCharacter(c), i);
      i++;
    }
    let out = s.slice(open + 1, i);
    let chunk = i;
    for (;;) {
      if (i >= n) throw new Failure("Unterminated string", open);
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.i = i + 1;
        return out + s.slice(chunk, i);
      }
      if (c === BACKSLASH) {
        out += s.slice(chunk, i);
        if (i + 1 >= n) throw new Failure("Unterminated string", open);
        const e = s.charCodeAt(i + 1);
        switch (e) {
          case QUOTE: out += '"'; break;
          case BACKSLASH: out += "\\"; break;
          case 0x2f: out += "/"; break;
          case 0x62: out += "\b"; break;
          case 0x66: out += "\f"; break;
          case 0x6e: out += "\n"; break;
          case 0x72: out += "\r"; break;
          case 0x74: out += "\t"; break;
          case 0x75: { // u
            let code = 0;
            for (let k = i + 2; k < i + 6; k++) {
              if (k >= n) throw new Failure("Unterminated string", open);
              const h = hexValue(s.charCodeAt(k));
              if (h < 0) throw new Failure(`Invalid unicode escape "${shownEscape(s, i)}": expected 4 hex digits`, i);
              code = code * 16 + h;
            }
            // Surrogate pairs need no joining: two UTF-16 code units in a row are the pair, and a lone one stays lone, as with JSON.parse.
            out += String.fromCharCode(code);
            i += 6;
            chunk = i;
            continue;
          }
          default: {
            if (e < 0x20) throw new Failure(`Invalid escape "\\" followed by ${codePointName(e)}`, i);
            const shown = String.fromCodePoint(s.codePointAt(i + 1) ?? e);
            throw new Failure(`Invalid escape "\\${shown}"`, i);
          }
        }
        i += 2;
        chunk = i;
        continue;
      }
      if (c < 0x20) throw new Failure(controlCharacter(c), i);
      i++;
    }
  }

  private tooDeep(depth: number, offset: number): Failure {
    let pointer = "";
    for (let d = 1; d < depth; d++) pointer += "/" + escapePointerToken(String(this.path[d]));
    return new Failure(`Nesting deeper than ${this.maxDepth} levels`, offset, pointer);
  }

  /** Parses the number starting at this.i (a minus sign or a digit). */
  private parseNumber(): number | ExactNumber {
    const s = this.s;
    const n = this.n;
    const start = this.i;
    let i = start;
    let c = s.charCodeAt(i);
    const negative = c === MINUS;
    if (negative) {
      i++;
      c = i < n ? s.charCodeAt(i) : NaN;
      if (!(c >= ZERO && c <= NINE)) throw new Failure(`Invalid number "-": expected a digit after "-"`, i);
    }
    let integer = 0;
    const digitsStart = i;
    if (c === ZERO) {
      i++;
      c = i < n ? s.charCodeAt(i) : NaN;
      if (c >= ZERO && c <= NINE) {
        let end = i;
        while (end < n && s.charCodeAt(end) >= ZERO && s.charCodeAt(end) <= NINE) end++;
        throw new Failure(`Invalid number "${s.slice(start, end)}": leading zeros are not allowed`, i);
      }
    } else {
      do {
        integer = integer * 10 + (c - ZERO);
        i++;
        c = i < n ? s.charCodeAt(i) : NaN;
      } while (c >= ZERO && c <= NINE);
    }
    let simple = i - digitsStart <= 15; // exact in a double: the fast path below gives what Number() gives
    if (c === DOT) {
      simple = false;
      i++;
      c = i < n ? s.charCodeAt(i) : NaN;
      if (!(c >= ZERO && c <= NINE)) throw new Failure(`Invalid number "${s.slice(start, i)}": expected a digit after the decimal point`, i);
      do {
        i++;
        c = i < n ? s.charCodeAt(i) : NaN;
      } while (c >= ZERO && c <= NINE);
    }
    if (c === 0x65 || c === 0x45) { // e E
      simple = false;
      i++;
      c = i < n ? s.charCodeAt(i) : NaN;
      if (c === PLUS || c === MINUS) {
        i++;
        c = i < n ? s.charCodeAt(i) : NaN;
      }
      if (!(c >= ZERO && c <= NINE)) throw new Failure(`Invalid number "${s.slice(start, i)}": expected a digit in the exponent`, i);
      do {
        i++;
        c = i < n ? s.charCodeAt(i) : NaN;
      } while (c >= ZERO && c <= NINE);
    }
    this.i = i;
    if (this.exactNumbers) return new ExactNumber(s.slice(start, i));
    if (simple) return negative ? -integer : integer;
    return Number(s.slice(start, i));
  }

  private recordDuplicate(depth: number, key: string, children: Map<string, PositionNode>, previous: PositionNode, second: number): void {
    this.firstKeys ??= new Map();
    let firsts = this.firstKeys.get(children);
    if (firsts === undefined) {
      firsts = new Map();
      this.firstKeys.set(children, firsts);
    }
    let first = firsts.get(key);
    if (first === undefined) {
      first = this.keyStartBefore(startOf(previous));
      firsts.set(key, first);
    }
    let pointer = "";
    for (let d = 1; d <= depth; d++) pointer += "/" + escapePointerToken(String(this.path[d]));
    this.duplicates.push({ pointer, key, first, second });
  }

  /** The opening quote of the key of the member whose value starts at valueStart (only called for duplicates, so scanning back is fine). */
  private keyStartBefore(valueStart: number): number {
    const s = this.s;
    let j = valueStart - 1;
    while (isWhitespace(s.charCodeAt(j))) j--; // the colon
    j--;
    while (isWhitespace(s.charCodeAt(j))) j--; // the key's closing quote
    // Inside a key every quote is escaped, so the opening quote is the first
    // quote going back that is not preceded by an odd number of backslashes.
    for (j--; j >= 0; j--) {
      if (s.charCodeAt(j) !== QUOTE) continue;
      let backslashes = 0;
      while (s.charCodeAt(j - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) return j;
    }
    return 0; // not reached for text this parser accepted
  }
}

