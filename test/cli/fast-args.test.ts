/**
 * The quick parse of a well-formed command line (fast-args.ts) against yargs
 * (yargs-args.ts): the same arguments for the command's handler, or no
 * answer at all, so that yargs decides (help, version, messages).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { fastArgs } from "../../generator/cli/fast-args.js";
import { parseWithYargs } from "../../generator/cli/yargs-args.js";
import { ROOT } from "../support/iglu.js";

/** yargs' answer; the quick one must be the same command with the same arguments, keys in the same order. */
async function same(argv: readonly string[]): Promise<void> {
  const quick = fastArgs(argv);
  assert.ok(quick !== undefined, `${JSON.stringify(argv)} was left to yargs`);
  const full = await parseWithYargs(argv);
  assert.equal(full.kind, "run", `${JSON.stringify(argv)}: yargs says ${JSON.stringify(full)}`);
  if (full.kind !== "run") return;
  assert.equal(quick.command, full.parsed.command);
  assert.deepStrictEqual(quick.args, full.parsed.args, JSON.stringify(argv));
  assert.deepStrictEqual(Object.keys(quick.args), Object.keys(full.parsed.args), JSON.stringify(argv));
}

const GOOD: readonly (readonly string[])[] = [
  ["generate"],
  ["generate", "--schemas", "a", "--out", "b"],
  ["generate", "-s", "a", "-s", "b", "-o", "out"],
  ["generate", "-s", "a", "b", "--out", "o"],
  ["generate", "--schemas=a", "--out=b"],
  ["generate", "-o=x", "-s", "y"],
  ["generate", "--schemas=a,b"],
  ["generate", "--no-watch", "-s", "a"],
  ["generate", "--watch", "-q", "-s", "a"],
  ["generate", "-qw", "-s", "a"],
  ["generate", "--quiet", "--quiet"],
  ["generate", "--single-file", "--no-validators", "--singleFile"],
  ["generate", "--versions", "all", "--target", "node-tracker", "--emit", "js", "--single-file", "--runtime-import", "@x/y", "--validators",
    "--validation-import", "v", "--include", "a", "--include", "b", "--exclude", "c", "--resolver", "r", "--lockfile", "l",
    "--update", "--apikey", "k", "--check", "--concurrency", "2", "--config", "c.json"],
  ["generate", "--offline", "--resolver", "r.json", "-c", "x/igluc.config.json"],
  ["generate", "--concurrency", "1", "--out", "123"],
  ["lint"],
  ["lint", "a", "b"],
  ["lint", "123", "./schemas/"],
  ["lint", "a", "--skip-checks", "x,y", "--skip-checks", "z", "-f", "json"],
  ["lint", "--preset", "iglu-central", "--strict", "--verbose", "--skip-schemas", "iglu:a/b/jsonschema/1-0-0", "-c", "conf", "schemas"],
  ["lint", "--format=github", "a"],
  ["pull", "-r", "u"],
  ["pull", "--registry", "http://x/api", "--type", "static", "--apikey", "k", "--vendor", "a", "--vendor", "b", "--schema", "s@1",
    "--out", "o", "--timeout", "2.5"],
  ["pull", "--registry=http://x", "--schema", "a/b", "c/d@1-0-0", "-o", "schemas"],
  ["micro"],
  ["micro", "-p", "0", "-s", "a"],
  ["micro", "--port", "9091", "--resolver", "r", "--lockfile", "l", "--offline", "--apikey", "k", "--max-body-bytes", "10",
    "--max-events-per-request", "5", "--max-entities", "3", "--max-stored-events", "100", "-c", "c", "-q"],
];

test("every command, well formed: parsed quickly, as yargs parses it", async () => {
  for (const argv of GOOD) await same(argv);
});

