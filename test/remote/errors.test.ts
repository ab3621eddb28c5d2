/**
 * Every way a registry can fail, against real servers on 127.0.0.1, with the
 * exact message users see: rejected or missing keys, 404s, an unreachable
 * host, timeouts, 5xx (retried, then recovered or given up), a body that is
 * not a schema, a schema that is not the one asked for, an insecure redirect.
 * And the API key is never printed, nor written anywhere.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, test } from "node:test";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { pull } from "../../generator/remote/pull.js";
import { ROOT } from "../support/iglu.js";
import { schemaAt, startIgluServer, startStaticRegistry, type TestRegistry, testScope } from "../support/registries.js";

const KEY = "0f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19";
const { keep, workspace } = testScope("igluc-registry-errors-");
const FAST = { timeoutMs: 500, retries: 2, retryDelayMs: 10, concurrency: 4 };
const CHECKOUT = "iglu:com.acme/checkout/jsonschema/1-0-0";
const schemas = (): Map<string, Record<string, unknown> | string> => new Map([[CHECKOUT, schemaAt(CHECKOUT)]]);

async function server(kind: "iglu" | "static" = "iglu"): Promise<TestRegistry> {
  const s = kind === "iglu" ? await startIgluServer({ schemas: schemas(), privateVendors: ["com.acme"], apikey: KEY }) : await startStaticRegistry(schemas());
  keep(s);
  return s;
}

const brief = (list: readonly Diagnostic[]): [string, string, string][] => list.map((d) => [d.code, d.message, d.hint]);

describe("registry errors name the repository and the URL, and say what to do", () => {
  test("no key for a private vendor: 401", async () => {
    const s = await server();
    const result = await pull({ registry: s.url, out: workspace(), schemas: ["com.acme/checkout@1-0-0"], type: "static", http: FAST });
    assert.deepEqual(brief(result.diagnostics), [[
      "registry-auth", `API key rejected or missing for the registry (${s.url}/schemas/com.acme/checkout/jsonschema/1-0-0): 401 while fetching ${CHECKOUT}`,
      "give the key with --apikey, the IGLU_API_KEY environment variable, or the repository's apikeyEnv",
    ]]);
  });

  test("a key the server does not know: 403; a key that is not a UUID: 400", async () => {
    const s = await server();
    const wrong = await pull({ registry: s.url, out: workspace(), apikey: "11111111-2222-4333-8444-555555555555", http: FAST });
    assert.deepEqual(brief(wrong.diagnostics), [["registry-auth", `API key rejected or missing for the registry (${s.url}/schemas?repr=canonical): 403 while fetching the list of schemas`, "check the key is a valid read key for this vendor"]]);
    const malformed = await pull({ registry: s.url, out: workspace(), apikey: "not-a-uuid", http: FAST });
    assert.deepEqual(brief(malformed.diagnostics), [["registry-auth", `API key rejected or missing for the registry (${s.url}/schemas?repr=canonical): 400 while fetching the list of schemas`, "check the key is a valid read key for this vendor"]]);
  });

  test("a schema the registry does not have: 404", async () => {
    const s = await server("static");
    const result = await pull({ registry: s.url, out: workspace(), schemas: ["com.acme/checkout@1-0-7"], http: FAST });
    assert.deepEqual(brief(result.diagnostics), [["registry-not-found", `${s.url}/ has no iglu:com.acme/checkout/jsonschema/1-0-7`, "check the version exists in the registry"]]);
    const latest = await pull({ registry: s.url, out: workspace(), schemas: ["com.acme/absent"], http: FAST });
    assert.deepEqual(brief(latest.diagnostics), [["registry-not-found", `${s.url}/ has no com.acme/absent`, "check the name, and that the registry serves it"]]);
  });

  test("nothing listening: unreachable, after the retries", async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await pull({ registry: `http://127.0.0.1:${port}/api`, out: workspace(), http: FAST });
    assert.deepEqual(brief(result.diagnostics), [["registry-unreachable", `the registry is unreachable at http://127.0.0.1:${port}/api/schemas?repr=canonical (ECONNREFUSED) (after 3 attempts)`, "check the registry is up and the URL is right"]]);
  });

  test("too slow: a timeout, after the retries", async () => {
    const s = await server("static");
    s.misbehave = () => ({ delayMs: 2000 });
    const started = performance.now();
    const result = await pull({ registry: s.url, out: workspace(), schemas: ["com.acme/checkout@1-0-0"], http: { ...FAST, timeoutMs: 200, retries: 1 } });
    assert.deepEqual(brief(result.diagnostics), [["registry-timeout", `the registry did not answer ${s.url}/schemas/com.acme/checkout/jsonschema/1-0-0 in time (after 2 attempts)`, "check the registry is up and reachable, or raise the timeout"]]);
    const took = performance.now() - started;
    assert.ok(took < 1900, `gave up in ${Math.round(took)} ms, before the server's 2 s answer`);
  });

  test("5xx then recovery: retried, and the pull succeeds", async () => {
    const s = await server("static");
    s.misbehave = (_r, count) => (count <= 2 ? { status: 503 } : undefined);
    const out = workspace();
    const result = await pull({ registry: s.url, out, schemas: ["com.acme/checkout@1-0-0"], http: FAST });
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.written, 1);
    assert.equal(s.requests.length, 3);
  });

  test("5xx that does not stop: given up after the retries; a dropped connection likewise", async () => {
    const s = await server("static");
    s.misbehave = () => ({ status: 502 });
    const result = await pull({ registry: s.url, out: workspace(), schemas: ["com.acme/checkout@1-0-0"], http: FAST });
    assert.deepEqual(brief(result.diagnostics), [["registry-server", `the registry answered 502 for ${s.url}/schemas/com.acme/checkout/jsonschema/1-0-0 (after 3 attempts)`, "the registry is failing: try again later, or ask its operator"]]);
    s.misbehave = () => ({ destroy: true });
    const dropped = await pull({ registry: s.url, out: workspace(), schemas: ["com.acme/checkout@1-0-0"], http: FAST });
    assert.equal(dropped.diagnostics[0]?.code, "registry-unreachable");
    assert.match(dropped.diagnostics[0]?.message ?? "", /\(after 3 attempts\)$/);
  });

  test("a body that is not a self-describing schema", async () => {
    const s = await server("static");
    s.misbehave = () => ({ status: 200, body: "<html>It works!</html>" });
    const result = await pull({ registry: s.url, out: workspace(), schemas: ["com.acme/checkout@1-0-0"], http: FAST });
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.file, d.uri, d.hint]), [[
      "json-syntax", `the registry: ${s.url}/schemas/com.acme/checkout/jsonschema/1-0-0`, CHECKOUT, "the registry did not send a self-describing schema: is the repository's URL right?",
    ]]);
  });

  test("a schema whose self is not the URI asked for", async () => {
    const registry = await startStaticRegistry(new Map([[CHECKOUT, schemaAt("iglu:com.acme/checkout/jsonschema/1-0-1")]]));
    keep(registry);
    const result = await pull({ registry: registry.url, out: workspace(), schemas: ["com.acme/checkout@1-0-0"], http: FAST });
    assert.deepEqual(brief(result.diagnostics), [["self-mismatch", `the registry answered ${CHECKOUT} with a schema whose self is iglu:com.acme/checkout/jsonschema/1-0-1`, "the registry serves the wrong schema at that path: fix the registry"]]);
  });

  test("a redirect to another origin is followed, without the key", async () => {
    const target = keep(await startIgluServer({ schemas: schemas() }));
    const redirector = http.createServer((req, res) => {
      res.writeHead(301, { location: `${new URL(target.url).origin}${req.url ?? "/"}` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = redirector.address() as AddressInfo;
      // http → http on another origin: followed, without the key.
      const result = await pull({ registry: `http://127.0.0.1:${port}/api`, out: workspace(), apikey: KEY, http: FAST });
      assert.deepEqual(result.diagnostics, []);
      assert.ok(target.requests.every((r) => r.apikey === undefined), "the key stayed with its origin");
    } finally {
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  test("TLS verification stays on: a self-signed certificate is refused", async () => {
    const dir = workspace();
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
    const tls = https.createServer({ key: fs.readFileSync(path.join(dir, "key.pem")), cert: fs.readFileSync(path.join(dir, "cert.pem")) }, (_req, res) => res.end("[]"));
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = tls.address() as AddressInfo;
      const result = await pull({ registry: `https://127.0.0.1:${port}/api`, out: workspace(), http: FAST });
      assert.deepEqual(brief(result.diagnostics), [["registry-invalid", "the registry: the TLS certificate of 127.0.0.1:" + port + " is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)", "fix the server's certificate, or add its CA with NODE_EXTRA_CA_CERTS; verification stays on"]]);
    } finally {
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });
});

describe("the API key is never shown", () => {
  const BIN = path.join(ROOT, "dist/generator/cli/bin.js");
  const run = (cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
      });
    });

  test("not in output, in errors, in written files, whether given by flag, environment or config", async () => {
    const s = await server();
    const dir = workspace();
    const outputs: string[] = [];
    const ok = await run(dir, ["pull", "--registry", s.url, "--apikey", KEY, "--out", "pulled", "--timeout", "2"]);
    assert.equal(ok.code, 0, ok.stderr);
    outputs.push(ok.stdout, ok.stderr);
    const env = await run(dir, ["pull", "--registry", s.url, "--out", "pulled"], { IGLU_API_KEY: KEY });
    assert.equal(env.code, 0, env.stderr);
    outputs.push(env.stdout, env.stderr);
    s.misbehave = () => ({ status: 403 });
    const refused = await run(dir, ["pull", "--registry", s.url, "--apikey", KEY, "--out", "pulled"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /API key rejected or missing for the registry/);
    outputs.push(refused.stdout, refused.stderr);
    s.misbehave = undefined;
    fs.writeFileSync(path.join(dir, "igluc.config.json"), JSON.stringify({ registries: [{ name: "acme", uri: s.url, apikeyEnv: "ACME_KEY" }], out: "tracking" }));
    const generated = await run(dir, ["generate"], { ACME_KEY: KEY });
    assert.equal(generated.code, 0, generated.stderr);
    outputs.push(generated.stdout, generated.stderr);
    for (const text of outputs) assert.ok(!text.includes(KEY), text);
    for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
      const full = path.join(dir, file);
      if (fs.statSync(full).isFile()) assert.ok(!fs.readFileSync(full, "utf8").includes(KEY), `${file} holds the key`);
    }
    assert.ok(fs.existsSync(path.join(dir, "igluc.lock.json")));
    assert.ok(fs.existsSync(path.join(dir, "tracking/checkout.ts")));
  });
});
