/**
 * The collector: node:http on loopback, accepting the tracker protocol as
 * Snowplow collectors do (POST /com.snowplowanalytics.snowplow/tp2, GET /i
 * answered with a 1x1 GIF, CORS for pages of other origins, with
 * credentials) and serving the Micro REST API under /micro/. Every input is
 * bounded: the body's size (413, and a bad event saying so), events per
 * request, entities per event, the time a request may take; whatever a
 * client sends becomes events (good or bad) or an error answer, never a
 * crash.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { answerApi } from "./api.js";
import { decodeBody, decodeQuery, type Arrived } from "./decode.js";
import type { SchemaSet } from "./schemas.js";
import type { EventParts, EventStore, MicroEvent, PartsSource } from "./store.js";
import { PAYLOAD_DATA, validateEvent, type EventLimits } from "./validate.js";

const POST_PATH = "/com.snowplowanalytics.snowplow/tp2";
/** The pixel path, and the legacy one some trackers use. */
const GET_PATHS = new Set(["/i", "/com.snowplowanalytics.snowplow/i", "/ice.png"]);

/** A transparent 1x1 GIF, as collectors answer GET /i. */
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export interface ServerLimits extends EventLimits {
  readonly maxBodyBytes: number;
  readonly maxEventsPerRequest: number;
  /** A request (headers and body) must arrive within this. */
  readonly requestTimeoutMs: number;
}

export interface ServerContext {
  readonly store: EventStore;
  readonly schemas: SchemaSet;
  readonly limits: ServerLimits;
  /** Called with each event kept, good or bad. */
  readonly onEvent?: (event: MicroEvent) => void;
}

type RequestInfo = MicroEvent["request"];

function cors(req: http.IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return origin === undefined
    ? { "access-control-allow-origin": "*" }
    : { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", vary: "Origin" };
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * A request body's bytes, kept for its good events: their parameters, event
 * and entities are decoded again (and checked again, to the same verdict)
 * when asked for, and held weakly, like the events' parts (see StoredEvent).
 */
class BodySource implements PartsSource {
  private decoded: WeakRef<readonly Arrived[]> | undefined;

  constructor(private readonly ctx: ServerContext, private readonly bytes: Buffer, private readonly schema: string) {}

  parts(index: number): EventParts {
    let events = this.decoded?.deref();
    if (events === undefined) {
      const decoded = decodeBody(this.bytes.toString("utf8"), this.ctx.limits);
      events = decoded.ok ? decoded.events : [];
      this.decoded = new WeakRef(events);
    }
    const arrived = events[index]!;
    const verdict = validateEvent(this.ctx.schemas, arrived, this.schema, this.ctx.limits);
    return { parameters: arrived.parameters, event: verdict.event, entities: verdict.entities };
  }
}

/** Bodies this dense or denser are kept as bytes for their good events; a sparser one (padding around few events) is not kept. */
const LAZY_BYTES_PER_EVENT = 8192;

/** Keeps one event; `bytes` is what it was sent as (see NewEvent). */
function keep(ctx: ServerContext, arrived: Arrived, payloadSchema: string, request: RequestInfo, bytes: number, receivedAt = new Date().toISOString(), source?: PartsSource, index = 0): void {
  const verdict = validateEvent(ctx.schemas, arrived, payloadSchema, ctx.limits);
  const { valid, eventId, eventType } = verdict;
  const schema = verdict.event?.schema;
  const contexts = verdict.entities.length === 0 ? NONE : verdict.entities.map((e) => e.schema);
  const messages = valid ? NONE : verdict.messages;
  const event = ctx.store.add(valid && source !== undefined
    ? { receivedAt, valid, messages, eventId, eventType, schema, contexts, request, bytes, source, index }
    : { receivedAt, valid, messages, eventId, eventType, schema, contexts, request, bytes, parts: { parameters: arrived.parameters, event: verdict.event, entities: verdict.entities } });
  ctx.onEvent?.(event);
}

/** One bad event standing for a request that carried none that can be read. */
function keepProblem(ctx: ServerContext, problem: string, request: RequestInfo): void {
  keep(ctx, { parameters: {}, problems: [problem] }, PAYLOAD_DATA, request, problem.length);
}

/** The body, or its size once it passed `max` bytes (the rest is read and dropped, so the answer reaches the client). */
function readBody(req: http.IncomingMessage, max: number): Promise<{ bytes: Buffer } | { tooLarge: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on("end", () => resolve(size > max ? { tooLarge: size } : { bytes: Buffer.concat(chunks) }));
    req.on("error", reject);
  });
}

