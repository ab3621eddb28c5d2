/**
 * The catalogue of diagnostic codes (generator/codes.ts): README's table is
 * it, row for row, and every code in it is one the generator reports.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CODES } from "../../generator/codes.js";
import { ROOT } from "../support/iglu.js";

test("README's catalogue is generator/codes.ts, row for row", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Diagnostic codes"), readme.indexOf("## Security and limits"));
  const rows = section.split("\n").filter((line) => line.startsWith("| `"));
  const expected = Object.entries(CODES).map(([code, info]) =>
    `| \`${code}\` | ${info.level}${"lint" in info ? ` (lint: ${info.lint})` : ""} | ${info.meaning} | ${info.fix} |`);
  assert.deepEqual(rows, expected);
});

test("every code in the catalogue is one the generator reports", () => {
  const sources: string[] = [];
  const read = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) read(p);
      else if (p.endsWith(".ts") && !p.endsWith("codes.ts")) sources.push(fs.readFileSync(p, "utf8"));
    }
  };
  read(path.join(ROOT, "generator"));
  const all = sources.join("\n");
  const unused = Object.keys(CODES).filter((code) => {
    const registry = /^registry-(.+)$/.exec(code);
    // registry-* codes are made from RegistryError's kind (errors.ts).
    return registry !== null && code !== "registry-missing" ? !all.includes(`"${registry[1]}"`) : !all.includes(`"${code}"`);
  });
  assert.deepEqual(unused, []);
});
