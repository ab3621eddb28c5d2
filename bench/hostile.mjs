/**
 * Hostile inputs through the real CLI: every input issue 12 names, made at
 * run time in a temporary folder (registries on 127.0.0.1 for the pull and
 * generate cases), each run once as a fresh process. Prints, per input, the
 * exit code, the wall time and the process's peak resident memory (its
 * getrusage maximum, worker threads included, reported by a preloaded hook
 * at exit). The bar: each ends in under 10 s with less than 1 GB.
 *
 * A run still going after --cap seconds (default 120) is killed and shown as
 * such. --bin FILE runs another build (e.g. a copy of an older dist/) so
 * before and after can be compared; --only NAME runs the cases whose name
 * contains NAME.
 * Usage: npm run bench:hostile [-- --cap 60] [-- --only bomb]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
const bin = path.resolve(flag("--bin", path.join(root, "dist/generator/cli/bin.js")));
const capSeconds = Number(flag("--cap", "120"));
const only = flag("--only", "");
const META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-hostile-bench-"));

// Reports the process's peak RSS (KiB) on fd 3 when it exits, however it exits normally.
const hook = path.join(work, "rss-hook.mjs");
fs.writeFileSync(hook, `import fs from "node:fs";\nprocess.on("exit", () => { try { fs.writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });\n`);

function schema(vendor, name, version, body) {
  return { $schema: META, self: { vendor, name, format: "jsonschema", version }, ...body };
}

function write(registry, vendor, name, version, body) {
  const dir = path.join(registry, "schemas", vendor, name, "jsonschema");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, version), typeof body === "string" ? body : JSON.stringify(schema(vendor, name, version, body), null, 2));
}

const small = { type: "object", properties: { id: { type: "string", maxLength: 36 } }, additionalProperties: false };

/** Each definition refers to the one before it twice: the inlined type doubles per level. */
function refBomb(levels, extra = {}) {
  const definitions = { l0: { type: "string", maxLength: 8 } };
  for (let i = 1; i <= levels; i++) {
    definitions[`l${i}`] = { type: "object", properties: { a: { $ref: `#/definitions/l${i - 1}` }, b: { $ref: `#/definitions/l${i - 1}` } }, additionalProperties: false };
  }
  return { type: "object", definitions, properties: { top: { $ref: `#/definitions/l${levels}` }, ...extra }, additionalProperties: false };
}

function deep(levels) {
  let node = { type: "string", maxLength: 8 };
  for (let i = 0; i < levels; i++) node = { type: "array", items: node };
  return { type: "object", properties: { x: node }, additionalProperties: false };
}

function registryWith(name, fill) {
  const dir = path.join(work, name);
  fill(dir);
  write(dir, "com.acme", "fine", "1-0-0", small); // one good schema beside the hostile one
  return dir;
}

async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

const servers = [];
const cases = [];
const add = (name, make) => cases.push({ name, make });

