/**
 * Collector endpoint → origin and base path, checked when the emitter is
 * made, so a mistyped endpoint fails at once rather than at the first send.
 * A bare host means https on its default port; a scheme in the endpoint wins
 * over the `protocol` option.
 */
import { describeValue } from "../describe.js";

export interface CollectorAddress {
  /** e.g. `https://collector.example.com` or `http://127.0.0.1:9090` */
  readonly origin: string;
  /** Path prefix before `/i` or `/com.snowplowanalytics.snowplow/tp2`, without a trailing slash. */
  readonly basePath: string;
}

const EXAMPLE = "e.g. \"collector.example.com\" or \"http://127.0.0.1:9090\"";

export function parseEndpoint(endpoint: unknown, protocol?: unknown, port?: unknown): CollectorAddress {
  if (typeof endpoint !== "string" || endpoint.trim() === "") {
    throw new TypeError(`Emitter: endpoint must be a collector host or URL (${EXAMPLE}), got ${describeValue(endpoint)}`);
  }
  if (protocol !== undefined && protocol !== "http" && protocol !== "https") {
    throw new TypeError(`Emitter: protocol must be "http" or "https", got ${describeValue(protocol)}`);
  }
  const text = endpoint.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  // "http//host", "https:/host", "http:host": a scheme typed wrong would otherwise become a host named "http".
  if (!hasScheme && /^https?(:|\/|:\/)(?!\/\/)/i.test(text)) {
    throw new TypeError(`Emitter: endpoint "${text}" looks like a URL with a mistyped scheme; write it as "http://…" or "https://…"`);
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `${protocol ?? "https"}://${text}`);
  } catch {
    throw new TypeError(`Emitter: endpoint "${text}" is not a host name or URL (${EXAMPLE})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Emitter: endpoint "${text}" must use http or https, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new TypeError(`Emitter: endpoint must not carry credentials (user:password@); send them as a header instead, e.g. headers: { authorization: "Basic …" }`);
  }
  if (url.hostname === "") throw new TypeError(`Emitter: endpoint "${text}" names no host (${EXAMPLE})`);
  if (url.search !== "" || url.hash !== "") {
    throw new TypeError(`Emitter: endpoint "${text}" must not carry a query or fragment`);
  }
  if (/\/\//.test(url.pathname)) throw new TypeError(`Emitter: endpoint "${text}" has an empty path segment ("//")`);
  if (port !== undefined) {
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new TypeError(`Emitter: port must be a TCP port (1 to 65535), got ${describeValue(port)}`);
    }
    if (url.port === "") url.port = String(port);
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}
