/**
 * The Iglu model: a schema's key (vendor, name, format, version), its URI
 * `iglu:vendor/name/format/M-R-A`, and SchemaVer (MODEL-REVISION-ADDITION,
 * MODEL at least 1, no leading zeros), by the grammar of Iglu's own
 * libraries (iglu-scala-core: SchemaKey, SchemaVer.Full).
 *
 * The one home of that grammar, for the runtime (the URIs a tracker sends)
 * and the generator (registries, lockfiles, options, references) alike.
 * It imports nothing, so the runtime stays free of the generator.
 */

/**
 * Regular-expression sources of each part (unanchored, no capturing groups),
 * for composing other patterns and JSON Schemas. A vendor may hold dots; a
 * name or format may not.
 */
const MODEL = "[1-9][0-9]*";
/** REVISION or ADDITION: 0 or more, no leading zeros. */
const PART = "0|[1-9][0-9]*";

export const IGLU_PATTERNS = {
  vendor: "[a-zA-Z0-9\\-_.]+",
  name: "[a-zA-Z0-9\\-_]+",
  format: "[a-zA-Z0-9\\-_]+",
  /** A MODEL alone: `1`, `12`. */
  model: MODEL,
  /** `M-R-A` */
  schemaVer: `${MODEL}-(?:${PART})-(?:${PART})`,
} as const;

const P = IGLU_PATTERNS;

/** An Iglu URI; the groups are vendor, name, format and version. */
export const IGLU_URI = new RegExp(`^iglu:(${P.vendor})/(${P.name})/(${P.format})/(${P.schemaVer})$`);

const SCHEMAVER = new RegExp(`^(${MODEL})-(${PART})-(${PART})$`);
const VENDOR = new RegExp(`^${P.vendor}$`);
const NAME = new RegExp(`^${P.name}$`);

export interface SchemaKey {
  readonly vendor: string;
  readonly name: string;
  readonly format: string;
  /** `M-R-A` */
  readonly version: string;
}

export interface SchemaVer {
  readonly model: number;
  readonly revision: number;
  readonly addition: number;
}

/** The key of an Iglu URI; undefined when the text is not one. */
export function parseIgluUri(uri: string): SchemaKey | undefined {
  const m = IGLU_URI.exec(uri);
  return m === null ? undefined : { vendor: m[1] as string, name: m[2] as string, format: m[3] as string, version: m[4] as string };
}

/** `iglu:vendor/name/format/version`, as the key's parts are (not checked). */
export function igluUri(key: SchemaKey): string {
  return `iglu:${key.vendor}/${key.name}/${key.format}/${key.version}`;
}

/** `M-R-A` as numbers; undefined when it is not a SchemaVer. */
export function parseSchemaVer(version: string): SchemaVer | undefined {
  const m = SCHEMAVER.exec(version);
  return m === null ? undefined : { model: Number(m[1]), revision: Number(m[2]), addition: Number(m[3]) };
}

/** `M-R-A` */
export function formatSchemaVer(ver: SchemaVer): string {
  return `${ver.model}-${ver.revision}-${ver.addition}`;
}

/** Orders by MODEL, then REVISION, then ADDITION. */
export function compareSchemaVer(a: SchemaVer, b: SchemaVer): number {
  return a.model - b.model || a.revision - b.revision || a.addition - b.addition;
}

/** Is `text` a vendor (`com.acme`, dots allowed)? */
export function isVendor(text: string): boolean {
  return VENDOR.test(text);
}

/** Is `text` a schema name (or a format: the same characters, no dots)? */
export function isName(text: string): boolean {
  return NAME.test(text);
}
