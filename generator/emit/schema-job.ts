/**
 * Everything done for one schema before its module is printed, in two
 * halves: read and check it (and any schema it refers to), resolve its
 * references and prepare it for json-schema-to-typescript (createJobPreparer,
 * in this thread: it needs the registry); then compile its data type and
 * validator (compileJob, in a worker thread, or in this thread for small runs).
 */
import type { Diagnostic } from "../diagnostics.js";
import type { LoadedSchema, SchemaFile } from "../model.js";
import { TAKEN_NAMES } from "../normalize/names.js";
import { itemNames, markDeprecated, prepareForTypes } from "../normalize/prepare.js";
import { resolveRefs } from "../normalize/refs.js";
import { createSelfCheck } from "../validate/self-describing.js";
import { compileType } from "./types.js";
import type { StandaloneCode } from "./validator.js";

/** The registry as the job sees it: every candidate file, by Iglu URI, with its text. */
export interface JobRegistry {
  /** Each file's text, or why it could not be read (then its schema fails with that). */
  readonly files: readonly ({ readonly uri: string; readonly file: SchemaFile } & ({ readonly text: string } | { readonly unreadable: Diagnostic }))[];
}

export interface SchemaJob {
  readonly uri: string;
  readonly typeName: string;
  /** Other schemas' type names that begin with `typeName`: no name this job declares may begin with one. */
  readonly reserved: readonly string[];
  /** Why the schema is superseded (normalize/supersede.ts), when it is: its type is then `@deprecated`. */
  readonly deprecated?: string;
  /** Also compile its validator (--validators). */
  readonly validator?: true;
}

export interface JobResult {
  readonly uri: string;
  /** json-schema-to-typescript's declaration of the type, when the schema made it that far. */
  readonly text?: string;
  /** Its validator as ajv's standalone code (when the job asked for it and the types were made). */
  readonly validator?: StandaloneCode;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The half of a job that needs the registry: its schema read, checked (and each schema it refers to) and its
 * references resolved. Either the job's result already (the schema failed) or what compiling it takes.
 */
export type PreparedJob = { readonly result: JobResult } | { readonly compile: CompileJob };

/** The half of a job a worker thread does (json-schema-to-typescript, ajv): plain data, cheap to post. */
export interface CompileJob extends SchemaJob {
  /** The schema as json-schema-to-typescript is given it (normalize/prepare.ts). */
  readonly typeSchema: unknown;
  /** The schema with its references resolved, for its validator (only when the job asks for one). */
  readonly schema?: Record<string, unknown>;
  /** Its file, as messages show it. */
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
}

export function createJobPreparer(registry: JobRegistry): (job: SchemaJob) => PreparedJob {
  const check = createSelfCheck();
  const byUri = new Map(registry.files.map((f) => [f.uri, f]));
  // Each schema is read and checked once, however many others refer to it.
  const loaded = new Map<string, { schema?: LoadedSchema; diagnostics: readonly Diagnostic[] }>();
  const load = (uri: string): { schema?: LoadedSchema; diagnostics: readonly Diagnostic[] } => {
    let entry = loaded.get(uri);
    if (entry === undefined) {
      const source = byUri.get(uri);
      entry = source === undefined ? { diagnostics: [] } : "text" in source ? check(source.file, source.text) : { diagnostics: [source.unreadable] };
      loaded.set(uri, entry);
    }
    return entry;
  };

  return (job) => {
    const own = load(job.uri);
    const diagnostics: Diagnostic[] = [...own.diagnostics];
    if (own.schema === undefined) return { result: { uri: job.uri, diagnostics } };
    const resolved = resolveRefs(own.schema, (uri) => {
      const target = load(uri);
      // A referenced schema's own problems matter to this one.
      if (uri !== job.uri) diagnostics.push(...target.diagnostics);
      return target.schema;
    });
    diagnostics.push(...resolved.diagnostics);
    if (resolved.schema === undefined) return { result: { uri: job.uri, diagnostics } };
    const prepared = prepareForTypes(resolved.schema, itemNames(job.typeName, TAKEN_NAMES, job.reserved));
    const typeSchema = job.deprecated === undefined ? prepared : markDeprecated(prepared, job.deprecated);
    return { compile: { ...job, typeSchema, ...(job.validator === true ? { schema: resolved.schema } : {}), file: own.schema.file.display, diagnostics } };
  };
}

export async function compileJob(job: CompileJob): Promise<JobResult> {
  const diagnostics = [...job.diagnostics];
  const typed = await compileType({ uri: job.uri, typeName: job.typeName, schema: job.typeSchema });
  if ("error" in typed) {
    diagnostics.push({
      level: "error", code: "type-generation", file: job.file, uri: job.uri, pointer: "",
      message: `no type could be generated: ${typed.error}`, hint: "simplify the schema at fault, or report it to igluc with the schema attached",
    });
    return { uri: job.uri, diagnostics };
  }
  if (job.validator !== true || job.schema === undefined) return { uri: job.uri, text: typed.text, diagnostics };
  // Loaded on first use: a run without --validators never loads ajv's code generation.
  const { compileValidator } = await import("./validator.js");
  const validator = compileValidator(job.schema);
  if ("error" in validator) {
    diagnostics.push({
      level: "warning", code: "validator-generation", file: job.file, uri: job.uri, pointer: "",
      message: `no validator could be compiled: ${validator.error}`, hint: "fix the schema at fault; until then its data is not checked",
    });
  }
  return { uri: job.uri, text: typed.text, validator, diagnostics };
}

/** Both halves, one after the other: how a run without workers does each job. */
export function createJobRunner(registry: JobRegistry): (job: SchemaJob) => Promise<JobResult> {
  const prepare = createJobPreparer(registry);
  return async (job) => {
    const prepared = prepare(job);
    return "result" in prepared ? prepared.result : compileJob(prepared.compile);
  };
}
