/**
 * Version history: every vendor/name starts at 1-0-0, has no gaps, and each
 * version bumps at least as much as its change needs. Each kind of change is
 * checked twice: declared one step too small (the exact finding) and just big
 * enough (no finding).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lint } from "../../generator/lint/lint.js";
import { maxPatternLength } from "../../generator/lint/pattern-length.js";
import { versionsRegistry } from "../support/registry.js";

type Body = Record<string, unknown>;

async function historyFindings(versions: Readonly<Record<string, Body>>): Promise<{ code: string; uri: string; pointer: string; message: string }[]> {
  const registry = versionsRegistry("thing", versions);
  try {
    const result = await lint({ paths: [registry.dir] });
    return result.findings
      .filter((d) => d.code.startsWith("version-"))
      .map((d) => ({ code: d.code, uri: d.uri ?? "", pointer: d.pointer ?? "", message: d.message }));
  } finally {
    registry.dispose();
  }
}

/** additionalProperties false: a new optional property is an ADDITION. */
const CLOSED: Body = {
  type: "object",
  additionalProperties: false,
  properties: {
    a: { type: "string", maxLength: 10 },
    n: { type: "integer", minimum: 0, maximum: 10 },
    e: { enum: ["x", "y"] },
    r: { type: "string", maxLength: 5 },
    o: { type: ["string", "null"], enum: ["p", "q", null] },
    f: { type: "string", format: "uuid" },
    s: { type: "string" },
    id: { type: "string", pattern: "^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$|^[0-9a-f]{16}$" },
    c: { anyOf: [{ type: "string" }, { type: "integer" }] },
    d: { oneOf: [{ type: "string" }, { type: "null" }] },
    l: { allOf: [{ type: "string" }, { maxLength: 10 }] },
    x: { type: "string", not: { enum: ["bad"] } },
  },
  required: ["r"],
};
/** additionalProperties absent: old data may carry any other key. */
const { additionalProperties: _closed, ...OPEN } = CLOSED;

/** CLOSED (or `base`) with some properties replaced (undefined removes one) and other members changed. */
function changed(properties: Record<string, unknown>, other: Body = {}, base: Body = CLOSED): Body {
  const props: Record<string, unknown> = { ...(base.properties as Record<string, unknown>) };
  for (const [k, v] of Object.entries(properties)) {
    if (v === undefined) delete props[k];
    else props[k] = v;
  }
  return { ...base, properties: props, ...other };
}

interface Row {
  readonly change: string;
  readonly before?: Body;
  readonly after: Body;
  readonly needs: "ADDITION" | "REVISION" | "MODEL";
  /** The finding when the bump is one step short (none for changes an ADDITION covers). */
  readonly pointer?: string;
  readonly what?: string;
}

