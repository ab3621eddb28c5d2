/**
 * Data types through json-schema-to-typescript. Schemas arrive prepared
 * (references resolved, unsafe keywords dropped), so nothing is fetched and
 * nothing from the schema reaches the output unescaped.
 */
import type { Options } from "json-schema-to-typescript";

export interface TypeJob {
  readonly uri: string;
  /** The declared name; json-schema-to-typescript must keep it as it is. */
  readonly typeName: string;
  readonly schema: unknown;
}

export type TypeResult = { readonly uri: string; readonly text: string } | { readonly uri: string; readonly error: string };

const OPTIONS: Partial<Options> = {
  bannerComment: "",
  format: false,
  additionalProperties: false,
  unknownAny: true,
  strictIndexSignatures: false,
  declareExternallyReferenced: true,
  enableConstEnums: false,
  maxItems: 4,
  ignoreMinAndMaxItems: false,
  // Every reference in a schema position is resolved already; a `$ref` left (in an enum value, an unknown keyword) is data.
  $refOptions: { resolve: { external: false }, dereference: { excludedPathMatcher: () => true } },
};

type Compile = typeof import("json-schema-to-typescript").compile;
let compiler: Promise<Compile> | undefined;

/** json-schema-to-typescript (and the prettier it loads) is only loaded where types are compiled. */
function load(): Promise<Compile> {
  compiler ??= import("json-schema-to-typescript").then((m) => m.compile);
  return compiler;
}

export async function compileType(job: TypeJob): Promise<TypeResult> {
  try {
    const compile = await load();
    const text = indent((await compile(job.schema as Parameters<Compile>[0], job.typeName, OPTIONS)).trim());
    const declared = /^export (?:interface|type) ([A-Za-z_$][A-Za-z0-9_$]*)/m.exec(text)?.[1];
    if (declared !== job.typeName) {
      return { uri: job.uri, error: `json-schema-to-typescript named the type ${String(declared)} instead of ${job.typeName}` };
    }
    return { uri: job.uri, text };
  } catch (error) {
    return { uri: job.uri, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Indents json-schema-to-typescript's unformatted output (it is run without
 * prettier, which would cost more than everything else). Only leading
 * whitespace changes: it never writes a string literal over several lines.
 */
export function indent(text: string): string {
  let depth = 0;
  const lines: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("*")) {
      lines.push(`${"  ".repeat(depth)} ${line}`);
      continue;
    }
    if (/^[}\])]/.test(line)) depth = Math.max(0, depth - 1);
    lines.push(line === "" ? "" : `${"  ".repeat(depth)}${line}`);
    if (!line.startsWith("/*") && /[{[(]$/.test(line)) depth++;
  }
  return lines.join("\n");
}
