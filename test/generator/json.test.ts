/**
 * The schema JSON parser: values equal JSON.parse's, exact syntax error
 * messages and positions, duplicate keys, positions by JSON pointer, the
 * "__proto__" key, and a differential run over Iglu Central (table-driven).
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, test } from "node:test";
import { parseJson, type DuplicateKey, type ParsedJson } from "../../generator/load/json.js";
import { escapePointerToken } from "../../generator/load/pointer.js";
import type { Position } from "../../generator/load/positions.js";
import { IGLU_CENTRAL_DIR, skipWithoutIgluCentral } from "../support/iglu.js";

function parsed(text: string): ParsedJson {
  const result = parseJson(text);
  if (!result.ok) assert.fail(`expected ${JSON.stringify(text.slice(0, 60))} to parse, got: ${result.error.message} at ${result.error.position.line}:${result.error.position.column}`);
  return result.json;
}

function at(line: number, column: number, offset: number): Position {
  return { line, column, offset };
}

/** JSON.parse does not accept a BOM; the parser skips one. */
function reference(text: string): unknown {
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

describe("valid documents give the value JSON.parse gives", () => {
  const cases: readonly (readonly [name: string, text: string])[] = [
    ["empty object", "{}"],
    ["empty array", "[]"],
    ["empty containers with whitespace", "{ \t\r\n}"],
    ["nested empty containers", '[{}, [], {"a": {}, "b": []}]'],
    ["zero", "0"],
    ["minus zero", "-0"],
    ["minus zero in an array", "[-0, 0, -0.0, -0e5]"],
    ["integers", "[1, -1, 10, 123456789012345, -123456789012345, 1234567890123456, 9007199254740993]"],
    ["big integer", "9223372036854775807"],
    ["bigger integer", "-123456789012345678901234567890"],
    ["fractions", "[0.1, 0.5, -0.75, 3.141592653589793, 1.0, 10.50]"],
    ["exponents", "[1e10, 1E10, 1e+10, 1e-10, -1.5E-7, 2.5e+300, 0e0, 0E-0]"],
    ["out of range numbers", "[1e400, -1e400, 1e-400, 5e-324]"],
    ["literals", "[true, false, null]"],
    ["plain strings", '["", "a", "hello world", "with \' quote"]'],
    ["short escapes", '"\\"\\\\\\/\\b\\f\\n\\r\\t"'],
    ["unicode escapes", '"\\u0041\\u00e9\\u00E9\\u4e2d\\u0000\\u001f\\uffff"'],
    ["surrogate pair escape", '"\\ud83d\\ude00 and \\uD83D\\uDE00"'],
    ["lone surrogate escapes", '["\\ud800", "\\udc00", "\\udc00\\ud800"]'],
    ["raw non-ASCII text", '"héllo 中文 😀 \u007f \u2028"'],
    ["escape among plain text", '"abc\\ndef\\tghi\\u0021"'],
    ["nested structures", '{"a": [1, {"b": [true, false, null, {"c": "d"}]}], "e": {"f": {"g": [[[]]]}}}'],
    ["keys with escapes", '{"a\\"b": 1, "c\\\\": 2, "\\u00e9": 3, "": 4, "a/b~c": 5}'],
    ["integer-like keys keep JSON.parse's order", '{"b": 1, "2": 2, "a": 3, "1": 4, "01": 5}'],
    ["duplicate keys: the last wins, in the first one's place", '{"a": 1, "b": 2, "a": {"x": 1}, "a": 3}'],
    ["all whitespace kinds", " \t\r\n[\r\n\t1 ,\n2\r]\n\t "],
    ["BOM before the value", '\ufeff{"a": [1, 2]}'],
    ["BOM before whitespace", "\ufeff \n 42 "],
    ["1000 levels of arrays", "[".repeat(1000) + "]".repeat(1000)],
    ["1000 levels of objects", '{"a":'.repeat(999) + "{}" + "}".repeat(999)],
  ];
  for (const [name, text] of cases) {
    test(name, () => {
      const json = parsed(text);
      const expected = reference(text);
      assert.deepStrictEqual(json.value, expected);
      assert.equal(JSON.stringify(json.value), JSON.stringify(expected), "same key order");
    });
  }

  test("minus zero stays minus zero (Object.is)", () => {
    assert.ok(Object.is(parsed("-0").value, -0));
    assert.ok(Object.is(parsed("0").value, 0));
    const array = parsed("[-0, -0.0, 0]").value as number[];
    assert.deepStrictEqual(array.map((n) => Object.is(n, -0)), [true, true, false]);
  });

  test("big numbers equal Number() of the lexeme", () => {
    for (const lexeme of ["9223372036854775807", "18446744073709551615", "9007199254740993", "123456789012345678", "1e308", "1.7976931348623157e308", "2.2250738585072014e-308"]) {
      assert.equal(parsed(lexeme).value, Number(lexeme), lexeme);
      assert.equal(parsed(lexeme).value, JSON.parse(lexeme), lexeme);
    }
  });

  test("generated documents round-trip like JSON.parse", () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const alphabet = ["a", "b", "é", "😀", '"', "\\", "/", "\n", "\t", "\u0001", "\u2028", "~", " ", "\ud800"];
    const randomString = (): string => Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)] ?? "").join("");
    const randomValue = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 4 ? 5 : 7));
      switch (kind) {
        case 0: return null;
        case 1: return random() < 0.5;
        case 2: return Math.floor((random() - 0.5) * 2 ** Math.floor(random() * 60));
        case 3: return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
        case 4: return randomString();
        case 5: return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(depth + 1));
        default: {
          const object: Record<string, unknown> = {};
          for (let k = Math.floor(random() * 5); k > 0; k--) object[randomString()] = randomValue(depth + 1);
          return object;
        }
      }
    };
    for (let n = 0; n < 300; n++) {
      const text = JSON.stringify(randomValue(0), null, n % 3 === 0 ? undefined : n % 3 === 1 ? 2 : "\t");
      assert.deepStrictEqual(parsed(text).value, JSON.parse(text), text);
    }
  });
});

