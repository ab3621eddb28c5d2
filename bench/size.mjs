/**
 * What the runtime costs to ship, beside the official trackers, in one run:
 *
 * 1. Bundle size: an app that tracks one self-describing event with one
 *    entity, bundled by esbuild (minified, ES module), gzipped (level 9):
 *    @igluc/runtime for the browser (its browser entry) against
 *    @snowplow/browser-tracker, and for Node against @snowplow/node-tracker
 *    (their dependencies bundled in, Node's own modules left out).
 * 2. Install size (with --install): what `npm install` of the package adds to
 *    an empty project (packages and bytes on disk): the @igluc/runtime
 *    tarball built here against @snowplow/node-tracker from the registry.
 *    Needs the npm registry.
 *
 * Usage: npm run bench:size  [-- --install]   (builds first)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-size-"));
const ENTITY = `{ schema: "iglu:com.acme/user/jsonschema/1-0-0", data: { id: "u1" } }`;
const EVENT = `{ schema: "iglu:com.acme/checkout_started/jsonschema/1-0-0", data: { cartId: "c1", total: 12.5 } }`;

const APPS = {
  igluc: `import { Emitter, Tracker } from "@igluc/runtime";
const tracker = new Tracker({ namespace: "app", emitters: new Emitter({ endpoint: "https://collector.example.com" }) });
tracker.trackSelfDescribingEvent(${EVENT}, { context: [${ENTITY}] });
await tracker.flush();`,
  "browser-tracker": `import { newTracker, trackSelfDescribingEvent } from "@snowplow/browser-tracker";
newTracker("app", "https://collector.example.com");
trackSelfDescribingEvent({ event: ${EVENT}, context: [${ENTITY}] });`,
  "node-tracker": `import { newTracker, buildSelfDescribingEvent } from "@snowplow/node-tracker";
const tracker = newTracker({ namespace: "app", appId: "app", endpoint: "https://collector.example.com" }, {});
tracker.track(buildSelfDescribingEvent({ event: ${EVENT} }), [${ENTITY}]);
await tracker.flush();`,
};

async function bundle(name, platform) {
  const entry = path.join(ROOT, `.size-${name}-${platform}.mjs`);
  fs.writeFileSync(entry, APPS[name]);
  try {
    const result = await build({
      entryPoints: [entry], bundle: true, minify: true, format: "esm", platform, target: "es2022", write: false,
      metafile: true, logLevel: "silent", ...(platform === "node" ? { packages: undefined } : {}),
    });
    const code = result.outputFiles[0].contents;
    return { minified: code.length, gzipped: zlib.gzipSync(code, { level: 9 }).length };
  } finally {
    fs.rmSync(entry, { force: true });
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const rows = [
  ["@igluc/runtime, browser entry", await bundle("igluc", "browser")],
  ["@snowplow/browser-tracker", await bundle("browser-tracker", "browser")],
  ["@igluc/runtime, Node entry", await bundle("igluc", "node")],
  ["@snowplow/node-tracker", await bundle("node-tracker", "node")],
];
console.log("Bundle of an app tracking one self-describing event with one entity (esbuild, minified, gzip -9):");
for (const [name, { minified, gzipped }] of rows) console.log(`  ${name.padEnd(32)} ${kb(minified).padStart(9)} minified  ${kb(gzipped).padStart(8)} gzipped`);
const [browser, browserPeer, node, nodePeer] = rows.map((r) => r[1].gzipped);
console.log(`  ratios (gzipped): ${(browser / browserPeer).toFixed(2)}x browser-tracker, ${(node / nodePeer).toFixed(2)}x node-tracker`);
console.log(`  bar: browser bundle <= 6 KB gzipped: ${browser <= 6 * 1024 ? "met" : "NOT met"} (${kb(browser)})`);

if (process.argv.includes("--install")) {
  const installed = (what) => {
    const dir = fs.mkdtempSync(path.join(work, "install-"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "size", private: true }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--omit=dev", what], { cwd: dir, stdio: "ignore" });
    const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"));
    const packages = Object.keys(lock.packages).filter((p) => p !== "").length;
    const bytes = Number(execFileSync("du", ["-sb", path.join(dir, "node_modules")], { encoding: "utf8" }).split("\t")[0]);
    return { packages, bytes };
  };
  const tarball = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: path.join(ROOT, "runtime"), encoding: "utf8" });
  const ours = installed(path.join(work, JSON.parse(tarball)[0].filename));
  const peer = installed("@snowplow/node-tracker@4");
  console.log("Install size in an empty project (npm install --omit=dev; packages, bytes in node_modules):");
  console.log(`  @igluc/runtime                   ${String(ours.packages).padStart(3)} packages  ${(ours.bytes / 1e6).toFixed(2).padStart(6)} MB`);
  console.log(`  @snowplow/node-tracker           ${String(peer.packages).padStart(3)} packages  ${(peer.bytes / 1e6).toFixed(2).padStart(6)} MB`);
}
fs.rmSync(work, { recursive: true, force: true });
