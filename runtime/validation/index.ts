/**
 * `@igluc/runtime/validation`: the one format of validation messages (shared
 * by `igluc micro` and the tracker), what the tracker's `validation` option
 * takes, and what the validators `igluc generate --validators` writes call at
 * run time (formats, string length, deep equality) in place of ajv's.
 * ValidationError is exported by the main entry only: the entries are
 * bundled apart, and the tracker throws the main entry's class.
 */
export { escapeText, formatSchemaError, showValue, MAX_SHOWN_VALUE, type SchemaError } from "./messages.js";
export { issuesOf, MAX_ISSUES, type Validator, type Validators, type ValidationIssue, type ValidationMode, type ValidationOptions } from "./validate.js";
export { formats, FORMAT_NAMES, type FormatCheck } from "./formats.js";
export { equal, ucs2length } from "./helpers.js";
export { validationPlugin, type ValidationPlugin, type PluginLogger } from "./plugin.js";
