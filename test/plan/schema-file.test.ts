/**
 * generator/tracking-plan.schema.json, the plan's JSON Schema for editors:
 * the file is what the one declaration (plan/format.ts) makes, ships in the
 * package, and accepts the example plans that readPlan accepts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { planSchemaText } from "../../generator/plan/format.js";
import { ROOT } from "../support/iglu.js";

test("generator/tracking-plan.schema.json is what the declaration makes (npm run plan:schema writes it)", () => {
  assert.equal(fs.readFileSync(path.join(ROOT, "generator/tracking-plan.schema.json"), "utf8"), planSchemaText());
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files: string[]; scripts: Record<string, string> };
  assert.ok(pkg.files.includes("generator/tracking-plan.schema.json"), "the schema ships with the package");
  assert.match(pkg.scripts["plan:schema"] ?? "", /planSchemaText/);
});
