/**
 * Reading schemas from HTTP repositories: listing an Iglu Server, fetching
 * one schema, finding the latest version of a MODEL, and checking that what
 * came back is the self-describing schema asked for. Everything a registry
 * sends is untrusted: URIs are checked against Iglu's patterns before they
 * become keys (and later, paths).
 */
import type { Diagnostic } from "../diagnostics.js";
import { MAX_KEY_PART, MAX_REMOTE_SCHEMAS, MAX_SCHEMA_DEPTH, MAX_VERSION_PROBES } from "../limits.js";
import { parseJson, type ParsedJson } from "../load/json.js";
import { compareSchemaVer, igluUri, parseIgluUri, parseSchemaVer, type SchemaKey } from "@igluc/runtime/iglu";
import { igluRefTarget } from "../normalize/refs.js";
import { forEachSubschema, isObject } from "../schema/walk.js";
import { createSelfCheck, type SelfCheck } from "../validate/self-describing.js";
import { RegistryError } from "../errors.js";
import { showUrl, type HttpClient, type Response } from "./http.js";
import { isSafeKeyPart, type Repository } from "./repositories.js";

export interface Fetched {
  readonly key: SchemaKey;
  readonly text: string;
  readonly url: URL;
  readonly repository: Repository;
}

export interface Listed {
  readonly key: SchemaKey;
  /** The schema, when the list carried it. */
  readonly fetched?: Fetched;
}

export interface RegistryClient {
  /**
   * Every JSON Schema an Iglu Server lists (for `vendors`, when given). The
   * list is asked for with the schemas themselves (`repr=canonical`, one
   * request, as igluctl's static pull does), each kept as the exact text the
   * server sent; a server that answers with URIs only leaves `fetched`
   * undefined, to be fetched one by one. Schemas of other vendors than those
   * asked for are not taken: `unasked` names them.
   */
  list(repo: Repository, vendors?: readonly string[]): Promise<{ listed: Listed[]; unasked: string[] }>;
  /** The schema at `key`; undefined when the repository does not have it (404). */
  fetch(repo: Repository, key: SchemaKey): Promise<Fetched | undefined>;
  /** The highest version of vendor/name (of one MODEL, or overall); undefined when there is none. */
  latest(repo: Repository, vendor: string, name: string, model?: number): Promise<string | undefined>;
  /** Problems with what a repository sent: a schema that is not valid, or not the one asked for. */
  check(fetched: Fetched): Diagnostic[];
}

export function schemaUrl(repo: Repository, key: SchemaKey): URL {
  const base = (repo.uri as URL).href.replace(/\/+$/, "");
  return new URL(`${base}/schemas/${key.vendor}/${key.name}/${key.format}/${key.version}`);
}

