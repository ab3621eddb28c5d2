/**
 * `generate` from repositories, against real servers on 127.0.0.1: an Iglu
 * Server, a static registry and a local folder together; the resolver order
 * (vendorPrefixes, embedded before HTTP, priority); the lockfile (exactly the
 * locked schemas, a changed one refused, --update); the cache and --offline;
 * references across repositories; resolver configuration files.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { generate, type GenerateOptions } from "../../generator/index.js";
import { OptionsError } from "../../generator/errors.js";
import { lockHashOf, schemaAt, startIgluServer, startStaticRegistry, type Schemas, testScope } from "../support/registries.js";

const KEY = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
const FAST = { timeoutMs: 2000, retries: 1, retryDelayMs: 10, concurrency: 4 };
const { keep, workspace } = testScope("igluc-remote-gen-");
const text = (file: string): string => fs.readFileSync(file, "utf8");
const lockOf = (dir: string): Record<string, { repository: string; url: string; sha256: string }> => (JSON.parse(text(path.join(dir, "igluc.lock.json"))) as { schemas: Record<string, { repository: string; url: string; sha256: string }> }).schemas;
const errors = (r: Awaited<ReturnType<typeof generate>>): string[][] => r.diagnostics.filter((d) => d.level === "error").map((d) => [d.code, d.message]);

const CHECKOUT = "iglu:com.acme/checkout/jsonschema/1-0-0";
const LINK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1";
const CART = "iglu:com.shared/cart/jsonschema/1-0-0";

function acme(extra: Record<string, unknown> = {}): Schemas {
  return new Map<string, Record<string, unknown> | string>([[CHECKOUT, schemaAt(CHECKOUT, { cartId: { type: "string", maxLength: 20 }, ...extra })]]);
}

describe("generate from repositories", () => {
  test("an Iglu Server, a static registry and a local folder together; the lockfile records each schema's origin and hash", async () => {
    const server = keep(await startIgluServer({ schemas: acme({ cart: { $ref: CART } }), privateVendors: ["com.acme"], apikey: KEY }));
    const statics = keep(await startStaticRegistry(new Map([
      ["iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-0", schemaAt("iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-0")],
      [LINK, schemaAt(LINK, { targetUrl: { type: "string", maxLength: 4096 } })],
      [CART, schemaAt(CART, { items: { type: "integer", minimum: 0, maximum: 99 } })],
    ])));
    const dir = workspace();
    fs.mkdirSync(path.join(dir, "local/com.mine/thing/jsonschema"), { recursive: true });
    fs.writeFileSync(path.join(dir, "local/com.mine/thing/jsonschema/1-0-0"), JSON.stringify(schemaAt("iglu:com.mine/thing/jsonschema/1-0-0")));
    process.env.TEST_ACME_KEY = KEY;
    const options: GenerateOptions = {
      cwd: dir, out: "tracking", http: FAST,
      registries: [
        { name: "Acme Iglu", uri: server.url, apikeyEnv: "TEST_ACME_KEY", vendorPrefixes: ["com.acme"] },
        { name: "Mirror", uri: statics.url, schemas: ["com.snowplowanalytics.snowplow/link_click@1"] },
        { name: "Ours", path: "local" },
      ],
    };
    const result = await generate(options);
    assert.deepEqual(errors(result), []);
    assert.deepEqual(fs.readdirSync(path.join(dir, "tracking")).filter((f) => f.endsWith(".ts")).sort(), ["cart.ts", "checkout.ts", "index.ts", "link-click.ts", "thing.ts"]);
    // The reference to a schema of another repository was fetched and resolved into the type.
    assert.match(text(path.join(dir, "tracking/checkout.ts")), /cart\?: \{\n(\s+\/?\*.*\n)*\s+items\?: number/);
    assert.deepEqual(lockOf(dir), {
      [CART]: { repository: "Mirror", url: `${statics.url}/schemas/com.shared/cart/jsonschema/1-0-0`, sha256: lockHashOf(schemaAt(CART, { items: { type: "integer", minimum: 0, maximum: 99 } })) },
      [CHECKOUT]: { repository: "Acme Iglu", url: `${server.url}/schemas/com.acme/checkout/jsonschema/1-0-0`, sha256: lockHashOf(acme({ cart: { $ref: CART } }).get(CHECKOUT)) },
      [LINK]: { repository: "Mirror", url: `${statics.url}/schemas/com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1`, sha256: lockHashOf(schemaAt(LINK, { targetUrl: { type: "string", maxLength: 4096 } })) },
    });
    assert.ok(server.requests.every((r) => r.apikey === KEY));
  });

  test("the resolver's order: a matching vendorPrefix first, then embedded before HTTP, then lower priority", async () => {
    const a = keep(await startIgluServer({ schemas: acme({ fromA: { type: "boolean" } }) }));
    const b = keep(await startIgluServer({ schemas: acme({ fromB: { type: "boolean" } }) }));
    const dir = workspace();
    const run = async (registries: NonNullable<GenerateOptions["registries"]>): Promise<string> => {
      fs.rmSync(path.join(dir, "igluc.lock.json"), { force: true });
      const result = await generate({ cwd: dir, out: "tracking", http: FAST, registries });
      assert.deepEqual(errors(result), []);
      return lockOf(dir)[CHECKOUT]?.repository ?? "";
    };
    assert.equal(await run([{ name: "A", uri: a.url, priority: 5 }, { name: "B", uri: b.url, priority: 1 }]), "B");
    assert.equal(await run([{ name: "A", uri: a.url, priority: 5, vendorPrefixes: ["com.ac"] }, { name: "B", uri: b.url, priority: 1 }]), "A");
    assert.equal(await run([{ name: "A", uri: a.url, priority: 5 }, { name: "B", uri: b.url, priority: 5 }]), "A");
    assert.match(text(path.join(dir, "tracking/checkout.ts")), /fromA/);
    // An embedded (local) repository comes before HTTP ones whose prefixes match no better.
    fs.mkdirSync(path.join(dir, "embedded/com.acme/checkout/jsonschema"), { recursive: true });
    fs.writeFileSync(path.join(dir, "embedded/com.acme/checkout/jsonschema/1-0-0"), JSON.stringify(acme({ fromLocal: { type: "boolean" } }).get(CHECKOUT)));
    const result = await generate({ cwd: dir, out: "tracking", http: FAST, update: true, registries: [{ name: "B", uri: b.url, priority: 0 }, { name: "Embedded", path: "embedded", priority: 9 }] });
    assert.deepEqual(errors(result), []);
    assert.match(text(path.join(dir, "tracking/checkout.ts")), /fromLocal/);
    assert.deepEqual(lockOf(dir), {}, "local schemas are not locked: they live with the project");
  });

  test("with a lockfile: exactly the locked schemas; a changed one is refused and the output kept; --update takes the change", async () => {
    const schemas = acme();
    const server = keep(await startIgluServer({ schemas }));
    const dir = workspace();
    const options: GenerateOptions = { cwd: dir, out: "tracking", http: FAST, registries: [{ name: "Acme", uri: server.url }] };
    assert.deepEqual(errors(await generate(options)), []);
    const before = text(path.join(dir, "tracking/checkout.ts"));
    const locked = text(path.join(dir, "igluc.lock.json"));

    // A new schema on the server is not taken while the lockfile stands.
    schemas.set("iglu:com.acme/refund/jsonschema/1-0-0", schemaAt("iglu:com.acme/refund/jsonschema/1-0-0"));
    assert.deepEqual(errors(await generate(options)), []);
    assert.ok(!fs.existsSync(path.join(dir, "tracking/refund.ts")));

    // The same version republished with other content.
    schemas.set(CHECKOUT, schemaAt(CHECKOUT, { cartId: { type: "string", maxLength: 20 }, note: { type: "string", maxLength: 99 } }));
    const refused = await generate(options);
    assert.deepEqual(errors(refused).map(([code]) => code), ["lock-mismatch"]);
    assert.match(errors(refused)[0]?.[1] ?? "", new RegExp(`^Acme now serves different content for the locked ${CHECKOUT}: locked sha256 [0-9a-f]{12}…, served [0-9a-f]{12}…$`));
    assert.equal(text(path.join(dir, "tracking/checkout.ts")), before);
    assert.equal(text(path.join(dir, "igluc.lock.json")), locked);

    const updated = await generate({ ...options, update: true });
    assert.deepEqual(errors(updated), []);
    assert.match(text(path.join(dir, "tracking/checkout.ts")), /note\?: string/);
    assert.ok(fs.existsSync(path.join(dir, "tracking/refund.ts")));
    assert.deepEqual(Object.keys(lockOf(dir)), [CHECKOUT, "iglu:com.acme/refund/jsonschema/1-0-0"]);

    // Checking several locked schemas of one server takes one list of their vendor, not a request each.
    const seen = server.requests.length;
    assert.deepEqual(errors(await generate(options)), []);
    assert.deepEqual(server.requests.slice(seen).map((r) => r.path), ["/api/schemas/com.acme?repr=canonical"]);
  });

  test("--check reports a lockfile that would change, and writes nothing", async () => {
    const schemas = acme();
    const server = keep(await startIgluServer({ schemas }));
    const dir = workspace();
    const options: GenerateOptions = { cwd: dir, out: "tracking", http: FAST, registries: [{ name: "Acme", uri: server.url }] };
    const checked = await generate({ ...options, check: true });
    assert.deepEqual(errors(checked).map(([code]) => code), ["lockfile-stale"]);
    assert.ok(!fs.existsSync(path.join(dir, "igluc.lock.json")));
    assert.ok(!fs.existsSync(path.join(dir, "tracking")));
    assert.deepEqual(errors(await generate(options)), []);
    const clean = await generate({ ...options, check: true });
    assert.deepEqual(errors(clean), []);
    assert.deepEqual(clean.stale, []);
  });

  test("a lockfile that is a link the user placed (a shared lockfile) is read through it: --check passes, a run leaves the link", async () => {
    const server = keep(await startIgluServer({ schemas: acme() }));
    const dir = workspace();
    const options: GenerateOptions = { cwd: dir, out: "tracking", http: FAST, registries: [{ name: "Acme", uri: server.url }] };
    assert.deepEqual(errors(await generate(options)), []);
    fs.mkdirSync(path.join(dir, "shared"));
    fs.renameSync(path.join(dir, "igluc.lock.json"), path.join(dir, "shared/igluc.lock.json"));
    fs.symlinkSync("shared/igluc.lock.json", path.join(dir, "igluc.lock.json"));
    const checked = await generate({ ...options, check: true });
    assert.deepEqual(errors(checked), []);
    await generate(options);
    assert.ok(fs.lstatSync(path.join(dir, "igluc.lock.json")).isSymbolicLink());
    // What the repository serves changes, and --update takes it: the new lockfile is written through the link.
    const before = text(path.join(dir, "shared/igluc.lock.json"));
    const changed = keep(await startIgluServer({ schemas: acme({ note: { type: "string", maxLength: 10 } }) }));
    assert.deepEqual(errors(await generate({ ...options, registries: [{ name: "Acme", uri: changed.url }], update: true })), []);
    assert.ok(fs.lstatSync(path.join(dir, "igluc.lock.json")).isSymbolicLink(), "the link is still a link");
    assert.notEqual(text(path.join(dir, "shared/igluc.lock.json")), before, "the shared lockfile holds the new text");
    assert.deepEqual(fs.readdirSync(path.join(dir, "shared")), ["igluc.lock.json"], "no temporary file left beside it");
  });

  test("--offline: the locked schemas from the cache, with no server at all", async () => {
    const server = await startIgluServer({ schemas: acme() });
    const dir = workspace();
    const options: GenerateOptions = { cwd: dir, out: "tracking", http: FAST, registries: [{ name: "Acme", uri: server.url }] };
    assert.deepEqual(errors(await generate(options)), []);
    const before = text(path.join(dir, "tracking/checkout.ts"));
    await server.close();
    fs.rmSync(path.join(dir, "tracking"), { recursive: true });
    const offline = await generate({ ...options, offline: true });
    assert.deepEqual(errors(offline), []);
    assert.equal(text(path.join(dir, "tracking/checkout.ts")), before);

    // Without the cache, or without the lockfile, it says what to do.
    fs.rmSync(path.join(dir, ".igluc"), { recursive: true });
    const noCache = await generate({ ...options, offline: true });
    assert.deepEqual(noCache.diagnostics.map((d) => [d.code, d.hint]), [["cache-missing", "run igluc generate once with network access to fill the cache"]]);
    fs.rmSync(path.join(dir, "igluc.lock.json"));
    const noLock = await generate({ ...options, offline: true });
    assert.deepEqual(noLock.diagnostics.map((d) => d.code), ["offline-without-lock"]);
    // And online, with the server gone: unreachable, output untouched.
    const online = await generate(options);
    assert.deepEqual(online.diagnostics.map((d) => d.code), ["registry-unreachable"]);
    assert.equal(text(path.join(dir, "tracking/checkout.ts")), before);
  });

  test("a resolver configuration file: HTTP repositories (an Iglu Server at /api, a static one otherwise) and an embedded folder", async () => {
    const server = keep(await startIgluServer({ schemas: acme({ cart: { $ref: CART } }) }));
    const statics = keep(await startStaticRegistry(new Map([[CART, schemaAt(CART)]])));
    const dir = workspace();
    fs.mkdirSync(path.join(dir, "embedded/com.mine/thing/jsonschema"), { recursive: true });
    fs.writeFileSync(path.join(dir, "embedded/com.mine/thing/jsonschema/1-0-0"), JSON.stringify(schemaAt("iglu:com.mine/thing/jsonschema/1-0-0")));
    fs.writeFileSync(path.join(dir, "resolver.json"), JSON.stringify({
      schema: "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-3",
      data: {
        cacheSize: 500, cacheTtl: 600,
        repositories: [
          { name: "Acme", priority: 0, vendorPrefixes: ["com.acme"], connection: { http: { uri: server.url, apikey: null } } },
          { name: "Mirror", priority: 1, vendorPrefixes: [], connection: { http: { uri: statics.url } } },
          { name: "Embedded", priority: 2, vendorPrefixes: [], connection: { embedded: { path: "/embedded" } } },
        ],
      },
    }));
    const result = await generate({ cwd: dir, out: "tracking", http: FAST, resolver: "resolver.json" });
    assert.deepEqual(errors(result), []);
    assert.deepEqual(fs.readdirSync(path.join(dir, "tracking")).filter((f) => f.endsWith(".ts")).sort(), ["cart.ts", "checkout.ts", "index.ts", "thing.ts"]);
    assert.deepEqual(Object.fromEntries(Object.entries(lockOf(dir)).map(([k, v]) => [k, v.repository])), { [CART]: "Mirror", [CHECKOUT]: "Acme" });
  });

  const bad: readonly [string, unknown, RegExp][] = [
    ["not a resolver configuration", { schema: "iglu:com.acme/other/jsonschema/1-0-0", data: {} }, /not an Iglu resolver configuration/],
    ["two repositories with one name", { schema: "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-1", data: { cacheSize: 1, repositories: [
      { name: "X", priority: 0, vendorPrefixes: [], connection: { http: { uri: "http://127.0.0.1:9" } } },
      { name: "X", priority: 1, vendorPrefixes: [], connection: { http: { uri: "http://127.0.0.1:9" } } }] } }, /two repositories are named "X"/],
    ["a connection that is neither http nor embedded", { schema: "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-0", data: { cacheSize: 1, repositories: [
      { name: "X", priority: 0, vendorPrefixes: [], connection: {} }] } }, /connection must be either http or embedded/],
    ["a URI that is not http(s)", { schema: "iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-0", data: { cacheSize: 1, repositories: [
      { name: "X", priority: 0, vendorPrefixes: [], connection: { http: { uri: "ftp://example.com" } } }] } }, /ftp: URLs are not registries/],
  ];
  for (const [what, config, message] of bad) {
    test(`a resolver configuration with ${what} is a usage error`, async () => {
      const dir = workspace();
      fs.writeFileSync(path.join(dir, "resolver.json"), JSON.stringify(config));
      await assert.rejects(generate({ cwd: dir, out: "tracking", resolver: "resolver.json" }), (e: unknown) => e instanceof OptionsError && message.test(e.message));
    });
  }

  test("registries in the config: a missing apikeyEnv, a static registry's schema list on a server, unknown settings are usage errors", async () => {
    const dir = workspace();
    const cases: readonly [NonNullable<GenerateOptions["registries"]>, RegExp][] = [
      [[{ name: "A", uri: "http://127.0.0.1:9/api", apikeyEnv: "IGLUC_TEST_UNSET_VARIABLE" }], /the environment variable IGLUC_TEST_UNSET_VARIABLE \(its apikeyEnv\) is not set/],
      [[{ name: "A", uri: "http://127.0.0.1:9/api", schemas: ["com.acme/x"] }], /"schemas" is for static registries/],
      [[{ name: "A", uri: "http://127.0.0.1:9", path: "x" }], /needs exactly one of "uri" \(an HTTP registry\) and "path" \(a folder\)/],
      [[{ name: "A", uri: "http://127.0.0.1:9", schemas: ["com.acme/x@1-0"] }], /"com.acme\/x@1-0" is not vendor\/name/],
      [[{ name: "A", path: "x", colour: "blue" } as never], /unknown setting "colour"/],
    ];
    for (const [registries, message] of cases) {
      await assert.rejects(generate({ cwd: dir, out: "tracking", registries }), (e: unknown) => e instanceof OptionsError && message.test(e.message), String(message));
    }
  });
});
