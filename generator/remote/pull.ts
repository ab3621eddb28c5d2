/**
 * `igluc pull`: copy schemas from an Iglu Server (everything readable, or
 * some vendors) or a static HTTP registry (the schemas named) into a static
 * registry folder, with the schemas they refer to. All or nothing: when any
 * schema fails, nothing is written. Files already as they are stay
 * untouched; nothing is ever deleted.
 */
import fs from "node:fs";
import path from "node:path";
import { sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { igluUri, type SchemaKey } from "../model.js";
import { OptionsError } from "../options.js";
import { createRegistryClient, referencedSchemas, type Fetched } from "./client.js";
import { createHttpClient, DEFAULT_HTTP, RegistryError, showUrl, type HttpSettings } from "./http.js";
import { httpUrl, parseRegistries, type RepositoryKind } from "./repositories.js";

export interface PullOptions {
  /** The registry: an Iglu Server's URL (ending in /api) or a static registry's root. */
  readonly registry: string;
  /** @defaultValue "iglu-server" for a URL ending in /api, else "static" */
  readonly type?: Exclude<RepositoryKind, "local">;
  /** @defaultValue the IGLU_API_KEY environment variable */
  readonly apikey?: string;
  /** Only these vendors (Iglu Server). */
  readonly vendors?: readonly string[];
  /** These schemas: `vendor/name`, `vendor/name@1-0-2`, `vendor/name@1`. Required for a static registry. */
  readonly schemas?: readonly string[];
  /** The static registry folder to write (its `schemas/` folder, or a root holding one). */
  readonly out: string;
  readonly cwd?: string;
  readonly http?: Partial<HttpSettings>;
}

export interface PullResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Schemas pulled (written or already up to date). */
  readonly schemas: number;
  readonly written: number;
  /** The folder written to. */
  readonly out: string;
  readonly ms: number;
}

export async function pull(options: PullOptions): Promise<PullResult> {
  const started = performance.now();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const flag = options.apikey ?? process.env.IGLU_API_KEY;
  httpUrl(options.registry, "--registry");
  const [repo] = parseRegistries([{
    name: "the registry", uri: options.registry,
    ...(options.type !== undefined ? { type: options.type } : {}),
    ...(options.schemas !== undefined && (options.type ?? (isServerUrl(options.registry) ? "iglu-server" : "static")) === "static" ? { schemas: options.schemas } : {}),
  }], cwd, { ...(flag !== undefined && flag !== "" ? { flag } : {}), env: process.env }, "--registry");
  if (repo === undefined) throw new OptionsError("--registry is required");
  if (repo.kind === "static" && repo.schemas.length === 0) throw new OptionsError("a static registry cannot list its schemas: name them with --schema vendor/name[@version]");
  if (repo.kind === "static" && (options.vendors ?? []).length > 0) throw new OptionsError("--vendor needs an Iglu Server (a URL ending in /api); a static registry cannot list");
  const root = path.resolve(cwd, options.out);
  const out = path.basename(root) === "schemas" || !fs.existsSync(path.join(root, "schemas")) ? root : path.join(root, "schemas");
  const result = (diagnostics: Diagnostic[], schemas = 0, written = 0): PullResult => ({ diagnostics: sortDiagnostics(diagnostics), schemas, written, out, ms: performance.now() - started });

  const http = await createHttpClient({ ...DEFAULT_HTTP, ...options.http });
  const diagnostics: Diagnostic[] = [];
  const fetched = new Map<string, Fetched>();
  const stager = createStager(out);
  const staging: Promise<void>[] = [];
  try {
    const client = createRegistryClient(http);
    let keys: SchemaKey[];
    const carried = new Map<string, Fetched>();
    if (repo.kind === "iglu-server") {
      let listed = await client.list(repo, options.vendors);
      const wanted = options.schemas ?? [];
      if (wanted.length > 0) listed = listed.filter((l) => wanted.some((w) => matches(w, l.key)));
      for (const l of listed) if (l.fetched !== undefined) carried.set(igluUri(l.key), l.fetched);
      keys = listed.map((l) => l.key);
    } else {
      keys = await Promise.all(repo.schemas.map(async (request) => {
        const version = /-/.test(request.version) ? request.version : await client.latest(repo, request.vendor, request.name, request.version === "latest" ? undefined : Number(request.version));
        if (version === undefined) throw new RegistryError("not-found", `${showUrl(repo.uri as URL)} has no ${request.vendor}/${request.name}`, "check the name, and that the registry serves it");
        return { vendor: request.vendor, name: request.name, format: "jsonschema", version };
      }));
    }
    if (keys.length === 0) {
      return result([{ level: "warning", code: "nothing-to-pull", message: `${showUrl(repo.uri as URL)} lists no schemas${options.vendors?.length ? ` for ${options.vendors.join(", ")}` : ""}`, hint: "check the vendor names, and that the API key may read them" }]);
    }
    const take = async (key: SchemaKey, referencedBy?: string): Promise<void> => {
      const uri = igluUri(key);
      if (fetched.has(uri)) return;
      const got = carried.get(uri) ?? await client.fetch(repo, key);
      if (got === undefined) {
        diagnostics.push(referencedBy === undefined
          ? { level: "error", code: "registry-not-found", uri, message: `${showUrl(repo.uri as URL)} has no ${uri}`, hint: "check the version exists in the registry" }
          : { level: "warning", code: "reference-not-pulled", uri: referencedBy, message: `${referencedBy} refers to ${uri}, which this registry does not serve`, hint: "pull it from the registry that has it, or generate with both registries configured" });
        return;
      }
      fetched.set(uri, got);
      const problems = client.check(got);
      diagnostics.push(...problems);
      // Staged while the rest are still arriving; renamed into place only if every schema passes.
      if (!problems.some((d) => d.level === "error")) staging.push(stager.stage(got));
    };
    await Promise.all(keys.map((k) => take(k)));
    // The schemas these refer to, so the folder is complete for offline generation.
    for (let round = 0; round < 20; round++) {
      const refs = [...fetched.values()].flatMap((f) => referencedSchemas(f.text).map((key) => ({ key, from: igluUri(f.key) }))).filter((r) => !fetched.has(igluUri(r.key)));
      if (refs.length === 0) break;
      const before = fetched.size;
      await Promise.all(refs.map((r) => take(r.key, r.from)));
      if (fetched.size === before) break;
    }
    await Promise.all(staging);
  } catch (error) {
    await Promise.allSettled(staging);
    await stager.abort();
    if (!(error instanceof RegistryError)) throw error;
    return result([...diagnostics, { level: "error", code: `registry-${error.kind}`, message: error.message, hint: error.hint }]);
  } finally {
    await http.close();
  }
  if (diagnostics.some((d) => d.level === "error")) {
    await stager.abort();
    return result(diagnostics);
  }
  return result(diagnostics, fetched.size, await stager.commit());
}

