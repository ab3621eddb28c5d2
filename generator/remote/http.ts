/**
 * HTTP for registries, through undici: keep-alive connections, at most
 * `concurrency` requests at once, a timeout on connecting and on each
 * response, and bounded retries with backoff on network errors, timeouts,
 * 429 and 5xx. TLS verification stays on; a redirect is followed only to the
 * same scheme or from http to https, and an API key only to the same origin.
 * Errors name the repository and the URL, never the key.
 */
import type { Agent as AgentType, Dispatcher } from "undici";
import { RegistryError } from "../errors.js";
import { MAX_REDIRECTS, MAX_RESPONSE_BYTES } from "../limits.js";

export interface HttpSettings {
  /** Connect, response-headers and body timeout, each. */
  readonly timeoutMs: number;
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly concurrency: number;
  /** First backoff; doubles each retry, with jitter, capped at 2 s. */
  readonly retryDelayMs: number;
}

export const DEFAULT_HTTP: HttpSettings = { timeoutMs: 10_000, retries: 3, concurrency: 8, retryDelayMs: 200 };



export interface Response {
  readonly status: number;
  readonly body: string;
  /** The URL that answered, after redirects. */
  readonly url: URL;
}

export interface HttpClient {
  /**
   * GETs `url`; resolves with any final status (callers decide what a 404 means); throws RegistryError when it cannot get one.
   * `stop` aborting ends the request at once, waiting or in flight, with its reason, and no retry.
   */
  get(url: URL, repository: string, headers?: Readonly<Record<string, string>>, stop?: AbortSignal): Promise<Response>;
  close(): Promise<void>;
}

/** The URL as it may be shown: no user or password. */
export function showUrl(url: URL): string {
  if (url.username === "" && url.password === "") return url.href;
  const copy = new URL(url.href);
  copy.username = "";
  copy.password = "";
  return copy.href;
}

const RETRY_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);
const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

export async function createHttpClient(settings: HttpSettings): Promise<HttpClient> {
  const { Agent, request } = await import("undici");
  const agent: AgentType = new Agent({
    connections: settings.concurrency,
    keepAliveTimeout: 10_000,
    headersTimeout: settings.timeoutMs,
    bodyTimeout: settings.timeoutMs,
    connect: { timeout: settings.timeoutMs },
    maxResponseSize: MAX_RESPONSE_BYTES,
  });
  const queue: (() => void)[] = [];
  let active = 0;
  /** Aborted by close(): requests still waiting, in flight or between retries end at once. */
  const closing = new AbortController();
  /** A slot among `concurrency`; false when `stop` aborted while waiting (then no slot is held). */
  const acquire = async (stop: AbortSignal | undefined): Promise<boolean> => {
    if (active < settings.concurrency) {
      active++;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const take = (): void => {
        stop?.removeEventListener("abort", leave);
        resolve(true);
      };
      const leave = (): void => {
        queue.splice(queue.indexOf(take), 1);
        resolve(false);
      };
      queue.push(take);
      stop?.addEventListener("abort", leave, { once: true });
    });
  };
  const release = (): void => {
    const next = queue.shift();
    if (next !== undefined) next();
    else active--;
  };

  const once = async (url: URL, headers: Readonly<Record<string, string>>, stop: AbortSignal | undefined): Promise<Response> => {
    // undici's own timeouts tick coarsely (about a second); this one bounds the whole attempt, body included.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(Object.assign(new Error("timed out"), { code: "UND_ERR_HEADERS_TIMEOUT" })), settings.timeoutMs);
    try {
      return await follow(url, headers, stop === undefined ? controller.signal : AbortSignal.any([controller.signal, stop]));
    } finally {
      clearTimeout(timer);
    }
  };

  const follow = async (url: URL, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Response> => {
    let current = url;
    let sendHeaders = headers;
    for (let hop = 0; ; hop++) {
      const response: Dispatcher.ResponseData = await request(current, { dispatcher: agent, method: "GET", signal, headers: { accept: "application/json", ...sendHeaders } });
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === "string" && hop < MAX_REDIRECTS) {
        await response.body.dump();
        const next = new URL(location, current);
        if (next.protocol !== current.protocol && !(current.protocol === "http:" && next.protocol === "https:")) {
          throw new RegistryError("invalid", `${showUrl(current)} redirects to ${showUrl(next)}, a less secure scheme; not followed`, "point the repository at the final URL if you trust it");
        }
        if (next.origin !== current.origin) sendHeaders = withoutKey(sendHeaders);
        current = next;
        continue;
      }
      return { status: response.statusCode, body: await response.body.text(), url: current };
    }
  };

  return {
    async get(url, repository, headers = {}, own) {
      const stop = own === undefined ? closing.signal : AbortSignal.any([own, closing.signal]);
      const stopped = (): boolean => stop.aborted;
      if (!(await acquire(stop))) throw stop.reason;
      try {
        for (let attempt = 0; ; attempt++) {
          let failure: RegistryError;
          try {
            const response = await once(url, headers, stop);
            if (response.status !== 429 && response.status < 500) return response;
            failure = new RegistryError("server", `${repository} answered ${response.status} for ${showUrl(url)}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ""}`,
              "the registry is failing: try again later, or ask its operator");
          } catch (error) {
            if (stopped()) throw stop.reason;
            if (error instanceof RegistryError) throw error;
            failure = describe(error, url, repository, attempt + 1);
            if (failure.kind === "invalid") throw failure;
          }
          if (attempt >= settings.retries) throw failure;
          const delay = Math.min(2000, settings.retryDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);
          await new Promise((resolve) => setTimeout(resolve, delay));
          if (stopped()) throw stop.reason;
        }
      } finally {
        release();
      }
    },
    close: async () => {
      closing.abort(new RegistryError("unreachable", "the run stopped before this request ended", "see the error reported first"));
      await agent.close();
    },
  };
}

function withoutKey(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== "apikey") out[k] = v;
  return out;
}

function describe(error: unknown, url: URL, repository: string, attempts: number): RegistryError {
  const code = (error as { code?: string }).code ?? "";
  const after = attempts > 1 ? ` (after ${attempts} attempts)` : "";
  if (TIMEOUT_CODES.has(code)) {
    return new RegistryError("timeout", `${repository} did not answer ${showUrl(url)} in time${after}`, "check the registry is up and reachable, or raise the timeout");
  }
  if (RETRY_CODES.has(code) || code === "ENOTFOUND") {
    return new RegistryError("unreachable", `${repository} is unreachable at ${showUrl(url)} (${code})${after}`,
      code === "ENOTFOUND" ? "check the host name in the repository's URL" : "check the registry is up and the URL is right");
  }
  if (code === "UND_ERR_RES_EXCEEDED_MAX_SIZE") {
    return new RegistryError("invalid", `${repository} sent more than ${MAX_RESPONSE_BYTES} bytes for ${showUrl(url)}`, "that is no schema: check the repository's URL");
  }
  if (code.startsWith("ERR_TLS") || code.includes("CERT") || code === "DEPTH_ZERO_SELF_SIGNED_CERT") {
    return new RegistryError("invalid", `${repository}: the TLS certificate of ${url.host} is not trusted (${code})`, "fix the server's certificate, or add its CA with NODE_EXTRA_CA_CERTS; verification stays on");
  }
  return new RegistryError("unreachable", `${repository}: ${showUrl(url)} failed (${code || (error as Error).message})${after}`, "check the registry is up and the URL is right");
}
