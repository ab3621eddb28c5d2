/**
 * Before generation from repositories: decide which schemas to use and where
 * each comes from, fetch them (or, with a lockfile, exactly the locked ones,
 * checking their content has not changed; or, offline, from the cache), and
 * lay the remote ones out as a static registry folder that the rest of the
 * generator reads like any other. Local folders are read where they are.
 */
import fs from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { findSchemas } from "../load/registry.js";
import { readTextOrNothing } from "../load/bounded-read.js";
import { MAX_SCHEMA_BYTES } from "../limits.js";
import { igluUri, parseIgluUri, type SchemaKey } from "@igluc/runtime/iglu";
import { createStaging, removeLeftovers } from "../write/files.js";
import { createRegistryClient, type Fetched, type RegistryClient } from "./client.js";
import { RegistryError, registryDiagnostic } from "../errors.js";
import { createHttpClient, showUrl, type HttpSettings } from "./http.js";
import { currentLockText, lockHash, lockText, openCache, readLock, writeLockText, type Lock, type LockEntry } from "./lockfile.js";
import { takeReferences } from "./references.js";
import { isSafeKeyPart, lookupOrder, type Repository } from "./repositories.js";

export interface SyncSettings {
  readonly repositories: readonly Repository[];
  readonly lockfile: string;
  readonly cacheDir: string;
  /** Ignore the lockfile's choices and write a new one. */
  readonly update: boolean;
  /** No network: the locked schemas from the cache. */
  readonly offline: boolean;
  /** Write no lockfile; report one that would change. */
  readonly check: boolean;
  readonly http: HttpSettings;
  /** Aborting it removes what was staged. */
  readonly signal?: AbortSignal;
}

export interface SyncResult {
  /** Registry folders for the generator: the fetched schemas' folder first, then local ones. Empty when the run must stop. */
  readonly dirs: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Schemas fetched over the network (or read from the cache offline). */
  readonly fetched: number;
  readonly lockWritten: boolean;
}

interface Chosen {
  readonly key: SchemaKey;
  readonly text: string;
  readonly entry: LockEntry;
}

export async function syncSchemas(settings: SyncSettings): Promise<SyncResult> {
  const diagnostics: Diagnostic[] = [];
  const locals = settings.repositories.filter((r) => r.kind === "local");
  const remotes = settings.repositories.filter((r) => r.kind !== "local");
  removeLeftovers(path.dirname(settings.lockfile));
  const lock = settings.update ? undefined : readLock(settings.lockfile);
  const cache = openCache(settings.cacheDir);
  const fail = (error: unknown): SyncResult => {
    if (!(error instanceof RegistryError)) throw error;
    return { dirs: [], diagnostics: [...diagnostics, registryDiagnostic(error)], fetched: 0, lockWritten: false };
  };

  let chosen: Chosen[];
  if (settings.offline) {
    if (lock === undefined) {
      return { dirs: [], fetched: 0, lockWritten: false, diagnostics: [{ level: "error", code: "offline-without-lock", file: settings.lockfile, message: `--offline needs ${path.basename(settings.lockfile)}, and there is none${settings.update ? " (and --update ignores it)" : ""}`, hint: "run igluc generate once with network access: it writes the lockfile and fills the cache" }] };
    }
    chosen = fromCache(lock, cache, settings, diagnostics);
  } else {
    if (remotes.length === 0 && lock === undefined) return { dirs: locals.map((r) => r.path as string), diagnostics, fetched: 0, lockWritten: false };
    const http = await createHttpClient(settings.http);
    try {
      const client = createRegistryClient(http);
      chosen = lock !== undefined ? await fromLock(lock, client, settings, diagnostics) : await discover(client, settings, diagnostics);
    } catch (error) {
      return fail(error);
    } finally {
      await http.close();
    }
  }
  if (diagnostics.some((d) => d.level === "error")) return { dirs: [], diagnostics, fetched: chosen.length, lockWritten: false };

  for (const c of chosen) cache.write(c.text, c.entry.sha256);
  const folder = materialize(settings.cacheDir, chosen, settings.signal);
  let lockWritten = false;
  const text = lockText({ schemas: Object.fromEntries(chosen.map((c) => [igluUri(c.key), c.entry])) });
  if (settings.check) {
    // Read as readLock read it: through a link the user placed, never waiting on a FIFO.
    const current = currentLockText(settings.lockfile);
    if (current !== text) {
      diagnostics.push(lock?.version === 1
        ? { level: "error", code: "lockfile-stale", file: settings.lockfile, message: `${path.basename(settings.lockfile)} is of lockfile version 1, whose hashes rounded numbers beyond a double's precision`, hint: "run igluc generate once to rewrite it as version 2 (same schemas), and commit the lockfile" }
        : { level: "error", code: "lockfile-stale", file: settings.lockfile, message: `${path.basename(settings.lockfile)} does not list what the repositories now serve`, hint: "run igluc generate (with --update to take new versions) and commit the lockfile" });
    }
  } else if (!settings.offline) {
    lockWritten = writeLockText(settings.lockfile, text);
  }
  return { dirs: [folder, ...locals.map((r) => r.path as string)], diagnostics, fetched: chosen.length, lockWritten };
}

