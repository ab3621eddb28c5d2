/**
 * `igluc pull` against real HTTP servers on 127.0.0.1: an Iglu Server (all,
 * by vendor, older list style, private vendors behind the API key) and a
 * static registry (named schemas, latest of a MODEL by walking versions).
 * What lands on disk, what does not when anything fails, and references.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { pull } from "../../generator/remote/pull.js";
import { schemaAt, startIgluServer, startStaticRegistry, type Schemas, testScope } from "../support/registries.js";

const KEY = "4b1c6e2a-9d3f-4e57-8a61-2f0c9b7d5e13";
const { keep, workspace } = testScope("igluc-pull-");
const files = (dir: string): string[] => {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join("/")).sort();
};
const FAST = { timeoutMs: 2000, retries: 2, retryDelayMs: 10, concurrency: 4 };

function catalogue(): Schemas {
  return new Map<string, Record<string, unknown> | string>([
    ["iglu:com.acme/checkout/jsonschema/1-0-0", schemaAt("iglu:com.acme/checkout/jsonschema/1-0-0")],
    ["iglu:com.acme/checkout/jsonschema/1-0-1", schemaAt("iglu:com.acme/checkout/jsonschema/1-0-1", { id: { type: "string", maxLength: 36 }, total: { type: ["number", "null"] } })],
    ["iglu:com.acme/user/jsonschema/1-0-0", schemaAt("iglu:com.acme/user/jsonschema/1-0-0", { cart: { $ref: "iglu:com.shared/cart/jsonschema/1-0-0" } })],
    ["iglu:com.shared/cart/jsonschema/1-0-0", schemaAt("iglu:com.shared/cart/jsonschema/1-0-0")],
    ["iglu:com.secret/plan/jsonschema/1-0-0", schemaAt("iglu:com.secret/plan/jsonschema/1-0-0")],
  ]);
}

describe("igluc pull from an Iglu Server", () => {
  test("everything readable without a key: public vendors only, written as a static registry", async () => {
    const server = await startIgluServer({ schemas: catalogue(), privateVendors: ["com.secret"], apikey: KEY });
    keep(server);
    const out = path.join(workspace(), "schemas");
    const result = await pull({ registry: server.url, out, http: FAST });
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(files(out), [
      "com.acme/checkout/jsonschema/1-0-0", "com.acme/checkout/jsonschema/1-0-1", "com.acme/user/jsonschema/1-0-0", "com.shared/cart/jsonschema/1-0-0",
    ]);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, "com.acme/checkout/jsonschema/1-0-1"), "utf8")), catalogue().get("iglu:com.acme/checkout/jsonschema/1-0-1"));
    assert.equal(result.written, 4);
    // One request: the list carries the schemas, as igluctl's static pull asks for them.
    assert.deepEqual(server.requests.map((r) => r.path), ["/api/schemas?repr=canonical"]);
  });

  test("with the key, private vendors too; by vendor; a second pull writes nothing", async () => {
    const server = await startIgluServer({ schemas: catalogue(), privateVendors: ["com.secret"], apikey: KEY });
    keep(server);
    const out = path.join(workspace(), "schemas");
    const first = await pull({ registry: server.url, out, apikey: KEY, vendors: ["com.secret", "com.shared"], http: FAST });
    assert.deepEqual(first.diagnostics, []);
    assert.deepEqual(files(out), ["com.secret/plan/jsonschema/1-0-0", "com.shared/cart/jsonschema/1-0-0"]);
    assert.ok(server.requests.every((r) => r.apikey === KEY));
    const again = await pull({ registry: server.url, out, apikey: KEY, vendors: ["com.secret", "com.shared"], http: FAST });
    assert.deepEqual([again.schemas, again.written], [2, 0]);
  });

  test("a schema's references come along, even from another vendor", async () => {
    const server = await startIgluServer({ schemas: catalogue() });
    keep(server);
    const out = path.join(workspace(), "schemas");
    const result = await pull({ registry: server.url, out, vendors: ["com.acme"], schemas: ["com.acme/user"], http: FAST });
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(files(out), ["com.acme/user/jsonschema/1-0-0", "com.shared/cart/jsonschema/1-0-0"]);
  });

  test("a reference whose version is not a SchemaVer (0-0-0, 01-0-0) is not followed, even where the server has it", async () => {
    const refersTo = (version: string): Record<string, unknown> => ({ $ref: `iglu:com.shared/cart/jsonschema/${version}` });
    const schemas: Schemas = new Map([
      ["iglu:com.acme/user/jsonschema/1-0-0", schemaAt("iglu:com.acme/user/jsonschema/1-0-0", { zero: refersTo("0-0-0"), padded: refersTo("01-0-0") })],
      ["iglu:com.shared/cart/jsonschema/0-0-0", schemaAt("iglu:com.shared/cart/jsonschema/0-0-0")],
      ["iglu:com.shared/cart/jsonschema/01-0-0", schemaAt("iglu:com.shared/cart/jsonschema/01-0-0")],
    ]);
    const server = await startIgluServer({ schemas });
    keep(server);
    const out = path.join(workspace(), "schemas");
    const result = await pull({ registry: server.url, out, vendors: ["com.acme"], http: FAST });
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(files(out), ["com.acme/user/jsonschema/1-0-0"]);
    assert.deepEqual(server.requests.map((r) => r.path), ["/api/schemas/com.acme?repr=canonical"]);
  });

  test("a server that lists URIs only: each schema is then fetched on its own", async () => {
    const server = await startIgluServer({ schemas: catalogue(), urisOnly: true });
    keep(server);
    const out = path.join(workspace(), "schemas");
    const result = await pull({ registry: server.url, out, vendors: ["com.acme"], http: FAST });
    assert.deepEqual(result.diagnostics, []);
    assert.equal(files(out).length, 4);
    assert.deepEqual(server.requests.map((r) => r.path).sort(), [
      "/api/schemas/com.acme/checkout/jsonschema/1-0-0", "/api/schemas/com.acme/checkout/jsonschema/1-0-1", "/api/schemas/com.acme/user/jsonschema/1-0-0",
      "/api/schemas/com.acme?repr=canonical", "/api/schemas/com.shared/cart/jsonschema/1-0-0",
    ]);
  });

  test("servers older than 0.6 list whole schemas; that works too", async () => {
    const server = await startIgluServer({ schemas: catalogue(), legacyLists: true });
    keep(server);
    const out = path.join(workspace(), "schemas");
    const result = await pull({ registry: server.url, out, vendors: ["com.acme"], http: FAST });
    assert.deepEqual(result.diagnostics, []);
    assert.equal(files(out).length, 4);
  });

  test("one bad schema: nothing is written, files already there stay as they were", async () => {
    const schemas = catalogue();
    schemas.set("iglu:com.acme/broken/jsonschema/1-0-0", { ...schemaAt("iglu:com.acme/broken/jsonschema/1-0-0"), properties: { n: { type: "integer", maximum: "ten" } } });
    const server = await startIgluServer({ schemas });
    keep(server);
    const out = path.join(workspace(), "schemas");
    fs.mkdirSync(path.join(out, "com.acme/checkout/jsonschema"), { recursive: true });
    fs.writeFileSync(path.join(out, "com.acme/checkout/jsonschema/1-0-0"), "{ \"mine\": true }\n");
    const result = await pull({ registry: server.url, out, vendors: ["com.acme"], http: FAST });
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.uri, d.pointer]), [["draft-04", "iglu:com.acme/broken/jsonschema/1-0-0", "/properties/n/maximum"]]);
    assert.deepEqual(files(out), ["com.acme/checkout/jsonschema/1-0-0"]);
    assert.equal(fs.readFileSync(path.join(out, "com.acme/checkout/jsonschema/1-0-0"), "utf8"), "{ \"mine\": true }\n");
    assert.equal(result.written, 0);
  });
});

describe("igluc pull, all or nothing", () => {
  test("into a new folder: a failure leaves no folder and no staging behind", async () => {
    const schemas = catalogue();
    // The last schema fails after the others were staged.
    schemas.set("iglu:com.zzz/broken/jsonschema/1-0-0", { ...schemaAt("iglu:com.zzz/broken/jsonschema/1-0-0"), properties: { n: { type: "integer", maximum: "ten" } } });
    const server = await startIgluServer({ schemas });
    keep(server);
    const parent = workspace();
    const result = await pull({ registry: server.url, out: path.join(parent, "schemas"), http: FAST });
    assert.deepEqual(result.diagnostics.map((d) => d.code), ["draft-04"]);
    assert.deepEqual(fs.readdirSync(parent), []);
  });
});

describe("igluc pull from a static registry", () => {
  test("named schemas: an exact version, the latest of a MODEL, the latest overall (found by walking versions)", async () => {
    const schemas = catalogue();
    for (const v of ["1-1-0", "2-0-0", "2-0-1"]) schemas.set(`iglu:com.acme/checkout/jsonschema/${v}`, schemaAt(`iglu:com.acme/checkout/jsonschema/${v}`));
    const registry = await startStaticRegistry(schemas);
    keep(registry);
    for (const [wanted, version] of [["com.acme/checkout@1-0-1", "1-0-1"], ["com.acme/checkout@1", "1-1-0"], ["com.acme/checkout", "2-0-1"]] as const) {
      const out = path.join(workspace(), "schemas");
      const result = await pull({ registry: registry.url, out, schemas: [wanted], http: FAST });
      assert.deepEqual(result.diagnostics, [], wanted);
      assert.deepEqual(files(out), [`com.acme/checkout/jsonschema/${version}`], wanted);
    }
  });

  test("a static registry cannot list: --schema is required", async () => {
    const registry = await startStaticRegistry(catalogue());
    keep(registry);
    await assert.rejects(pull({ registry: registry.url, out: workspace(), http: FAST }), /a static registry cannot list its schemas: name them with --schema/);
  });
});
