/**
 * The packages as users install them: `npm pack` tarballs of @igluc/runtime
 * and igluc (made once per test process from the current build), extracted
 * into a consumer project's node_modules. Only what the tarball holds is
 * there; its dependencies are linked from this repository's node_modules
 * (the versions the lockfile pins), and nothing else, so a file missing from
 * a package or a dev dependency the code relies on fails the test.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./iglu.js";

export interface Packed {
  /** The tarball. */
  readonly tarball: string;
  /** The package's files, extracted from the tarball. */
  readonly dir: string;
  /** Its package.json. */
  readonly manifest: { name: string; dependencies?: Record<string, string> };
}

const cache = new Map<string, Packed>();
let workDir: string | undefined;

function work(): string {
  if (workDir === undefined) {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-packed-"));
    process.once("exit", () => fs.rmSync(workDir!, { recursive: true, force: true }));
  }
  return workDir;
}

/** Packs a workspace of this repository (`.` is igluc, `runtime` is @igluc/runtime) and extracts it. Needs the build. */
export function pack(workspace: "." | "runtime"): Packed {
  const cached = cache.get(workspace);
  if (cached !== undefined) return cached;
  const source = path.join(ROOT, workspace);
  const marker = workspace === "." ? "dist/generator/index.js" : "dist/esm/index.js";
  if (!fs.existsSync(path.join(source, marker))) throw new Error(`${workspace}/${marker} is missing: run npm run build (npm test does)`);
  const destination = fs.mkdtempSync(path.join(work(), "pack-"));
  const output = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], { cwd: source, encoding: "utf8" });
  const name = (JSON.parse(output) as [{ filename: string }])[0].filename;
  const tarball = path.join(destination, name);
  const dir = path.join(destination, "extracted");
  fs.mkdirSync(dir);
  execFileSync("tar", ["-xzf", tarball, "-C", dir, "--strip-components=1"]);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Packed["manifest"];
  const packed = { tarball, dir, manifest };
  cache.set(workspace, packed);
  return packed;
}

/** Installs a packed package into `project`'s node_modules (a copy), with its dependencies linked from this repository. */
export function install(project: string, packed: Packed): void {
  const target = path.join(project, "node_modules", packed.manifest.name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.cpSync(packed.dir, target, { recursive: true });
  for (const dependency of Object.keys(packed.manifest.dependencies ?? {})) {
    const link = path.join(project, "node_modules", dependency);
    if (fs.existsSync(link)) continue;
    const real = path.join(ROOT, "node_modules", dependency);
    if (!fs.existsSync(real)) throw new Error(`${packed.manifest.name} depends on ${dependency}, which is not installed here`);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(real), link, "dir");
  }
}
