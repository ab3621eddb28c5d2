/**
 * Naming: exact names for each situation (one schema, vendors sharing a
 * name, versions, taken names, collisions), and names that never depend on
 * the order schemas are given in.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { igluUri, parseSchemaVer } from "../../runtime/iglu.js";
import type { Candidate } from "../../generator/model.js";
import { nameSchemas, TAKEN_NAMES, type Names } from "../../generator/normalize/names.js";
import { isPlainIdentifier } from "../support/identifier.js";
import { seeded as random } from "../support/random.js";

function candidate(vendor: string, name: string, version = "1-0-0"): Candidate {
  const key = { vendor, name, format: "jsonschema", version };
  const ver = parseSchemaVer(version);
  assert.ok(ver !== undefined, version);
  return { file: { path: "/x", display: "x", key }, key, ver, uri: igluUri(key) };
}

/** `vendor/name/version` → a candidate. */
function parse(spec: string): Candidate {
  const [vendor, name, version] = spec.split("/");
  return candidate(vendor!, name!, version);
}

const uri = (spec: string): string => igluUri(parse(spec).key);

/** The names derived from a type name, as the naming stage writes them. */
function named(type: string, constant: string, file: string): Names {
  return { type, constant, create: `create${type}`, track: `track${type}`, file };
}

interface Case {
  readonly name: string;
  readonly schemas: readonly string[];
  /** By `vendor/name/version`; a schema not listed gets no names. */
  readonly names: Readonly<Record<string, Names>>;
  readonly errors?: readonly Pick<Diagnostic, "uri" | "message" | "hint">[];
}