const ROWS: readonly Row[] = [
  // Compatible with all earlier data: an ADDITION is enough.
  { change: "an optional property added where additionalProperties is false", after: changed({ z: { type: "string" } }), needs: "ADDITION" },
  { change: "maxLength loosened", after: changed({ a: { type: "string", maxLength: 20 } }), needs: "ADDITION" },
  { change: "maximum removed", after: changed({ n: { type: "integer", minimum: 0 } }), needs: "ADDITION" },
  { change: "an enum value added", after: changed({ e: { enum: ["x", "y", "w"] } }), needs: "ADDITION" },
  { change: "descriptions and a title changed", after: changed({ a: { type: "string", maxLength: 10, description: "A." } }, { title: "Thing", description: "Now described." }), needs: "ADDITION" },
  { change: "an enum of strings given the type string", after: changed({ e: { type: "string", enum: ["x", "y"] } }), needs: "ADDITION" },
  { change: "an enum replaced by a maxLength all its values meet", after: changed({ e: { type: "string", maxLength: 1 } }), needs: "ADDITION" },
  { change: "an optional property made nullable", after: changed({ a: { type: ["string", "null"], maxLength: 10 } }), needs: "ADDITION" },
  { change: "additionalProperties false turned to allowed", after: OPEN, needs: "ADDITION" },
  {
    change: "properties given to an object that allowed none (maxProperties 0), closing it",
    before: changed({ p: { type: "object", maxProperties: 0 } }), after: changed({ p: { type: "object", additionalProperties: false, properties: { q: { type: "string" } } } }), needs: "ADDITION",
  },
  { change: "a format removed", after: changed({ f: { type: "string" } }), needs: "ADDITION" },
  { change: "a maxLength a uuid format already implied", after: changed({ f: { type: "string", format: "uuid", maxLength: 36 } }), needs: "ADDITION" },
  { change: "a maxLength the anchored pattern already implied", after: changed({ id: { type: "string", pattern: "^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$|^[0-9a-f]{16}$", maxLength: 36 } }), needs: "ADDITION" },

  // Combinators: compared alternative by alternative when the count is unchanged; otherwise by what the kind of keyword can do.
  { change: "an anyOf alternative added", after: changed({ c: { anyOf: [{ type: "string" }, { type: "integer" }, { type: "boolean" }] } }), needs: "ADDITION" },
  { change: "a oneOf alternative added", after: changed({ d: { oneOf: [{ type: "string" }, { type: "null" }, { type: "integer" }] } }), needs: "ADDITION" },
  { change: "an allOf constraint removed", after: changed({ l: { allOf: [{ type: "string" }] } }), needs: "ADDITION" },
  { change: "an allOf constraint loosened, the count unchanged", after: changed({ l: { allOf: [{ type: "string" }, { maxLength: 20 }] } }), needs: "ADDITION" },

  // May reject some earlier data, no type changes: a REVISION.
  {
    change: "an optional property added where other properties were allowed", before: OPEN, after: changed({ z: { type: "string" } }, {}, OPEN), needs: "REVISION",
    pointer: "/properties/z", what: "optional property \"z\" was added where the previous version allowed other properties, so earlier data may hold \"z\" with any value",
  },
  { change: "maxLength tightened", after: changed({ a: { type: "string", maxLength: 5 } }), needs: "REVISION", pointer: "/properties/a/maxLength", what: "maxLength was tightened from 10 to 5" },
  { change: "minimum raised", after: changed({ n: { type: "integer", minimum: 1, maximum: 10 } }), needs: "REVISION", pointer: "/properties/n/minimum", what: "minimum was tightened from 0 to 1" },
  { change: "a maxLength added", after: changed({ s: { type: "string", maxLength: 36 } }), needs: "REVISION", pointer: "/properties/s/maxLength", what: "maxLength 36 was added" },
  { change: "a maxLength below what the pattern allows", after: changed({ id: { type: "string", pattern: "^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$|^[0-9a-f]{16}$", maxLength: 35 } }), needs: "REVISION", pointer: "/properties/id/maxLength", what: "maxLength 35 was added" },
  { change: "a pattern added", after: changed({ a: { type: "string", maxLength: 10, pattern: "^[a-z]+$" } }), needs: "REVISION", pointer: "/properties/a/pattern", what: "pattern \"^[a-z]+$\" was added" },
  { change: "a format changed", after: changed({ f: { type: "string", format: "uri" } }), needs: "REVISION", pointer: "/properties/f/format", what: "format changed from \"uuid\" to \"uri\"" },
  {
    change: "additionalProperties turned off", before: OPEN, after: CLOSED, needs: "REVISION",
    pointer: "/additionalProperties", what: "additionalProperties changed from allowed to false",
  },

  { change: "an allOf constraint added", after: changed({ l: { allOf: [{ type: "string" }, { maxLength: 10 }, { pattern: "^[a-z]+$" }] } }), needs: "REVISION", pointer: "/properties/l/allOf", what: "allOf changed" },
  { change: "an allOf constraint tightened, the count unchanged", after: changed({ l: { allOf: [{ type: "string" }, { maxLength: 5 }] } }), needs: "REVISION", pointer: "/properties/l/allOf/1/maxLength", what: "maxLength was tightened from 10 to 5" },
  { change: "a not changed", after: changed({ x: { type: "string", not: { enum: ["bad", "worse"] } } }), needs: "REVISION", pointer: "/properties/x/not", what: "not changed" },

  // The shape changes: a MODEL.
  { change: "a required property added", after: changed({ z: { type: "string" } }, { required: ["r", "z"] }), needs: "MODEL", pointer: "/properties/z", what: "property \"z\" was added as required" },
  { change: "a property removed", after: changed({ a: undefined }), needs: "MODEL", pointer: "/properties", what: "property \"a\" was removed" },
  { change: "a type widened (integer to number)", after: changed({ n: { type: "number", minimum: 0, maximum: 10 } }), needs: "MODEL", pointer: "/properties/n/type", what: "the type changed from \"integer\" to \"number\"" },
  { change: "a type narrowed", before: changed({ a: { type: ["string", "integer"] } }), after: changed({ a: { type: "string" } }), needs: "MODEL", pointer: "/properties/a/type", what: "the type changed from [\"integer\",\"string\"] to \"string\"" },
  { change: "an enum narrowed", after: changed({ e: { enum: ["x"] } }), needs: "MODEL", pointer: "/properties/e/enum", what: "enum values \"y\" were removed" },
  { change: "an optional property made required", after: changed({}, { required: ["r", "a"] }), needs: "MODEL", pointer: "/properties/a", what: "property \"a\" became required" },
  { change: "a required property made optional", after: changed({}, { required: undefined }), needs: "MODEL", pointer: "/properties/r", what: "property \"r\" is no longer required, so it becomes nullable" },
  { change: "a required property made nullable", after: changed({ r: { type: ["string", "null"], maxLength: 5 } }), needs: "MODEL", pointer: "/properties/r/type", what: "the value, \"string\", may now be null" },
  { change: "an anyOf alternative removed", after: changed({ c: { anyOf: [{ type: "string" }] } }), needs: "MODEL", pointer: "/properties/c/anyOf", what: "anyOf changed" },
  { change: "a oneOf alternative replaced by two others", after: changed({ d: { oneOf: [{ type: "string" }, { type: "integer" }, { type: "boolean" }] } }), needs: "MODEL", pointer: "/properties/d/oneOf", what: "oneOf changed" },
  { change: "an anyOf alternative's type changed, the count unchanged", after: changed({ c: { anyOf: [{ type: "string" }, { type: "number" }] } }), needs: "MODEL", pointer: "/properties/c/anyOf/1/type", what: "the type changed from \"integer\" to \"number\"" },
  { change: "an anyOf given to a property that had none", after: changed({ s: { type: "string", anyOf: [{ maxLength: 5 }, { minLength: 10 }] } }), needs: "MODEL", pointer: "/properties/s/anyOf", what: "anyOf changed" },
  {
    change: "null added to the enum of a required property", before: changed({}, { required: ["r", "o"] }), after: changed({ o: { type: ["string", "null"], enum: ["p", "q"] } }, { required: ["r", "o"] }),
    needs: "MODEL", pointer: "/properties/o/type", what: "the type changed from [\"null\",\"string\"] to \"string\"",
  },
];

