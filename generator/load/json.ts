/**
 * A small JSON parser for schema files, for the cases JSON.parse cannot serve:
 * it reports duplicate object keys, points syntax errors at a line and column
 * with a readable message, and can say where any value (by JSON pointer) starts.
 *
 * The value it builds is the one JSON.parse builds for the same text (the last
 * of duplicated keys wins; "__proto__" becomes an own data property). A UTF-8
 * byte order mark at the very start is skipped.
 *
 * Positions are cheap: parsing records only start offsets, in a tree that
 * mirrors the containers; lines and columns are worked out on demand from a
 * table of line starts built once, the first time a position is asked for.
 * Offsets index the text as given (BOM included); lines and columns are
 * 1-based, columns count UTF-16 code units, a tab counts as one column and
 * the BOM does not count. CR, LF and CRLF all end a line.
 */

export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface JsonSyntaxError {
  readonly message: string;
  readonly position: Position;
  /** "depth": well-formed so far, but nested deeper than allowed; `pointer` is where. */
  readonly kind: "syntax" | "depth";
  /** For "depth": the JSON pointer of the container that went too deep. */
  readonly pointer?: string;
}

export interface ParseOptions {
  /** Deepest nesting of objects and arrays accepted. @defaultValue 1000 */
  readonly maxDepth?: number;
  /** Numbers become {@link ExactNumber}s holding their text (for canonical forms that must not round). */
  readonly exactNumbers?: boolean;
}

/** A number as written, for when its double would lose digits (64-bit bounds, 1e400). */
export class ExactNumber {
  constructor(readonly text: string) {}
}

export interface DuplicateKey {
  /** The JSON pointer of the duplicated member, e.g. "/properties/doc_height". */
  readonly pointer: string;
  readonly key: string;
  /** Where the first occurrence of the key starts (its opening quote). */
  readonly first: Position;
  /** Where the repeated occurrence of the key starts (its opening quote). */
  readonly second: Position;
}

export interface ParsedJson {
  /** The value JSON.parse gives for the same text (for duplicated keys the last occurrence wins). */
  readonly value: unknown;
  /** Every repeated key, in document order. A key seen three times is reported twice, both times against its first occurrence. */
  readonly duplicates: readonly DuplicateKey[];
  /** Where the value at a JSON pointer (RFC 6901) starts; undefined if no value is there. "" is the root. */
  positionOf(pointer: string): Position | undefined;
}

export type ParseResult = { ok: true; json: ParsedJson } | { ok: false; error: JsonSyntaxError };

