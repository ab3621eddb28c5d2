/**
 * Registries that misbehave, against real servers on 127.0.0.1 (issue 12):
 * a static registry answering 200 for every URL, a JSON bomb in a list, a
 * list planting another vendor's schema, numbers beyond a double's precision,
 * a key refused while requests are queued, a global key and the repositories
 * it must not reach, and --offline without the secret the config names.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { generate } from "../../generator/generate.js";
import { createRegistryClient } from "../../generator/remote/client.js";
import { createHttpClient } from "../../generator/remote/http.js";
import { pull } from "../../generator/remote/pull.js";
import { parseRegistries } from "../../generator/remote/repositories.js";
import { ROOT } from "../support/iglu.js";
import { schemaAt, startIgluServer, startStaticRegistry, testScope } from "../support/registries.js";

const KEY = "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const FAST = { timeoutMs: 2000, retries: 1, retryDelayMs: 10, concurrency: 4 };
const { keep, workspace } = testScope("igluc-hostile-registry-");
const errors = (list: readonly Diagnostic[]): string[] => list.filter((d) => d.level === "error").map((d) => `${d.code}: ${d.message}`);
const files = (dir: string): string[] => (fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]) : [])
  .filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join("/")).sort();
const CHECKOUT = "iglu:com.acme/checkout/jsonschema/1-0-0";

describe("registries cannot make a run unbounded", () => {
  test("a static registry that answers 200 for every URL: the version walk stops at its bound, and says so", async () => {
    // A well-formed schema for whatever is asked (self matching), so only a bound stops the walk; it gives up after 2,000.
    const registry = keep(await startStaticRegistry(new Map()));
    registry.misbehave = (seen, count) => {
      if (count > 2000) return { status: 404 };
      const [vendor, name, , version] = seen.path.split("/").slice(2);
      return { status: 200, body: JSON.stringify(schemaAt(`iglu:${vendor}/${name}/jsonschema/${version}`)) };
    };
    const result = await pull({ registry: registry.url, out: workspace(), schemas: ["com.acme/x"], http: FAST });
    assert.deepEqual(errors(result.diagnostics), [`registry-invalid: the registry: walking the versions of com.acme/x took more than 300 requests without finding the last (${registry.url}/)`]);
    assert.equal(registry.requests.length, 300);
  });

  test("…and one that answers every URL with the same schema: the first answer whose self differs stops it", async () => {
    const registry = keep(await startStaticRegistry(new Map()));
    registry.misbehave = () => ({ status: 200, body: JSON.stringify(schemaAt("iglu:com.acme/x/jsonschema/1-0-0")) });
    const result = await pull({ registry: registry.url, out: workspace(), schemas: ["com.acme/x"], http: FAST });
    assert.deepEqual(errors(result.diagnostics), [`registry-invalid: the registry answered iglu:com.acme/x/jsonschema/1-0-1 (${registry.url}/schemas/com.acme/x/jsonschema/1-0-1) with a schema whose self is iglu:com.acme/x/jsonschema/1-0-0`]);
    assert.equal(registry.requests.length, 2);
  });

  test("a JSON bomb (arrays 100,000 deep) in a server's list: a registry error, nothing written", async () => {
    const server = keep(await startIgluServer({ schemas: new Map([[CHECKOUT, schemaAt(CHECKOUT)]]) }));
    server.misbehave = () => ({ status: 200, body: `[${JSON.stringify(schemaAt(CHECKOUT))},${"[".repeat(100_000)}${"]".repeat(100_000)}]` });
    const out = path.join(workspace(), "schemas");
    const result = await pull({ registry: server.url, out, http: FAST });
    assert.deepEqual(errors(result.diagnostics), [`registry-invalid: the registry sent a list nested deeper than a schema may be (${server.url}/schemas?repr=canonical)`]);
    assert.deepEqual(files(out), []);
  });

  test("a refused key stops the requests queued for its repository: one is sent, all end with the same error", async () => {
    const server = keep(await startIgluServer({ schemas: new Map() }));
    server.misbehave = () => ({ status: 403, body: JSON.stringify({ message: "Not sufficient privileges" }) });
    const http = await createHttpClient({ ...FAST, concurrency: 1 });
    try {
      const client = createRegistryClient(http);
      const [repo] = parseRegistries([{ name: "Acme", uri: server.url, apikey: KEY }], ROOT, { env: {} }, "test");
      const fetches = ["1-0-0", "1-0-1", "1-0-2", "1-0-3", "1-0-4"].map((version) => client.fetch(repo!, { vendor: "com.acme", name: "x", format: "jsonschema", version }));
      const settled = await Promise.allSettled(fetches);
      assert.deepEqual(settled.map((s) => (s.status === "rejected" ? (s.reason as Error).message : "fulfilled")), Array(5).fill(`API key rejected or missing for Acme (${server.url}/schemas/com.acme/x/jsonschema/1-0-0): 403 while fetching iglu:com.acme/x/jsonschema/1-0-0`));
      assert.equal(server.requests.length, 1);
    } finally {
      await http.close();
    }
  });
});

describe("registries get exactly what they serve, and what they should", () => {
  test("a list of more schemas than a run takes stops as listed, before one is fetched or staged", async () => {
    const server = keep(await startIgluServer({ schemas: new Map([[CHECKOUT, schemaAt(CHECKOUT)]]) }));
    const uris = Array.from({ length: 20_001 }, (_, i) => `iglu:com.acme/s${i}/jsonschema/1-0-0`);
    server.misbehave = (seen) => (seen.path.startsWith("/api/schemas?") ? { status: 200, body: JSON.stringify(uris) } : undefined);
    const out = path.join(workspace(), "schemas");
    const result = await pull({ registry: server.url, out, http: FAST });
    assert.deepEqual(errors(result.diagnostics), [`registry-invalid: the registry lists more than 20000 schemas (${server.url}/schemas?repr=canonical)`]);
    assert.equal(server.requests.length, 1, "only the list was asked for");
    assert.deepEqual(files(out), []);
  });

  for (const [what, uri] of [["a name", `iglu:com.acme/${"n".repeat(300)}/jsonschema/1-0-0`], ["a version", `iglu:com.acme/x/jsonschema/1-0-${"9".repeat(300)}`]] as const) {
    test(`${what} too long for a file name, in a server's list: a registry error naming it, nothing written`, async () => {
      const server = keep(await startIgluServer({ schemas: new Map([[CHECKOUT, schemaAt(CHECKOUT)]]) }));
      server.misbehave = (seen) => (seen.path.startsWith("/api/schemas?") ? { status: 200, body: JSON.stringify([uri]) } : undefined);
      const out = path.join(workspace(), "schemas");
      const result = await pull({ registry: server.url, out, http: FAST });
      assert.deepEqual(errors(result.diagnostics), [`registry-invalid: the registry listed ${JSON.stringify(uri).slice(0, 200)}, which is not an Iglu URI (${server.url}/schemas?repr=canonical)`]);
      assert.deepEqual(files(out), []);
    });
  }

  test("pull --vendor writes only that vendor, even when the server's list plants another", async () => {
    const evil = "iglu:com.evil/planted/jsonschema/1-0-0";
    const server = keep(await startIgluServer({ schemas: new Map([[CHECKOUT, schemaAt(CHECKOUT)], [evil, schemaAt(evil)]]) }));
    server.misbehave = (seen) => (seen.path.startsWith("/api/schemas/com.acme?") ? { status: 200, body: JSON.stringify([schemaAt(CHECKOUT), schemaAt(evil)]) } : undefined);
    const out = path.join(workspace(), "schemas");
    const result = await pull({ registry: server.url, out, vendors: ["com.acme"], http: FAST });
    assert.deepEqual(errors(result.diagnostics), []);
    assert.deepEqual(result.diagnostics.map((d) => [d.level, d.code, d.uri]), [["warning", "not-asked", evil]]);
    assert.deepEqual(files(out), ["com.acme/checkout/jsonschema/1-0-0"]);
  });

  test("numbers beyond a double's precision are kept exactly in files, cache and lockfile; a change to one is caught", async () => {
    const text = (max: string): string => `{"$schema":"http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#","self":{"vendor":"com.acme","name":"checkout","format":"jsonschema","version":"1-0-0"},"description":"C.","type":"object","properties":{"n":{"type":"integer","minimum":-9223372036854775808,"maximum":${max}},"f":{"type":"number","maximum":1e400}},"additionalProperties":false}`;
    const schemas = new Map<string, Record<string, unknown> | string>([[CHECKOUT, text("9223372036854775807")]]);
    const server = keep(await startIgluServer({ schemas }));
    const dir = workspace();
    const pulled = await pull({ registry: server.url, out: path.join(dir, "schemas"), http: FAST });
    assert.deepEqual(errors(pulled.diagnostics), []);
    assert.equal(fs.readFileSync(path.join(dir, "schemas/com.acme/checkout/jsonschema/1-0-0"), "utf8"), `${text("9223372036854775807")}\n`);

    const options = { cwd: dir, out: "tracking", http: FAST, registries: [{ name: "Acme", uri: server.url }] };
    assert.deepEqual(errors((await generate(options)).diagnostics), []);
    const cached = fs.readdirSync(path.join(dir, ".igluc/schemas"));
    assert.deepEqual(cached.map((f) => fs.readFileSync(path.join(dir, ".igluc/schemas", f), "utf8")), [text("9223372036854775807")]);
    assert.equal((JSON.parse(fs.readFileSync(path.join(dir, "igluc.lock.json"), "utf8")) as { lockfileVersion: number }).lockfileVersion, 2);
    // Reformatted it is the same schema…
    schemas.set(CHECKOUT, JSON.stringify(JSON.parse(text("0")), null, 2).replace('"maximum": 0', '"maximum": 9223372036854775807')
      .replace('"minimum": -9223372036854776000', '"minimum": -9223372036854775808').replace('"maximum": null', '"maximum": 1e400'));
    assert.deepEqual(errors((await generate(options)).diagnostics), []);
    // …but one digit past a double's precision is another.
    schemas.set(CHECKOUT, text("9223372036854775808"));
    assert.deepEqual(errors((await generate(options)).diagnostics).map((e) => e.split(":")[0]), ["lock-mismatch"]);
  });

  test("a global key goes to Iglu Servers without a key of their own, never to static registries", async () => {
    const bare = keep(await startIgluServer({ schemas: new Map([[CHECKOUT, schemaAt(CHECKOUT)]]), apikey: KEY }));
    const own = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
    const keyed = keep(await startIgluServer({ schemas: new Map([["iglu:com.other/thing/jsonschema/1-0-0", schemaAt("iglu:com.other/thing/jsonschema/1-0-0")]]), apikey: own }));
    const link = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-0";
    const statics = keep(await startStaticRegistry(new Map([[link, schemaAt(link)]])));
    const result = await generate({
      cwd: workspace(), out: "tracking", http: FAST, apikey: KEY,
      registries: [
        { name: "Bare", uri: bare.url },
        { name: "Keyed", uri: keyed.url, apikey: own },
        { name: "Static", uri: statics.url, schemas: ["com.snowplowanalytics.snowplow/link_click@1-0-0"] },
      ],
    });
    assert.deepEqual(errors(result.diagnostics), []);
    assert.ok(bare.requests.length > 0 && bare.requests.every((r) => r.apikey === KEY));
    assert.ok(keyed.requests.length > 0 && keyed.requests.every((r) => r.apikey === own));
    assert.ok(statics.requests.length > 0);
    assert.deepEqual(statics.requests.filter((r) => r.apikey !== undefined), []);
  });

  test("generate --offline with the config's apikeyEnv unset: generated from the cache, no secret needed", async () => {
    const server = keep(await startIgluServer({ schemas: new Map([[CHECKOUT, schemaAt(CHECKOUT)]]), privateVendors: ["com.acme"], apikey: KEY }));
    const dir = workspace();
    fs.writeFileSync(path.join(dir, "igluc.config.json"), JSON.stringify({ out: "tracking", registries: [{ name: "Acme", uri: server.url, apikeyEnv: "TEST_HOSTILE_KEY" }] }));
    const igluc = (env: Record<string, string>, ...args: string[]): Promise<{ code: number; stderr: string }> => new Promise((resolve) => {
      const { TEST_HOSTILE_KEY: _, ...rest } = process.env;
      execFile(process.execPath, [path.join(ROOT, "dist/generator/cli/bin.js"), "generate", ...args], { cwd: dir, env: { ...rest, ...env }, timeout: 60_000 },
        (error, _stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stderr }));
    });
    const online = await igluc({ TEST_HOSTILE_KEY: KEY });
    assert.equal(online.code, 0, online.stderr);
    await server.close();
    fs.rmSync(path.join(dir, "tracking"), { recursive: true });
    const offline = await igluc({}, "--offline");
    assert.equal(offline.code, 0, offline.stderr);
    assert.ok(fs.existsSync(path.join(dir, "tracking/checkout.ts")));
    // Without --offline the missing secret is still a usage error.
    assert.equal((await igluc({})).code, 2);
  });
});