const SHORT: Record<Row["needs"], string | undefined> = { ADDITION: undefined, REVISION: "1-0-1", MODEL: "1-1-0" };
const ENOUGH: Record<Row["needs"], string> = { ADDITION: "1-0-1", REVISION: "1-1-0", MODEL: "2-0-0" };
const DECLARED: Record<string, string> = { "1-0-1": "an ADDITION", "1-1-0": "a REVISION" };

describe("SchemaVer bumps against the change", () => {
  for (const row of ROWS) {
    test(`${row.change}: needs ${row.needs === "ADDITION" ? "an" : "a"} ${row.needs}`, async () => {
      const before = row.before ?? CLOSED;
      const short = SHORT[row.needs];
      if (short !== undefined) {
        assert.deepEqual(await historyFindings({ "1-0-0": before, [short]: row.after }), [{
          code: "version-bump", uri: `iglu:com.acme/thing/jsonschema/${short}`, pointer: row.pointer,
          message: `1-0-0 → ${short} is ${DECLARED[short]}, but ${row.what}: that needs ${row.needs === "MODEL" ? "a MODEL" : "a REVISION"}`,
        }]);
      }
      assert.deepEqual(await historyFindings({ "1-0-0": before, [ENOUGH[row.needs]]: row.after }), []);
    });
  }

  test("an unchanged schema republished as an ADDITION is fine, and so is a bigger bump than needed", async () => {
    assert.deepEqual(await historyFindings({ "1-0-0": CLOSED, "1-0-1": CLOSED, "2-0-0": changed({ z: { type: "string" } }) }), []);
  });

  test("each version is compared with the one before it, across MODELs", async () => {
    const found = await historyFindings({ "1-0-0": CLOSED, "1-0-1": changed({ z: { type: "string" } }), "2-0-0": changed({ z: { type: "integer" } }), "2-0-1": changed({ z: { type: "string" } }) });
    assert.deepEqual(found, [{
      code: "version-bump", uri: "iglu:com.acme/thing/jsonschema/2-0-1", pointer: "/properties/z/type",
      message: "2-0-0 → 2-0-1 is an ADDITION, but the type changed from \"integer\" to \"string\": that needs a MODEL",
    }]);
  });

  test("the hint names the version to publish instead", async () => {
    const registry = versionsRegistry("thing", { "1-0-0": CLOSED, "1-0-1": changed({ a: undefined }) });
    try {
      const [finding] = (await lint({ paths: [registry.dir] })).findings.filter((d) => d.code === "version-bump");
      assert.equal(finding?.hint, "publish this as 2-0-0 instead, or undo the change");
    } finally {
      registry.dispose();
    }
  });

  test("--skip-checks version-bump turns the comparison off", async () => {
    const registry = versionsRegistry("thing", { "1-0-0": CLOSED, "1-0-1": changed({ a: undefined }) });
    try {
      const result = await lint({ paths: [registry.dir], skipChecks: ["version-bump"] });
      assert.deepEqual(result.findings.filter((d) => d.code.startsWith("version-")), []);
    } finally {
      registry.dispose();
    }
  });
});