for (const levels of [16, 30]) {
  add(`generate: $ref bomb, ${levels} levels`, () => {
    const reg = registryWith(`bomb${levels}`, (d) => write(d, "com.acme", "bomb", "1-0-0", refBomb(levels)));
    return ["generate", "--schemas", reg, "--out", path.join(work, `bomb${levels}-out`)];
  });
  add(`lint: $ref bomb, ${levels} levels, two versions (version diff)`, () => {
    const reg = registryWith(`lintbomb${levels}`, (d) => {
      write(d, "com.acme", "bomb", "1-0-0", refBomb(levels));
      write(d, "com.acme", "bomb", "1-0-1", refBomb(levels, { note: { type: "string", maxLength: 9 } }));
    });
    return ["lint", reg];
  });
}
add("lint: ReDoS, enum of 34 a's and pattern ^(a+)+$ added", () => {
  const value = `${"a".repeat(34)}!`;
  const reg = registryWith("redos", (d) => {
    write(d, "com.acme", "redos", "1-0-0", { type: "object", properties: { x: { type: "string", enum: [value] } }, additionalProperties: false });
    write(d, "com.acme", "redos", "1-0-1", { type: "object", properties: { x: { type: "string", enum: [value], pattern: "^(a+)+$" } }, additionalProperties: false });
  });
  return ["lint", reg];
});
add("lint: ReDoS, property of 34 a's added beside patternProperties ^(a+)+$", () => {
  const key = `${"a".repeat(34)}!`;
  const reg = registryWith("redos-pp", (d) => {
    const pp = { "^(a+)+$": { type: "string", maxLength: 9 } };
    write(d, "com.acme", "redos", "1-0-0", { type: "object", properties: { x: { type: "string", maxLength: 9 } }, patternProperties: pp, additionalProperties: false });
    write(d, "com.acme", "redos", "1-0-1", { type: "object", properties: { x: { type: "string", maxLength: 9 }, [key]: { type: "string", maxLength: 9 } }, patternProperties: pp, additionalProperties: false });
  });
  return ["lint", reg];
});
for (const command of ["generate", "lint"]) {
  add(`${command}: schema nested 990 levels deep`, () => {
    const reg = registryWith(`deep-${command}`, (d) => write(d, "com.acme", "deep", "1-0-0", deep(990)));
    return command === "lint" ? ["lint", reg] : ["generate", "--schemas", reg, "--out", path.join(work, "deep-out")];
  });
}
add("generate: schema name of 255 characters", () => {
  const reg = registryWith("long", (d) => write(d, "com.acme", "a".repeat(255), "1-0-0", small));
  return ["generate", "--schemas", reg, "--out", path.join(work, "long-out")];
});
add("generate --emit js: schema name of 251 characters", () => {
  const reg = registryWith("long-js", (d) => write(d, "com.acme", "b".repeat(251), "1-0-0", small));
  return ["generate", "--schemas", reg, "--out", path.join(work, "long-js-out"), "--emit", "js"];
});
add("generate: every Object.prototype name as a property", () => {
  const names = Object.getOwnPropertyNames(Object.prototype);
  const properties = {};
  for (const n of names) Object.defineProperty(properties, n, { value: { type: "string", maxLength: 9 }, enumerable: true, writable: true, configurable: true });
  const reg = registryWith("proto", (d) => write(d, "com.acme", "proto", "1-0-0", { type: "object", properties, required: names, additionalProperties: false }));
  return ["generate", "--schemas", reg, "--out", path.join(work, "proto-out")];
});
add("generate: a dangling link in the registry", () => {
  const reg = registryWith("dangling", (d) => {
    write(d, "com.acme", "linked", "1-0-0", small);
    fs.symlinkSync(path.join(work, "nothing-here"), path.join(d, "schemas/com.acme/linked/jsonschema/1-0-1"));
  });
  return ["generate", "--schemas", reg, "--out", path.join(work, "dangling-out")];
});
add("generate: out/index.ts is a link to a folder", () => {
  const reg = registryWith("eisdir", () => undefined);
  const out = path.join(work, "eisdir-out");
  fs.mkdirSync(path.join(work, "a-folder"), { recursive: true });
  fs.mkdirSync(out, { recursive: true });
  fs.symlinkSync(path.join(work, "a-folder"), path.join(out, "index.ts"));
  return ["generate", "--schemas", reg, "--out", out];
});
add("lint: a registry file linked to /etc/passwd, control characters in names", () => {
  const reg = registryWith("outside", (d) => {
    write(d, "com.acme", "linked", "1-0-0", { type: "object", properties: { "x\u001b[2J\u001b]0;pwned\u0007\nigluc lint: 0 errors: passed": { type: "string", maxLength: 9 } }, additionalProperties: false });
    fs.symlinkSync("/etc/passwd", path.join(d, "schemas/com.acme/linked/jsonschema/1-0-1"));
  });
  return ["lint", reg];
});
add("pull: a static registry that answers 200 for every URL", async () => {
  const { server, url } = await listen((req, res) => {
    // A well-formed schema for whatever version is asked, so only a bound stops the walk.
    const [vendor = "x", name = "x", , version = "1-0-0"] = (req.url ?? "").split("/").slice(2);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(schema(vendor, name, version, small)));
  });
  servers.push(server);
  return ["pull", "--registry", url, "--schema", "com.acme/x", "--out", path.join(work, "walk-out"), "--apikey", "secret-key"];
});
add("pull: a JSON bomb (arrays 100,000 deep) in an Iglu Server's list", async () => {
  const bomb = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  const { server, url } = await listen((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(`[${JSON.stringify(schema("com.acme", "fine", "1-0-0", small))},${bomb}]`);
  });
  servers.push(server);
  return ["pull", "--registry", `${url}/api`, "--out", path.join(work, "bomb-list-out")];
});
add("generate: a key the Iglu Server rejects, 200 schemas of a static registry", async () => {
  const { server: iglu, url: igluUrl } = await listen((_req, res) => {
    res.writeHead(403, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: "Not sufficient privileges" }));
  });
  const { server: statics, url: staticUrl } = await listen((req, res) => {
    const [vendor = "x", name = "x", , version = "1-0-0"] = (req.url ?? "").split("/").slice(2);
    res.writeHead(version === "1-0-0" ? 200 : 404, { "content-type": "application/json" });
    res.end(version === "1-0-0" ? JSON.stringify(schema(vendor, name, version, small)) : "{}");
  });
  servers.push(iglu, statics);
  const dir = path.join(work, "rejected");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "igluc.config.json"), JSON.stringify({
    out: "tracking",
    registries: [
      { name: "Acme", uri: `${igluUrl}/api`, apikey: "00000000-0000-4000-8000-000000000000" },
      { name: "Mirror", uri: staticUrl, schemas: Array.from({ length: 200 }, (_, i) => `com.acme/s${i}`) },
    ],
  }));
  return { args: ["generate", "--config", path.join(dir, "igluc.config.json")], cwd: dir };
});

