/**
 * All of Iglu Central (../shared/iglu-central/schemas) under the preset of its
 * own CI. Iglu Central passes igluctl there, so every finding here is listed
 * and was checked by hand against the schemas: each is a real defect igluctl
 * does not look for (duplicate keys, SchemaVer bumps smaller than the change),
 * named below with the reason. Under the default preset, the linters' counts
 * match the linter survey of Iglu Central in the research notes (iglu.md §4.2).
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { lint, type LintResult } from "../../generator/lint/lint.js";
import { IGLU_CENTRAL_DIR, describeWithIgluCentral } from "../support/iglu.js";

/** [vendor/name version, pointer, the change found, the bump it needs]. Every one of these versions is declared one step smaller. */
const VERSION_BUMPS: readonly (readonly [string, string, string, "REVISION" | "MODEL"])[] = [
    // 1-0-0 has additionalProperties true, so a userId of any type was valid before; adding it needs a REVISION.
    ["com.iterable/system_webhook 1-0-1", "/properties/userId", "optional property \"userId\" was added where the previous version allowed other properties, so earlier data may hold \"userId\" with any value", "REVISION"],
    // 1-0-3 lets the root object and the items of four arrays be null: a nullable value that was not, in an ADDITION.
    ["com.mandrill/message_opened 1-0-3", "/type", "the value, \"object\", may now be null", "MODEL"],
    ["com.mandrill/message_opened 1-0-3", "/properties/msg/properties/clicks/items/type", "the value, \"object\", may now be null", "MODEL"],
    ["com.mandrill/message_opened 1-0-3", "/properties/msg/properties/opens/items/type", "the value, \"object\", may now be null", "MODEL"],
    ["com.mandrill/message_opened 1-0-3", "/properties/msg/properties/tags/items/type", "the value, \"string\", may now be null", "MODEL"],
    ["com.mandrill/message_opened 1-0-3", "/properties/msg/properties/smtp_events/items/type", "the value, \"object\", may now be null", "MODEL"],
    // schedule had no maxLength in 1-0-0 (only minLength 1); 65535 rejects longer strings that were valid.
    ["com.snowplowanalytics.accelerators.travel/schedule_update 1-0-1", "/properties/schedule/maxLength", "maxLength 65535 was added", "REVISION"],
    // cacheSize and priority change type from integer to number in an ADDITION.
    ["com.snowplowanalytics.iglu/resolver-config 1-0-2", "/properties/cacheSize/type", "the type changed from \"integer\" to \"number\"", "MODEL"],
    ["com.snowplowanalytics.iglu/resolver-config 1-0-2", "/properties/repositories/items/properties/priority/type", "the type changed from \"integer\" to \"number\"", "MODEL"],
    // 1-0-1 adds bounds (maxLength, maximum) to unbounded fields and optional properties to objects without additionalProperties: false, all as an ADDITION.
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationVersion/maximum", "maximum 2147483647 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/namespace/maxLength", "maxLength 4096 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/networkConfiguration/properties/endpoint/maxLength", "maxLength 2048 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/trackerConfiguration/properties/appId/maxLength", "maxLength 4096 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/trackerConfiguration/properties/userAnonymisation", "optional property \"userAnonymisation\" was added where the previous version allowed other properties, so earlier data may hold \"userAnonymisation\" with any value", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/subjectConfiguration/properties/userId/maxLength", "maxLength 4096 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/subjectConfiguration/properties/networkUserId/maxLength", "maxLength 4096 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/subjectConfiguration/properties/domainUserId/maxLength", "maxLength 4096 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/subjectConfiguration/properties/useragent/maxLength", "maxLength 4096 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/subjectConfiguration/properties/ipAddress/maxLength", "maxLength 4096 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/subjectConfiguration/properties/timezone/maxLength", "maxLength 4096 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/subjectConfiguration/properties/language/maxLength", "maxLength 4096 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/sessionConfiguration/properties/backgroundTimeout/maximum", "maximum 9223372036854776000 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/sessionConfiguration/properties/foregroundTimeout/maximum", "maximum 9223372036854776000 was added", "REVISION"],
    ["com.snowplowanalytics.mobile/remote_config 1-0-1", "/properties/configurationBundle/items/properties/emitterConfiguration", "optional property \"emitterConfiguration\" was added where the previous version allowed other properties, so earlier data may hold \"emitterConfiguration\" with any value", "REVISION"],
    // 1-0-1 replaces the properties error and event with two new required ones, payload and failure: a new MODEL published as an ADDITION.
    ["com.snowplowanalytics.snowplow.badrows/loader_runtime_error 1-0-1", "/properties", "property \"error\" was removed", "MODEL"],
    ["com.snowplowanalytics.snowplow.badrows/loader_runtime_error 1-0-1", "/properties", "property \"event\" was removed", "MODEL"],
    ["com.snowplowanalytics.snowplow.badrows/loader_runtime_error 1-0-1", "/properties/payload", "property \"payload\" was added as required", "MODEL"],
    ["com.snowplowanalytics.snowplow.badrows/loader_runtime_error 1-0-1", "/properties/failure", "property \"failure\" was added as required", "MODEL"],
    // useClientSideDetection is added to parameters.required: earlier configurations lack it.
    ["com.snowplowanalytics.snowplow.enrichments/bot_detection_enrichment_config 1-0-1", "/properties/parameters/properties/useClientSideDetection", "property \"useClientSideDetection\" was added as required", "MODEL"],
    // password may now be an object as well as a string: a type change, published as a REVISION.
    ["com.snowplowanalytics.snowplow.storage/postgresql_config 1-1-0", "/properties/password/type", "the type changed from \"string\" to [\"object\",\"string\"]", "MODEL"],
    // the same password change as postgresql_config 1-1-0.
    ["com.snowplowanalytics.snowplow.storage/redshift_config 2-1-0", "/properties/password/type", "the type changed from \"string\" to [\"object\",\"string\"]", "MODEL"],
    // count allows other properties in 2-0-0, so a bad of any type was valid before.
    ["com.snowplowanalytics.snowplow.storage/shredding_complete 2-0-1", "/properties/count/properties/bad", "optional property \"bad\" was added where the previous version allowed other properties, so earlier data may hold \"bad\" with any value", "REVISION"],
    // previousSessionId leaves required: a required column becomes nullable.
    ["com.snowplowanalytics.snowplow/client_session 1-0-2", "/properties/previousSessionId", "property \"previousSessionId\" is no longer required, so it becomes nullable", "MODEL"],
];