describe("the longest match of a pattern", () => {
  const table: readonly [string, number][] = [
    ["^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$|^[0-9a-f]{16}$", 36],
    ["^(?:ab|c)?x{2,3}$", 5],
    ["^\\d{4}$", 4],
    ["^\\$$", 1],
    ["^.{0,10}$", 10],
    ["^[a-z\\]]{2}$", 2],
    ["^a+$", Infinity],
    ["^[a-z]{1,}$", Infinity],
    ["abc", Infinity],
    ["^a|b$", Infinity],
    ["^(?=a)a$", Infinity],
    ["^\\bword$", Infinity],
  ];
  for (const [pattern, length] of table) {
    test(`${pattern} → ${length}`, () => assert.equal(maxPatternLength(pattern), length));
  }
});

describe("versions start at 1-0-0 and leave no gaps", () => {
  const ok: readonly (readonly string[])[] = [
    ["1-0-0"],
    ["1-0-0", "1-0-1", "1-0-2"],
    ["1-0-0", "1-1-0", "1-1-1", "1-2-0"],
    ["1-0-0", "1-0-1", "2-0-0", "2-0-1", "3-0-0"],
    // A fix to an older revision after a newer one exists: sorted, each still follows its predecessor.
    ["1-0-0", "1-0-1", "1-1-0"],
  ];
  for (const versions of ok) {
    test(`${versions.join(", ")} is a valid history`, async () => {
      assert.deepEqual(await historyFindings(Object.fromEntries(versions.map((v) => [v, CLOSED]))), []);
    });
  }

  const gaps: readonly [readonly string[], string, string][] = [
    [["1-0-0", "1-0-2"], "1-0-2", "1-0-2 follows 1-0-0, skipping versions"],
    [["1-0-0", "1-2-0"], "1-2-0", "1-2-0 follows 1-0-0, skipping versions"],
    [["1-0-0", "1-1-1"], "1-1-1", "1-1-1 follows 1-0-0, skipping versions"],
    [["1-0-0", "3-0-0"], "3-0-0", "3-0-0 follows 1-0-0, skipping versions"],
    [["1-0-0", "2-0-1"], "2-0-1", "2-0-1 follows 1-0-0, skipping versions"],
  ];
  for (const [versions, at, message] of gaps) {
    test(`${versions.join(", ")} has a gap before ${at}`, async () => {
      assert.deepEqual(await historyFindings(Object.fromEntries(versions.map((v) => [v, CLOSED]))), [
        { code: "version-gap", uri: `iglu:com.acme/thing/jsonschema/${at}`, pointer: "/self/version", message },
      ]);
    });
  }

  test("a history without 1-0-0 is reported at its first version", async () => {
    assert.deepEqual(await historyFindings({ "1-0-1": CLOSED, "1-0-2": CLOSED }), [
      { code: "version-start", uri: "iglu:com.acme/thing/jsonschema/1-0-1", pointer: "/self/version", message: "com.acme/thing/jsonschema has no 1-0-0: its history starts at 1-0-1" },
    ]);
  });

  test("the gap's hint lists the versions that may follow", async () => {
    const registry = versionsRegistry("thing", { "1-0-0": CLOSED, "1-0-2": CLOSED });
    try {
      const [finding] = (await lint({ paths: [registry.dir] })).findings.filter((d) => d.code === "version-gap");
      assert.equal(finding?.hint, "after 1-0-0 comes 1-0-1, 1-1-0 or 2-0-0: add the missing versions, or renumber this one");
    } finally {
      registry.dispose();
    }
  });
});
