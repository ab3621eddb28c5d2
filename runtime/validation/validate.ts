/**
 * Dev-time validation in the tracker: each self-describing event's data and
 * each entity checked against its Iglu schema by a validator `igluc generate
 * --validators` compiled ahead of time (ajv standalone code). Small, and
 * free of any validator: the validators come from the app, through a
 * separate import a production build leaves out.
 */
import { formatSchemaError, type SchemaError } from "./messages.js";

/** A validator igluc generated: true when `data` is valid, else false with `errors` set (ajv's shape). */
export interface Validator {
  (data: unknown): boolean;
  errors?: readonly SchemaError[] | null;
}

/** Validators by Iglu URI (`iglu:vendor/name/jsonschema/M-R-A`), as the generated `validators` module exports. */
export type Validators = Readonly<Record<string, Validator>>;

/** off: no checks; warn: log each problem and send the event; throw: throw, and send nothing. */
export type ValidationMode = "off" | "warn" | "throw";

/** One problem: which schema, where in its data (a JSON pointer, "" for the whole), the keyword that failed, and the message. */
export interface ValidationIssue {
  readonly uri: string;
  readonly pointer: string;
  readonly keyword: string;
  /** `iglu:com.acme/signup/jsonschema/1-0-0 /email: must match format "email" (got "not-an-email")` */
  readonly message: string;
}

export interface ValidationOptions {
  /** @defaultValue "warn" when validators are given, else "off" */
  mode?: ValidationMode;
  /** Data of a schema without a validator here is not checked. */
  validators?: Validators;
  /** Called with each problem, in "warn" and "throw" modes. */
  onError?: (issue: ValidationIssue) => void;
}

/** Problems at most reported for one self-describing JSON (the rest are counted in one more). */
export const MAX_ISSUES = 20;

/** The problems of `data` against `uri`'s validator; none when valid or when there is no validator for `uri`. */
export function issuesOf(validators: Validators, uri: string, data: unknown): ValidationIssue[] {
  if (!Object.prototype.hasOwnProperty.call(validators, uri)) return [];
  const validate = validators[uri];
  if (typeof validate !== "function" || validate(data)) return [];
  const errors = validate.errors ?? [];
  const issues = errors.slice(0, MAX_ISSUES).map((error): ValidationIssue => ({
    uri, pointer: error.instancePath, keyword: error.keyword, message: formatSchemaError(uri, error),
  }));
  if (errors.length > MAX_ISSUES) {
    issues.push({ uri, pointer: "", keyword: "errors", message: `${formatSchemaError(uri, { instancePath: "", keyword: "errors", message: `and ${errors.length - MAX_ISSUES} more problems` })}` });
  }
  return issues;
}

/** Thrown in "throw" mode: its message is every problem's, one per line. */
export class ValidationError extends Error {
  readonly issues: readonly ValidationIssue[];
  constructor(method: string, issues: readonly ValidationIssue[]) {
    super(`${method}: the event does not match its schemas:\n${issues.map((i) => `  ${i.message}`).join("\n")}`);
    this.name = "ValidationError";
    this.issues = issues;
  }
}
