/**
 * Stopping igluc (issue 12, items 4 and 8): the built bin in a child process,
 * stopped while a registry on 127.0.0.1 holds a request. SIGINT and SIGTERM
 * stop generate and pull on the first signal and leave nothing staged;
 * SIGKILL, which nothing can catch, leaves only hidden leftovers that no
 * reader takes for schemas and that the next run removes; a failed pull
 * leaves no empty folders.
 */
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT } from "../support/iglu.js";
import { schemaAt, startIgluServer, testScope, type Schemas, type TestRegistry } from "../support/registries.js";

const BIN = path.join(ROOT, "dist/generator/cli/bin.js");
const { keep, workspace } = testScope("igluc-signals-");

/** Every path under `dir`, relative, folders marked with a trailing slash. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
    .map((e) => `${path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/")}${e.isDirectory() ? "/" : ""}`).sort();
}

/** Waits (bounded) until `condition` holds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (condition()) return;
    await sleep(25);
  }
  assert.fail(`never happened: ${what}`);
}

function start(cwd: string, args: string[]): { child: ChildProcess; exit: Promise<{ code: number | null; signal: string | null }>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => { stderr += String(c); });
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  return { child, exit, stderr: () => stderr };
}

function run(cwd: string, ...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, output: stdout + stderr }));
  });
}

/** A server listing URIs only (each schema then fetched alone) that holds requests matching `hold` until released. */
async function holdingServer(schemas: Schemas, hold: (path: string) => boolean): Promise<{ server: TestRegistry; held: () => number; release: () => void }> {
  const server = keep(await startIgluServer({ schemas, urisOnly: true }));
  let released = false;
  let held = 0;
  server.misbehave = (seen) => {
    if (released || !hold(seen.path)) return undefined;
    held++;
    return { delayMs: 4000 };
  };
  return { server, held: () => held, release: () => { released = true; } };
}

const uri = (i: number): string => `iglu:com.acme/s${i}/jsonschema/1-0-0`;
const catalogue = (n: number): Schemas => new Map(Array.from({ length: n }, (_, i) => [uri(i), schemaAt(uri(i))]));

describe("signals stop every command on the first one", () => {
  for (const [command, signal] of [["pull", "SIGTERM"], ["generate", "SIGINT"]] as const) {
    test(`${command} ends on the first ${signal}, by that signal, with nothing staged left`, async () => {
      const dir = workspace();
      const target = await holdingServer(catalogue(3), (p) => p.includes("/s2/"));
      const args = command === "pull"
        ? ["pull", "--registry", target.server.url, "--out", "schemas"]
        : ["generate", "--config", writeConfig(dir, target.server.url)];
      const running = start(dir, args);
      await until(() => target.held() > 0, "the held request arrived");
      running.child.kill(signal);
      // Released a little later: a command that ignored the signal would then finish normally.
      const exited = await Promise.race([running.exit, sleep(3000).then(() => undefined)]);
      target.release();
      const { code, signal: by } = exited ?? await running.exit;
      assert.deepEqual({ code, signal: by }, { code: null, signal }, running.stderr());
      assert.match(running.stderr(), new RegExp(`stopped by ${signal}`));
      assert.deepEqual(tree(dir).filter((p) => p.includes(".igluc-staging") || p.includes(".igluc-tmp")), []);
      assert.ok(!fs.existsSync(path.join(dir, command === "pull" ? "schemas" : "tracking")));
    });
  }

  function writeConfig(dir: string, url: string): string {
    const file = path.join(dir, "igluc.config.json");
    fs.writeFileSync(file, JSON.stringify({ out: "tracking", registries: [{ name: "Acme", uri: url }] }));
    return file;
  }
});

describe("a pull killed with SIGKILL, or failing, changes nothing any reader sees", () => {
  test("killed mid-pull: no temporary files in the target, lint and generate read it, the next pull cleans up", async () => {
    const target = await holdingServer(catalogue(6), (p) => p.includes("/s5/"));
    const dir = workspace();
    const out = path.join(dir, "schemas");
    fs.mkdirSync(path.join(out, "com.acme/mine/jsonschema"), { recursive: true });
    fs.writeFileSync(path.join(out, "com.acme/mine/jsonschema/1-0-0"), `${JSON.stringify(schemaAt("iglu:com.acme/mine/jsonschema/1-0-0"))}\n`);
    const before = tree(out);
    const running = start(dir, ["pull", "--registry", target.server.url, "--out", "schemas"]);
    // Five schemas fetched and staged wherever the pull stages them, the sixth held.
    await until(() => target.held() > 0 && tree(dir).filter((p) => /s[0-4]\//.test(p) && /1-0-0/.test(p)).length >= 5, "five schemas staged");
    running.child.kill("SIGKILL");
    await running.exit;
    target.release();
    assert.deepEqual(tree(out).filter((p) => !p.startsWith(".igluc-staging")), before, "the target as it was, but for hidden leftovers");
    const lint = await run(dir, "lint", "schemas");
    assert.equal(lint.code, 0, lint.output);
    const generate = await run(dir, "generate", "--schemas", "schemas", "--out", "tracking");
    assert.equal(generate.code, 0, generate.output);
    const again = await run(dir, "pull", "--registry", target.server.url, "--out", "schemas");
    assert.equal(again.code, 0, again.output);
    assert.deepEqual(tree(dir).filter((p) => /\.igluc-(staging|tmp)/.test(p)), []);
    assert.equal(tree(out).filter((p) => !p.endsWith("/")).length, 7);
  });

  test("a failed pull leaves no empty folders behind", async () => {
    const schemas = catalogue(1);
    const broken = "iglu:com.zzz/broken/jsonschema/1-0-0";
    schemas.set("iglu:com.new/fine/jsonschema/1-0-0", schemaAt("iglu:com.new/fine/jsonschema/1-0-0"));
    schemas.set(broken, { ...schemaAt(broken), properties: { n: { type: "integer", maximum: "ten" } } });
    const server = keep(await startIgluServer({ schemas }));
    const dir = workspace();
    const out = path.join(dir, "schemas");
    fs.mkdirSync(out);
    const failed = await run(dir, "pull", "--registry", server.url, "--out", "schemas");
    assert.equal(failed.code, 1, failed.output);
    assert.deepEqual(tree(dir), ["schemas/"]);
  });
});
