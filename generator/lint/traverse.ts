/**
 * The sub-schemas the schema linters visit: igluctl's traversal
 * (schema-ddl's `Schema.traverse`), a filter over the draft-04 walker
 * (schema/walk.ts). From the root it follows `items` (one schema or a
 * tuple), `additionalItems`, `properties/*`, `additionalProperties`,
 * `patternProperties/*` and `oneOf/*`, and only into objects; `anyOf`,
 * `allOf`, `not`, `definitions`, `dependencies` and whatever a `$ref` points
 * at are not visited, so a schema linted here gets igluctl's findings.
 */
import { forEachSubschema, isObject } from "../schema/walk.js";

export type Visitor = (node: Readonly<Record<string, unknown>>, pointer: string) => void;

/** The keywords igluctl's traversal follows. */
export const IGLUCTL_KEYWORDS: ReadonlySet<string> = new Set(["items", "additionalItems", "properties", "additionalProperties", "patternProperties", "oneOf"]);

export function traverseSchema(root: Readonly<Record<string, unknown>>, visit: Visitor): void {
  const go = (node: Readonly<Record<string, unknown>>, pointer: string): void => {
    visit(node, pointer);
    forEachSubschema(node, pointer, (sub, at, keyword) => {
      if (IGLUCTL_KEYWORDS.has(keyword) && isObject(sub)) go(sub, at);
    });
  };
  go(root, "");
}
