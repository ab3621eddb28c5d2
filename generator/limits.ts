/**
 * Every fixed bound igluc puts on what it reads and on the work it does, in
 * one place. Schemas and registries are untrusted input (they arrive in pull
 * requests and from servers), so no input may make a run hang, exhaust
 * memory or crash: each bound, when hit, becomes a diagnostic for the file,
 * schema or repository concerned, and the rest of the run goes on. README
 * ("Security and limits") lists them all; settings users may change (HTTP
 * timeouts, retries, concurrency) live with their defaults in remote/http.ts.
 */

/** Largest schema file (or schema fetched on its own) read, in bytes. Iglu Central's largest is 32 KB. */
export const MAX_SCHEMA_BYTES = 4 * 1024 * 1024;

/**
 * Deepest JSON nesting of a schema, in objects and arrays, as written and with
 * its `$ref`s inlined. Iglu Central's deepest is 23; every stage after loading
 * (ajv, the walkers, json-schema-to-typescript) recurses, and this keeps each
 * far from the call stack's end.
 */
export const MAX_SCHEMA_DEPTH = 100;

/**
 * Most subschemas one schema may have once its `$ref`s are inlined. A
 * reference used twice per level doubles the schema per level; this stops
 * the expansion early. Iglu Central's largest has 213.
 */
export const MAX_SCHEMA_NODES = 20_000;

/**
 * Most values one `enum` may list: the draft-04 metaschema checks them unique pair by pair (10,000
 * take about 0.6 s; 100,000 took a minute). Iglu Central's longest has a few hundred.
 */
export const MAX_ENUM_VALUES = 10_000;

/** Duplicate keys reported per file; one more finding says how many were left out. */
export const MAX_DUPLICATE_KEYS_REPORTED = 20;

/** Metaschema findings reported per file: the first ones say what is wrong. */
export const MAX_META_ERRORS = 10;

/** Longest generated file name stem; a longer one is cut and given a hash of the whole, so names stay distinct. */
export const MAX_FILE_STEM = 100;

/** Longest vendor, name or version taken from a registry: a folder or file name (255 bytes on common file systems) with room for a suffix. */
export const MAX_KEY_PART = 200;

/** Largest HTTP response body read: no schema or list comes near it. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** Redirects followed per request. */
export const MAX_REDIRECTS = 3;

/** Requests one walk of a static registry's versions may make (it cannot list; a schema with 100 versions needs about 200). */
export const MAX_VERSION_PROBES = 300;

/** Rounds of following references to other schemas (a chain longer than this is cut). */
export const MAX_REFERENCE_ROUNDS = 20;

/** Schemas one pull or one generation may take from repositories, references included. */
export const MAX_REMOTE_SCHEMAS = 20_000;

/** Largest igluc.config.json or resolver file read, in bytes: a few KB in practice. */
export const MAX_SETTINGS_BYTES = 1024 * 1024;

/** Largest lockfile read, in bytes: a line of about 150 bytes a schema, for up to MAX_REMOTE_SCHEMAS schemas. */
export const MAX_LOCKFILE_BYTES = 16 * 1024 * 1024;

/**
 * Largest file read back from an output folder (a module the last run wrote,
 * the manifest): Iglu Central's largest module is far below it; a larger file
 * there is not one igluc wrote, and is written again or left alone.
 */
export const MAX_OUTPUT_FILE_BYTES = 64 * 1024 * 1024;

/** Largest tracking-plan file read, in bytes: a plan of a thousand specifications is far below it. */
export const MAX_PLAN_BYTES = 1024 * 1024;

/** Deepest nesting of a tracking plan, in objects and arrays (a plan is a few levels; a data product's property rules a few more). */
export const MAX_PLAN_DEPTH = 64;

/** Event specifications in one plan. */
export const MAX_PLAN_SPECIFICATIONS = 1000;

/** Entities (and property rules) in one specification: types of a union of more would slow tsc down for nothing. */
export const MAX_PLAN_ENTITIES = 100;

/**
 * Tuple elements the plan's typed counts may come to: an entity of at most 20 is a union of tuples (210
 * element types for 0..20), and a plan of many would make specifications.ts hundreds of megabytes. Past
 * this, an entity's count is an array of any length (plan-cardinality-unchecked).
 */
export const MAX_PLAN_TUPLE_ELEMENTS = 100_000;

/** Longest function name a plan's specification makes (its types' names are a few characters longer). */
export const MAX_PLAN_FUNCTION_NAME = 200;

/** Values one property rule may list. */
export const MAX_PLAN_VALUES = 1000;

/** Plan problems reported per file: the first ones say what is wrong. */
export const MAX_PLAN_PROBLEMS = 20;

/** Largest entity cardinality (min or max) made a tuple type; above it, an array of any length (and a plan-cardinality-unchecked warning). */
export const MAX_PLAN_CARDINALITY = 20;