describe("invalid documents give a precise message and position", () => {
  const cases: readonly (readonly [text: string, message: string, line: number, column: number])[] = [
    ["", "Unexpected end of input: expected a value", 1, 1],
    [" \n ", "Unexpected end of input: expected a value", 2, 2],
    ["\ufeff", "Unexpected end of input: expected a value", 1, 1],
    ["}", 'Unexpected "}": expected a value', 1, 1],
    ['{"a": }', 'Unexpected "}": expected a value', 1, 7],
    ["[,1]", 'Unexpected ",": expected a value', 1, 2],
    ["[1,]", 'Unexpected "]": expected a value (trailing commas are not allowed)', 1, 4],
    ['{"a": 1,}', 'Unexpected "}": expected a string key (trailing commas are not allowed)', 1, 9],
    ['{"a": 1, 2}', 'Unexpected "2": expected a string key', 1, 10],
    ["{a: 1}", 'Unexpected "a": expected a string key or "}"', 1, 2],
    ["{'a': 1}", `Unexpected "'": expected a string key or "}"`, 1, 2],
    ['{"a" 1}', 'Expected ":" after an object key', 1, 6],
    ['{"a": 1 "b": 2}', 'Expected "," or "}" after an object member', 1, 9],
    ['{"a": 1]', 'Expected "," or "}" after an object member', 1, 8],
    ["[1 2]", 'Expected "," or "]" after an array element', 1, 4],
    ["[1}", 'Expected "," or "]" after an array element', 1, 3],
    ["[", 'Unexpected end of input: expected "]"', 1, 2],
    ["[1", 'Unexpected end of input: expected "]"', 1, 3],
    ["[1,", "Unexpected end of input: expected a value", 1, 4],
    ["{", 'Unexpected end of input: expected "}"', 1, 2],
    ['{"a": 1', 'Unexpected end of input: expected "}"', 1, 8],
    ['{"a": 1,', "Unexpected end of input: expected a string key", 1, 9],
    ['{"a"', 'Unexpected end of input: expected ":"', 1, 5],
    ['{"a":', "Unexpected end of input: expected a value", 1, 6],
    ["1 2", "Trailing content after the JSON value", 1, 3],
    ["{}\n}", "Trailing content after the JSON value", 2, 1],
    ["truex", "Trailing content after the JSON value", 1, 5],
    ["tru", 'Unexpected "tru": expected a value', 1, 1],
    ["[True]", 'Unexpected "True": expected a value', 1, 2],
    ["NaN", 'Unexpected "NaN": expected a value', 1, 1],
    ["undefined", 'Unexpected "undefined": expected a value', 1, 1],
    ["'a'", `Unexpected "'": expected a value`, 1, 1],
    ["\u00a01", "Unexpected U+00A0: expected a value", 1, 1],
    ["[\u000b1]", "Unexpected U+000B: expected a value", 1, 2],
    ["\ufeff\ufeff1", "Unexpected U+FEFF: expected a value", 1, 1],
    ["01", 'Invalid number "01": leading zeros are not allowed', 1, 2],
    ["-012", 'Invalid number "-012": leading zeros are not allowed', 1, 3],
    ["[00]", 'Invalid number "00": leading zeros are not allowed', 1, 3],
    ["1.", 'Invalid number "1.": expected a digit after the decimal point', 1, 3],
    ["[1.e5]", 'Invalid number "1.": expected a digit after the decimal point', 1, 4],
    [".5", 'Unexpected ".": expected a value', 1, 1],
    ["+1", 'Unexpected "+": expected a value', 1, 1],
    ["-", 'Invalid number "-": expected a digit after "-"', 1, 2],
    ["-Infinity", 'Invalid number "-": expected a digit after "-"', 1, 2],
    ["1e", 'Invalid number "1e": expected a digit in the exponent', 1, 3],
    ["1E+", 'Invalid number "1E+": expected a digit in the exponent', 1, 4],
    ["[2e-x]", 'Invalid number "2e-": expected a digit in the exponent', 1, 5],
    ['"abc', "Unterminated string", 1, 1],
    ['["a", "b', "Unterminated string", 1, 7],
    ['"abc\\', "Unterminated string", 1, 1],
    ['"\\u12', "Unterminated string", 1, 1],
    ['"a\nb"', "Control character U+000A in string (escape it as \\n)", 1, 3],
    ['"a\tb"', "Control character U+0009 in string (escape it as \\t)", 1, 3],
    ['"\r"', "Control character U+000D in string (escape it as \\r)", 1, 2],
    ['"x\\n\u0001"', "Control character U+0001 in string (escape it as \\u0001)", 1, 5],
    ['"\u001f"', "Control character U+001F in string (escape it as \\u001F)", 1, 2],
    ['"\\x"', 'Invalid escape "\\x"', 1, 2],
    ['"ab\\\'"', `Invalid escape "\\'"`, 1, 4],
    ['"\\U0041"', 'Invalid escape "\\U"', 1, 2],
    ['"\\😀"', 'Invalid escape "\\😀"', 1, 2],
    ['"\\\n"', 'Invalid escape "\\" followed by U+000A', 1, 2],
    ['"\\u12G4"', 'Invalid unicode escape "\\u12G4": expected 4 hex digits', 1, 2],
    ['"\\u12"', 'Invalid unicode escape "\\u12": expected 4 hex digits', 1, 2],
    ['{\n  "a": 1,\n  "b": [1, 2,, 3]\n}', 'Unexpected ",": expected a value', 3, 14],
    ['{\r\n\t"a": tru\r\n}', 'Unexpected "tru": expected a value', 2, 7],
    ['{\r"a":\r@}', 'Unexpected "@": expected a value', 3, 1],
    ['\ufeff{\n"a": 1 x}', 'Expected "," or "}" after an object member', 2, 8],
    ['\ufeff  }', 'Unexpected "}": expected a value', 1, 3],
    ['["😀" 😀]', 'Expected "," or "]" after an array element', 1, 7],
    ["[".repeat(1001) + "]".repeat(1001), "Nesting deeper than 1000 levels", 1, 1001],
    ['{"a":'.repeat(1000) + "{}" + "}".repeat(1000), "Nesting deeper than 1000 levels", 1, 5001],
    ["[".repeat(200000), "Nesting deeper than 1000 levels", 1, 1001],
  ];
  for (const [text, message, line, column] of cases) {
    const name = text.length > 40 ? `${JSON.stringify(text.slice(0, 20))}… (${text.length} chars)` : JSON.stringify(text);
    test(name, () => {
      if (!message.startsWith("Nesting")) assert.throws(() => JSON.parse(text.replace(/^\ufeff/, "")), "JSON.parse rejects it too");
      const result = parseJson(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.message, message);
      assert.deepStrictEqual([result.error.position.line, result.error.position.column], [line, column]);
    });
  }

  test("the offset indexes the text as given (BOM included)", () => {
    const result = parseJson("\ufeff[1,]");
    assert.ok(!result.ok);
    assert.deepStrictEqual(result.error.position, at(1, 4, 4));
  });
});