export function createRegistryClient(http: HttpClient): RegistryClient {
  let selfCheck: SelfCheck | undefined;
  const headers = (repo: Repository): Record<string, string> => (repo.apikey !== undefined ? { apikey: repo.apikey } : {});
  /**
   * One per repository: aborted with the error when the repository refuses the key, so its requests
   * still queued or in flight stop at once with that error, and later ones are not sent.
   */
  const refusals = new Map<string, AbortController>();
  const refusal = (repo: Repository): AbortController => {
    let controller = refusals.get(repo.name);
    if (controller === undefined) {
      controller = new AbortController();
      refusals.set(repo.name, controller);
    }
    return controller;
  };

  const get = async (repo: Repository, url: URL, what: string): Promise<Response> => {
    const refused = refusal(repo);
    if (refused.signal.aborted) throw refused.signal.reason;
    const response = await http.get(url, repo.name, headers(repo), refused.signal);
    if (response.status === 401 || response.status === 403 || (response.status === 400 && /api ?key|uuid/i.test(response.body))) {
      if (!refused.signal.aborted) {
        refused.abort(new RegistryError("auth", `API key rejected or missing for ${repo.name} (${showUrl(url)}): ${response.status} while fetching ${what}`,
          repo.apikey === undefined ? "give the key with --apikey, the IGLU_API_KEY environment variable, or the repository's apikeyEnv" : "check the key is a valid read key for this vendor"));
      }
      throw refused.signal.reason;
    }
    return response;
  };

  const listUrl = (repo: Repository, vendor: string | undefined, repr: "uri" | "canonical"): URL => {
    const base = (repo.uri as URL).href.replace(/\/+$/, "");
    return new URL(`${base}/schemas${vendor === undefined ? "" : `/${encodeURIComponent(vendor)}`}?repr=${repr}`);
  };

  const client: RegistryClient = {
    async list(repo, vendors) {
      const asked = vendors === undefined || vendors.length === 0 ? undefined : new Set(vendors);
      const urls = asked === undefined ? [listUrl(repo, undefined, "canonical")] : [...asked].map((v) => listUrl(repo, v, "canonical"));
      const listed = new Map<string, Listed>();
      const unasked = new Set<string>();
      for (const url of urls) {
        const response = await get(repo, url, "the list of schemas");
        if (response.status === 404) continue; // Iglu Server answers 404 for an empty list
        if (response.status !== 200) {
          throw new RegistryError("server", `${repo.name} answered ${response.status} to ${showUrl(url)}`, "is this an Iglu Server? Its URI must end in /api");
        }
        for (const item of listedItems(response.body, repo, url)) {
          const key = parseIgluUri(item.uri);
          if (key === undefined || !isSafeKeyPart("vendor", key.vendor) || !isSafeKeyPart("name", key.name) || key.version.length > MAX_KEY_PART) {
            throw new RegistryError("invalid", `${repo.name} listed ${JSON.stringify(item.uri).slice(0, 200)}, which is not an Iglu URI (${showUrl(url)})`, "the registry is corrupt or not an Iglu Server");
          }
          if (key.format !== "jsonschema") continue;
          if (asked !== undefined && !asked.has(key.vendor)) {
            unasked.add(igluUri(key));
            continue;
          }
          listed.set(igluUri(key), item.text === undefined ? { key } : { key, fetched: { key, text: item.text, url: schemaUrl(repo, key), repository: repo } });
          // Checked as listed, before anything is fetched or staged: the bound takeReferences applies to a whole run.
          if (listed.size > MAX_REMOTE_SCHEMAS) {
            throw new RegistryError("invalid", `${repo.name} lists more than ${MAX_REMOTE_SCHEMAS} schemas (${showUrl(url)})`, "take fewer schemas at once (--vendor, --schema, include and exclude)");
          }
        }
      }
      return { listed: [...listed.values()].sort((a, b) => (igluUri(a.key) < igluUri(b.key) ? -1 : 1)), unasked: [...unasked].sort() };
    },

    async fetch(repo, key) {
      const url = schemaUrl(repo, key);
      const response = await get(repo, url, igluUri(key));
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw new RegistryError("server", `${repo.name} answered ${response.status} for ${igluUri(key)} (${showUrl(url)})`, "check the repository's URL");
      return { key, text: response.body, url, repository: repo };
    },

    async latest(repo, vendor, name, model) {
      // An Iglu Server (and a static registry published by igluctl) serves a list of each MODEL's versions.
      const base = (repo.uri as URL).href.replace(/\/+$/, "");
      if (model !== undefined) {
        const url = new URL(`${base}/schemas/${vendor}/${name}/jsonschema/${model}${repo.kind === "iglu-server" ? "?repr=uri" : ""}`);
        const response = await get(repo, url, `the versions of ${vendor}/${name} ${model}-*-*`);
        if (response.status === 200) {
          const versions = listedUris(response.body, repo, url).map(parseIgluUri).filter((k): k is SchemaKey => k?.vendor === vendor && k.name === name);
          return highest(versions.map((k) => k.version));
        }
      } else if (repo.kind === "iglu-server") {
        const url = new URL(`${base}/schemas/${vendor}/${name}?repr=uri`);
        const response = await get(repo, url, `the versions of ${vendor}/${name}`);
        if (response.status === 200) return highest(listedUris(response.body, repo, url).map(parseIgluUri).filter((k): k is SchemaKey => k?.format === "jsonschema").map((k) => k.version));
        if (response.status === 404) return undefined;
      }
      // Otherwise walk the versions: from M-0-0, each next ADDITION, else next REVISION, else (for "latest") next MODEL.
      // Bounded: every answer must be the schema asked for (its own self), and at most MAX_VERSION_PROBES are asked.
      let probes = 0;
      const exists = async (version: string): Promise<boolean> => {
        if (++probes > MAX_VERSION_PROBES) {
          throw new RegistryError("invalid", `${repo.name}: walking the versions of ${vendor}/${name} took more than ${MAX_VERSION_PROBES} requests without finding the last (${showUrl(repo.uri as URL)})`,
            "name the version (vendor/name@1-0-2), or publish the registry's schema lists (schemas/vendor/name/jsonschema/MODEL, as igluctl static s3cp does)");
        }
        const key = { vendor, name, format: "jsonschema", version };
        const got = await client.fetch(repo, key);
        if (got === undefined) return false;
        const claimed = claimedUri(got.text);
        if (claimed !== igluUri(key)) {
          throw new RegistryError("invalid", `${repo.name} answered ${igluUri(key)} (${showUrl(got.url)}) with ${claimed === undefined ? "something that is not a self-describing schema" : `a schema whose self is ${claimed.slice(0, 300)}`}`,
            "the registry answers for schemas it does not have: check the repository's URL, or name the version exactly");
        }
        return true;
      };
      let found: string | undefined;
      for (let m = model ?? 1; ; m++) {
        if (!(await exists(`${m}-0-0`))) break;
        let [r, a] = [0, 0];
        for (;;) {
          if (await exists(`${m}-${r}-${a + 1}`)) a++;
          else if (await exists(`${m}-${r + 1}-0`)) [r, a] = [r + 1, 0];
          else break;
        }
        found = `${m}-${r}-${a}`;
        if (model !== undefined) break;
      }
      return found;
    },

    check(fetched) {
      const { key, text, url, repository } = fetched;
      const display = `${repository.name}: ${showUrl(url)}`;
      const uri = igluUri(key);
      selfCheck ??= createSelfCheck();
      const checked = selfCheck({ path: url.href, display, key }, text);
      const self = checked.document?.json.self as Record<string, unknown> | undefined;
      const claimed = self !== null && typeof self === "object" ? `iglu:${String(self.vendor)}/${String(self.name)}/${String(self.format)}/${String(self.version)}` : undefined;
      if (claimed !== undefined && claimed !== uri) {
        // The location check says the same in a folder's terms; here the location is the URI asked for.
        return [{
          level: "error", code: "self-mismatch", file: display, uri, pointer: "/self",
          message: `${repository.name} answered ${uri} with a schema whose self is ${claimed}`,
          hint: "the registry serves the wrong schema at that path: fix the registry",
        }, ...checked.diagnostics.filter((d) => d.code !== "path-mismatch")];
      }
      return checked.diagnostics.map((d) => ({
        ...d, hint: d.code === "json-syntax" || d.code === "not-a-schema" ? `${repository.name} did not send a self-describing schema: is the repository's URL right?` : d.hint,
      }));
    },
  };
  return client;
}

