/**
 * Every setting of `igluc generate` and `igluc lint`, declared once: its
 * value (a typed JSON Schema), what it means, and where it may be given
 * (igluc.config.json, a flag, the API). The options types, the config
 * file's validation and config.schema.json, the flags and --help all come
 * from here (declare.ts); adding a setting is one entry.
 */
import { IGLU_PATTERNS as P } from "@igluc/runtime/iglu";
import { TARGETS, TARGET_NAMES } from "../emit/targets/index.js";
import { CHECKS, PRESETS } from "../lint/options.js";
import { bool, choice, either, int, list, num, object, pathText, record, setting, text, type TypeOf } from "./declare.js";

const schemaVer = text({ pattern: `^${P.schemaVer}$` }, "is not a SchemaVer (MODEL-REVISION-ADDITION, MODEL >= 1, no leading zeros)");

/** One repository of `registries`. */
export const REGISTRY = object({
  name: { schema: text({ minLength: 1 }), describe: "Unique; named in messages and in the lockfile." },
  type: { schema: choice(["iglu-server", "static", "local"] as const), describe: "iglu-server (lists its schemas), static (an HTTP static registry) or local (a folder). Default: local for a path, iglu-server for a URI ending in /api, else static." },
  uri: { schema: text({ pattern: "^https?://" }, "is not an http(s) URL"), describe: "HTTP(S) base: an Iglu Server's ends in /api; a static registry's is the root holding schemas/." },
  path: { schema: pathText(), describe: "A folder: a registry root or its schemas/ folder." },
  apikey: { schema: text(), describe: "The API key itself. Prefer apikeyEnv, so the key stays out of this file." },
  apikeyEnv: { schema: text(), describe: "Environment variable holding the API key." },
  priority: { schema: num(), describe: "Lower is consulted first, among repositories equal otherwise." },
  vendorPrefixes: { schema: list(text()), describe: "Vendors (by prefix) this repository is consulted first for." },
  schemas: {
    schema: list(text({ pattern: `^${P.vendor}/${P.name}(@(${P.schemaVer}|${P.model}|latest))?$` }, "is not vendor/name, vendor/name@M-R-A or vendor/name@MODEL")),
    describe: "For static registries, which cannot list: vendor/name@M-R-A, vendor/name@MODEL (its latest) or vendor/name (the latest).",
  },
}, { required: ["name"], oneOf: [{ required: ["uri"] }, { required: ["path"] }], what: "needs exactly one of \"uri\" (an HTTP registry) and \"path\" (a folder)" });

export type RegistryConfig = TypeOf<typeof REGISTRY>;

/**
 * The tracking plan, one setting for both commands: generate writes a
 * function per event specification, lint checks the plan against the
 * schemas (the top-level config key serves both).
 */
const PLAN = setting({
  schema: pathText(), config: true, flag: {},
  describe: "Tracking plan of event specifications to write track functions for and to check: igluc's own (.json, .yaml, .yml; see generator/tracking-plan.schema.json) or a Snowplow data product (YAML)",
});

/** `igluc lint`: flags, the `lint` section of igluc.config.json, and `lint()`'s options. */
export const LINT = {
  preset: setting({
    schema: choice(Object.keys(PRESETS) as (keyof typeof PRESETS)[]), config: true, flag: {}, defaultText: "default",
    describe: Object.entries(PRESETS).map(([k, v]) => `${k}: ${v.about}`).join("; "),
  }),
  skipChecks: setting({
    schema: list(text()), config: true, flag: {},
    describe: `Checks to turn off, comma-separated or repeated. Skippable: ${CHECKS.filter((c) => c.skippable).map((c) => c.name).join(", ")}`,
  }),
  skipSchemas: setting({
    schema: list(text({ pattern: "^iglu:" }, "is not an Iglu URI")), config: true, flag: {},
    describe: "Drop findings for these schemas (iglu:vendor/name/jsonschema/M-R-A), comma-separated or repeated",
  }),
  strict: setting({ schema: bool(), config: true, flag: {}, describe: "Fail on warnings too", defaultText: "the preset's; off for default" }),
  // Not in the config's lint section: lint reads the top-level "plan", as generate does.
  plan: { ...PLAN, config: false, api: true, describe: `${PLAN.describe}. Default: "plan" in igluc.config.json` },
  format: setting({ schema: choice(["human", "github", "json"] as const), flag: { alias: "f" }, api: false, describe: "human, GitHub Actions annotations, or one JSON document", defaultText: "human" }),
  verbose: setting({ schema: bool(), flag: {}, api: false, describe: "List info findings one by one (by default the human format counts them in one line)", defaultText: "false" }),
  config: setting({ schema: text(), flag: { alias: "c" }, api: false, describe: "Config file for the default paths", defaultText: "igluc.config.json, searched upward" }),
} as const;

