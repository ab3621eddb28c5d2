/**
 * `lint()`: every check on a registry (or some schema files), findings
 * collected and sorted, never thrown. Stages: find the files; read and check
 * each (JSON, self-description, draft-04 validity); run the schema linters;
 * resolve references; check each vendor/name's version history; check the
 * tracking plan, when one is given, against the schemas read.
 */
import fs from "node:fs";
import path from "node:path";
import { CODES } from "../codes.js";
import { sortDiagnostics, type Diagnostic, type Level } from "../diagnostics.js";
import { findSchemas, readSchemaFile } from "../load/registry.js";
import { igluUri, parseSchemaVer } from "@igluc/runtime/iglu";
import type { LoadedSchema, SchemaFile } from "../model.js";
import { resolveRefs } from "../normalize/refs.js";
import { OptionsError } from "../errors.js";
import { createSelfCheck, type ParsedDocument } from "../validate/self-describing.js";
import { checkHistory, nearestPosition, type Version } from "./history.js";
import { LINTERS } from "./linters.js";
import { CHECKS, resolveLintOptions, type LintContext, type LintOptions } from "./options.js";
import { traverseSchema } from "./traverse.js";

export interface LintResult {
  /** Every finding, sorted by file, position and rule. */
  readonly findings: readonly Diagnostic[];
  /** JSON Schema files checked. */
  readonly schemas: number;
  readonly counts: Readonly<Record<Level, number>>;
  /** Errors were found, or warnings under `strict`. */
  readonly failed: boolean;
  readonly strict: boolean;
  readonly ms: number;
}

/** Findings from the shared self-describing check that lint reports under another name. */
const REPLACED = new Set(["schema-uri"]);
const KNOWN_CHECKS: ReadonlySet<string> = new Set(CHECKS.map((c) => c.name));

export async function lint(options: LintOptions): Promise<LintResult> {
  const started = performance.now();
  const ctx = resolveLintOptions(options);
  const { files, diagnostics: found } = collectFiles(ctx);
  const findings: Diagnostic[] = [...found];
  for (const file of files) {
    if (file.path.endsWith(".json")) {
      findings.push({
        level: "warning", code: "file-extension", file: file.display, uri: igluUri(file.key),
        message: "the file name ends in .json; a static registry serves schemas at paths without an extension",
        hint: `rename it to ${path.basename(file.path, ".json")}`,
      });
    }
  }

  const check = createSelfCheck();
  const loaded = new Map<string, LoadedSchema>();
  const documents: { file: SchemaFile; document?: ParsedDocument; schema?: LoadedSchema }[] = [];
  for (const file of files) {
    const read = readSchemaFile(file);
    if ("diagnostic" in read) {
      findings.push(read.diagnostic);
      documents.push({ file });
      continue;
    }
    const checked = check(file, read.text);
    findings.push(...checked.diagnostics.filter((d) => !REPLACED.has(d.code)));
    if (checked.schema !== undefined) loaded.set(checked.schema.uri, checked.schema);
    documents.push({ file, ...(checked.document !== undefined ? { document: checked.document } : {}), ...(checked.schema !== undefined ? { schema: checked.schema } : {}) });
  }

  const linters = LINTERS.filter((l) => ctx.enabled.has(l.name));
  const versions: Version[] = [];
  for (const { file, document, schema } of documents) {
    const uri = schema?.uri ?? igluUri(file.key);
    if (document !== undefined) findings.push(...runLinters(linters, document, file.display, uri));
    let resolved: Readonly<Record<string, unknown>> | undefined;
    if (schema !== undefined) {
      const refs = resolveRefs(schema, (target) => loaded.get(target));
      findings.push(...refs.diagnostics.filter((d) => d.code === "unresolved-ref"));
      // A schema igluc cannot expand is still a valid schema: said as a warning, and its history is not compared.
      findings.push(...refs.diagnostics.filter((d) => d.code === "ref-expansion")
        .map((d) => ({ ...d, level: "warning" as const, message: `${d.message}; its version bump is not checked` })));
      resolved = refs.schema;
    }
    // A file whose content failed the checks still holds its place in the history, from its location.
    const ver = schema?.ver ?? parseSchemaVer(file.key.version);
    if (ver !== undefined && file.key.format === "jsonschema") {
      versions.push({
        key: schema?.key ?? file.key, ver, uri, file: file.display,
        positionOf: (pointer) => document?.positionOf(pointer),
        ...(resolved !== undefined ? { schema: resolved } : {}),
      });
    }
  }
  findings.push(...checkHistory(versions, { bumps: ctx.enabled.has("version-bump") }));
  if (ctx.plan !== undefined) findings.push(...await checkPlan(ctx.plan, ctx.cwd, loaded.values()));

  // Only checks turned off are dropped: a finding of a kind not in CHECKS still shows.
  const skipped = (code: string): boolean => KNOWN_CHECKS.has(code) && !ctx.enabled.has(code);
  const kept = sortDiagnostics(findings.filter((d) => !skipped(d.code) && (d.uri === undefined || !ctx.skipSchemas.has(d.uri))));
  const counts: Record<Level, number> = { error: 0, warning: 0, info: 0 };
  for (const d of kept) counts[d.level]++;
  return {
    findings: kept, schemas: files.length, counts, strict: ctx.strict,
    failed: counts.error > 0 || (ctx.strict && counts.warning > 0),
    ms: performance.now() - started,
  };
}

