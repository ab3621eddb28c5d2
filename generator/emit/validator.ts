/**
 * `--validators`: a schema's validator compiled ahead of time with ajv's
 * standalone code generation (draft-04, allErrors, verbose so each error
 * carries the failing value), as an ES module that needs no ajv at run
 * time: the few helpers ajv's code calls (string length, deep equality,
 * formats) come from `@igluc/runtime/validation`.
 *
 * Schema text reaches the code only as ajv writes it: every value of the
 * schema through ajv's own escaping of literals (JSON, U+2028/U+2029
 * escaped), property names and patterns included. What ajv writes is then
 * changed in one way only: its `require` of each known runtime helper,
 * matched exactly, becomes an imported name; anything else that looks like a
 * `require("…")` call fails the schema's validator (the code is refused, not
 * written). And one more: ajv writes the schema (for enums of objects, and
 * for errors' `schema`) as JSON text, where a `"__proto__":` key would set
 * the literal's prototype instead of making a property; written as a
 * computed key `["__proto__"]:` it stays a property, as in the schema.
 *
 * Each validator also carries the message formatter (`validate.format`),
 * so the tracker formats with it and ships none of its own: an app built
 * without the validators carries no formatting code either.
 */
import { createRequire } from "node:module";
import { FORMAT_NAMES } from "@igluc/runtime/validation";
import { lineCommentText, stringLiteral } from "./escape.js";

const require = createRequire(import.meta.url);

/** ajv's runtime helpers igluc provides, by the exact expression ajv writes → the name the module imports. */
const HELPERS: readonly { readonly ajv: string; readonly name: string; readonly local: string }[] = [
  { ajv: 'require("ajv/dist/runtime/ucs2length").default', name: "ucs2length", local: "__igluc_ucs2length" },
  { ajv: 'require("ajv/dist/runtime/equal").default', name: "equal", local: "__igluc_equal" },
];
const FORMATS_LOCAL = "__igluc_formats";
const USES_FORMATS = new RegExp(`\\b${FORMATS_LOCAL}\\b`);

export type CompiledValidator = { readonly code: string } | { readonly error: string };
/** ajv's standalone code for a schema, not yet linked to igluc's helpers (what a job hands back, for every output to link). */
export type StandaloneCode = { readonly ajvCode: string } | { readonly error: string };

type Compile = (schema: Record<string, unknown>) => string;
let compiler: Compile | undefined;

/** One ajv instance per thread, made on first use (a run without --validators never loads it). */
function createCompiler(): Compile {
  const Ajv04 = require("ajv-draft-04") as typeof import("ajv-draft-04").default;
  const standalone = require("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js").default;
  const { _ } = require("ajv") as typeof import("ajv");
  const ajv = new Ajv04({
    allErrors: true, verbose: true, strict: false, validateSchema: false, addUsedSchema: false, logger: false,
    // A property named like one of Object.prototype's (constructor, toString) is present only when the data has it.
    ownProperties: true,
    // Patterns as the browsers and Node read them without the u flag, which refuses escapes Iglu schemas use (`\-`).
    unicodeRegExp: false,
    code: { source: true, esm: true, lines: false, formats: _`__igluc_formats` },
  });
  // The formats igluc checks, as functions the generated code looks up by name in the runtime's map.
  for (const name of FORMAT_NAMES) ajv.addFormat(name, { type: "string", validate: () => true });
  return (schema) => {
    const validate = ajv.compile(schema);
    try {
      return standalone(ajv, validate);
    } finally {
      ajv.removeSchema(schema);
    }
  };
}

/** `schema` (its `$ref`s resolved) as ajv's standalone code. */
export function compileValidator(schema: Readonly<Record<string, unknown>>): StandaloneCode {
  compiler ??= createCompiler();
  // The Iglu metaschema is not draft-04's; `self` is Iglu's. What is checked is the schema's own keywords.
  const { $schema: _meta, self: _self, id: _id, ...own } = schema;
  try {
    return { ajvCode: compiler(own) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** ajv's standalone code with its helpers imported from `validationImport`; an error when it needs anything else. */
export function linkValidator(ajvCode: string, validationImport: string): CompiledValidator {
  let code = ajvCode.startsWith('"use strict";') ? ajvCode.slice('"use strict";'.length) : ajvCode;
  const imports: string[] = [];
  for (const helper of HELPERS) {
    if (!code.includes(helper.ajv)) continue;
    code = code.split(helper.ajv).join(helper.local);
    imports.push(`${helper.name} as ${helper.local}`);
  }
  if (USES_FORMATS.test(code)) imports.push(`formats as ${FORMATS_LOCAL}`);
  imports.push("formatSchemaError as __igluc_format");
  // Any other module ajv would load: ajv writes no such string unless it needs a helper igluc does not provide.
  const other = /\brequire\s*\(\s*["'`]([^"'`]*)/.exec(code);
  if (other !== null) return { error: `the validator needs ${lineCommentText(other[1] ?? "")} at run time, which igluc does not provide` };
  // Outside a string only: inside one, the quote before it would be escaped (\").
  code = code.replace(/(?<!\\)"__proto__":/g, '["__proto__"]:');
  // Never empty: every validator imports the formatter.
  const head = `import { ${imports.join(", ")} } from ${stringLiteral(validationImport)};\n`;
  return { code: `${head}${code.trim()}\nvalidate.format = __igluc_format;\n` };
}