/**
 * `igluc pull`: flags only (no config file). pull()'s options take them
 * under other names (vendors, schemas, http.timeoutMs), as pull-command.ts maps.
 */
export const PULL = {
  registry: setting({ schema: text(), flag: { alias: "r", required: true }, api: false, describe: "An Iglu Server's URL (ending in /api) or a static registry's root" }),
  type: setting({ schema: choice(["iglu-server", "static"] as const), flag: {}, api: false, describe: "What the URL is", defaultText: "iglu-server when it ends in /api, else static" }),
  apikey: setting({ schema: text(), flag: {}, api: false, describe: "API key for an Iglu Server (sent as the apikey header; never printed; never sent to a static registry)", defaultText: "$IGLU_API_KEY" }),
  vendor: setting({ schema: list(text()), flag: {}, api: false, describe: "Only this vendor (Iglu Server); repeatable" }),
  schema: setting({ schema: list(text()), flag: {}, api: false, describe: "vendor/name, vendor/name@1-0-2 or vendor/name@MODEL; repeatable; required for a static registry" }),
  out: setting({ schema: text(), flag: { alias: "o" }, api: false, describe: "Folder to write (a registry's schemas/ folder)", defaultText: "schemas" }),
  timeout: setting({ schema: num(), flag: {}, api: false, describe: "Seconds to wait for the registry, per request", defaultText: "10" }),
} as const;

const target = choice(TARGET_NAMES);
const emit = choice(["ts", "js"] as const);
const runtimeImport = text({ pattern: "^[@a-zA-Z0-9._/-]+$" }, "is not a module specifier");

/** One entry of `outputs`: a folder and how its code is generated. */
export const OUTPUT = object({
  out: { schema: pathText(), describe: "Output folder; no two outputs share one or nest." },
  target: { schema: target, describe: "The tracker this output's track functions call. Default: the top-level target." },
  emit: { schema: emit, describe: "ts or js. Default: the top-level emit." },
  singleFile: { schema: bool(), describe: "One index.ts. Default: the top-level singleFile." },
  runtimeImport: { schema: runtimeImport, describe: "For the igluc target. Default: the top-level runtimeImport." },
}, { required: ["out"] });

export type OutputConfig = TypeOf<typeof OUTPUT>;