/** Command lines yargs answers with help, the version, or a message (or accepts, but oddly): left to it. */
const LEFT_TO_YARGS: readonly (readonly string[])[] = [
  [], ["--help"], ["-h"], ["--version"], ["-v"], ["generate", "--help"], ["generate", "-h"], ["lint", "--version"], ["micro", "-qh"],
  ["frobnicate"], ["completion"], ["--get-yargs-completions", "gen"], ["help"], ["Generate"],
  ["generate", "--frobnicate"], ["generate", "-v"], ["generate", "--Out", "x"], ["generate", "extra"], ["generate", "--http.timeout-ms", "3"],
  ["generate", "--check", "--watch"], ["generate", "--offline", "--update"], ["generate", "--watch", "--no-check"],
  ["generate", "--versions", "bogus"], ["generate", "--versions", "1"], ["generate", "--target", "nope"],
  ["generate", "--concurrency", "abc"], ["generate", "--concurrency"], ["generate", "--concurrency", "2", "--concurrency", "3"],
  ["generate", "--out"], ["generate", "--out="], ["generate", "--no-out"], ["generate", "--out", "a", "--out", "b"], ["generate", "-ow"],
  ["generate", "--no-schemas"], ["generate", "-s"], ["generate", "-so", "x"], ["generate", "--schemas", "--out", "x"],
  ["generate", "--watch=maybe"], ["generate", "--watch=false"], ["generate", "--no-watch=true"], ["generate", "-q=1"], ["generate", "-qo=x"],
  ["generate", "--schemas", "a", "--", "x"], ["generate", "--"], ["lint", "--", "a"], ["lint", "a", "--", "--b"],
  ["lint", "--format", "xml"], ["lint", "--preset", "nope"], ["lint", "--paths", "x"], ["lint", "--skip-checks"],
  ["pull"], ["pull", "--registry"], ["pull", "--vendor", "a"], ["pull", "-r", "u", "--type", "local"], ["pull", "-r", "u", "--timeout", "x"],
  ["micro", "--port", "abc"], ["micro", "--port"], ["micro", "-p", "1", "-p", "2"], ["micro", "--max-entities", "NaN"],
];

test("help, version, unknown commands and flags, bad values, missing or conflicting flags, --: left to yargs", async () => {
  for (const argv of LEFT_TO_YARGS) assert.equal(fastArgs(argv), undefined, `${JSON.stringify(argv)} was parsed quickly`);
});

test("over many generated command lines, a quick answer is always yargs' answer", async () => {
  const words = ["generate", "lint", "pull", "micro", "a", "b,c", "0", "1.5", "-1", "--", "-", "all", "json", "static", "igluc", "",
    "--schemas", "-s", "--out", "-o", "--watch", "-w", "--no-watch", "--check", "--quiet", "-q", "-qw", "--versions", "--concurrency",
    "--format", "-f", "--preset", "--skip-checks", "--registry", "-r", "--vendor", "--timeout", "--port", "-p", "--type", "--help",
    "--out=x", "-o=y", "--watch=true", "--frob", "--single-file", "--no-single-file", "--max-entities", "--strict", "-c", "--config"];
  let seed = 16;
  const next = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  let quick = 0;
  for (let i = 0; i < 1000; i++) {
    const argv = [["generate", "lint", "pull", "micro"][next(4)]!, ...Array.from({ length: next(6) }, () => words[next(words.length)]!)];
    if (fastArgs(argv) === undefined) continue;
    quick++;
    await same(argv);
  }
  assert.ok(quick > 100, `only ${quick} of the generated command lines were parsed quickly`);
});

/** Runs the built bin (npm run build first) with a module hook under which importing yargs fails. */
async function withoutYargs(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === "yargs") throw new Error("yargs was loaded");
    return next(specifier, context);
  }`;
  const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  return promisify(execFile)(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(register)}`, path.join(ROOT, "dist/generator/cli/bin.js"), ...args], { cwd })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
}

test("a well-formed command runs without loading yargs; --help still loads it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-fast-"));
  try {
    fs.mkdirSync(path.join(dir, "schemas"));
    const lint = await withoutYargs(["lint", "schemas", "--format", "json"], dir);
    assert.doesNotMatch(lint.stderr, /yargs was loaded/);
    assert.equal(lint.code, 0, lint.stderr);
    const help = await withoutYargs(["lint", "--help"], dir);
    assert.match(help.stderr, /yargs was loaded/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
