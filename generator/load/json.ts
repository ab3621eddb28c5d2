/**
 * JSON for schema files, for the cases JSON.parse cannot serve: it reports
 * duplicate object keys, points syntax errors at a line and column with a
 * readable message, and can say where any value (by JSON pointer) starts.
 *
 * The value it builds is the one JSON.parse builds for the same text (the last
 * of duplicated keys wins; "__proto__" becomes an own data property). A UTF-8
 * byte order mark at the very start is skipped.
 *
 * This module is the API; the parser is json-parser.ts, the characters and
 * messages json-text.ts, positions positions.ts, JSON pointers pointer.ts.
 * Measured on all of Iglu Central against jsonc-parser's visitor doing the
 * same job (bench/json-parsers.mjs), this parser is about four times faster.
 */
import { OptionsError } from "../errors.js";
import { Failure, MAX_DEPTH, Parser, type RawDuplicate } from "./json-parser.js";
import { ARRAY_INDEX, unescapePointerToken } from "./pointer.js";
import { LineTable, startOf, type Position, type PositionNode } from "./positions.js";

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

/**
 * A settings file's JSON (igluc.config.json, a resolver file, a lockfile), parsed alike everywhere: a byte
 * order mark skipped, and text that is not JSON an OptionsError at `shown:line:column`, `hint` after it.
 */
export function parseSettingsJson(text: string, shown: string, hint = ""): ParsedJson {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new OptionsError(`${shown}:${parsed.error.position.line}:${parsed.error.position.column}: not valid JSON: ${parsed.error.message}${hint}`);
  return parsed.json;
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
          if (!ARRAY_INDEX.test(token)) return undefined;
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

