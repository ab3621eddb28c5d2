/**
 * A Snowplow collector for tests: node:http on 127.0.0.1, recording every
 * request and the events it carried, with scriptable faults; with `cors`, it
 * answers browsers from other origins as the Snowplow collector does.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Payload = Record<string, string>;

export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The events carried (POST body data, or the GET query as one event). */
  readonly events: Payload[];
  /** Ordinal of this request, from 1. */
  readonly n: number;
}

/**
 * What the collector does with a request:
 * - a status: answer it (events are recorded only for 2xx);
 * - "destroy": read the request, then drop the connection without answering (nothing recorded);
 * - "record-then-destroy": record the events, then drop the connection (an ambiguous failure);
 * - "hang": never answer (nothing recorded);
 * - "trickle": record the events, send 200 and its headers, then a body of one byte a second that never ends.
 * `delay` postpones the answer; `headers` are added to it.
 */
export type Behaviour = (request: CapturedRequest) => {
  action: number | "destroy" | "record-then-destroy" | "hang" | "trickle";
  delay?: number;
  headers?: Record<string, string>;
};

export interface Collector {
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: CapturedRequest[];
  /** Events recorded as delivered (from requests answered 2xx, or record-then-destroy). */
  readonly delivered: Payload[];
  /** CORS preflights (OPTIONS) answered, with `cors` on; they are not in `requests`. */
  readonly preflights: CapturedRequest[];
  setBehaviour(behaviour: Behaviour): void;
  /** Resolves once at least `count` events were recorded; rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs?: number): Promise<Payload[]>;
  /** Resolves once at least `count` requests arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<CapturedRequest[]>;
  close(): Promise<void>;
}

export const ok: Behaviour = () => ({ action: 200 });

export interface CollectorOptions {
  behaviour?: Behaviour;
  port?: number;
  /**
   * Answer web pages of other origins as the Snowplow collector does: a CORS
   * preflight (OPTIONS) gets 200 allowing POST and the headers asked for, and
   * every answer to a request with an Origin allows that origin with
   * credentials (the fetch transport's JSON content type and sendBeacon's
   * credentials need both). Off, a browser's cross-origin requests fail, as
   * against a collector without CORS. @defaultValue false
   */
  cors?: boolean;
}

export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  let behaviour = options.behaviour ?? ok;
  const requests: CapturedRequest[] = [];
  const delivered: Payload[] = [];
  const preflights: CapturedRequest[] = [];
  const cors = (req: http.IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (options.cors !== true || origin === undefined) return {};
    return { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", vary: "Origin" };
  };
  const waiters = new Set<() => void>();
  const hanging = new Set<http.ServerResponse>();
  const trickles = new Set<ReturnType<typeof setInterval>>();
  const notify = (): void => { for (const w of [...waiters]) w(); };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://collector");
      if (options.cors === true && req.method === "OPTIONS") {
        preflights.push({ method: "OPTIONS", path: url.pathname + url.search, headers: req.headers, body, events: [], n: preflights.length + 1 });
        res.writeHead(200, {
          ...cors(req),
          "access-control-allow-methods": "POST, GET, OPTIONS",
          "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "Content-Type",
          "access-control-max-age": "600",
          "content-length": "0",
        }).end();
        return;
      }
      let events: Payload[] = [];
      if (req.method === "POST") {
        try {
          events = (JSON.parse(body) as { data: Payload[] }).data;
        } catch {
          events = [];
        }
      } else {
        events = [Object.fromEntries(url.searchParams.entries())];
      }
      const captured: CapturedRequest = { method: req.method ?? "", path: url.pathname + url.search, headers: req.headers, body, events, n: requests.length + 1 };
      requests.push(captured);
      notify();
      const { action, delay = 0, headers = {} } = behaviour(captured);
      const act = (): void => {
        if (action === "hang") {
          hanging.add(res);
        } else if (action === "trickle") {
          delivered.push(...events);
          hanging.add(res);
          res.writeHead(200, { "content-type": "text/plain", "content-length": "1000000", ...cors(req), ...headers });
          res.flushHeaders();
          const timer = setInterval(() => { if (!res.destroyed) res.write("."); }, 1000);
          trickles.add(timer);
          res.on("close", () => { clearInterval(timer); trickles.delete(timer); });
        } else if (action === "destroy") {
          req.socket.destroy();
        } else if (action === "record-then-destroy") {
          delivered.push(...events);
          req.socket.destroy();
        } else {
          if (action >= 200 && action < 300) delivered.push(...events);
          res.writeHead(action, { "content-type": "text/plain", ...cors(req), ...headers }).end(action >= 200 && action < 300 ? "ok" : "no");
        }
        notify();
      };
      if (delay > 0) setTimeout(act, delay);
      else act();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const waitFor = <T>(done: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const value = done();
        if (value !== undefined) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`collector: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    delivered,
    preflights,
    setBehaviour(next) { behaviour = next; },
    waitForEvents(count, timeoutMs = 10_000) {
      return waitFor(() => (delivered.length >= count ? delivered : undefined), timeoutMs, () => `${count} events (have ${delivered.length})`);
    },
    waitForRequests(count, timeoutMs = 10_000) {
      return waitFor(() => (requests.length >= count ? requests : undefined), timeoutMs, () => `${count} requests (have ${requests.length})`);
    },
    async close() {
      for (const timer of trickles) clearInterval(timer);
      for (const res of hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