describe("duplicate keys", () => {
  test("nested duplicates: exact pointers and positions of both occurrences", () => {
    const text = '{\n  "a": 1,\n  "b": {\n    "x": true,\n    "x": false\n  },\n  "a": [1]\n}';
    const json = parsed(text);
    assert.deepStrictEqual(json.value, { a: [1], b: { x: false } });
    assert.deepStrictEqual(json.duplicates, [
      { pointer: "/b/x", key: "x", first: at(4, 5, 25), second: at(5, 5, 40) },
      { pointer: "/a", key: "a", first: at(2, 3, 4), second: at(7, 3, 58) },
    ] satisfies DuplicateKey[]);
  });

  test("a key repeated three times is reported twice, against its first occurrence", () => {
    const json = parsed('{"k":1,"k":2,"k":3}');
    assert.deepStrictEqual(json.value, { k: 3 });
    assert.deepStrictEqual(json.duplicates, [
      { pointer: "/k", key: "k", first: at(1, 2, 1), second: at(1, 8, 7) },
      { pointer: "/k", key: "k", first: at(1, 2, 1), second: at(1, 14, 13) },
    ]);
  });

  test("several duplicated keys, in arrays and at several levels", () => {
    const json = parsed('[{"a":1},{"b":1,"b":2,"c":{"d":0,"e":0,"d":1},"c":2}]');
    assert.deepStrictEqual(json.value, [{ a: 1 }, { b: 2, c: 2 }]);
    assert.deepStrictEqual(json.duplicates, [
      { pointer: "/1/b", key: "b", first: at(1, 11, 10), second: at(1, 17, 16) },
      { pointer: "/1/c/d", key: "d", first: at(1, 28, 27), second: at(1, 40, 39) },
      { pointer: "/1/c", key: "c", first: at(1, 23, 22), second: at(1, 47, 46) },
    ]);
  });

  test('keys with "/" and "~" are escaped in the pointer', () => {
    const json = parsed('{"a/b": {"m~n": 1, "m~n": 2}, "a/b": 3}');
    assert.deepStrictEqual(json.value, { "a/b": 3 });
    assert.deepStrictEqual(json.duplicates, [
      { pointer: "/a~1b/m~0n", key: "m~n", first: at(1, 10, 9), second: at(1, 20, 19) },
      { pointer: "/a~1b", key: "a/b", first: at(1, 2, 1), second: at(1, 31, 30) },
    ]);
    assert.deepStrictEqual(json.positionOf("/a~1b"), at(1, 38, 37));
    assert.equal(json.positionOf("/a~1b/m~0n"), undefined, "the overwritten object's members are gone");
  });

  test("keys with escaped quotes and backslashes, and the empty key", () => {
    assert.deepStrictEqual(parsed('{"a\\"b": 1, "a\\"b": 2}').duplicates, [{ pointer: '/a"b', key: 'a"b', first: at(1, 2, 1), second: at(1, 13, 12) }]);
    assert.deepStrictEqual(parsed('{"x\\\\": 1, "x\\\\": 2}').duplicates, [{ pointer: "/x\\", key: "x\\", first: at(1, 2, 1), second: at(1, 12, 11) }]);
    assert.deepStrictEqual(parsed('{"":{"":1 , "" : 2}}').duplicates, [{ pointer: "//", key: "", first: at(1, 6, 5), second: at(1, 13, 12) }]);
  });

  test("the same key in different objects is not a duplicate", () => {
    assert.deepStrictEqual(parsed('{"a": {"a": 1}, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]}').duplicates, []);
  });
});

