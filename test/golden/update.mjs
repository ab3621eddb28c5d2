// npm run golden:update: regenerates every golden output from test/fixtures/registry (and test/golden/plan from the
// tracking plan test/fixtures/plans/ecommerce.yaml). The manifests go
// first, so each file is generated anew even when the inputs match what a manifest recorded (as they do
// when only the generator changed).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const configs = ["test/golden/igluc.config.json", "test/golden/js/igluc.config.json", "test/golden/targets/igluc.config.json", "test/golden/plan/igluc.config.json"];
for (const file of fs.readdirSync(path.join(root, "test/golden"), { recursive: true })) {
  if (path.basename(file) === ".igluc-manifest.json") fs.rmSync(path.join(root, "test/golden", file));
}
for (const config of configs) {
  execFileSync(process.execPath, [path.join(root, "dist/generator/cli/bin.js"), "generate", "--config", config, "--concurrency", "1"], { cwd: root, stdio: "inherit" });
}