function isServerUrl(uri: string): boolean {
  try {
    return new URL(uri).pathname.replace(/\/+$/, "").endsWith("/api");
  } catch {
    return false;
  }
}

function matches(wanted: string, key: SchemaKey): boolean {
  const [family, version] = wanted.split("@");
  if (family !== `${key.vendor}/${key.name}`) return false;
  return version === undefined || version === "latest" || version === key.version || version === key.version.split("-")[0];
}


interface Stager {
  /** Writes the schema beside its target under a temporary name, unless the target already holds it. */
  stage(schema: Fetched): Promise<void>;
  /** Renames everything staged into place; returns how many files changed. */
  commit(): Promise<number>;
  /** Removes everything staged. */
  abort(): Promise<void>;
}

/**
 * Staging with asynchronous file operations, so disk waits overlap each
 * other and the network. Into a folder that does not exist yet, the whole
 * tree is staged beside it and renamed at once; into an existing one, each
 * changed file is staged beside its target and renamed over it.
 */
function createStager(out: string): Stager {
  const fresh = !fs.existsSync(out);
  const root = fresh ? `${out}.${process.pid}.tmp` : out;
  if (fresh) fs.mkdirSync(root, { recursive: true });
  const staged: [string, string][] = [];
  const folders = new Map<string, Promise<boolean>>();
  /**
   * Creates `dir` top-down, each level once (a recursive mkdir per file costs a failed
   * call per missing level, and folder operations are slow on some disks). Resolves true
   * when the folder was created now, so no file in it can exist yet.
   */
  const folder = (dir: string): Promise<boolean> => {
    let made = folders.get(dir);
    if (made === undefined) {
      const parent = path.dirname(dir);
      const above = parent === dir || dir === root || dir.length <= root.length ? Promise.resolve(false) : folder(parent);
      made = above.then((parentIsNew) => fs.promises.mkdir(dir).then(() => true, (error: NodeJS.ErrnoException) => {
        if (error.code === "EEXIST" && !parentIsNew) return false;
        if (error.code === "ENOENT" || error.code === "EEXIST") return fs.promises.mkdir(dir, { recursive: true }).then(() => false);
        throw error;
      }));
      folders.set(dir, made);
    }
    return made;
  };
  return {
    async stage(f) {
      const relative = path.join(f.key.vendor, f.key.name, f.key.format, f.key.version);
      if (path.relative(out, path.join(out, relative)).startsWith("..")) return; // keys are checked already; never write outside
      const target = path.join(root, relative);
      const text = f.text.endsWith("\n") ? f.text : `${f.text}\n`;
      const created = await folder(path.dirname(target));
      if (fresh) {
        staged.push([target, target]);
        await fs.promises.writeFile(target, text);
        return;
      }
      if (!created && await fs.promises.readFile(target, "utf8").then((current) => current === text, () => false)) return;
      const temporary = `${target}.${process.pid}.tmp`;
      staged.push([temporary, target]);
      await fs.promises.writeFile(temporary, text);
    },
    async commit() {
      if (fresh) {
        if (staged.length === 0) {
          await fs.promises.rm(root, { recursive: true, force: true });
          return 0;
        }
        await fs.promises.mkdir(path.dirname(out), { recursive: true });
        await fs.promises.rename(root, out);
      } else {
        await Promise.all(staged.map(([temporary, target]) => fs.promises.rename(temporary, target)));
      }
      return staged.length;
    },
    async abort() {
      if (fresh) await fs.promises.rm(root, { recursive: true, force: true });
      else await Promise.all(staged.map(([temporary]) => fs.promises.rm(temporary, { force: true })));
    },
  };
}
