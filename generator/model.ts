/** The facts every stage shares about a schema file (the Iglu model itself, keys and SchemaVer, is runtime/iglu.ts). */
import type { SchemaKey, SchemaVer } from "@igluc/runtime/iglu";
import type { Position } from "./load/positions.js";

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
  /** Listed by its folder as a symbolic link (findSchemas): only then is it checked to stay inside `root`; anything else is opened without following a link. */
  readonly link?: true;
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