describe("positionOf", () => {
  const text = '{\n  "a": 1,\n  "b": {\n    "x": true,\n    "list": [10, "s", {"y": null}]\n  },\n  "": {"": 0},\n  "c/d": {"e~f": -1}\n}';
  const json = parsed(text);
  const cases: readonly (readonly [pointer: string, expected: Position | undefined])[] = [
    ["", at(1, 1, 0)],
    ["/a", at(2, 8, 9)],
    ["/b", at(3, 8, 19)],
    ["/b/x", at(4, 10, 30)],
    ["/b/list", at(5, 13, 48)],
    ["/b/list/0", at(5, 14, 49)],
    ["/b/list/1", at(5, 18, 53)],
    ["/b/list/2", at(5, 23, 58)],
    ["/b/list/2/y", at(5, 29, 64)],
    ["//", at(7, 12, 87)],
    ["/", at(7, 7, 82)],
    ["/c~1d", at(8, 10, 100)],
    ["/c~1d/e~0f", at(8, 18, 108)],
    ["/missing", undefined],
    ["/b/list/3", undefined],
    ["/b/list/01", undefined],
    ["/b/list/-", undefined],
    ["/b/list/-0", undefined],
    ["/b/list/ 1", undefined],
    ["/b/x/0", undefined],
    ["/a/b", undefined],
    ["/c/d", undefined],
    ["/c~2d", undefined],
    ["/c~", undefined],
    ["a", undefined],
    ["#/a", undefined],
  ];
  for (const [pointer, expected] of cases) {
    test(JSON.stringify(pointer), () => {
      assert.deepStrictEqual(json.positionOf(pointer), expected);
    });
  }

  test("a scalar root, CRLF, lone CR and a BOM", () => {
    assert.deepStrictEqual(parsed("  42").positionOf(""), at(1, 3, 2));
    assert.equal(parsed("42").positionOf("/0"), undefined);
    const crlf = parsed('\ufeff{\r\n\t"a": 1\r\n}');
    assert.deepStrictEqual(crlf.positionOf(""), at(1, 1, 1));
    assert.deepStrictEqual(crlf.positionOf("/a"), at(2, 7, 10));
    assert.deepStrictEqual(parsed("[\r1,\r\r2]").positionOf("/1"), at(4, 1, 6));
  });

  test("array indexes point at the right elements in a large array", () => {
    const values = Array.from({ length: 2000 }, (_, k) => k);
    const text = JSON.stringify(values, null, 1);
    const big = parsed(text);
    for (const k of [0, 9, 10, 999, 1999]) {
      const position = big.positionOf(`/${k}`);
      assert.ok(position);
      assert.deepStrictEqual(position, at(k + 2, 2, text.indexOf(`\n ${k}`) + 2));
    }
    assert.equal(big.positionOf("/2000"), undefined);
  });
});

