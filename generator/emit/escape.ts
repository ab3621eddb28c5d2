/**
 * The one place where text derived from a schema becomes code: identifiers,
 * property keys, string literals, comment text and file names. Everything a
 * schema controls goes through here before it reaches generated output.
 */
import { createHash } from "node:crypto";
import { MAX_FILE_STEM } from "../limits.js";

/** Splits a schema name into words: at anything but letters and digits, and at case changes (`linkClick`, `HTTPRequest`). */
export function words(text: string): string[] {
  return text
    .split(/[^A-Za-z0-9]+/)
    .flatMap((part) => part.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/))
    .filter((word) => word !== "");
}

/**
 * `link_click` → `LinkClick`, `TAG_CHANGE` → `TagChange`, `data.json` → `DataJson`;
 * a leading digit gets `Schema` in front; a letter after digits is upper case
 * (`1h` → `Schema1H`), as json-schema-to-typescript writes type names.
 */
export function pascalCase(text: string): string {
  const joined = words(text).map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join("")
    .replace(/([0-9])([a-z])/g, (_m, digit: string, letter: string) => digit + letter.toUpperCase());
  if (joined === "") return "Schema";
  return /^[0-9]/.test(joined) ? `Schema${joined}` : joined;
}

/** `LinkClick` → `LINK_CLICK`, `FooV1_0_0` → `FOO_V1_0_0`. */
export function screamingSnake(pascal: string): string {
  return words(pascal).map((w) => w.toUpperCase()).join("_");
}

/** `LinkClick` → `link-click` (a file stem: lowercase letters, digits and hyphens only). */
export function kebabCase(pascal: string): string {
  return words(pascal).map((w) => w.toLowerCase()).join("-");
}

/** A TypeScript string literal (double-quoted) for any text: quotes, backslashes, newlines and U+2028/9 escaped. */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * Text made safe inside a `/** … *\/` comment: `*\/` cannot close it, line
 * endings are normalised, control characters are dropped, and a leading `@`
 * cannot start a JSDoc tag.
 */
export function commentText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, "")
    .replace(/\*\//g, "*\\/")
    .replace(/^(\s*)@/gm, "$1\\@")
    .trim();
}

/** Text made safe on a `//` comment line: one line, no control characters. */
export function lineCommentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}

/**
 * A file name for generated output: lowercase letters, digits and hyphens,
 * never empty, never a path, at most MAX_FILE_STEM characters. Callers pass
 * names already made unique.
 */
export function fileStem(pascal: string): string {
  let stem = kebabCase(pascal).replace(/[^a-z0-9-]/g, "");
  if (stem === "") return "schema";
  // File systems take 255 bytes a name: a longer stem is cut, and a hash of the whole keeps it distinct.
  if (stem.length > MAX_FILE_STEM) stem = `${stem.slice(0, MAX_FILE_STEM - 9).replace(/-+$/, "")}-${createHash("sha256").update(stem).digest("hex").slice(0, 8)}`;
  // Device names Windows will not create as files, whatever the extension.
  return /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/.test(stem) ? `${stem}-schema` : stem;
}