function run(args, cwd) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", pathToFileURL(hook).href, bin, ...args], { cwd, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    let rss = "";
    let output = "";
    child.stdio[3].on("data", (chunk) => { rss += chunk; });
    child.stdout.on("data", (chunk) => { output += chunk; });
    child.stderr.on("data", (chunk) => { output += chunk; });
    const timer = setTimeout(() => child.kill("SIGKILL"), capSeconds * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, seconds: (performance.now() - started) / 1000, rssMb: rss === "" ? undefined : Number(rss) / 1024, output });
    });
  });
}

const rows = [];
try {
  for (const { name, make } of cases.filter((c) => c.name.includes(only))) {
    const made = await make();
    const { args, cwd } = Array.isArray(made) ? { args: made, cwd: work } : made;
    const r = await run(args, cwd);
    const killed = r.signal === "SIGKILL";
    const ok = !killed && r.code !== null && r.code <= 2 && r.seconds < 10 && (r.rssMb ?? Infinity) < 1024;
    const last = r.output.trim().split("\n").at(-1) ?? "";
    rows.push({ name, exit: killed ? `killed at ${capSeconds} s` : r.signal ?? r.code, seconds: r.seconds.toFixed(2), rss: r.rssMb === undefined ? "—" : `${Math.round(r.rssMb)} MB`, verdict: ok ? "ok" : "OVER", last });
    console.log(`${ok ? "ok  " : "OVER"} ${name}: exit ${rows.at(-1).exit}, ${rows.at(-1).seconds} s, ${rows.at(-1).rss}\n     ${JSON.stringify(last.slice(0, 160))}`);
  }
} finally {
  for (const s of servers) { s.closeAllConnections(); s.close(); }
  fs.rmSync(work, { recursive: true, force: true });
}
console.log("\n| hostile input | exit | time | peak RSS |\n|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${r.exit} | ${r.seconds} s | ${r.rss} |`);
process.exitCode = rows.every((r) => r.verdict === "ok") ? 0 : 1;