test("escapePointerToken follows RFC 6901", () => {
  const cases: readonly (readonly [string, string])[] = [
    ["", ""],
    ["plain", "plain"],
    ["a/b", "a~1b"],
    ["m~n", "m~0n"],
    ["~1", "~01"],
    ["/~", "~1~0"],
    ["~~//", "~0~0~1~1"],
  ];
  for (const [token, escaped] of cases) assert.equal(escapePointerToken(token), escaped, token);
});

describe('"__proto__" keys behave as with JSON.parse', () => {
  const cases: readonly string[] = [
    '{"__proto__": {"polluted": true}, "x": 1}',
    '{"__proto__": null}',
    '{"__proto__": 1, "__proto__": [2]}',
    '{"a": {"__proto__": {"b": 1}}, "__proto__": []}',
    '[{"__proto__": "s"}]',
  ];
  for (const text of cases) {
    test(text, () => {
      const value = parsed(text).value;
      const expected: unknown = JSON.parse(text);
      assert.deepStrictEqual(value, expected);
      const objects = (v: unknown): object[] => {
        if (v === null || typeof v !== "object") return [];
        return [v, ...Object.values(v).flatMap(objects)];
      };
      const mine = objects(value);
      const theirs = objects(expected);
      assert.equal(mine.length, theirs.length);
      mine.forEach((object, k) => {
        const other = theirs[k] ?? {};
        assert.equal(Object.getPrototypeOf(object), Object.getPrototypeOf(other));
        assert.deepStrictEqual(Object.keys(object), Object.keys(other));
        assert.deepStrictEqual(Object.getOwnPropertyDescriptor(object, "__proto__"), Object.getOwnPropertyDescriptor(other, "__proto__"));
      });
      assert.equal(Object.getPrototypeOf(value), Array.isArray(value) ? Array.prototype : Object.prototype);
      assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    });
  }
});