async function handle(ctx: ServerContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://micro");
  const method = req.method ?? "GET";
  const headers = cors(req);
  if (method === "OPTIONS") {
    res.writeHead(200, {
      ...headers, "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "Content-Type", "access-control-max-age": "600",
    }).end();
    return;
  }
  const request = (api: "tp2" | "i"): RequestInfo => ({
    method, api, contentType: req.headers["content-type"], userAgent: req.headers["user-agent"], origin: req.headers.origin,
  });
  const body = method === "POST" ? await readBody(req, ctx.limits.maxBodyBytes) : { bytes: Buffer.alloc(0) };
  const text = "bytes" in body ? body.bytes.toString("utf8") : "";
  if (url.pathname === POST_PATH && method === "POST") {
    if ("tooLarge" in body) {
      keepProblem(ctx, `request body is ${body.tooLarge} bytes, more than the ${ctx.limits.maxBodyBytes} accepted (--max-body-bytes)`, request("tp2"));
      res.writeHead(413, { ...headers, "content-type": "text/plain", connection: "close" }).end("payload too large");
      return;
    }
    const decoded = decodeBody(text, ctx.limits);
    if (!decoded.ok) keepProblem(ctx, decoded.problem, request("tp2"));
    else {
      // One request's events share where and when they arrived.
      const info = request("tp2");
      const receivedAt = new Date().toISOString();
      const { events } = decoded;
      const source = body.bytes.length <= events.length * LAZY_BYTES_PER_EVENT ? new BodySource(ctx, body.bytes, decoded.schema) : undefined;
      // Each event counts for its share of the body: kept as bytes, or decoded from them.
      const share = Math.ceil(body.bytes.length / events.length);
      for (let i = 0; i < events.length; i++) keep(ctx, events[i]!, decoded.schema, info, share, receivedAt, source, i);
    }
    res.writeHead(200, { ...headers, "content-type": "text/plain" }).end("ok");
    return;
  }
  if (GET_PATHS.has(url.pathname) && method === "GET") {
    keep(ctx, decodeQuery(url.search.slice(1)), PAYLOAD_DATA, request("i"), url.search.length);
    res.writeHead(200, { ...headers, "content-type": "image/gif", "cache-control": "no-store" }).end(PIXEL);
    return;
  }
  if ("tooLarge" in body) {
    res.writeHead(413, { ...headers, "content-type": "application/json", connection: "close" }).end(JSON.stringify({ error: "request body too large" }));
    return;
  }
  const answer = await answerApi(method, url.pathname, text, ctx.store, ctx.schemas)
    ?? { status: 404, body: { error: "not a collector or /micro/ path" } };
  res.writeHead(answer.status, { ...headers, "content-type": "application/json" }).end(JSON.stringify(answer.body));
}

export interface Listening {
  readonly server: http.Server;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (`port` 0: a free one). */
export async function listen(ctx: ServerContext, port: number, host = "127.0.0.1"): Promise<Listening> {
  const timeout = ctx.limits.requestTimeoutMs;
  const server = http.createServer({
    requestTimeout: timeout, headersTimeout: Math.min(timeout, 60_000),
    // Node checks those timeouts every 30 s by default: a slow client would hold a connection that long.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(timeout / 4))),
  }, (req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      // igluc's own failure: answered, and the server goes on.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`igluc micro: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.on("clientError", (_error, socket) => { socket.destroy(); });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => { server.off("error", reject); resolve(); });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server, port: actual, url: `http://${host}:${actual}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