/** Escapes one reference token of a JSON pointer (RFC 6901): "~" becomes "~0", "/" becomes "~1". */
export function escapePointerToken(token: string): string {
  if (token.indexOf("~") === -1 && token.indexOf("/") === -1) return token;
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function parseJson(text: string, options: ParseOptions = {}): ParseResult {
  const parser = new Parser(text, options.maxDepth ?? MAX_DEPTH, options.exactNumbers === true);
  let value: unknown;
  try {
    value = parser.parseDocument();
  } catch (thrown) {
    if (!(thrown instanceof Failure)) throw thrown;
    const lines = new LineTable(text, parser.start);
    const depth = thrown.pointer !== undefined ? { kind: "depth" as const, pointer: thrown.pointer } : { kind: "syntax" as const };
    return { ok: false, error: { message: thrown.message, position: lines.position(thrown.offset), ...depth } };
  }
  return { ok: true, json: new Parsed(text, parser.start, value, parser.root, parser.duplicates) };
}

// ---------------------------------------------------------------------------
// Position tree: a leaf is the value's start offset; a container records its
// start and its children (by key for objects, by index for arrays).

type PositionNode = number | Container;

class Container {
  constructor(
    readonly start: number,
    readonly children: Map<string, PositionNode> | PositionNode[],
  ) {}
}

function startOf(node: PositionNode): number {
  return typeof node === "number" ? node : node.start;
}

interface RawDuplicate {
  readonly pointer: string;
  readonly key: string;
  readonly first: number;
  readonly second: number;
}

// ---------------------------------------------------------------------------

const MAX_DEPTH = 1000;

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

class Failure {
  constructor(
    readonly message: string,
    readonly offset: number,
    /** Set for nesting too deep: where. */
    readonly pointer?: string,
  ) {}
}

class Parser {
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
      if (c < 0x20) throw controlCharacter(c, i);
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
      if (c < 0x20) throw controlCharacter(c, i);
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

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function hexValue(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function codePointName(cp: number): string {
  return "U+" + cp.toString(16).toUpperCase().padStart(4, "0");
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0c: "\\f", 0x0d: "\\r" };

function controlCharacter(c: number, offset: number): Failure {
  const escape = SHORT_ESCAPES[c] ?? "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
  return new Failure(`Control character ${codePointName(c)} in string (escape it as ${escape})`, offset);
}

/** The text of a bad \u escape for a message: up to six characters, cut before a quote or control character. */
function shownEscape(s: string, backslash: number): string {
  let end = backslash + 2;
  while (end < backslash + 6 && end < s.length) {
    const c = s.charCodeAt(end);
    if (c === QUOTE || c < 0x20) break;
    end++;
  }
  return s.slice(backslash, end);
}

function isWordCharacter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= ZERO && c <= NINE) || c === 0x5f || c === 0x24;
}

/** How a message names the unexpected character at offset i: a whole word for letters, U+XXXX for invisible characters, else the character in quotes. */
function describe(s: string, i: number): string {
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

// ---------------------------------------------------------------------------

class LineTable {
  private readonly starts: number[];

  constructor(text: string, firstLineStart: number) {
    const starts = [firstLineStart];
    let i = text.indexOf("\n", firstLineStart);
    // Fast path for LF-only text; CR is rare in schema files.
    if (text.indexOf("\r", firstLineStart) === -1) {
      while (i !== -1) {
        starts.push(i + 1);
        i = text.indexOf("\n", i + 1);
      }
    } else {
      for (let j = firstLineStart; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c === 0x0a || (c === 0x0d && text.charCodeAt(j + 1) !== 0x0a)) starts.push(j + 1);
      }
    }
    this.starts = starts;
  }

  position(offset: number): Position {
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    const lineStart = starts[low] ?? 0;
    return { line: low + 1, column: Math.max(offset - lineStart, 0) + 1, offset };
  }
}

class Parsed implements ParsedJson {
  readonly value: unknown;
  readonly duplicates: readonly DuplicateKey[];
  readonly #text: string;
  readonly #firstLineStart: number;
  readonly #root: PositionNode;
  #lines: LineTable | undefined;

  constructor(text: string, firstLineStart: number, value: unknown, root: PositionNode, duplicates: readonly RawDuplicate[]) {
    this.value = value;
    this.#text = text;
    this.#firstLineStart = firstLineStart;
    this.#root = root;
    this.duplicates = duplicates.length === 0
      ? []
      : duplicates.map((d) => ({ pointer: d.pointer, key: d.key, first: this.#position(d.first), second: this.#position(d.second) }));
  }

  positionOf(pointer: string): Position | undefined {
    let node = this.#root;
    if (pointer !== "") {
      if (pointer.charCodeAt(0) !== 0x2f) return undefined;
      const tokens = pointer.slice(1).split("/");
      for (const token of tokens) {
        if (typeof node === "number") return undefined;
        const children = node.children;
        let next: PositionNode | undefined;
        if (children instanceof Map) {
          const key = unescapePointerToken(token);
          if (key === undefined) return undefined;
          next = children.get(key);
        } else {
          if (!/^(?:0|[1-9][0-9]*)$/.test(token)) return undefined;
          next = children[Number(token)];
        }
        if (next === undefined) return undefined;
        node = next;
      }
    }
    return this.#position(startOf(node));
  }

  #position(offset: number): Position {
    this.#lines ??= new LineTable(this.#text, this.#firstLineStart);
    return this.#lines.position(offset);
  }
}

function unescapePointerToken(token: string): string | undefined {
  if (token.indexOf("~") === -1) return token;
  if (/~(?![01])/.test(token)) return undefined;
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}
