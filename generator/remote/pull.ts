/**
 * `igluc pull`: copy schemas from an Iglu Server (everything readable, or
 * some vendors) or a static HTTP registry (the schemas named) into a static
 * registry folder, with the schemas they refer to. All or nothing: when any
 * schema fails, nothing is written. Files already as they are stay
 * untouched; nothing is ever deleted. Only what was asked for is written:
 * a server's list holding other vendors' schemas does not bring them in.
 */
import fs from "node:fs";
import path from "node:path";
import { sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { igluUri, type SchemaKey } from "@igluc/runtime/iglu";
import { OptionsError, RegistryError, registryDiagnostic } from "../errors.js";
import { createStaging, type Staging } from "../write/files.js";
import { createRegistryClient, type Fetched } from "./client.js";
import { createHttpClient, DEFAULT_HTTP, showUrl, type HttpSettings } from "./http.js";
import { takeReferences } from "./references.js";
import { httpUrl, parseRegistries, type RepositoryKind } from "./repositories.js";
import { readRegularFile } from "../load/bounded-read.js";
import { MAX_SCHEMA_BYTES } from "../limits.js";

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
  /** Aborting it (the CLI does on SIGINT/SIGTERM) removes what was staged; the target stays as it was. */
  readonly signal?: AbortSignal;
  /** Called as schemas arrive: how many so far, of how many known (references may add more). */
  readonly onProgress?: (done: number, total: number) => void;
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

  const diagnostics: Diagnostic[] = [];
  if (repo.kind === "static" && options.apikey !== undefined) {
    diagnostics.push({ level: "warning", code: "apikey-not-sent", message: "--apikey is not sent to a static registry: API keys go to Iglu Servers only", hint: "drop --apikey, or point --registry at the Iglu Server (a URL ending in /api)" });
  }
  const http = await createHttpClient({ ...DEFAULT_HTTP, ...options.http });
  const fetched = new Map<string, Fetched>();
  // Staged in a hidden folder, moved into the target only when every schema passed (write/files.ts).
  const staging = createStaging(out, options.signal);
  const staged: Promise<void>[] = [];
  try {
    const client = createRegistryClient(http);
    let keys: SchemaKey[];
    const carried = new Map<string, Fetched>();
    if (repo.kind === "iglu-server") {
      const { listed: all, unasked } = await client.list(repo, options.vendors);
      for (const uri of unasked) {
        diagnostics.push({ level: "warning", code: "not-asked", uri, message: `the registry listed ${uri} among the schemas of ${(options.vendors ?? []).join(", ")}; not pulled`, hint: "only what was asked for is written: ask the registry's operator why it lists it there" });
      }
      const wanted = options.schemas ?? [];
      const listed = wanted.length > 0 ? all.filter((l) => wanted.some((w) => matches(w, l.key))) : all;
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
      return result([...diagnostics, { level: "warning", code: "nothing-to-pull", message: `${showUrl(repo.uri as URL)} lists no schemas${options.vendors?.length ? ` for ${options.vendors.join(", ")}` : ""}`, hint: "check the vendor names, and that the API key may read them" }]);
    }
    const take = async (key: SchemaKey, referencedBy?: string): Promise<Fetched | undefined> => {
      const uri = igluUri(key);
      if (fetched.has(uri)) return undefined;
      const got = carried.get(uri) ?? await client.fetch(repo, key);
      if (got === undefined) {
        diagnostics.push(referencedBy === undefined
          ? { level: "error", code: "registry-not-found", uri, message: `${showUrl(repo.uri as URL)} has no ${uri}`, hint: "check the version exists in the registry" }
          : { level: "warning", code: "reference-not-pulled", uri: referencedBy, message: `${referencedBy} refers to ${uri}, which this registry does not serve`, hint: "pull it from the registry that has it, or generate with both registries configured" });
        return undefined;
      }
      fetched.set(uri, got);
      options.onProgress?.(fetched.size, Math.max(keys.length, fetched.size));
      const problems = client.check(got);
      diagnostics.push(...problems);
      // Staged while the rest are still arriving; moved into place only if every schema passes.
      if (!problems.some((d) => d.level === "error")) staged.push(stage(staging, out, got));
      return got;
    };
    const first = await Promise.all(keys.map((k) => take(k)));
    // The schemas these refer to, so the folder is complete for offline generation.
    await takeReferences(first.filter((f): f is Fetched => f !== undefined).map((f) => ({ uri: igluUri(f.key), text: f.text })), (uri) => fetched.has(uri),
      async (key, from) => {
        const got = await take(key, from);
        return got === undefined ? undefined : { uri: igluUri(got.key), text: got.text };
      });
    await Promise.all(staged);
  } catch (error) {
    await Promise.allSettled(staged);
    staging.abort();
    if (!(error instanceof RegistryError)) throw error;
    return result([...diagnostics, registryDiagnostic(error)]);
  } finally {
    await http.close();
  }
  if (diagnostics.some((d) => d.level === "error")) {
    staging.abort();
    return result(diagnostics);
  }
  const { moved, blocked } = staging.commit();
  for (const b of blocked) {
    diagnostics.push({ level: "error", code: "output-blocked", file: path.relative(cwd, path.join(out, b.relative)), message: `cannot be written (${b.code}): something that is not a file is in its place`, hint: "remove or move what is there, then pull again" });
  }
  return result(diagnostics, fetched.size, moved.length);
}

/** Stages one schema, exactly as the registry sent it, unless the file in the target already holds that. */
async function stage(staging: Staging, out: string, f: Fetched): Promise<void> {
  const relative = path.join(f.key.vendor, f.key.name, f.key.format, f.key.version);
  const text = f.text.endsWith("\n") ? f.text : `${f.text}\n`;
  // What is there is read without following a link or waiting on a FIFO: anything but the same file is replaced.
  if (readRegularFile(path.join(out, relative), MAX_SCHEMA_BYTES)?.toString("utf8") === text) return;
  await staging.writeAsync(relative, text);
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