const CASES: readonly Case[] = [
  {
    name: "a single schema",
    schemas: ["com.acme/link_click/1-0-0"],
    names: { "com.acme/link_click/1-0-0": named("LinkClick", "LINK_CLICK_SCHEMA", "link-click") },
  },
  {
    name: "a name in capitals",
    schemas: ["com.acme/TAG_CHANGE/1-0-0"],
    names: { "com.acme/TAG_CHANGE/1-0-0": named("TagChange", "TAG_CHANGE_SCHEMA", "tag-change") },
  },
  {
    name: "a name starting with a digit",
    schemas: ["com.acme/1h_summary/1-0-0"],
    names: { "com.acme/1h_summary/1-0-0": named("Schema1HSummary", "SCHEMA1_H_SUMMARY_SCHEMA", "schema1-h-summary") },
  },
  {
    name: "two vendors sharing a name: each qualified with the last segment of its vendor",
    schemas: ["com.snowplowanalytics.snowplow/add_to_cart/1-0-0", "io.snowplow.ecomm/add_to_cart/1-0-0"],
    names: {
      "com.snowplowanalytics.snowplow/add_to_cart/1-0-0": named("SnowplowAddToCart", "SNOWPLOW_ADD_TO_CART_SCHEMA", "snowplow-add-to-cart"),
      "io.snowplow.ecomm/add_to_cart/1-0-0": named("EcommAddToCart", "ECOMM_ADD_TO_CART_SCHEMA", "ecomm-add-to-cart"),
    },
  },
  {
    name: "names equal ignoring case and separators are qualified too",
    schemas: ["com.acme/link_click/1-0-0", "org.other/LinkClick/1-0-0"],
    names: {
      "com.acme/link_click/1-0-0": named("AcmeLinkClick", "ACME_LINK_CLICK_SCHEMA", "acme-link-click"),
      "org.other/LinkClick/1-0-0": named("OtherLinkClick", "OTHER_LINK_CLICK_SCHEMA", "other-link-click"),
    },
  },
  {
    name: "vendors whose last segments are equal: qualified with more segments",
    schemas: ["com.acme/foo/1-0-0", "org.acme/foo/1-0-0"],
    names: {
      "com.acme/foo/1-0-0": named("ComAcmeFoo", "COM_ACME_FOO_SCHEMA", "com-acme-foo"),
      "org.acme/foo/1-0-0": named("OrgAcmeFoo", "ORG_ACME_FOO_SCHEMA", "org-acme-foo"),
    },
  },
  {
    name: "three vendors: all qualified with as many segments as the two alike need",
    schemas: ["com.acme/foo/1-0-0", "org.acme/foo/1-0-0", "io.other/foo/1-0-0"],
    names: {
      "com.acme/foo/1-0-0": named("ComAcmeFoo", "COM_ACME_FOO_SCHEMA", "com-acme-foo"),
      "org.acme/foo/1-0-0": named("OrgAcmeFoo", "ORG_ACME_FOO_SCHEMA", "org-acme-foo"),
      "io.other/foo/1-0-0": named("IoOtherFoo", "IO_OTHER_FOO_SCHEMA", "io-other-foo"),
    },
  },
  {
    name: "vendor segments split at dots, hyphens and underscores",
    schemas: ["com.acme-corp/foo/1-0-0", "com.other_corp/foo/1-0-0"],
    names: {
      "com.acme-corp/foo/1-0-0": named("AcmeCorpFoo", "ACME_CORP_FOO_SCHEMA", "acme-corp-foo"),
      "com.other_corp/foo/1-0-0": named("OtherCorpFoo", "OTHER_CORP_FOO_SCHEMA", "other-corp-foo"),
    },
  },
  {
    name: "two models: the newest keeps the name, the older gets V<model>",
    schemas: ["com.acme/foo/2-0-0", "com.acme/foo/1-0-1"],
    names: {
      "com.acme/foo/2-0-0": named("Foo", "FOO_SCHEMA", "foo"),
      "com.acme/foo/1-0-1": named("FooV1", "FOO_V1_SCHEMA", "foo-v1"),
    },
  },
  {
    name: "two versions of model 1 and one of model 2: full versions for model 1",
    schemas: ["com.acme/foo/1-0-0", "com.acme/foo/1-0-1", "com.acme/foo/2-0-0"],
    names: {
      "com.acme/foo/2-0-0": named("Foo", "FOO_SCHEMA", "foo"),
      "com.acme/foo/1-0-1": named("FooV1_0_1", "FOO_V1_0_1_SCHEMA", "foo-v1-0-1"),
      "com.acme/foo/1-0-0": named("FooV1_0_0", "FOO_V1_0_0_SCHEMA", "foo-v1-0-0"),
    },
  },
  {
    name: "versions of one model only: the older gets its full version",
    schemas: ["com.acme/foo/1-0-0", "com.acme/foo/1-1-0"],
    names: {
      "com.acme/foo/1-1-0": named("Foo", "FOO_SCHEMA", "foo"),
      "com.acme/foo/1-0-0": named("FooV1_0_0", "FOO_V1_0_0_SCHEMA", "foo-v1-0-0"),
    },
  },
  {
    name: "a model with several versions beside a model with one",
    schemas: ["com.acme/foo/3-0-0", "com.acme/foo/2-1-0", "com.acme/foo/2-0-0", "com.acme/foo/1-0-0"],
    names: {
      "com.acme/foo/3-0-0": named("Foo", "FOO_SCHEMA", "foo"),
      "com.acme/foo/2-1-0": named("FooV2_1_0", "FOO_V2_1_0_SCHEMA", "foo-v2-1-0"),
      "com.acme/foo/2-0-0": named("FooV2_0_0", "FOO_V2_0_0_SCHEMA", "foo-v2-0-0"),
      "com.acme/foo/1-0-0": named("FooV1", "FOO_V1_SCHEMA", "foo-v1"),
    },
  },
  {
    name: "SchemaVer orders numerically, not as text",
    schemas: ["com.acme/foo/10-0-0", "com.acme/foo/9-0-0"],
    names: {
      "com.acme/foo/10-0-0": named("Foo", "FOO_SCHEMA", "foo"),
      "com.acme/foo/9-0-0": named("FooV9", "FOO_V9_SCHEMA", "foo-v9"),
    },
  },
  {
    name: "vendor qualification and version suffixes together",
    schemas: ["com.acme/foo/2-0-0", "com.acme/foo/1-0-0", "org.acme/foo/1-0-0"],
    names: {
      "com.acme/foo/2-0-0": named("ComAcmeFoo", "COM_ACME_FOO_SCHEMA", "com-acme-foo"),
      "com.acme/foo/1-0-0": named("ComAcmeFooV1", "COM_ACME_FOO_V1_SCHEMA", "com-acme-foo-v1"),
      "org.acme/foo/1-0-0": named("OrgAcmeFoo", "ORG_ACME_FOO_SCHEMA", "org-acme-foo"),
    },
  },
  {
    name: "names the generated modules use are qualified with the vendor",
    schemas: [
      "com.acme/tracker/1-0-0", "com.acme/entity/1-0-0", "com.acme/event_tracker/1-0-0", "com.acme/index/1-0-0",
      "com.acme/self_describing_json/1-0-0", "com.acme/unchecked_entity/1-0-0", "com.acme/track_options/1-0-0", "com.acme/record/1-0-0",
      "com.acme/specifications/1-0-0",
    ],
    names: {
      "com.acme/tracker/1-0-0": named("AcmeTracker", "ACME_TRACKER_SCHEMA", "acme-tracker"),
      "com.acme/entity/1-0-0": named("AcmeEntity", "ACME_ENTITY_SCHEMA", "acme-entity"),
      "com.acme/event_tracker/1-0-0": named("AcmeEventTracker", "ACME_EVENT_TRACKER_SCHEMA", "acme-event-tracker"),
      "com.acme/index/1-0-0": named("AcmeIndex", "ACME_INDEX_SCHEMA", "acme-index"),
      "com.acme/self_describing_json/1-0-0": named("AcmeSelfDescribingJson", "ACME_SELF_DESCRIBING_JSON_SCHEMA", "acme-self-describing-json"),
      "com.acme/unchecked_entity/1-0-0": named("AcmeUncheckedEntity", "ACME_UNCHECKED_ENTITY_SCHEMA", "acme-unchecked-entity"),
      "com.acme/track_options/1-0-0": named("AcmeTrackOptions", "ACME_TRACK_OPTIONS_SCHEMA", "acme-track-options"),
      "com.acme/record/1-0-0": named("AcmeRecord", "ACME_RECORD_SCHEMA", "acme-record"),
      // specifications.ts is the tracking plan's module.
      "com.acme/specifications/1-0-0": named("AcmeSpecifications", "ACME_SPECIFICATIONS_SCHEMA", "acme-specifications"),
    },
  },
  {
    name: "a taken name in capitals is taken too",
    schemas: ["com.snowplowanalytics.snowplow/TRACKER/1-0-0"],
    names: { "com.snowplowanalytics.snowplow/TRACKER/1-0-0": named("SnowplowTracker", "SNOWPLOW_TRACKER_SCHEMA", "snowplow-tracker") },
  },
  {
    name: "a taken name that also needs telling vendors apart",
    schemas: ["com.acme/entity/1-0-0", "org.acme/entity/1-0-0"],
    names: {
      "com.acme/entity/1-0-0": named("ComAcmeEntity", "COM_ACME_ENTITY_SCHEMA", "com-acme-entity"),
      "org.acme/entity/1-0-0": named("OrgAcmeEntity", "ORG_ACME_ENTITY_SCHEMA", "org-acme-entity"),
    },
  },
  {
    name: "a vendor with no letters cannot qualify a taken name: an error, never index.ts or a clash with an import",
    schemas: ["-/index/1-0-0", "_/event_tracker/1-0-0", "-_/specifications/1-0-0", "com.acme/fine/1-0-0"],
    names: { "com.acme/fine/1-0-0": named("Fine", "FINE_SCHEMA", "fine") },
    errors: [
      {
        uri: uri("-/index/1-0-0"), message: "the generated name Index is a name igluc uses itself",
        hint: "rename the schema, or give its vendor a name with letters or digits to qualify it with",
      },
      {
        uri: uri("-_/specifications/1-0-0"), message: "the generated name Specifications is a name igluc uses itself",
        hint: "rename the schema, or give its vendor a name with letters or digits to qualify it with",
      },
      {
        uri: uri("_/event_tracker/1-0-0"), message: "the generated name EventTracker is a name igluc uses itself",
        hint: "rename the schema, or give its vendor a name with letters or digits to qualify it with",
      },
    ],
  },
  {
    name: "an unresolvable collision: both schemas are errors, neither is named, the others are",
    schemas: ["com.acme/tag_change/1-0-0", "com.acme/TAG_CHANGE/1-0-0", "com.acme/other/1-0-0"],
    names: { "com.acme/other/1-0-0": named("Other", "OTHER_SCHEMA", "other") },
    errors: [
      {
        uri: uri("com.acme/TAG_CHANGE/1-0-0"),
        message: `the generated name ComAcmeTagChange is also the name generated for ${uri("com.acme/tag_change/1-0-0")}`,
        hint: `two schemas map to the same identifier; rename one of them, or generate them in separate runs (${uri("com.acme/TAG_CHANGE/1-0-0")} and ${uri("com.acme/tag_change/1-0-0")})`,
      },
      {
        uri: uri("com.acme/tag_change/1-0-0"),
        message: `the generated name ComAcmeTagChange is also the name generated for ${uri("com.acme/TAG_CHANGE/1-0-0")}`,
        hint: `two schemas map to the same identifier; rename one of them, or generate them in separate runs (${uri("com.acme/TAG_CHANGE/1-0-0")} and ${uri("com.acme/tag_change/1-0-0")})`,
      },
    ],
  },
  {
    name: "types differing only in case still collide in their constant (and file)",
    schemas: ["com.acme/a_b/1-0-0", "com.acme/ab/1-0-0"],
    names: {},
    errors: [
      {
        uri: uri("com.acme/a_b/1-0-0"), message: `the generated name COM_ACME_AB_SCHEMA is also the name generated for ${uri("com.acme/ab/1-0-0")}`,
        hint: `two schemas map to the same identifier; rename one of them, or generate them in separate runs (${uri("com.acme/a_b/1-0-0")} and ${uri("com.acme/ab/1-0-0")})`,
      },
      {
        uri: uri("com.acme/ab/1-0-0"), message: `the generated name COM_ACME_AB_SCHEMA is also the name generated for ${uri("com.acme/a_b/1-0-0")}`,
        hint: `two schemas map to the same identifier; rename one of them, or generate them in separate runs (${uri("com.acme/a_b/1-0-0")} and ${uri("com.acme/ab/1-0-0")})`,
      },
    ],
  },
  {
    name: "an older version's name equal to another schema's: both are errors, the newest version is named",
    schemas: ["com.acme/foo/2-0-0", "com.acme/foo/1-0-0", "com.acme/foo_v1/1-0-0"],
    names: { "com.acme/foo/2-0-0": named("Foo", "FOO_SCHEMA", "foo") },
    errors: [
      {
        uri: uri("com.acme/foo/1-0-0"), message: `the generated name FooV1 is also the name generated for ${uri("com.acme/foo_v1/1-0-0")}`,
        hint: `two schemas map to the same identifier; rename one of them, or generate them in separate runs (${uri("com.acme/foo/1-0-0")} and ${uri("com.acme/foo_v1/1-0-0")})`,
      },
      {
        uri: uri("com.acme/foo_v1/1-0-0"), message: `the generated name FooV1 is also the name generated for ${uri("com.acme/foo/1-0-0")}`,
        hint: `two schemas map to the same identifier; rename one of them, or generate them in separate runs (${uri("com.acme/foo/1-0-0")} and ${uri("com.acme/foo_v1/1-0-0")})`,
      },
    ],
  },
];

