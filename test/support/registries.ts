/**
 * Real HTTP registries on 127.0.0.1 for the tests: an Iglu Server (the
 * routes igluc's client uses: list all, by vendor, by vendor/name, by
 * MODEL; fetch one; the apikey header; 404 for empty lists) and a static
 * registry (files at /schemas/{vendor}/{name}/{format}/{version}, no
 * listing). Each records the requests it received and can be told to
 * misbehave: answer slowly, fail with a status, or drop the connection.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after } from "node:test";

export type Schemas = Map<string, Record<string, unknown> | string>;

export interface Seen {
  readonly path: string;
  readonly apikey?: string;
}

/** What to do with one request: answer normally, or not. */
export type Misbehave = (request: Seen, count: number) => { status?: number; delayMs?: number; destroy?: boolean; body?: string } | undefined;

export interface TestRegistry {
  /** The URL to configure: an Iglu Server's ends in /api. */
  readonly url: string;
  readonly requests: Seen[];
  misbehave: Misbehave | undefined;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface IgluServerOptions {
  readonly schemas: Schemas;
  /** Vendors only a request with `apikey` may see. */
  readonly privateVendors?: readonly string[];
  readonly apikey?: string;
  /** Lists hold whole schemas whatever is asked, as servers before 0.6 answered. */
  readonly legacyLists?: boolean;
  /** Lists hold URIs whatever is asked (a server that ignores `repr`). */
  readonly urisOnly?: boolean;
}

export function startIgluServer(options: IgluServerOptions): Promise<TestRegistry> {
  return serve("/api", (seen, respond, respondRaw) => {
    const url = new URL(seen.path, "http://x");
    const parts = url.pathname.split("/").filter((p) => p !== "").map(decodeURIComponent);
    if (parts[0] !== "api" || parts[1] !== "schemas") return respond(404, { message: "The requested resource could not be found" });
    if (seen.apikey !== undefined && !UUID.test(seen.apikey)) return respond(400, { message: "Invalid UUID for ApiKey" });
    const privileged = seen.apikey !== undefined && seen.apikey === options.apikey;
    if (seen.apikey !== undefined && !privileged) return respond(403, { message: "Not sufficient privileges" });
    const visible = (uri: string): boolean => privileged || !(options.privateVendors ?? []).some((v) => uri.startsWith(`iglu:${v}/`));
    const [, , vendor, name, format, version] = parts;
    if (version !== undefined) {
      const uri = `iglu:${vendor}/${name}/${format}/${version}`;
      const schema = options.schemas.get(uri);
      if (schema === undefined) return respond(404, { message: "The schema is not found" });
      if (!visible(uri)) return respond(401, { message: "Not authorized" });
      return respond(200, schema);
    }
    const listed = [...options.schemas.keys()].filter((uri) => {
      const [v, n, f, ver] = uri.slice(5).split("/");
      return visible(uri) && (vendor === undefined || v === vendor) && (name === undefined || n === name) &&
        (format === undefined || (f === "jsonschema" && ver?.split("-")[0] === format));
    }).sort();
    if (listed.length === 0) return respond(404, { message: "No schemas available" });
    const canonical = options.legacyLists === true || (options.urisOnly !== true && url.searchParams.get("repr") === "canonical");
    // A schema given as text goes into the list as that text, exactly (numbers beyond a double's precision included).
    const body = (uri: string): string => {
      const schema = options.schemas.get(uri);
      return typeof schema === "string" ? schema : JSON.stringify(schema);
    };
    return canonical ? respondRaw(200, `[${listed.map(body).join(",")}]`) : respond(200, listed);
  });
}

export function startStaticRegistry(schemas: Schemas): Promise<TestRegistry> {
  return serve("", (seen, respond) => {
    const parts = new URL(seen.path, "http://x").pathname.split("/").filter((p) => p !== "");
    if (parts[0] !== "schemas" || parts.length !== 5) return respond(404, "Not Found");
    const schema = schemas.get(`iglu:${parts.slice(1).join("/")}`);
    return schema === undefined ? respond(404, "Not Found") : respond(200, schema);
  });
}

type Handler = (seen: Seen, respond: (status: number, body: unknown) => void, respondRaw: (status: number, json: string) => void) => void;

async function serve(prefix: string, handle: Handler): Promise<TestRegistry> {
  const requests: Seen[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const registry: Partial<TestRegistry> & { misbehave: Misbehave | undefined } = { requests, misbehave: undefined };
  const server = http.createServer((req, res) => {
    const key = req.headers.apikey;
    const seen: Seen = { path: req.url ?? "/", ...(typeof key === "string" ? { apikey: key } : {}) };
    requests.push(seen);
    const respond = (status: number, body: unknown): void => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json; charset=utf-8" });
      res.end(text);
    };
    const respondRaw = (status: number, json: string): void => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(json);
    };
    const twist = registry.misbehave?.(seen, requests.length);
    if (twist?.destroy === true) {
      req.socket.destroy();
      return;
    }
    const go = (): void => {
      if (twist?.status !== undefined) respond(twist.status, twist.body ?? { message: "induced failure" });
      else handle(seen, respond, respondRaw);
    };
    if (twist?.delayMs !== undefined) setTimeout(go, twist.delayMs);
    else go();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(registry, {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  }) as TestRegistry;
}

const META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";

/** A small valid self-describing schema at `uri`, with `properties`. */
export function schemaAt(uri: string, properties: Record<string, unknown> = { id: { type: "string", maxLength: 36 } }, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [vendor, name, format, version] = uri.replace(/^iglu:/, "").split("/");
  return { $schema: META, self: { vendor, name, format, version }, description: `The ${name} schema.`, type: "object", properties, additionalProperties: false, ...extra };
}

/**
 * What a test file starts and makes: `keep` a server, take a fresh
 * `workspace` folder; both are closed and removed when the file's tests end.
 */
export function testScope(prefix: string): { keep<T extends TestRegistry>(server: T): T; workspace(): string } {
  const servers: TestRegistry[] = [];
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  return {
    keep(server) {
      servers.push(server);
      return server;
    },
    workspace() {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
  };
}

/**
 * The lockfile hash of a schema written with plain JSON numbers, worked out
 * independently of igluc's code: SHA-256 of its JSON with every object's
 * keys sorted and no whitespace.
 */
export function lockHashOf(schema: unknown): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
  };
  return createHash("sha256").update(JSON.stringify(sorted(schema))).digest("hex");
}
