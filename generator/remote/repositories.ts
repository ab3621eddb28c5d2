/**
 * Where schemas come from: Iglu Servers (which can list), static HTTP
 * registries (which cannot: the config names what to take from them), and
 * local or embedded folders. Declared in igluc.config.json (`registries`) or
 * in an Iglu resolver configuration (resolver-config 1-0-0 to 1-0-3), and
 * consulted in the order Iglu's own client uses: repositories whose
 * vendorPrefixes match the schema's vendor first, then embedded before HTTP,
 * then by priority (lower first), then as declared.
 */
import fs from "node:fs";
import path from "node:path";
import { IGLU_PATTERNS, isName, isVendor } from "@igluc/runtime/iglu";
import { MAX_KEY_PART, MAX_SETTINGS_BYTES } from "../limits.js";
import { readSettingsText } from "../load/bounded-read.js";
import { OptionsError } from "../errors.js";
import { parseSettingsJson } from "../load/json.js";

export type RepositoryKind = "iglu-server" | "static" | "local";

export interface Repository {
  readonly name: string;
  readonly kind: RepositoryKind;
  /** For HTTP kinds: the base the client appends `/schemas/…` to (an Iglu Server's ends in /api). */
  readonly uri?: URL;
  /** For local: an absolute folder (a registry root or its schemas/ folder). */
  readonly path?: string;
  readonly apikey?: string;
  readonly priority: number;
  readonly vendorPrefixes: readonly string[];
  /** For static registries: what to take, `vendor/name` at `1-0-2`, or the latest of a MODEL (`1`), or of the highest MODEL ("latest"). */
  readonly schemas: readonly SchemaRequest[];
  /** Order of declaration, the last tie-break. */
  readonly index: number;
}

export interface SchemaRequest {
  readonly vendor: string;
  readonly name: string;
  /** `M-R-A`, a MODEL number, or "latest". */
  readonly version: string;
}

/** `vendor/name`, `vendor/name@M-R-A`, `vendor/name@MODEL` or `vendor/name@latest`: igluc's notation, in Iglu's grammar. */
const REQUEST = new RegExp(`^(${IGLU_PATTERNS.vendor})/(${IGLU_PATTERNS.name})(?:@(${IGLU_PATTERNS.schemaVer}|${IGLU_PATTERNS.model}|latest))?$`);

export interface KeySources {
  /**
   * Given globally (--apikey, IGLU_API_KEY): sent only to the Iglu Servers that have no key of
   * their own, never to static registries (which take no key) nor, through redirects, another origin.
   */
  readonly flag?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** No request will be made (--offline): a repository's apikeyEnv may then be unset. */
  readonly offline?: boolean;
}

export function parseRegistries(list: readonly unknown[], base: string, keys: KeySources, where: string): Repository[] {
  const repos = list.map((raw, index) => parseOne(raw, index, base, keys, `${where}: registries[${index}]`));
  checkNames(repos, where);
  return repos;
}

function parseOne(raw: unknown, index: number, base: string, keys: KeySources, where: string): Repository {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new OptionsError(`${where} must be an object with a name and a uri or path`);
  const r = raw as Record<string, unknown>;
  const known = new Set(["name", "type", "uri", "path", "apikey", "apikeyEnv", "priority", "vendorPrefixes", "schemas"]);
  const unknown = Object.keys(r).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new OptionsError(`${where}: unknown setting${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} (known: ${[...known].join(", ")})`);
  if (typeof r.name !== "string" || r.name.trim() === "") throw new OptionsError(`${where} needs a "name"`);
  const name = r.name;
  const at = `${where} ("${name}")`;
  if ((r.uri === undefined) === (r.path === undefined)) throw new OptionsError(`${at} needs exactly one of "uri" (an HTTP registry) and "path" (a folder)`);
  const priority = r.priority ?? 0;
  if (typeof priority !== "number" || !Number.isFinite(priority)) throw new OptionsError(`${at}: priority must be a number`);
  const vendorPrefixes = strings(r.vendorPrefixes ?? [], `${at}: vendorPrefixes`);
  const schemas = strings(r.schemas ?? [], `${at}: schemas`).map((s) => request(s, at));
  if (r.path !== undefined) {
    if (typeof r.path !== "string") throw new OptionsError(`${at}: path must be a string`);
    if (r.type !== undefined && r.type !== "local") throw new OptionsError(`${at}: a "path" is a local folder; type "${String(r.type)}" needs a "uri"`);
    return { name, kind: "local", path: path.resolve(base, r.path), priority, vendorPrefixes, schemas: [], index };
  }
  const uri = httpUrl(r.uri, at);
  const kind = r.type ?? (uri.pathname.replace(/\/+$/, "").endsWith("/api") ? "iglu-server" : "static");
  if (kind !== "iglu-server" && kind !== "static") throw new OptionsError(`${at}: type must be "iglu-server" or "static" for a uri, not ${JSON.stringify(kind)}`);
  if (kind === "iglu-server" && schemas.length > 0) throw new OptionsError(`${at}: "schemas" is for static registries; an Iglu Server lists its own (use include/exclude to choose)`);
  if (r.apikey !== undefined && typeof r.apikey !== "string") throw new OptionsError(`${at}: apikey must be a string`);
  if (r.apikeyEnv !== undefined && typeof r.apikeyEnv !== "string") throw new OptionsError(`${at}: apikeyEnv must be the name of an environment variable`);
  let apikey = r.apikey as string | undefined;
  if (r.apikeyEnv !== undefined) {
    apikey = keys.env[r.apikeyEnv as string];
    if ((apikey === undefined || apikey === "") && keys.offline !== true) throw new OptionsError(`${at}: the environment variable ${String(r.apikeyEnv)} (its apikeyEnv) is not set`);
  }
  if (kind === "iglu-server") apikey ??= keys.flag;
  return { name, kind, uri, ...(apikey !== undefined && apikey !== "" ? { apikey } : {}), priority, vendorPrefixes, schemas, index };
}