/** `igluc generate`: flags, igluc.config.json, and `generate()`'s options. */
export const GENERATE = {
  $schema: setting({ schema: text(), config: true, describe: "This schema, for editors." }),
  schemas: setting({
    schema: list(pathText(), { minItems: 1 }), config: true, flag: { alias: "s" },
    describe: "Static registry to read (its root, or its schemas/ folder); repeatable",
  }),
  out: setting({ schema: pathText(), config: true, flag: { alias: "o" }, describe: "Output folder", defaultText: "src/tracking", default: "src/tracking" }),
  target: setting({
    schema: target, config: true, flag: {},
    describe: `The tracker the generated track functions call. ${TARGETS.map((t) => t.describe).join("; ")}`, defaultText: "igluc", default: "igluc",
  }),
  config: setting({ schema: text(), flag: { alias: "c" }, api: false, describe: "Config file", defaultText: "igluc.config.json, searched upward" }),
  versions: setting({ schema: choice(["latest", "all"] as const), config: true, flag: {}, describe: "Latest version of each MODEL, or every version", defaultText: "latest", default: "latest" }),
  pin: setting({
    schema: record(text({ pattern: `^${P.vendor}/${P.name}$` }, "is not vendor/name"), either(schemaVer, list(schemaVer, { minItems: 1 }))), config: true,
    describe: "Exact versions to generate for some schemas, by vendor/name.",
  }),
  include: setting({ schema: list(text()), config: true, flag: {}, describe: "Only vendor/name matching this pattern (* = anything); repeatable" }),
  exclude: setting({ schema: list(text()), config: true, flag: {}, describe: "Leave out vendor/name matching this pattern; repeatable" }),
  plan: PLAN,
  singleFile: setting({ schema: bool(), config: true, flag: {}, describe: "Write everything to one index.ts", defaultText: "false", default: false }),
  runtimeImport: setting({
    schema: runtimeImport, config: true, flag: {},
    describe: "Module to import runtime types from (the igluc target)", defaultText: "@igluc/runtime", default: "@igluc/runtime",
  }),
  emit: setting({
    schema: emit, config: true, flag: {},
    describe: "TypeScript modules, or ES module JavaScript with .d.ts declarations (cheaper for tsc)", defaultText: "ts", default: "ts",
  }),
  validators: setting({
    schema: bool(), config: true, flag: {},
    describe: "Also write, per schema, a validator compiled ahead of time (NAME.validate.js, with .d.ts) and validators.js mapping Iglu URIs to them, for the tracker's dev-time validation option",
    defaultText: "false", default: false,
  }),
  validationImport: setting({
    schema: runtimeImport, config: true, flag: {},
    describe: "Module the validators import their run-time helpers and types from (--validators)", defaultText: "@igluc/runtime/validation",
  }),
  eventSpecificationEntity: setting({
    schema: bool(), config: true, flag: {},
    describe: "With a tracking plan: each specification's track function also attaches Snowplow's event_specification entity (1-0-3: the specification's id and name, the data product's id, name and domain), so Snowplow's tooling counts the events by specification",
    defaultText: "false", default: false,
  }),
  outputs: setting({
    schema: list(OUTPUT, { minItems: 1 }), config: true,
    describe: "Several outputs of the same schemas, read and compiled once: each { out, target, emit, singleFile, runtimeImport }, the top-level target, emit, singleFile and runtimeImport being the defaults. Instead of out (a --out flag replaces the list).",
  }),
  registries: setting({
    schema: list(REGISTRY), config: true,
    describe: "Repositories to take schemas from, consulted in Iglu's order: matching vendorPrefixes first, then folders before HTTP, then lower priority.",
  }),
  resolver: setting({ schema: pathText(), config: true, flag: {}, describe: "Iglu resolver configuration whose repositories to generate from (resolver-config 1-0-0 to 1-0-3)" }),
  lockfile: setting({ schema: pathText(), config: true, flag: {}, describe: "Lockfile for schemas from repositories", defaultText: "igluc.lock.json beside the config", default: "igluc.lock.json" }),
  cacheDir: setting({ schema: pathText(), config: true, describe: "Where fetched schemas are kept, for --offline. Default: .igluc beside the lockfile." }),
  update: setting({ schema: bool(), flag: {}, api: true, describe: "Take what the repositories serve now and rewrite the lockfile" }),
  offline: setting({ schema: bool(), flag: {}, api: true, describe: "No network: generate from the locked schemas in the cache" }),
  apikey: setting({ schema: text(), flag: {}, api: true, describe: "API key for Iglu Servers without one of their own; never sent to static registries", defaultText: "$IGLU_API_KEY" }),
  http: setting({
    schema: object({
      timeoutMs: { schema: num({ minimum: 0, default: 10000 }), describe: "Per request, body included." },
      retries: { schema: int({ minimum: 0, default: 3 }), describe: "After the first attempt, on network errors, timeouts, 429 and 5xx." },
      retryDelayMs: { schema: num({ minimum: 0, default: 200 }), describe: "First backoff; doubles each retry, capped at 2 s." },
      concurrency: { schema: int({ minimum: 1, default: 8 }), describe: "Requests at once." },
    }),
    config: true, describe: "HTTP settings for repositories.",
  }),
  lint: setting({
    schema: object({
      preset: { schema: LINT.preset.schema, describe: LINT.preset.describe },
      skipChecks: { schema: LINT.skipChecks.schema, describe: LINT.skipChecks.describe },
      skipSchemas: { schema: LINT.skipSchemas.schema, describe: LINT.skipSchemas.describe },
      strict: { schema: LINT.strict.schema, describe: LINT.strict.describe },
    }),
    config: true, describe: "Settings of igluc lint (its flags override them); generate ignores them.",
  }),
  check: setting({ schema: bool(), flag: {}, api: true, describe: "Write nothing; exit 1 if the output on disk is not what would be generated" }),
  watch: setting({ schema: bool(), flag: { alias: "w" }, api: false, describe: "Regenerate whenever a schema or the config changes (Ctrl-C to stop)" }),
  concurrency: setting({
    schema: int({ minimum: 1 }), flag: {}, api: true,
    describe: "Threads to use, this one included (1 = no worker threads)", defaultText: "number of cores",
  }),
  quiet: setting({ schema: bool(), flag: { alias: "q" }, api: false, describe: "Print errors and the summary only" }),
} as const;

