/**
 * `--validators` over all of Iglu Central, every version: each schema that
 * gets types gets a validator (ajv compiles them all); every one loads
 * with @igluc/runtime's helpers and runs on data (an empty object, and a
 * value of the wrong kind) without throwing; validators.js lists them all.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import type { Validators } from "@igluc/runtime/validation";
import { generate, type GenerateResult } from "../../generator/index.js";
import { describeWithIgluCentral, IGLU_CENTRAL_DIR, ROOT } from "../support/iglu.js";

describeWithIgluCentral("--validators on Iglu Central", { timeout: 300_000 }, () => {
  let out: string;
  let result: GenerateResult;
  before(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-validators-central-"));
    // The runtime's helpers by path: the folder is outside any project.
    result = await generate({
      schemas: [IGLU_CENTRAL_DIR], out, versions: "all", validators: true, validationImport: path.join(ROOT, "runtime/dist/esm/validation.js"), concurrency: 2,
    });
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  test("every generated schema has a validator, and none failed to compile", () => {
    assert.deepEqual(result.diagnostics.filter((d) => d.code === "validator-generation"), []);
    const modules = fs.readdirSync(out).filter((n) => n.endsWith(".validate.js"));
    assert.equal(modules.length, result.stats.generated);
    assert.ok(modules.length > 600);
  });

  test("each loads and runs without throwing, and validators.js lists each", async () => {
    const { validators } = (await import(pathToFileURL(path.join(out, "validators.js")).href)) as { validators: Validators };
    assert.equal(Object.keys(validators).length, result.stats.generated);
    let rejected = 0;
    for (const [uri, validate] of Object.entries(validators)) {
      for (const data of [{}, "not an object", [1, null]]) {
        assert.doesNotThrow(() => validate(data), uri);
        if (validate.errors !== null && validate.errors !== undefined) rejected++;
      }
    }
    assert.ok(rejected > Object.keys(validators).length);
  });
});
