/**
 * Every kind of problem igluc reports, by code: its level, what it means and
 * what to do. `Diagnostic.code` is one of these (diagnostics.ts), lint's
 * checks and linters take their levels from here, and README's catalogue
 * ("Diagnostic codes") is this table, word for word (a test compares them).
 * `lint` is the level `igluc lint` reports it at, where that differs.
 */
/** How much a problem matters: errors fail a run; warnings fail lint under --strict; info never fails. */
export type Level = "error" | "warning" | "info";

export interface CodeInfo {
  readonly level: Level;
  readonly lint?: Level;
  readonly meaning: string;
  readonly fix: string;
}

export const CODES = {
  // Reading registries and files.
  "registry-missing": { level: "error", meaning: "a schema folder given does not exist or is not a folder", fix: "name a static registry: its root (holding schemas/) or its schemas/ folder" },
  "stray-file": { level: "info", lint: "warning", meaning: "a file is not at {vendor}/{name}/{format}/{version} in the registry; it is ignored", fix: "move it to its place in the registry tree, or out of the registry" },
  "format-skipped": { level: "info", meaning: "a format other than jsonschema (avro, thrift…); skipped", fix: "nothing: only JSON Schema becomes types" },
  "duplicate-schema": { level: "warning", meaning: "the same schema is in two registries given; the first is used", fix: "keep each schema in one registry, or list first the registry to prefer" },
  "file-extension": { level: "warning", meaning: "a schema file is named with .json; static registries serve paths without an extension", fix: "rename it without the extension" },
  "link-outside": { level: "error", meaning: "a link in the registry points outside it; not followed", fix: "copy the schema into the registry instead of linking to it" },
  "file-unreadable": { level: "error", meaning: "a schema file cannot be read (a broken link, permissions, not a regular file)", fix: "fix or remove the file" },
  "file-too-large": { level: "error", meaning: "a schema file is larger than 4 MiB", fix: "split the schema, or check the file is the one meant" },
  // Each schema's own checks.
  "json-syntax": { level: "error", meaning: "the file is not JSON", fix: "fix the syntax at the line and column given" },
  "too-deep": { level: "error", meaning: "objects and arrays nest deeper than 100 levels", fix: "move nested parts to definitions, or split the schema" },
  "enum-too-long": { level: "error", meaning: "an enum lists more than 10,000 values; the schema is not checked further", fix: "use a pattern, a format or a described string instead" },
  "duplicate-key": { level: "error", meaning: "an object has the same key twice; JSON.parse would keep the second silently", fix: "remove or rename one of the two members" },
  "not-a-schema": { level: "error", meaning: "the document is not a JSON object", fix: "a self-describing schema is an object with $schema and self" },
  "schema-uri": { level: "error", meaning: "$schema is not the Iglu metaschema's URI (lint reports this as schemaUri)", fix: "set $schema to http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#" },
  "self-description": { level: "error", meaning: "self is not vendor, name, format and version in Iglu's characters", fix: "correct self at the pointer given" },
  "draft-04": { level: "error", meaning: "the schema is not valid draft-04 JSON Schema, or a pattern does not compile", fix: "fix the keyword at the pointer given" },
  "schemaver": { level: "error", meaning: "a version is not a SchemaVer (MODEL-REVISION-ADDITION, MODEL >= 1, no leading zeros)", fix: "the first version of a schema is 1-0-0" },
  "path-mismatch": { level: "error", meaning: "the file's place in the registry and its self disagree", fix: "move the file, or correct self" },
  "self-mismatch": { level: "error", meaning: "a registry answered a schema URI with a schema whose self is another", fix: "fix the registry" },
  // References, selection and names.
  "unresolved-ref": { level: "error", meaning: "a $ref points at nothing that can be read offline", fix: "refer to #/definitions/… or to an Iglu schema in the registries given" },
  "recursive-ref": { level: "warning", meaning: "a $ref refers back to itself; that place is typed unknown", fix: "describe the nested level explicitly if it matters" },
  "ref-expansion": { level: "error", lint: "warning", meaning: "with its $refs inlined the schema grows past 20,000 subschemas or 100 levels", fix: "reuse definitions at fewer levels, or shorten the chain of references" },
  "pin-missing": { level: "error", meaning: "a pinned schema or version is not in the registries", fix: "check pin against the registries given" },
  "name-collision": { level: "error", meaning: "two schemas (or a schema and igluc itself) would get the same generated name", fix: "rename one, or generate them in separate runs" },
  "plan-name-collision": { level: "error", meaning: "an event specification's generated names (trackX, XData, XEntities, XOptions) are taken by a schema's, igluc's own or another specification's; it is not generated", fix: "rename the specification, or give it a function name of its own" },
  // Output.
  "type-generation": { level: "error", meaning: "json-schema-to-typescript could not make a type of the schema", fix: "simplify the schema at fault, or report it with the schema attached" },
  "validator-generation": { level: "warning", meaning: "with --validators, ajv could not compile the schema's validator (a pattern JavaScript cannot read, say); its data is not checked", fix: "fix the schema at fault (the message says what ajv refused)" },
  "kept-previous": { level: "warning", meaning: "a schema failed, so the module generated for it earlier is kept", fix: "fix the errors reported for that schema" },
  "output-blocked": { level: "error", meaning: "something that is not a file is where an output file goes", fix: "remove or move what is there, then run again" },
  "edited-output": { level: "warning", meaning: "a file igluc wrote earlier and no longer would was edited since; left in place", fix: "delete it if it is no longer needed" },
  // Tracking plans (--plan): reading them, then checking them against the generated schemas.
  "plan-unreadable": { level: "error", meaning: "the plan file cannot be read (missing, not a regular file, larger than 1 MiB)", fix: "check the path given as plan" },
  "plan-syntax": { level: "error", meaning: "the plan file is not JSON (.json) or YAML (.yaml, .yml), or nests deeper than 64 levels", fix: "fix the syntax at the line and column given" },
  "plan-invalid": { level: "error", meaning: "the plan does not have the form of a tracking plan (generator/tracking-plan.schema.json) or of a data product", fix: "correct the member at the pointer given" },
  "plan-more-problems": { level: "info", meaning: "a plan has more problems than the 20 shown (errors first); this counts the rest", fix: "fix the ones shown and run again" },
  "plan-not-mapped": { level: "info", meaning: "a part of a Snowplow data product igluc does not turn into types (a rule other than a fixed value or a list of values, enriched entities)", fix: "nothing: it is not checked at compile time" },
  "plan-unknown-schema": { level: "error", meaning: "a specification refers to a schema or version that is not among the generated ones", fix: "refer to a version the message lists, or generate the schema" },
  "plan-duplicate": { level: "error", meaning: "two specifications have the same name or function, or a specification lists the same entity schema twice", fix: "rename one, or merge the two" },
  "plan-function-name": { level: "error", meaning: "a specification's function name is not an identifier starting with track, is longer than 200 characters, or none can be made of its name (letters outside A-Z, or none)", fix: "set function to an identifier like trackAddToBasket" },
  "plan-cardinality": { level: "error", meaning: "an entity's min or max is not a whole number, min is below 0, max below 1, or min above max", fix: "correct min and max" },
  "plan-cardinality-unchecked": { level: "warning", meaning: "an entity's min or max is above 20, or the plan's typed counts passed 100,000 tuple elements: its type is an array of any length, and the runtime does not count either", fix: "keep bounds at 20 or below to have them checked" },
  "plan-value": { level: "error", meaning: "a fixed or listed property value is one the property's schema does not allow", fix: "use a value the schema allows, or change the schema" },
  "plan-fixed-union": { level: "error", meaning: "a fixed value on a property of an event whose schema is a choice of shapes (oneOf or anyOf at its top level): the generated function could not compile", fix: "list the value instead, { enum: [value] }: the caller passes it" },
  "plan-unknown-property": { level: "error", meaning: "a rule names a property the event's schema does not declare, and its generated type takes no others (additionalProperties false or absent)", fix: "correct the property's name" },
  "plan-spec-id": { level: "error", meaning: "with eventSpecificationEntity on, a specification has no id to put in the entity, or its id or name, or a data product field, is longer (or emptier) than the entity allows", fix: "give the specification its id (a UUID in Snowplow's tooling)" },
  // Registries and the lockfile.
  "registry-auth": { level: "error", meaning: "a repository refused the API key, or needs one", fix: "give a valid read key (--apikey, IGLU_API_KEY, apikeyEnv)" },
  "registry-not-found": { level: "error", meaning: "a repository does not have a schema asked for", fix: "check the name and version, and the repository's URL" },
  "registry-unreachable": { level: "error", meaning: "a repository cannot be reached (after the retries)", fix: "check the registry is up and the URL is right" },
  "registry-timeout": { level: "error", meaning: "a repository did not answer in time (after the retries)", fix: "check the registry, or raise the timeout" },
  "registry-server": { level: "error", meaning: "a repository answered with an error status (after the retries)", fix: "try again later, or ask its operator" },
  "registry-invalid": { level: "error", meaning: "a repository's answer cannot be used (not a list, too large, a bad redirect or certificate, a walk past its bound)", fix: "check the repository's URL and type" },
  "lock-mismatch": { level: "error", meaning: "a registry now serves different content under a locked version", fix: "if intended, run with --update and review the lockfile's diff" },
  "lock-missing": { level: "error", meaning: "a registry no longer serves a locked schema", fix: "restore it, or run with --update to drop it" },
  "lock-repository": { level: "error", meaning: "a schema is locked to a repository that is not configured", fix: "configure it again, or run with --update" },
  "lock-invalid": { level: "error", meaning: "the lockfile lists something that is not an Iglu URI", fix: "regenerate the lockfile with --update" },
  "lockfile-stale": { level: "error", meaning: "with --check: the lockfile would change", fix: "run igluc generate and commit the lockfile" },
  "offline-without-lock": { level: "error", meaning: "--offline needs a lockfile, and there is none", fix: "run once with network access" },
  "cache-missing": { level: "error", meaning: "--offline: a locked schema is not in the cache", fix: "run once with network access to fill the cache" },
  "not-asked": { level: "warning", meaning: "pull: a server listed another vendor's schema among those asked for; not pulled", fix: "ask the registry's operator why" },
  "nothing-to-pull": { level: "warning", meaning: "pull: the registry lists no schemas for what was asked", fix: "check the vendor names and the API key" },
  "reference-not-pulled": { level: "warning", meaning: "pull: a schema refers to one this registry does not serve", fix: "pull it from the registry that has it" },
  "apikey-not-sent": { level: "warning", meaning: "pull: --apikey is never sent to a static registry", fix: "drop --apikey, or point --registry at an Iglu Server" },
  // Lint: version history.
  "version-start": { level: "error", meaning: "a schema's history does not start at 1-0-0", fix: "add 1-0-0, or rename the first version" },
  "version-gap": { level: "error", meaning: "a version skips versions after the one before it", fix: "add the missing versions, or renumber" },
  "version-bump": { level: "error", meaning: "a version's SchemaVer bump is smaller than its change needs", fix: "publish it as the version the hint names, or undo the change" },
  "pattern-unsupported": { level: "info", meaning: "a pattern cannot run in linear time (lookaround, backreferences); the bump check assumed the larger bump", fix: "check that bump by hand" },
  // Lint: igluctl's linters (schema-ddl), under igluctl's names.
  rootObject: { level: "warning", meaning: "the root schema is not an object with properties", fix: "make the root an object with properties" },
  numericMinimumMaximum: { level: "error", meaning: "minimum is greater than maximum", fix: "lower minimum or raise maximum" },
  stringMinMaxLength: { level: "error", meaning: "minLength is greater than maxLength", fix: "lower minLength or raise maxLength" },
  stringMaxLengthRange: { level: "warning", meaning: "maxLength is more than a warehouse column holds (65535)", fix: "lower maxLength" },
  arrayMinMaxItems: { level: "error", meaning: "minItems is greater than maxItems", fix: "lower minItems or raise maxItems" },
  numericProperties: { level: "error", meaning: "numeric keywords where the type allows no number", fix: "add number or integer to the type, or remove them" },
  stringProperties: { level: "error", meaning: "string keywords where the type allows no string", fix: "add string to the type, or remove them" },
  arrayProperties: { level: "error", meaning: "array keywords where the type allows no array", fix: "add array to the type, or remove them" },
  objectProperties: { level: "error", meaning: "object keywords where the type allows no object", fix: "add object to the type, or remove them" },
  requiredPropertiesExist: { level: "error", meaning: "required names a key that properties does not declare", fix: "declare it, or take it out of required" },
  unknownFormats: { level: "warning", meaning: "a format warehouse loaders do not know", fix: "use a known format, or drop it" },
  numericMinMax: { level: "warning", meaning: "a number without both minimum and maximum", fix: "bound it, so the warehouse column can be sized" },
  stringLength: { level: "warning", meaning: "a string with no maxLength, enum or known format", fix: "set maxLength (or an enum or a format)" },
  optionalNull: { level: "info", meaning: "an optional property does not allow null", fix: "add null to its type" },
  description: { level: "info", meaning: "a schema without a description", fix: "say what the value means" },
  schemaUri: { level: "error", meaning: "$schema is missing or not the Iglu metaschema's URI", fix: "set $schema to the Iglu metaschema's URI" },
  bqDisallowedCharacters: { level: "warning", meaning: "a property name has characters BigQuery does not allow in a column name", fix: "use letters, digits and underscores" },
  bqIllegalStart: { level: "warning", meaning: "a property name does not start with a letter or underscore, as a BigQuery column must", fix: "start it with a letter" },
} as const satisfies Readonly<Record<string, CodeInfo>>;

/** The code of a Diagnostic: one of the catalogue's. */
export type Code = keyof typeof CODES;