/**
 * The Iglu schemas a schema's `$ref`s name (safe to use as paths): the
 * references in schema positions only (walk.ts), so a `$ref` inside enum or
 * default data is not taken for a dependency.
 */
export function referencedSchemas(text: string): SchemaKey[] {
  const found: SchemaKey[] = [];
  const parsed = parseJson(text, { maxDepth: MAX_SCHEMA_DEPTH });
  if (!parsed.ok) return found; // reported by check()
  const walk = (node: unknown, pointer: string): void => {
    if (!isObject(node)) return;
    if (typeof node.$ref === "string") {
      const key = igluRefTarget(node.$ref)?.key;
      if (key !== undefined && isSafeKeyPart("vendor", key.vendor) && isSafeKeyPart("name", key.name)) found.push(key);
    }
    forEachSubschema(node, pointer, walk);
  };
  walk(parsed.json.value, "");
  return found;
}

/** The URI a schema's text claims in its `self`, if it has one. */
function claimedUri(text: string): string | undefined {
  const parsed = parseJson(text, { maxDepth: MAX_SCHEMA_DEPTH });
  const self = parsed.ok && isObject(parsed.json.value) ? parsed.json.value.self : undefined;
  return isObject(self) ? `iglu:${String(self.vendor)}/${String(self.name)}/${String(self.format)}/${String(self.version)}` : undefined;
}

