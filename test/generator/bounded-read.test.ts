/**
 * readBoundedText: an untrusted file read whole within a bound, everything
 * asked of one descriptor, a FIFO never waited for.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { readBoundedText } from "../../generator/load/bounded-read.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-bounded-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("a file within the bound is its text; one byte over is too large; a folder is not a file", () => {
  const file = path.join(dir, "ten");
  fs.writeFileSync(file, "héllo…");
  assert.deepEqual(readBoundedText(file, 9), { text: "héllo…" }, "9 bytes, the bound itself");
  assert.deepEqual(readBoundedText(file, 8), { tooLarge: 9 });
  fs.writeFileSync(file, "");
  assert.deepEqual(readBoundedText(file, 10), { text: "" });
  assert.deepEqual(readBoundedText(dir, 10), { notFile: true });
  assert.throws(() => readBoundedText(path.join(dir, "missing"), 10), { code: "ENOENT" });
});

test("a FIFO is not a file, and is not waited for", { skip: process.platform === "win32" }, () => {
  const fifo = path.join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  assert.deepEqual(readBoundedText(fifo, 10), { notFile: true });
});

test("a device that never ends is not read", { skip: !fs.existsSync("/dev/zero") }, () => {
  assert.deepEqual(readBoundedText("/dev/zero", 10), { notFile: true });
});