/** No lockfile (or --update): list the servers, take what the config names from static registries, follow references. */
async function discover(client: RegistryClient, settings: SyncSettings, diagnostics: Diagnostic[]): Promise<Chosen[]> {
  const repos = settings.repositories;
  const candidates = new Map<string, { key: SchemaKey; holders: Set<Repository> }>();
  const offer = (key: SchemaKey, repo: Repository): void => {
    const uri = igluUri(key);
    const entry = candidates.get(uri) ?? { key, holders: new Set<Repository>() };
    entry.holders.add(repo);
    candidates.set(uri, entry);
  };
  const localFiles = new Map(repos.filter((r) => r.kind === "local").map((r) => [r, new Map(findSchemas([r.path as string], process.cwd()).files.map((f) => [igluUri(f.key), f.path]))]));
  /** Schemas that came with a server's list, by repository and URI: not fetched again. */
  const carried = new Map<Repository, Map<string, Fetched>>();
  const listed = await Promise.all(repos.map(async (repo) => {
    if (repo.kind === "iglu-server") {
      const { listed: items } = await client.list(repo);
      carried.set(repo, new Map(items.flatMap((i) => (i.fetched !== undefined ? [[igluUri(i.key), i.fetched] as const] : []))));
      return { repo, keys: items.map((i) => i.key) };
    }
    if (repo.kind === "local") return { repo, keys: [...(localFiles.get(repo)?.keys() ?? [])].map((uri) => parseIgluUri(uri)).filter((k): k is SchemaKey => k !== undefined) };
    const keys = await Promise.all(repo.schemas.map(async (request) => {
      const explicit = /-/.test(request.version) ? request.version : undefined;
      const version = explicit ?? await client.latest(repo, request.vendor, request.name, request.version === "latest" ? undefined : Number(request.version));
      if (version === undefined) {
        throw new RegistryError("not-found", `${repo.name} has no ${request.vendor}/${request.name}${request.version === "latest" ? "" : ` of MODEL ${request.version}`} (${showUrl(repo.uri as URL)})`, "check the name in the repository's \"schemas\", and that the registry serves it");
      }
      return { vendor: request.vendor, name: request.name, format: "jsonschema", version };
    }));
    return { repo, keys };
  }));
  for (const { repo, keys } of listed) for (const key of keys) offer(key, repo);

  const chosen = new Map<string, Chosen>();
  const localTexts: string[] = [];
  const take = async (key: SchemaKey, holders: ReadonlySet<Repository> | undefined): Promise<boolean> => {
    for (const repo of lookupOrder(repos, key.vendor)) {
      if (holders !== undefined && !holders.has(repo)) continue;
      if (repo.kind === "local") {
        const file = localFiles.get(repo)?.get(igluUri(key));
        if (file === undefined) continue;
        // Bounded and non-blocking like every schema read; one that cannot be read is reported by the load that follows.
        const read = readTextOrNothing(file, MAX_SCHEMA_BYTES);
        if (read !== undefined) localTexts.push(read);
        return true;
      }
      const fetched = carried.get(repo)?.get(igluUri(key)) ?? await client.fetch(repo, key);
      if (fetched === undefined) {
        if (holders !== undefined) throw new RegistryError("not-found", `${repo.name} lists ${igluUri(key)} but answers 404 for it (${showUrl(repo.uri as URL)})`, "the registry is inconsistent: ask its operator");
        continue;
      }
      chosen.set(igluUri(key), accept(fetched, client, diagnostics));
      return true;
    }
    return false;
  };
  await Promise.all([...candidates.values()].map(({ key, holders }) => take(key, holders)));

  // References to schemas nobody listed: resolved through the same repositories, in the same order.
  // Unresolvable ones are left for the generator, which reports each where it is referred to.
  const start = [...[...chosen.values()].map((c) => ({ uri: igluUri(c.key), text: c.text })), ...localTexts.map((text, i) => ({ uri: `local ${i}`, text }))];
  await takeReferences(start, (uri) => candidates.has(uri) || chosen.has(uri), async (key) => {
    const uri = igluUri(key);
    candidates.set(uri, { key, holders: new Set() });
    const before = localTexts.length;
    if (!(await take(key, undefined))) return undefined;
    const text = chosen.get(uri)?.text ?? localTexts[before];
    return text === undefined ? undefined : { uri, text };
  });
  return [...chosen.values()];
}