/** Formats other than JSON Schema, noted (info) and skipped. */
const OTHER_FORMATS = [
  "com.snowplowanalytics.dataflowrunner/ClusterConfig/avro", "com.snowplowanalytics.dataflowrunner/PlaybookConfig/avro",
  "com.snowplowanalytics.iglu/SchemaSniffer/thrift", "com.snowplowanalytics.kinesistee.config/Configuration/avro",
  "com.snowplowanalytics.sauna.loggers/AmazonDynamodbConfig/avro", "com.snowplowanalytics.sauna.loggers/HipchatConfig/avro",
  "com.snowplowanalytics.sauna.observers/AmazonKinesisConfig/avro", "com.snowplowanalytics.sauna.observers/AmazonS3Config/avro",
  "com.snowplowanalytics.sauna.observers/LocalFilesystemConfig/avro", "com.snowplowanalytics.sauna.responders/HipchatConfig/avro",
  "com.snowplowanalytics.sauna.responders/OptimizelyConfig/avro", "com.snowplowanalytics.sauna.responders/PagerDutyConfig/avro",
  "com.snowplowanalytics.sauna.responders/SendgridConfig/avro", "com.snowplowanalytics.sauna.responders/SlackConfig/avro",
  "com.snowplowanalytics.snowplow/CollectorPayload/thrift", "com.twitter/SerializedBlock/protobuf",
];

