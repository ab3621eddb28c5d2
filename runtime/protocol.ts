/**
 * Fixed facts of the Snowplow tracker protocol: schema URIs, paths, headers,
 * and the encoding rules every payload value goes through.
 */

import { VERSION } from "./version.js";

/** Sent as `tv`. */
export const TRACKER_VERSION = `igluc-${VERSION}`;

export const PAYLOAD_DATA_SCHEMA = "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4";
export const UNSTRUCT_EVENT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0";
/** 1-0-0 (as the Node tracker sends); we never send an empty array, so its minItems holds. */
export const CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0";

export const POST_PATH = "/com.snowplowanalytics.snowplow/tp2";
export const GET_PATH = "/i";
export const POST_CONTENT_TYPE = "application/json; charset=utf-8";

/**
 * Statuses that mean "this request will never succeed", unless customRetryCodes
 * says otherwise. 413 (payload too large) and 414 (URI too long, for GET) are
 * among them, but a POST batch of several events answered 413 is first split
 * and sent again in halves, so only an event the collector refuses on its own
 * is dropped.
 */
export const NON_RETRYABLE_STATUSES: readonly number[] = [400, 401, 403, 410, 413, 414, 422];

/** Platforms enrich accepts in `p`. */
export const PLATFORMS = ["web", "mob", "pc", "srv", "app", "tv", "cnsl", "iot"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The shape an Iglu URI must have (SchemaKey.schemaUriRegex): the grammar lives in iglu.ts. */
export { IGLU_URI } from "./iglu.js";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One event as it goes on the wire: every value a string. */
export type Payload = Readonly<Record<string, string>>;