describe("Iglu Central", () => {
  const schemas = IGLU_CENTRAL_DIR;
  const root = dirname(schemas);
  const skip = skipWithoutIgluCentral();

  function files(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? files(path) : entry.isFile() ? [path] : [];
    });
  }

  /** Every pointer in a value, depth first. */
  function pointers(value: unknown, pointer: string, out: [string, unknown][]): [string, unknown][] {
    out.push([pointer, value]);
    if (Array.isArray(value)) value.forEach((item, k) => pointers(item, `${pointer}/${k}`, out));
    else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) pointers(item, `${pointer}/${escapePointerToken(key)}`, out);
    return out;
  }

  const firstCharacter = (value: unknown): RegExp =>
    value === null ? /^null/ : value === true ? /^true/ : value === false ? /^false/ : typeof value === "number" ? /^-?[0-9]/ : typeof value === "string" ? /^"/ : Array.isArray(value) ? /^\[/ : /^\{/;

  test("every schema parses to JSON.parse's value; only elasticsearch_enriched_event 1-0-1 and 2-0-0 have duplicate keys", { skip }, () => {
    const all = files(schemas).sort();
    assert.ok(all.length > 0);
    const withDuplicates: string[] = [];
    for (const file of all) {
      const text = readFileSync(file, "utf8");
      const json = parsed(text);
      assert.deepStrictEqual(json.value, reference(text), file);
      if (json.duplicates.length > 0) {
        withDuplicates.push(relative(root, file));
        for (const duplicate of json.duplicates) {
          assert.equal(duplicate.key, "doc_height", file);
          assert.equal(duplicate.pointer, "/properties/doc_height", file);
          assert.ok(text.startsWith('"doc_height"', duplicate.first.offset) && text.startsWith('"doc_height"', duplicate.second.offset), file);
          assert.ok(duplicate.first.offset < duplicate.second.offset, file);
        }
      }
    }
    assert.deepStrictEqual(withDuplicates, [
      "schemas/com.snowplowanalytics.snowplow/elasticsearch_enriched_event/jsonschema/1-0-1",
      "schemas/com.snowplowanalytics.snowplow/elasticsearch_enriched_event/jsonschema/2-0-0",
    ]);
  });

  test("positionOf finds every value of every schema", { skip }, () => {
    for (const file of files(schemas)) {
      const text = readFileSync(file, "utf8");
      const json = parsed(text);
      for (const [pointer, value] of pointers(json.value, "", [])) {
        const position = json.positionOf(pointer);
        assert.ok(position, `${file} ${pointer}`);
        assert.match(text.slice(position.offset, position.offset + 5), firstCharacter(value), `${file} ${pointer}`);
        const lineStart = text.lastIndexOf("\n", position.offset - 1) + 1;
        assert.equal(position.column, position.offset - lineStart + (lineStart === 0 && text.charCodeAt(0) === 0xfeff ? 0 : 1), `${file} ${pointer}`);
      }
    }
  });
});