/** Names by URI, sorted, and diagnostics sorted: comparable whatever the order. */
function outcome(candidates: readonly Candidate[]): { names: [string, Names][]; diagnostics: Diagnostic[] } {
  const naming = nameSchemas(candidates);
  const key = (d: Diagnostic): string => `${d.uri ?? ""}\u0000${d.message}`;
  return {
    names: [...naming.names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    diagnostics: [...naming.diagnostics].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
  };
}

describe("nameSchemas", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const { names, diagnostics } = outcome(c.schemas.map(parse));
      const expected = Object.entries(c.names).map(([spec, n]) => [uri(spec), n] as [string, Names]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      assert.deepEqual(names, expected);
      assert.deepEqual(
        diagnostics.map((d) => ({ level: d.level, code: d.code, uri: d.uri, message: d.message, hint: d.hint })),
        (c.errors ?? []).map((e) => ({ level: "error", code: "name-collision", ...e })),
      );
      // Every schema is either named or reported.
      const reported = new Set(diagnostics.map((d) => d.uri));
      for (const spec of c.schemas) assert.ok(names.some(([u]) => u === uri(spec)) !== reported.has(uri(spec)), spec);
    });
  }

  test("every name is a valid identifier, never a taken one, and no two schemas share any name or file", () => {
    for (const c of CASES) {
      const { names } = outcome(c.schemas.map(parse));
      const seen = new Set<string>();
      for (const [, n] of names) {
        for (const id of [n.type, n.constant, n.create, n.track]) {
          assert.ok(isPlainIdentifier(id), id);
          assert.ok(!TAKEN_NAMES.has(id), id);
          assert.ok(!seen.has(id), id);
          seen.add(id);
        }
        assert.match(n.file, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        assert.notEqual(n.file, "index");
        assert.ok(!seen.has(`file:${n.file}`), n.file);
        seen.add(`file:${n.file}`);
      }
    }
  });
});

function shuffled<T>(list: readonly T[], next: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe("order independence", () => {
  const next = random(20250101);
  for (const c of CASES.filter((c) => c.schemas.length > 1)) {
    test(`${c.name}: 20 shuffles give the same names and diagnostics`, () => {
      const reference = outcome(c.schemas.map(parse));
      for (let i = 0; i < 20; i++) assert.deepEqual(outcome(shuffled(c.schemas, next).map(parse)), reference);
    });
  }

  test("all cases at once (schemas of different cases interact): 20 shuffles give the same outcome", () => {
    const all = [...new Set(CASES.flatMap((c) => c.schemas))];
    const reference = outcome(all.map(parse));
    assert.ok(reference.names.length > 20);
    assert.ok(reference.diagnostics.length >= 6);
    for (let i = 0; i < 20; i++) assert.deepEqual(outcome(shuffled(all, next).map(parse)), reference);
  });
});
