/**
 * The sub-schemas the schema linters visit, in the traversal igluctl uses
 * (schema-ddl's `Schema.traverse`): the root, `items` (one schema or a
 * tuple), `additionalItems`, `properties/*`, `additionalProperties`,
 * `patternProperties/*` and `oneOf/*`. `anyOf`, `allOf`, `not`,
 * `definitions` and whatever a `$ref` points at are not visited, so a
 * schema linted here gets the same findings as under igluctl.
 */
import { escapePointerToken } from "../load/json.js";
import { isObject } from "../normalize/walk.js";

export type Visitor = (node: Readonly<Record<string, unknown>>, pointer: string) => void;

export function traverseSchema(root: Readonly<Record<string, unknown>>, visit: Visitor): void {
  const go = (node: Readonly<Record<string, unknown>>, pointer: string): void => {
    visit(node, pointer);
    const { items, additionalItems, properties, additionalProperties, patternProperties, oneOf } = node;
    if (isObject(items)) go(items, `${pointer}/items`);
    else if (Array.isArray(items)) each(items, `${pointer}/items`);
    if (isObject(additionalItems)) go(additionalItems, `${pointer}/additionalItems`);
    if (isObject(properties)) members(properties, `${pointer}/properties`);
    if (isObject(additionalProperties)) go(additionalProperties, `${pointer}/additionalProperties`);
    if (isObject(patternProperties)) members(patternProperties, `${pointer}/patternProperties`);
    if (Array.isArray(oneOf)) each(oneOf, `${pointer}/oneOf`);
  };
  const each = (list: readonly unknown[], pointer: string): void => {
    list.forEach((item, i) => { if (isObject(item)) go(item, `${pointer}/${i}`); });
  };
  const members = (map: Readonly<Record<string, unknown>>, pointer: string): void => {
    for (const [key, value] of Object.entries(map)) if (isObject(value)) go(value, `${pointer}/${escapePointerToken(key)}`);
  };
  go(root, "");
}
