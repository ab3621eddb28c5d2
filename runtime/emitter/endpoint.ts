/**
 * Collector endpoint → origin and base path. A bare host means https on its
 * default port; a scheme in the endpoint wins over the `protocol` option.
 */
export interface CollectorAddress {
  /** e.g. `https://collector.example.com` or `http://127.0.0.1:9090` */
  readonly origin: string;
  /** Path prefix before `/i` or `/com.snowplowanalytics.snowplow/tp2`, without a trailing slash. */
  readonly basePath: string;
}

export function parseEndpoint(endpoint: string, protocol?: "http" | "https", port?: number): CollectorAddress {
  if (typeof endpoint !== "string" || endpoint.trim() === "") {
    throw new TypeError("Emitter: endpoint is required, e.g. \"collector.example.com\" or \"http://127.0.0.1:9090\"");
  }
  const text = endpoint.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `${protocol ?? "https"}://${text}`);
  } catch {
    throw new TypeError(`Emitter: endpoint "${text}" is not a host name or URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Emitter: endpoint "${text}" must use http or https, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new TypeError(`Emitter: endpoint "${text}" must not carry a query or fragment`);
  }
  if (port !== undefined) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`Emitter: port ${String(port)} is not a TCP port`);
    if (url.port === "") url.port = String(port);
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}
