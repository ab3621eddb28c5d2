/** What igluc micro's tests share: the fixture registry, and raw requests in the tracker protocol. */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/schemas");
export const SIGNUP = "iglu:com.acme/signup/jsonschema/1-0-0";
export const USER = "iglu:com.acme/user/jsonschema/1-0-0";
export const UNSTRUCT = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0";
export const CONTEXTS = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0";
export const PAYLOAD_DATA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4";

/** A self-describing event's ue_pr value. */
export function uePr(schema: string, data: unknown): string {
  return JSON.stringify({ schema: UNSTRUCT, data: { schema, data } });
}

/** A tp2 POST body around `events`. */
export function body(events: readonly unknown[], schema = PAYLOAD_DATA): string {
  return JSON.stringify({ schema, data: events });
}

/** POSTs `text` to micro's tp2 path. */
export async function post(url: string, text: string): Promise<Response> {
  return fetch(`${url}/com.snowplowanalytics.snowplow/tp2`, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: text });
}
