/**
 * Hostile schema bodies, made at test time (big ones are never checked in).
 */

/** Definitions each referring to the one before twice: inlined, the type doubles per level. */
export function refBomb(levels: number): Record<string, unknown> {
  const definitions: Record<string, unknown> = { l0: { type: "string", maxLength: 8 } };
  for (let i = 1; i <= levels; i++) {
    definitions[`l${i}`] = { type: "object", properties: { a: { $ref: `#/definitions/l${i - 1}` }, b: { $ref: `#/definitions/l${i - 1}` } }, additionalProperties: false };
  }
  return { type: "object", definitions, properties: { top: { $ref: `#/definitions/l${levels}` } }, additionalProperties: false };
}

/** A property whose value is an array of arrays … `levels` deep. */
export function nested(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { type: "string", maxLength: 8 };
  for (let i = 0; i < levels; i++) node = { type: "array", items: node };
  return { type: "object", properties: { x: node }, additionalProperties: false };
}
