// igluc's JSON parser (generator/load/json.ts) against jsonc-parser's visitor doing the same job, over
// every file of Iglu Central: the value JSON.parse gives, every value's start offset (what positionOf
// needs) and duplicate keys, comments and trailing commas refused. Each round parses every file once;
// the medians are printed. jsonc-parser is not a dependency: `npm install --no-save jsonc-parser` first.
//
//   npm run build && npm install --no-save jsonc-parser && node bench/json-parsers.mjs [rounds]
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { visit } from "jsonc-parser";
import { parseJson } from "../dist/generator/load/json.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CENTRAL = path.resolve(ROOT, "../shared/iglu-central/schemas");
const rounds = Number(process.argv[2] ?? 15);

const files = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.isFile()) files.push(fs.readFileSync(p, "utf8"));
  }
};
walk(CENTRAL);

const escape = (token) => String(token).replace(/~/g, "~0").replace(/\//g, "~1");

/** The same result through jsonc-parser's visitor: value, start offsets by pointer, duplicates, first error. */
function viaJsonc(text) {
  const offsets = new Map();
  const duplicates = [];
  let error;
  let root;
  const stack = []; // { value, pointer, keys: Map<key, offset> | undefined, key, index }
  const place = (value, offset) => {
    const top = stack[stack.length - 1];
    let pointer = "";
    if (top !== undefined) {
      if (top.keys !== undefined) {
        pointer = `${top.pointer}/${escape(top.key)}`;
        if (top.key === "__proto__") Object.defineProperty(top.value, top.key, { value, writable: true, enumerable: true, configurable: true });
        else top.value[top.key] = value;
      } else {
        pointer = `${top.pointer}/${top.value.length}`;
        top.value.push(value);
      }
    } else root = value;
    offsets.set(pointer, offset);
    return pointer;
  };
  visit(text, {
    onObjectBegin(offset) {
      const value = {};
      const pointer = place(value, offset);
      stack.push({ value, pointer, keys: new Map(), key: undefined });
    },
    onObjectProperty(property, offset) {
      const top = stack[stack.length - 1];
      const first = top.keys.get(property);
      if (first !== undefined) duplicates.push({ pointer: `${top.pointer}/${escape(property)}`, first, second: offset });
      else top.keys.set(property, offset);
      top.key = property;
    },
    onObjectEnd() { stack.pop(); },
    onArrayBegin(offset) {
      const value = [];
      const pointer = place(value, offset);
      stack.push({ value, pointer, keys: undefined });
    },
    onArrayEnd() { stack.pop(); },
    onLiteralValue(value, offset) { place(value, offset); },
    onError(code, offset) { error ??= { code, offset }; },
  }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return { value: root, offsets, duplicates, error };
}

/** Ours, with every value's offset asked for (what the lazily built positions cost when all are used). */
function viaIgluc(text, offsetsToo) {
  const parsed = parseJson(text);
  if (!parsed.ok) return { error: parsed.error };
  const offsets = new Map();
  if (offsetsToo) {
    const each = (value, pointer) => {
      offsets.set(pointer, parsed.json.positionOf(pointer).offset);
      if (Array.isArray(value)) value.forEach((v, i) => each(v, `${pointer}/${i}`));
      else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) each(v, `${pointer}/${escape(k)}`);
    };
    each(parsed.json.value, "");
  }
  return { value: parsed.json.value, offsets, duplicates: parsed.json.duplicates.map((d) => ({ pointer: d.pointer, first: d.first.offset, second: d.second.offset })) };
}

// Both must give the same answers before their times mean anything.
for (const text of files) {
  const a = viaIgluc(text, true);
  const b = viaJsonc(text);
  assert.equal(b.error, undefined);
  assert.deepEqual(b.value, a.value);
  assert.deepEqual(b.offsets, a.offsets);
  assert.deepEqual(b.duplicates, a.duplicates);
}

const time = (fn) => {
  const start = process.hrtime.bigint();
  for (const text of files) fn(text);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (list) => [...list].sort((x, y) => x - y)[Math.floor(list.length / 2)];
const runs = { igluc: [], "igluc, every offset asked for": [], "jsonc-parser visitor": [] };
for (let r = 0; r < rounds + 2; r++) {
  const t = [time((s) => viaIgluc(s, false)), time((s) => viaIgluc(s, true)), time(viaJsonc)];
  if (r < 2) continue; // warm-up
  runs.igluc.push(t[0]);
  runs["igluc, every offset asked for"].push(t[1]);
  runs["jsonc-parser visitor"].push(t[2]);
}
const bytes = files.reduce((n, s) => n + s.length, 0);
console.log(`${files.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${rounds} rounds (medians; min-max)`);
for (const [name, list] of Object.entries(runs)) {
  console.log(`${name.padEnd(32)} ${median(list).toFixed(1).padStart(7)} ms  (${Math.min(...list).toFixed(1)}-${Math.max(...list).toFixed(1)})`);
}
