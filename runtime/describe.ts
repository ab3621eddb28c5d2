/**
 * How argument errors show the value they got: the value as JSON (shortened)
 * followed by its kind, so `"5" (a string)` cannot be mistaken for `5`, and a
 * Date, an array or a class instance is named for what it is.
 */

const MAX_SHOWN = 60;

/** `"5" (a string)`, `5.5 (a number)`, `undefined`, `null`, `["a"] (an array)`, `a Date`, `an object of class Foo`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  switch (typeof value) {
    case "string": return `${shorten(JSON.stringify(value))} (a string)`;
    case "number": return `${String(value)} (a number)`;
    case "boolean": return `${String(value)} (a boolean)`;
    case "bigint": return `${String(value)}n (a bigint)`;
    case "symbol": return "a symbol";
    case "function": return "a function";
    default: break;
  }
  if (value instanceof Date) return "a Date";
  if (Array.isArray(value)) return `${json(value) ?? "[…]"} (an array)`;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  if (proto !== null && proto !== Object.prototype) {
    const name = typeof proto.constructor?.name === "string" && proto.constructor.name !== "" ? proto.constructor.name : "anonymous";
    return `an object of class ${name}`;
  }
  return `${json(value) ?? "{…}"} (an object)`;
}

function json(value: unknown): string | undefined {
  try {
    const text = JSON.stringify(value);
    return typeof text === "string" ? shorten(text) : undefined;
  } catch {
    return undefined;
  }
}

function shorten(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN - 1)}…`;
}
