/**
 * The fingerprint under `generate --watch` (generator/cli/watch-fingerprint.ts):
 * unchanged when nothing changed, changed by every kind of save an editor
 * makes, blind to what `ignored` names (the output).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fingerprint } from "../../generator/cli/watch-fingerprint.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-fingerprint-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const registry = path.join(root, "registry");
const schema = path.join(registry, "com.acme/product/jsonschema/1-0-0");
const config = path.join(root, "igluc.config.json");
const out = path.join(registry, "out");
fs.mkdirSync(path.dirname(schema), { recursive: true });
fs.mkdirSync(out);
fs.writeFileSync(schema, '{"a":1}');
fs.writeFileSync(config, "{}");
const ignored = (file: string): boolean => file === out || file.startsWith(`${out}${path.sep}`);
const now = (): string => fingerprint([registry], [config], ignored);

test("the same files give the same fingerprint", () => {
  assert.equal(now(), now());
});

test("a save that replaces the file by a rename, as vim and sed -i do, changes it", () => {
  const before = now();
  fs.writeFileSync(`${schema}.swp`, '{"a":2}');
  fs.renameSync(`${schema}.swp`, schema);
  assert.notEqual(now(), before);
});

test("a save in place, a new file, a deleted one and the config each change it", () => {
  let last = now();
  const changed = (what: string): void => {
    const next = now();
    assert.notEqual(next, last, what);
    last = next;
  };
  fs.writeFileSync(schema, '{"a":33}');
  changed("in place");
  fs.writeFileSync(path.join(path.dirname(schema), "1-0-1"), "{}");
  changed("a new file");
  fs.rmSync(path.join(path.dirname(schema), "1-0-1"));
  changed("a deleted file");
  fs.writeFileSync(config, '{ "out": "x" }');
  changed("the config");
});

test("what is ignored (the output) does not change it", () => {
  const before = now();
  fs.writeFileSync(path.join(out, "index.ts"), "export {};\n");
  assert.equal(now(), before);
});
