/** The facts every stage shares about a schema. */
import type { Position } from "./load/json.js";

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

/** SchemaVer: MODEL ≥ 1, no leading zeros. */
const SCHEMAVER = /^([1-9][0-9]*)-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$/;

export function parseSchemaVer(version: string): SchemaVer | undefined {
  const m = SCHEMAVER.exec(version);
  return m === null ? undefined : { model: Number(m[1]), revision: Number(m[2]), addition: Number(m[3]) };
}

export function compareSchemaVer(a: SchemaVer, b: SchemaVer): number {
  return a.model - b.model || a.revision - b.revision || a.addition - b.addition;
}

export function igluUri(key: SchemaKey): string {
  return `iglu:${key.vendor}/${key.name}/${key.format}/${key.version}`;
}

/** A schema file found in a registry folder, before it is read as JSON. */
export interface SchemaFile {
  /** Absolute path. */
  readonly path: string;
  /** Path for messages: relative to the working directory. */
  readonly display: string;
  /** The key the file's location claims. */
  readonly key: SchemaKey;
  /** The registry folder it was found in (its real path): a link to anywhere outside it is not followed. */
  readonly root?: string;
}

/** A schema as its location describes it: enough to select and name it before it is read. */
export interface Candidate {
  readonly file: SchemaFile;
  readonly uri: string;
  readonly key: SchemaKey;
  readonly ver: SchemaVer;
}

/** A schema that parsed and passed the self-describing checks. */
export interface LoadedSchema extends Candidate {
  readonly json: Readonly<Record<string, unknown>>;
  positionOf(pointer: string): Position | undefined;
}
