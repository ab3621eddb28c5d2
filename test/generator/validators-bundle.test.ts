/**
 * Production bundles do not grow with `--validators`: an app that imports
 * the generated SDK (and not its validators module), bundled by the real
 * esbuild for the browser and minified, is byte for byte the same whether
 * the SDK was generated with validators or without. An app that loads the
 * validators behind a `process.env.NODE_ENV` branch carries none of their
 * code in a production build, and all of it in a development one.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { build } from "esbuild";
import { generate } from "../../generator/index.js";
import { tempProject } from "../support/compile.js";
import { ROOT } from "../support/iglu.js";

const REGISTRY = path.join(ROOT, "test/fixtures/registry");
/** A string only the checkout_started validator holds (an error's schema path). */
const VALIDATOR_MARK = "#/properties/cartId/maxLength";

let project: ReturnType<typeof tempProject>;

const APP = (sdk: string): string => [
  'import { Snowplow } from "@igluc/runtime";',
  `import { trackCheckoutStarted } from "./${sdk}/index.js";`,
  'const tracker = Snowplow.createTracker({ namespace: "app", endpoint: "collector.example" });',
  'trackCheckoutStarted(tracker, { cartId: "c1", total: 1, currency: "EUR" });',
].join("\n");

const DEV_BRANCH = [
  'import { Snowplow, type ValidationOptions } from "@igluc/runtime";',
  'import { trackCheckoutStarted } from "./with/index.js";',
  "let validation: ValidationOptions | undefined;",
  'if (process.env.NODE_ENV !== "production") validation = { mode: "throw", validators: (await import("./with/validators.js")).validators };',
  'const tracker = Snowplow.createTracker({ namespace: "app", endpoint: "collector.example", ...(validation ? { validation } : {}) });',
  'trackCheckoutStarted(tracker, { cartId: "c1", total: 1, currency: "EUR" });',
].join("\n");

async function bundled(entry: string, nodeEnv = "production"): Promise<string> {
  const result = await build({
    entryPoints: [path.join(project.dir, entry)], absWorkingDir: project.dir, bundle: true, minify: true, write: false,
    format: "esm", platform: "browser", target: "es2022", define: { "process.env.NODE_ENV": JSON.stringify(nodeEnv) }, logLevel: "silent",
  });
  return result.outputFiles.map((f) => f.text).join("");
}

before(async () => {
  project = tempProject("igluc-validators-bundle-");
  await generate({ schemas: [REGISTRY], out: path.join(project.dir, "without"), concurrency: 1 });
  await generate({ schemas: [REGISTRY], out: path.join(project.dir, "with"), validators: true, concurrency: 1 });
  fs.writeFileSync(path.join(project.dir, "app-without.ts"), APP("without"));
  fs.writeFileSync(path.join(project.dir, "app-with.ts"), APP("with"));
  fs.writeFileSync(path.join(project.dir, "app-dev.ts"), DEV_BRANCH);
});
after(() => project.dispose());

test("an app that does not import the validators bundles to the same bytes with and without --validators", async () => {
  const without = await bundled("app-without.ts");
  const withValidators = await bundled("app-with.ts");
  assert.ok(without.length > 1000);
  assert.equal(withValidators.length, without.length);
  assert.equal(withValidators, without);
  assert.ok(!withValidators.includes(VALIDATOR_MARK));
});

test("behind a NODE_ENV branch, production drops every validator; development bundles them", async () => {
  const production = await bundled("app-dev.ts", "production");
  const development = await bundled("app-dev.ts", "development");
  assert.ok(!production.includes(VALIDATOR_MARK), "production bundle holds a validator");
  assert.ok(development.includes(VALIDATOR_MARK), "development bundle lacks the validators");
  const baseline = await bundled("app-without.ts");
  // The branch itself costs a few bytes; the validators would cost kilobytes.
  assert.ok(production.length - baseline.length < 200, `production grew by ${production.length - baseline.length} bytes`);
  assert.ok(development.length - baseline.length > 5000);
  console.log(`bundle: ${baseline.length} B without validators; NODE_ENV branch: production ${production.length} B, development ${development.length} B`);
});
