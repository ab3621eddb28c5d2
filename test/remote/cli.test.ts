/**
 * `igluc pull` and `igluc generate --resolver/--offline` as users run them:
 * the built bin in a child process, against a server on 127.0.0.1. The
 * summary lines, exit codes 0 / 1 / 2, and usage errors.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ROOT } from "../support/iglu.js";
import { schemaAt, startIgluServer, testScope } from "../support/registries.js";

const BIN = path.join(ROOT, "dist/generator/cli/bin.js");
const { keep, workspace } = testScope("igluc-remote-cli-");
const igluc = (cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });

const CHECKOUT = "iglu:com.acme/checkout/jsonschema/1-0-0";

describe("igluc pull and generate from registries (the bin)", () => {
  test("pull: a summary line, then generate from the folder and from the server via a resolver file, then offline", async () => {
    const server = await startIgluServer({ schemas: new Map([[CHECKOUT, schemaAt(CHECKOUT)]]) });
    keep(server);
    const dir = workspace();
    const pulled = await igluc(dir, "pull", "--registry", server.url, "--out", "schemas");
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stdout, /^igluc pull: 1 schema; 1 file written to schemas \(\d+\.\d\d s\)\n$/);
    assert.ok(fs.existsSync(path.join(dir, "schemas/com.acme/checkout/jsonschema/1-0-0")));

    fs.writeFileSync(path.join(dir, "resolver.json"), JSON.stringify({
      schema: "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-1",
      data: { cacheSize: 10, repositories: [{ name: "Acme", priority: 0, vendorPrefixes: ["com.acme"], connection: { http: { uri: server.url } } }] },
    }));
    const generated = await igluc(dir, "generate", "--resolver", "resolver.json", "--out", "tracking");
    assert.equal(generated.code, 0, generated.stderr);
    assert.match(generated.stdout, /^igluc generate: 1 schema file read, 1 generated/);
    assert.ok(fs.existsSync(path.join(dir, "igluc.lock.json")));
    await server.close();
    const offline = await igluc(dir, "generate", "--resolver", "resolver.json", "--out", "tracking", "--offline");
    assert.equal(offline.code, 0, offline.stderr);
    const online = await igluc(dir, "generate", "--resolver", "resolver.json", "--out", "tracking", "--http-timeout", "1");
    assert.equal(online.code, 2, "an unknown flag is a usage error");
  });

  const usage: readonly [string, string[], RegExp][] = [
    ["pull without --registry", ["pull"], /Missing required argument: registry/],
    ["pull from a static registry without --schema", ["pull", "--registry", "http://127.0.0.1:9"], /^igluc pull: a static registry cannot list its schemas: name them with --schema/],
    ["pull with --vendor from a static registry", ["pull", "--registry", "http://127.0.0.1:9", "--schema", "com.acme/x", "--vendor", "com.acme"], /^igluc pull: --vendor needs an Iglu Server/],
    ["pull from a URL that is not http(s)", ["pull", "--registry", "file:///etc"], /^igluc pull: --registry: file: URLs are not registries/],
    ["generate --offline --update", ["generate", "--resolver", "r.json", "--offline", "--update"], /Arguments offline and update are mutually exclusive/],
    ["generate with a resolver file that is not there", ["generate", "--resolver", "absent.json"], /^igluc generate: .*absent\.json does not exist/],
  ];
  for (const [what, args, message] of usage) {
    test(`${what}: exit 2`, async () => {
      const run = await igluc(workspace(), ...args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    });
  }
});
