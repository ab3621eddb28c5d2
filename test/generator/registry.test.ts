/**
 * Finding a registry's schema files: each file is shown as path.relative from
 * cwd would show it, which findSchemas works out per registry rather than per
 * file; and a file is read with one stat when it is not a link.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { findSchemas, readSchemaFile } from "../../generator/load/registry.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-registry-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const root = path.join(dir, "registry/schemas");
for (const name of ["a", "b"]) {
  fs.mkdirSync(path.join(root, "com.acme", name, "jsonschema"), { recursive: true });
  fs.writeFileSync(path.join(root, "com.acme", name, "jsonschema/1-0-0"), "{}");
}

test("each file is shown relative to cwd, from outside, at and inside the registry", () => {
  for (const cwd of [dir, path.join(dir, "elsewhere"), root, path.join(root, "com.acme"), path.join(root, "com.acme/b/jsonschema"), path.parse(dir).root]) {
    const found = findSchemas([path.relative(cwd, path.join(dir, "registry")) || "."], cwd);
    assert.deepEqual(found.files.map((f) => f.display), found.files.map((f) => path.relative(cwd, f.path)), `from ${cwd}`);
    assert.equal(found.files.length, 2);
  }
});

test("a file is read with its size checked, a link outside the registry is not followed", () => {
  const [a] = findSchemas([root], dir).files;
  assert.deepEqual(readSchemaFile(a!), { text: "{}" });
  const outside = path.join(dir, "outside.json");
  fs.writeFileSync(outside, "{}");
  fs.symlinkSync(outside, path.join(root, "com.acme/a/jsonschema/1-0-1"));
  const linked = findSchemas([root], dir).files.find((f) => f.key.version === "1-0-1")!;
  const read = readSchemaFile(linked);
  assert.ok("diagnostic" in read && read.diagnostic.code === "link-outside");
});

test("a file listed as a plain file that is a link by the time it is read is not followed", () => {
  fs.mkdirSync(path.join(root, "com.acme/swapped/jsonschema"), { recursive: true });
  const file = path.join(root, "com.acme/swapped/jsonschema/1-0-0");
  fs.writeFileSync(file, "{}");
  const listed = findSchemas([root], dir).files.find((f) => f.key.name === "swapped")!;
  const outside = path.join(dir, "swapped-outside.json");
  fs.writeFileSync(outside, "{\"secret\": true}");
  fs.rmSync(file);
  fs.symlinkSync(outside, file);
  // Before: found by an lstat at read time (link-outside); now: refused by the open itself (file-unreadable, ELOOP).
  assert.ok("diagnostic" in readSchemaFile(listed), "the link is not followed");
});
