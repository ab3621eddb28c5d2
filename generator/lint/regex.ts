/**
 * Schema patterns, run where a schema's own strings are tested against them
 * (the version diff: does an old enum value match a new pattern, is a new
 * property name covered by patternProperties?). Both sides come from the
 * schemas, so a backtracking engine would let `^(a+)+$` against 34 a's run
 * for minutes. re2js, a pure-JavaScript port of RE2, matches in time linear
 * in the input, with ECMAScript's syntax translated by the library itself.
 * A pattern RE2 cannot take (lookaround, backreferences) is reported, and
 * the caller assumes the answer that needs the larger version bump.
 */
import { RE2JS } from "re2js";

export type SchemaRegex = { readonly test: (input: string) => boolean } | { readonly unsupported: string };

export function compileSchemaRegex(pattern: string): SchemaRegex {
  try {
    const compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
    return { test: (input) => compiled.test(input) };
  } catch (error) {
    return { unsupported: error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error) };
  }
}
