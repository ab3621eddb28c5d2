/**
 * Compiling generated code the way a user would: in a project that depends
 * on igluc and @igluc/runtime (installed from their npm pack tarballs), with
 * the real TypeScript 5 and TypeScript 7 compilers, under several settings.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./iglu.js";
import { install, pack } from "./packed.js";

const run = promisify(execFile);

export const COMPILERS = {
  "TypeScript 5": path.join(ROOT, "node_modules/typescript/bin/tsc"),
  "TypeScript 7": path.join(ROOT, "node_modules/typescript7/bin/tsc"),
} as const;

export const SETTINGS = {
  nodenext: { module: "nodenext", moduleResolution: "nodenext" },
  bundler: { module: "esnext", moduleResolution: "bundler" },
} as const;

/** Snowplow's trackers, whose published types the targets' code is compiled against. */
export const TRACKERS = ["@snowplow/browser-tracker", "@snowplow/node-tracker", "@snowplow/react-native-tracker"] as const;

/**
 * A temporary project with `@igluc/runtime` and `igluc` installed from their tarballs, and
 * `trackers` linked from this repository's node_modules (as npm installed them, with their own
 * dependencies); remove it with `dispose`.
 */
export function tempProject(prefix = "igluc-project-", trackers: readonly ((typeof TRACKERS)[number] | "@types/node")[] = []): { dir: string; dispose: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(dir, "node_modules"));
  install(dir, pack("runtime"));
  install(dir, pack("."));
  for (const tracker of trackers) {
    const real = path.join(ROOT, "node_modules", tracker);
    if (!fs.existsSync(real)) throw new Error(`${tracker} is not installed: run npm ci`);
    fs.mkdirSync(path.dirname(path.join(dir, "node_modules", tracker)), { recursive: true });
    fs.symlinkSync(fs.realpathSync(real), path.join(dir, "node_modules", tracker), "dir");
  }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "project", type: "module", private: true }));
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface CompileResult {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs `tsc --noEmit --strict` over `include` (globs relative to `dir`) with the given settings.
 * `skipLibCheck` false also checks declaration files (generated `.d.ts` included).
 */
export async function compile(
  dir: string, include: readonly string[], compiler: keyof typeof COMPILERS, resolution: keyof typeof SETTINGS, exactOptionalPropertyTypes: boolean,
  skipLibCheck = true, lib: readonly string[] = ["es2022"], types: readonly string[] = [],
): Promise<CompileResult> {
  const config = path.join(dir, `tsconfig.${compiler.replace(/\s/g, "")}.${resolution}.${exactOptionalPropertyTypes}${skipLibCheck ? "" : ".libcheck"}.${[...lib, ...types].join("-")}.json`);
  fs.writeFileSync(config, JSON.stringify({
    compilerOptions: {
      ...SETTINGS[resolution], target: "es2022", lib, strict: true, exactOptionalPropertyTypes, noEmit: true,
      types, skipLibCheck, noUnusedLocals: false,
    },
    include,
  }));
  try {
    await run(process.execPath, [COMPILERS[compiler], "-p", config], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, output: "" };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}