function strings(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new OptionsError(`${where} must be a list of strings`);
  return value as string[];
}

function request(text: string, where: string): SchemaRequest {
  const m = REQUEST.exec(text);
  if (m === null) throw new OptionsError(`${where}: "${text}" is not vendor/name, vendor/name@M-R-A or vendor/name@MODEL`);
  return { vendor: m[1] as string, name: m[2] as string, version: m[3] ?? "latest" };
}

export function httpUrl(value: unknown, where: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new OptionsError(`${where}: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OptionsError(`${where}: ${url.protocol} URLs are not registries; use http: or https:`);
  if (url.search !== "" || url.hash !== "") throw new OptionsError(`${where}: a registry URL has no query or fragment`);
  return url;
}

function checkNames(repos: readonly Repository[], where: string): void {
  const seen = new Set<string>();
  for (const r of repos) {
    if (seen.has(r.name)) throw new OptionsError(`${where}: two repositories are named "${r.name}"; names must be unique`);
    seen.add(r.name);
  }
}

/** The repositories to try for `vendor`, in Iglu's order. */
export function lookupOrder(repos: readonly Repository[], vendor: string): Repository[] {
  const rank = (r: Repository): [number, number, number, number] => [
    r.vendorPrefixes.some((p) => vendor.startsWith(p)) ? 0 : 1,
    r.kind === "local" ? 2 : 100,
    r.priority,
    r.index,
  ];
  return [...repos].sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return 0;
  });
}

const RESOLVER_SCHEMA = /^iglu:com\.snowplowanalytics\.iglu\/resolver-config\/jsonschema\/1-0-([0-3])$/;

/**
 * An Iglu resolver configuration file. HTTP repositories whose URI ends in
 * /api are taken for Iglu Servers; others for static registries. An embedded
 * repository's path is a folder, relative to the file.
 */
export function readResolverConfig(file: string, keys: KeySources): Repository[] {
  const read = readSettingsText(file, MAX_SETTINGS_BYTES);
  if ("problem" in read) throw new OptionsError(`${file} ${read.problem}`);
  // Parsed as igluc.config.json is: a byte order mark is skipped, and a syntax error has its line and column.
  const doc = parseSettingsJson(read.text, file).value as { schema?: unknown; data?: { repositories?: unknown } } | null;
  if (doc === null || typeof doc !== "object" || typeof doc.schema !== "string" || !RESOLVER_SCHEMA.test(doc.schema)) {
    throw new OptionsError(`${file}: not an Iglu resolver configuration (its "schema" must be iglu:com.snowplowanalytics.iglu/resolver-config/jsonschema/1-0-0 to 1-0-3)`);
  }
  const repositories = doc.data?.repositories;
  if (!Array.isArray(repositories)) throw new OptionsError(`${file}: data.repositories must be a list`);
  const base = path.dirname(file);
  const repos = repositories.map((raw, index): Repository => {
    const where = `${file}: data.repositories[${index}]`;
    const r = raw as { name?: unknown; priority?: unknown; vendorPrefixes?: unknown; connection?: { http?: { uri?: unknown; apikey?: unknown }; embedded?: { path?: unknown } } };
    if (r === null || typeof r !== "object" || typeof r.name !== "string") throw new OptionsError(`${where} needs a name`);
    if (typeof r.priority !== "number") throw new OptionsError(`${where} ("${r.name}") needs a numeric priority`);
    const vendorPrefixes = strings(r.vendorPrefixes ?? [], `${where} ("${r.name}"): vendorPrefixes`);
    const http = r.connection?.http;
    const embedded = r.connection?.embedded;
    if ((http === undefined) === (embedded === undefined)) throw new OptionsError(`${where} ("${r.name}"): connection must be either http or embedded`);
    if (embedded !== undefined) {
      if (typeof embedded.path !== "string") throw new OptionsError(`${where} ("${r.name}"): connection.embedded.path must be a string`);
      // Iglu's embedded path is a classpath prefix; here it is a folder: absolute if it exists, else relative to this file.
      const folder = path.isAbsolute(embedded.path) && fs.existsSync(embedded.path) ? embedded.path : path.resolve(base, embedded.path.replace(/^\/+/, ""));
      return { name: r.name, kind: "local", path: folder, priority: r.priority, vendorPrefixes, schemas: [], index };
    }
    const uri = httpUrl(http?.uri, `${where} ("${r.name}")`);
    const own = typeof http?.apikey === "string" && http.apikey !== "" ? http.apikey : undefined;
    const kind: RepositoryKind = uri.pathname.replace(/\/+$/, "").endsWith("/api") ? "iglu-server" : "static";
    const apikey = own ?? (kind === "iglu-server" ? keys.flag : undefined);
    return { name: r.name, kind, uri, ...(apikey !== undefined ? { apikey } : {}), priority: r.priority, vendorPrefixes, schemas: [], index };
  });
  checkNames(repos, file);
  return repos;
}

/** A vendor or name fit to be a folder name: Iglu's characters, not `.` or `..`, at most MAX_KEY_PART long. */
export function isSafeKeyPart(part: "vendor" | "name", value: string): boolean {
  return value.length <= MAX_KEY_PART && (part === "vendor" ? isVendor(value) : isName(value)) && value !== "." && value !== "..";
}
