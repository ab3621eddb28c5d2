/** What generated declarations must be named: checked with TypeScript's own scanner, not igluc's code. */
import ts from "typescript";

/** One identifier, ASCII only, that TypeScript's scanner does not read as a keyword (contextual ones included). */
export function isPlainIdentifier(name: string): boolean {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) return false;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, name);
  return scanner.scan() === ts.SyntaxKind.Identifier && scanner.getTokenEnd() === name.length;
}