/**
 * The plan read and resolved against every schema that loaded: lint has no
 * selection (versions, include, pin), so a plan naming an old version passes
 * here and generate says whether it is generated.
 */
async function checkPlan(plan: string, cwd: string, schemas: Iterable<LoadedSchema>): Promise<Diagnostic[]> {
  // Imported here: the plan module loads yaml and re2js (about 50 ms), which a lint without a plan never needs.
  const { planSchemasOf, readPlan, resolvePlan } = await import("../plan/index.js");
  const read = readPlan(plan, cwd);
  if (read.document === undefined) return [...read.diagnostics];
  return [...read.diagnostics, ...resolvePlan(read.document, planSchemasOf(schemas)).diagnostics];
}

function runLinters(linters: typeof LINTERS, document: ParsedDocument, file: string, uri: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  traverseSchema(document.json, (node, at) => {
    for (const linter of linters) {
      linter.check(node, at, (pointer, message, hint) => {
        const p = nearestPosition(document, pointer);
        out.push({ level: CODES[linter.name].level, code: linter.name, file, uri, pointer, message, hint, ...(p === undefined ? {} : { line: p.line, column: p.column }) });
      });
    }
  });
  return out;
}

/** Registry folders through the generator's finder (all at once, so a schema in two of them is noticed); single files by their last four path segments. */
function collectFiles(ctx: LintContext): { files: SchemaFile[]; diagnostics: Diagnostic[] } {
  const dirs: string[] = [];
  const singles: SchemaFile[] = [];
  for (const given of ctx.paths) {
    const absolute = path.resolve(ctx.cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new OptionsError(`${given} does not exist`);
    }
    if (stat.isDirectory()) dirs.push(absolute);
    else {
      const [vendor = "", name = "", format = "", version = ""] = absolute.split(path.sep).slice(-4);
      singles.push({ path: absolute, display: path.relative(ctx.cwd, absolute), key: { vendor, name, format, version: version.replace(/\.json$/, "") } });
    }
  }
  const found = dirs.length > 0 ? findSchemas(dirs, ctx.cwd) : { files: [], diagnostics: [] };
  const seen = new Set(found.files.map((f) => f.path));
  return {
    files: [...found.files, ...singles.filter((f) => !seen.has(f.path) && seen.add(f.path) !== undefined)],
    // Outside `generate`, a file in the wrong place is worth a warning: it is probably a schema that will never be found.
    diagnostics: found.diagnostics.map((d) => (d.code === "stray-file" ? { ...d, level: "warning" as const } : d)),
  };
}