/**
 * An Iglu Server's list, item by item: a URI, or a whole schema (its URI
 * from `self`, and its text exactly as the server sent it: numbers such as
 * 9223372036854775807 would not survive JSON.parse and JSON.stringify).
 */
function listedItems(body: string, repo: Repository, url: URL): { uri: string; text?: string }[] {
  const { values, json } = listedValues(body, repo, url);
  return values.map((item, i) => {
    if (typeof item === "string") return { uri: item };
    const self = isObject(item) ? item.self : undefined;
    if (!isObject(self)) return { uri: `an item that is not a schema (item ${i})` };
    return { uri: `iglu:${String(self.vendor)}/${String(self.name)}/${String(self.format)}/${String(self.version)}`, text: elementText(body, json, i, values.length) };
  });
}

function listedValues(body: string, repo: Repository, url: URL): { values: unknown[]; json: ParsedJson } {
  // A list holds schemas: one level more than a schema may have.
  const parsed = parseJson(body, { maxDepth: MAX_SCHEMA_DEPTH + 1 });
  if (!parsed.ok) {
    throw new RegistryError("invalid", parsed.error.kind === "depth"
      ? `${repo.name} sent a list nested deeper than a schema may be (${showUrl(url)})`
      : `${repo.name} sent a list that is not JSON (${showUrl(url)})`, "is this an Iglu Server? Its URI must end in /api");
  }
  const value = parsed.json.value;
  if (!Array.isArray(value)) throw new RegistryError("invalid", `${repo.name} sent something other than a list of schemas (${showUrl(url)})`, "is this an Iglu Server? Its URI must end in /api");
  return { values: value, json: parsed.json };
}

/** The text of element `i` of the array `body` holds (which parsed): from its start to the comma or bracket after it, whitespace trimmed. */
function elementText(body: string, json: ParsedJson, i: number, count: number): string {
  const start = json.positionOf(`/${i}`)!.offset;
  let end = i + 1 < count ? json.positionOf(`/${i + 1}`)!.offset : body.lastIndexOf("]");
  end--;
  while (/\s/.test(body[end]!)) end--;
  if (i + 1 < count) { // the comma, then whitespace before it
    end--;
    while (/\s/.test(body[end]!)) end--;
  }
  return body.slice(start, end + 1);
}

/** An Iglu Server's list as URIs (whole schemas, as older servers send, reduced to theirs). */
function listedUris(body: string, repo: Repository, url: URL): string[] {
  return listedItems(body, repo, url).map((item) => item.uri);
}

function highest(versions: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const v of versions) {
    const ver = parseSchemaVer(v);
    const current = best === undefined ? undefined : parseSchemaVer(best);
    if (ver !== undefined && (current === undefined || compareSchemaVer(ver, current) > 0)) best = v;
  }
  return best;
}