describeWithIgluCentral("igluc lint on Iglu Central, with the iglu-central preset", {}, () => {
  let result: LintResult;
  before(async () => {
    result = await lint({ paths: [IGLU_CENTRAL_DIR], preset: "iglu-central" });
  });

  test("reads all 660 JSON Schemas; 65 errors, no warnings, 16 notes; fails", () => {
    assert.equal(result.schemas, 660);
    assert.deepEqual(result.counts, { error: 65, warning: 0, info: 16 });
    assert.equal(result.failed, true);
    assert.deepEqual([...new Set(result.findings.map((d) => d.code))].sort(), ["duplicate-key", "format-skipped", "version-bump"]);
  });

  test("duplicate keys: elasticsearch_enriched_event 1-0-1 and 2-0-0 define doc_height 17 times (igluctl reads JSON that keeps the last)", () => {
    const dups = result.findings.filter((d) => d.code === "duplicate-key");
    const lines = (version: string): number[] => dups.filter((d) => d.uri === `iglu:com.snowplowanalytics.snowplow/elasticsearch_enriched_event/jsonschema/${version}`).map((d) => d.line ?? 0);
    const every3 = (from: number): number[] => Array.from({ length: 16 }, (_, i) => from + 3 * i);
    assert.deepEqual(lines("1-0-1"), every3(335));
    assert.deepEqual(lines("2-0-0"), every3(338));
    assert.ok(dups.every((d) => d.pointer === "/properties/doc_height" && d.level === "error"));
    assert.equal(dups.length, 32);
  });

  test("SchemaVer bumps smaller than the change: 33, each checked by hand", () => {
    const found = result.findings.filter((d) => d.code === "version-bump").map((d) => {
      const m = /^(\S+) → (\S+) is (?:an? )?([A-Z]+), but (.*): that needs (?:an? )?([A-Z]+)$/.exec(d.message);
      assert.ok(m !== null, d.message);
      return [`${(d.uri ?? "").replace(/^iglu:/, "").replace("/jsonschema/", " ")}`, d.pointer, m[4], m[5]];
    });
    assert.deepEqual(found, VERSION_BUMPS);
  });

  test("other formats are noted, once per folder", () => {
    const notes = result.findings.filter((d) => d.code === "format-skipped").map((d) => (d.file ?? "").replace(/^.*schemas\//, ""));
    assert.deepEqual(notes, OTHER_FORMATS);
  });

  test("without igluc's own extra checks, Iglu Central passes, as it does igluctl in its CI", async () => {
    const plain = await lint({ paths: [IGLU_CENTRAL_DIR], preset: "iglu-central", skipChecks: ["version-bump", "format-skipped"] });
    assert.deepEqual(plain.findings.filter((d) => d.code !== "duplicate-key"), []);
  });
});

describeWithIgluCentral("igluc lint on Iglu Central, every linter on", {}, () => {
  test("the linters' counts match the survey in iglu.md (files, and findings where both count alike)", async () => {
    const result = await lint({ paths: [IGLU_CENTRAL_DIR] });
    const files = (rule: string): number => new Set(result.findings.filter((d) => d.code === rule).map((d) => d.uri)).size;
    const count = (rule: string): number => result.findings.filter((d) => d.code === rule).length;
    assert.deepEqual(
      { rootObject: [files("rootObject"), count("rootObject")], stringMaxLengthRange: [files("stringMaxLengthRange"), count("stringMaxLengthRange")], numericMinMax: [files("numericMinMax"), count("numericMinMax")], stringLength: [files("stringLength"), count("stringLength")], description: [files("description"), count("description")] },
      { rootObject: [23, 23], stringMaxLengthRange: [4, 4], numericMinMax: [196, 895], stringLength: [308, 3665], description: [406, 7210] },
    );
    // These three are reported per property here, per object there: the files agree.
    assert.deepEqual([files("optionalNull"), files("bqDisallowedCharacters"), files("bqIllegalStart")], [107, 41, 1]);
    const errorLevel = ["numericMinimumMaximum", "stringMinMaxLength", "arrayMinMaxItems", "numericProperties", "stringProperties", "arrayProperties", "objectProperties", "requiredPropertiesExist", "schemaUri", "unknownFormats"];
    assert.deepEqual(errorLevel.filter((rule) => count(rule) > 0), []);
  });
});
