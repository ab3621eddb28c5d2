/**
 * Following `$ref`s to other Iglu schemas, so that what was taken is
 * complete: round by round, the schemas taken last are read for references
 * not yet known, and each is taken. Bounded: at most MAX_REFERENCE_ROUNDS
 * rounds (a longer chain is cut, its end left for the generator to report
 * where it is referred to) and MAX_REMOTE_SCHEMAS schemas in all.
 */
import { MAX_REFERENCE_ROUNDS, MAX_REMOTE_SCHEMAS } from "../limits.js";
import { igluUri, type SchemaKey } from "@igluc/runtime/iglu";
import { referencedSchemas } from "./client.js";
import { RegistryError } from "../errors.js";

export interface Taken {
  readonly uri: string;
  readonly text: string;
}

/**
 * `start`: the schemas taken so far; `known`: URIs already taken or being
 * taken otherwise; `take`: takes the schema `from` refers to, resolving with
 * it (undefined when no repository has it).
 */
export async function takeReferences(start: readonly Taken[], known: (uri: string) => boolean, take: (key: SchemaKey, from: string) => Promise<Taken | undefined>): Promise<void> {
  const asked = new Set<string>();
  let frontier = start;
  for (let round = 0; round < MAX_REFERENCE_ROUNDS && frontier.length > 0; round++) {
    const wanted = new Map<string, { key: SchemaKey; from: string }>();
    for (const schema of frontier) {
      for (const key of referencedSchemas(schema.text)) {
        const uri = igluUri(key);
        if (!known(uri) && !asked.has(uri) && !wanted.has(uri)) wanted.set(uri, { key, from: schema.uri });
      }
    }
    if (start.length + asked.size + wanted.size > MAX_REMOTE_SCHEMAS) {
      throw new RegistryError("invalid", `the schemas and those they refer to are more than ${MAX_REMOTE_SCHEMAS}`, "take fewer schemas at once (--vendor, --schema, include and exclude)");
    }
    for (const uri of wanted.keys()) asked.add(uri);
    const got = await Promise.all([...wanted.values()].map(({ key, from }) => take(key, from)));
    frontier = got.filter((t): t is Taken => t !== undefined);
  }
}