/** With a lockfile: exactly the locked schemas, each fetched again and compared with its locked hash. */
async function fromLock(lock: Lock, client: RegistryClient, settings: SyncSettings, diagnostics: Diagnostic[]): Promise<Chosen[]> {
  const byName = new Map(settings.repositories.map((r) => [r.name, r]));
  // From an Iglu Server holding several locked schemas, the lists of their vendors (with the schemas in them) replace one request per schema.
  const carried = new Map<string, Fetched>();
  await Promise.all(settings.repositories.filter((r) => r.kind === "iglu-server").map(async (repo) => {
    const locked = Object.entries(lock.schemas).filter(([, e]) => e.repository === repo.name).map(([uri]) => parseIgluUri(uri)).filter((k): k is SchemaKey => k !== undefined);
    if (locked.length < 2) return;
    const vendors = [...new Set(locked.map((k) => k.vendor))].filter((v) => isSafeKeyPart("vendor", v)).sort();
    for (const item of (await client.list(repo, vendors)).listed) if (item.fetched !== undefined) carried.set(`${repo.name} ${igluUri(item.key)}`, item.fetched);
  }));
  const out = await Promise.all(Object.entries(lock.schemas).map(async ([uri, entry]): Promise<Chosen | undefined> => {
    const key = lockedKey(uri, settings, diagnostics);
    const repo = byName.get(entry.repository);
    if (key === undefined) return undefined;
    if (repo === undefined || repo.kind === "local") {
      diagnostics.push({ level: "error", code: "lock-repository", file: settings.lockfile, uri, message: `${uri} is locked to the repository "${entry.repository}", which is not configured`, hint: "configure that repository again, or run with --update to choose anew" });
      return undefined;
    }
    const fetched = carried.get(`${repo.name} ${uri}`) ?? await client.fetch(repo, key);
    if (fetched === undefined) {
      diagnostics.push({ level: "error", code: "lock-missing", file: settings.lockfile, uri, message: `${repo.name} no longer serves the locked ${uri} (${entry.url})`, hint: "restore it in the registry, or run with --update to drop it" });
      return undefined;
    }
    const accepted = accept(fetched, client, diagnostics);
    if (hashOr(lock, fetched.text) !== entry.sha256) {
      diagnostics.push({
        level: "error", code: "lock-mismatch", file: settings.lockfile, uri,
        message: `${repo.name} now serves different content for the locked ${uri}: locked sha256 ${entry.sha256.slice(0, 12)}…, served ${accepted.entry.sha256.slice(0, 12)}…`,
        hint: "a published schema changed under the same version; if that is intended, run with --update and review the lockfile's diff",
      });
      return undefined;
    }
    return accepted;
  }));
  return out.filter((c): c is Chosen => c !== undefined);
}

function fromCache(lock: Lock, cache: ReturnType<typeof openCache>, settings: SyncSettings, diagnostics: Diagnostic[]): Chosen[] {
  const out: Chosen[] = [];
  for (const [uri, entry] of Object.entries(lock.schemas)) {
    const key = lockedKey(uri, settings, diagnostics);
    if (key === undefined) continue;
    const text = cache.read(entry.sha256, lock);
    if (text === undefined) {
      diagnostics.push({ level: "error", code: "cache-missing", file: settings.lockfile, uri, message: `${uri} is locked but not in the cache (${settings.cacheDir})`, hint: "run igluc generate once with network access to fill the cache" });
      continue;
    }
    out.push({ key, text, entry: { ...entry, sha256: hashOr({ schemas: {} }, text) } });
  }
  return out;
}

/** The hash `lock`'s entries are compared with, or none for text that is not JSON (reported elsewhere). */
function hashOr(lock: Lock, text: string): string {
  try {
    return lockHash(lock, text);
  } catch {
    return "0".repeat(64);
  }
}

function lockedKey(uri: string, settings: SyncSettings, diagnostics: Diagnostic[]): SchemaKey | undefined {
  const key = parseIgluUri(uri);
  if (key === undefined || !isSafeKeyPart("vendor", key.vendor) || !isSafeKeyPart("name", key.name)) {
    diagnostics.push({ level: "error", code: "lock-invalid", file: settings.lockfile, message: `${JSON.stringify(uri)} in the lockfile is not an Iglu URI`, hint: "regenerate the lockfile with --update" });
    return undefined;
  }
  return key;
}

/** A fetched schema, checked (problems are collected) and hashed. */
function accept(fetched: Fetched, client: RegistryClient, diagnostics: Diagnostic[]): Chosen {
  diagnostics.push(...client.check(fetched).filter((d) => d.level === "error"));
  return { key: fetched.key, text: fetched.text, entry: { repository: fetched.repository.name, url: showUrl(fetched.url), sha256: hashOr({ schemas: {} }, fetched.text) } };
}


/** The chosen remote schemas as a static registry folder, replaced whole, so nothing stale lingers in it (write/files.ts). */
function materialize(cacheDir: string, chosen: readonly Chosen[], signal: AbortSignal | undefined): string {
  const folder = path.join(cacheDir, "registry");
  fs.rmSync(folder, { recursive: true, force: true });
  const staging = createStaging(folder, signal);
  staging.write(path.join("schemas", ".keep"), "");
  for (const c of chosen) staging.write(path.join("schemas", c.key.vendor, c.key.name, c.key.format, c.key.version), c.text);
  staging.commit();
  return folder;
}