/**
 * `igluc micro`: flags, and `startMicro()`'s options under the same names.
 * Schemas come as for generate (--schemas, --resolver, the lockfile); with
 * none given, igluc.config.json's "schemas", "registries", "resolver" and
 * "lockfile" are read.
 */
export const MICRO = {
  port: setting({ schema: int({ minimum: 0, maximum: 65535 }), flag: { alias: "p" }, api: true, describe: "Port to listen on, on 127.0.0.1 (0: a free one)", defaultText: "9090" }),
  schemas: setting({ schema: list(pathText(), { minItems: 1 }), flag: { alias: "s" }, api: true, describe: "Static registry to validate against (its root, or its schemas/ folder); repeatable. igluc's own schemas (the protocol's envelopes, the built-in events) are always read after them" }),
  resolver: setting({ schema: pathText(), flag: {}, api: true, describe: GENERATE.resolver.describe.replace("generate from", "validate against") }),
  lockfile: setting({ schema: pathText(), flag: {}, api: true, describe: "Lockfile for schemas from repositories (read, never written)", defaultText: "igluc.lock.json beside the config" }),
  offline: setting({ schema: bool(), flag: {}, api: true, describe: "No network: the locked schemas from the cache" }),
  apikey: setting({ schema: text(), flag: {}, api: true, describe: GENERATE.apikey.describe, defaultText: "$IGLU_API_KEY" }),
  maxBodyBytes: setting({ schema: int({ minimum: 1 }), flag: {}, api: true, describe: "Largest request body; a larger one is answered 413 and kept as a bad event", defaultText: "1048576" }),
  maxEventsPerRequest: setting({ schema: int({ minimum: 1 }), flag: {}, api: true, describe: "Events in one POST at most; more make the request one bad event", defaultText: "1000" }),
  maxEntities: setting({ schema: int({ minimum: 1 }), flag: {}, api: true, describe: "Entities in one event at most; more make it bad", defaultText: "1000" }),
  maxStoredEvents: setting({ schema: int({ minimum: 1 }), flag: {}, api: true, describe: "Events kept; past it the oldest are dropped and counted", defaultText: "100000" }),
  maxStoredBytes: setting({ schema: int({ minimum: 1 }), flag: {}, api: true, describe: "Bytes of kept events, as they were sent; past it the oldest are dropped and counted", defaultText: "268435456 (256 MiB)" }),
  config: setting({ schema: text(), flag: { alias: "c" }, api: false, describe: "Config file whose schemas, registries, resolver and lockfile to read when no flag names schemas", defaultText: "igluc.config.json, searched upward" }),
  quiet: setting({ schema: bool(), flag: { alias: "q" }, api: false, describe: "Do not print each bad event's messages" }),
} as const;
