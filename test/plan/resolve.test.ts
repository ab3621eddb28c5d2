/**
 * resolvePlan: references resolved to generated schemas (ranges to the
 * highest match), function names made, and each check of the design, one
 * table row each, with its exact words.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { planSchemasOf, resolvePlan } from "../../generator/plan/index.js";
import { parsePlanText } from "../../generator/plan/load.js";
import { defaultFunctionName } from "../../generator/plan/resolve.js";
import type { PlanDocument } from "../../generator/plan/model.js";

const uri = (name: string, version: string): string => `iglu:com.acme/${name}/jsonschema/${version}`;
const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, additionalProperties: false, ...extra });

const SCHEMAS = planSchemasOf([
  {
    uri: uri("action", "1-0-0"),
    json: object({
      type: { enum: ["add", "remove"] },
      amount: { type: "integer", minimum: 0 },
      currency: { $ref: "#/definitions/currency" },
      note: { type: ["string", "null"], maxLength: 5 },
      code: { type: "string", pattern: "^(a+)+$" },
      ahead: { type: "string", pattern: "^(?=x)" },
    }, { definitions: { currency: { type: "string", pattern: "^[A-Z]{3}$" } } }),
  },
  { uri: uri("open", "1-0-0"), json: { type: "object", properties: { a: { type: "string" } }, additionalProperties: true } },
  // additionalProperties absent: the generated type is exact (normalize/prepare.ts), it takes no other property.
  { uri: uri("exact", "1-0-0"), json: { type: "object", properties: { a: { type: "string" } } } },
  { uri: uri("typed", "1-0-0"), json: { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "integer" } } },
  { uri: uri("either", "1-0-0"), json: { type: "object", properties: { kind: { enum: ["a", "b"] } }, required: ["kind"], anyOf: [{ properties: { kind: { enum: ["a"] }, a: { type: "string" } }, required: ["a"] }, { properties: { kind: { enum: ["b"] }, b: { type: "string" } }, required: ["b"] }] } },
  { uri: uri("union", "1-0-0"), json: { oneOf: [object({ kind: { enum: ["a"] }, a: { type: "string" } }, { required: ["kind", "a"] }), object({ kind: { enum: ["b"] } })] } },
  ...["1-0-0", "1-0-1", "1-1-0", "2-0-0"].map((v) => ({ uri: uri("product", v), json: object({}) })),
  { uri: uri("cart", "1-0-0"), json: object({}) },
  { uri: uri("withref", "1-0-0"), json: object({ p: { $ref: uri("cart", "1-0-0") }, q: { $ref: uri("nested", "1-0-0") }, r: { $ref: uri("nested", "1-0-0") } }) },
  { uri: uri("nested", "1-0-0"), json: { $ref: `${uri("code", "1-0-0")}#/definitions/code` } },
  { uri: uri("code", "1-0-0"), json: { id: "http://example.com/code#", definitions: { code: { type: "string", pattern: "^[A-Z]{3}$" } } } },
]);

function plan(yaml: string): PlanDocument {
  const read = parsePlanText(yaml, "plan.yaml");
  assert.deepEqual(read.diagnostics, []);
  return read.document!;
}

const shown = (d: Diagnostic): string => `${d.line}:${d.column} ${d.level} ${d.code} ${d.pointer}: ${d.message} | ${d.hint}`;

describe("resolvePlan: a good plan", () => {
  test("ranges take the highest generated match; functions are named; places kept", () => {
    const resolved = resolvePlan(plan(`
specifications:
  - name: add to basket!
    id: s1
    event: ${uri("action", "1-0-0")}
    properties: { type: add, currency: EUR, note: null, amount: { enum: [1, 2] } }
    entities:
      p1: { schema: "${uri("product", "1-*-*")}", min: 1 }
      p0: { schema: "${uri("product", "1-0-*")}", max: 2 }
      cart: { schema: "${uri("cart", "1-0-0")}", min: 1, max: 1 }
  - name: Open
    function: trackOpened
    event: ${uri("open", "1-*-*")}
    properties: { b: 1 }
`), SCHEMAS, { eventSpecificationEntity: false });
    assert.deepEqual(resolved.diagnostics, []);
    assert.deepEqual(resolved.plan.specifications.map((s) => [s.name, s.functionName, s.uri, s.entities.map((e) => `${e.key} ${e.uri} ${e.min}..${e.max ?? ""}`)]), [
      ["add to basket!", "trackAddToBasket", uri("action", "1-0-0"), [`p1 ${uri("product", "1-1-0")} 1..`, `p0 ${uri("product", "1-0-1")} 0..2`, `cart ${uri("cart", "1-0-0")} 1..1`]],
      ["Open", "trackOpened", uri("open", "1-0-0"), []],
    ]);
    assert.deepEqual(resolved.plan.specifications[0]!.properties.type, { kind: "fixed", value: "add", place: { file: "plan.yaml", pointer: "/specifications/0/properties/type", line: 6, column: 25 } });
  });

  test("default function names: track and the name's words in PascalCase", () => {
    assert.deepEqual(["Add to basket", "page_view 2", "checkout-step", "ünï", "x"].map(defaultFunctionName),
      ["trackAddToBasket", "trackPageView2", "trackCheckoutStep", undefined, "trackX"]);
  });
});

const ACTION = uri("action", "1-0-0");
const CASES: readonly (readonly [string, string, readonly string[], { eventSpecificationEntity?: boolean }?])[] = [
  ["an unknown schema, an unknown version, a range matching nothing", `
specifications:
  - name: A
    event: ${uri("nothing", "1-0-0")}
    entities:
      p: { schema: "${uri("product", "3-*-*")}" }
      q: { schema: "${uri("product", "1-2-*")}" }`, [
    "4:12 error plan-unknown-schema /specifications/0/event: specification \"A\": iglu:com.acme/nothing/jsonschema/1-0-0 is not among the generated schemas: no version of com.acme/nothing is generated | check the URI, or generate the schema (schemas, registries, include and exclude)",
    "6:20 error plan-unknown-schema /specifications/0/entities/p/schema: specification \"A\": iglu:com.acme/product/jsonschema/3-*-* is not among the generated schemas; the generated versions of com.acme/product are 1-0-0, 1-0-1, 1-1-0, 2-0-0 | refer to one of those versions, or generate the one meant (pin, versions: all)",
    "7:20 error plan-unknown-schema /specifications/0/entities/q/schema: specification \"A\": iglu:com.acme/product/jsonschema/1-2-* is not among the generated schemas; the generated versions of com.acme/product are 1-0-0, 1-0-1, 1-1-0, 2-0-0 | refer to one of those versions, or generate the one meant (pin, versions: all)",
  ]],
  ["duplicate names, functions and entity schemas", `
specifications:
  - name: A b
    event: ${ACTION}
  - name: A b
    event: ${ACTION}
  - name: A-B
    event: ${ACTION}
    entities:
      x: { schema: "${uri("product", "1-*-*")}" }
      y: { schema: "${uri("product", "1-1-0")}" }`, [
    "5:5 error plan-duplicate /specifications/1: specification \"A b\": the name is also that of the specification at line 3 | give each specification its own name",
    "7:5 error plan-duplicate /specifications/2: specification \"A-B\": its function trackAB is also that of specification \"A b\" | set function on one of them to another name",
    "11:20 error plan-duplicate /specifications/2/entities/y/schema: specification \"A-B\": entities x and y are both iglu:com.acme/product/jsonschema/1-1-0 | list each entity schema once, with the cardinality it has",
  ]],
  ["a name with nothing to make a function of", `
specifications:
  - name: "!!"
    event: ${ACTION}`, [
    "3:5 error plan-function-name /specifications/0: specification \"!!\": no function name can be made of its name (it needs letters A-Z or digits, and no others) | set function to an identifier like trackAddToBasket",
  ]],
  // A name of a megabyte made a function and types of a megabyte each, some ten times over in specifications.ts and the index; and every message quoted it whole.
  ["a function name longer than 200 characters (made of the name, or set); a long name is cut in messages", `
specifications:
  - name: ${"a".repeat(300)}
    event: ${ACTION}
  - name: B
    function: track${"B".repeat(196)}
    event: ${ACTION}`, [
    `3:5 error plan-function-name /specifications/0: specification "${"a".repeat(80)}…": its function track${"A" + "a".repeat(74)}… is 305 characters long, longer than the 200 igluc generates | set function to a shorter name, like trackAddToBasket`,
    `5:5 error plan-function-name /specifications/1: specification "B": its function track${"B".repeat(75)}… is 201 characters long, longer than the 200 igluc generates | set function to a shorter name, like trackAddToBasket`,
  ]],
  ["min above max; bounds above 20", `
specifications:
  - name: A
    event: ${ACTION}
    entities:
      p: { schema: "${uri("product", "1-0-0")}", min: 3, max: 2 }
      c: { schema: "${uri("cart", "1-0-0")}", min: 1, max: 21 }`, [
    "6:10 error plan-cardinality /specifications/0/entities/p: specification \"A\": entity p: min 3 is above max 2 | min is how many the event must carry (0: optional); max how many it may (none: no limit)",
    "7:10 warning plan-cardinality-unchecked /specifications/0/entities/c: specification \"A\": entity c: a bound above 20 is not checked: its type is an array of any length, and the tracker does not count at run time either | keep min and max at 20 or below to have them checked by tsc",
  ]],
  ["values the property's schema forbids (enum, type, a local $ref, maxLength)", `
specifications:
  - name: A
    event: ${ACTION}
    properties: { type: { enum: [add, put] }, amount: -1, currency: eur, note: toolong, code: ${"a".repeat(40)}!, ahead: y }`, [
    "5:25 error plan-value /specifications/0/properties/type: specification \"A\": \"put\" is not a value iglu:com.acme/action/jsonschema/1-0-0 allows for type (must be equal to one of the allowed values) | use a value the schema allows; it allows \"add\", \"remove\"",
    "5:55 error plan-value /specifications/0/properties/amount: specification \"A\": -1 is not a value iglu:com.acme/action/jsonschema/1-0-0 allows for amount (must be >= 0) | use a value the schema allows",
    "5:69 error plan-value /specifications/0/properties/currency: specification \"A\": \"eur\" is not a value iglu:com.acme/action/jsonschema/1-0-0 allows for currency (must match pattern \"^[A-Z]{3}$\") | use a value the schema allows",
    "5:80 error plan-value /specifications/0/properties/note: specification \"A\": \"toolong\" is not a value iglu:com.acme/action/jsonschema/1-0-0 allows for note (must NOT have more than 5 characters) | use a value the schema allows",
    "5:95 error plan-value /specifications/0/properties/code: specification \"A\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\" is not a value iglu:com.acme/action/jsonschema/1-0-0 allows for code (must match pattern \"^(a+)+$\") | use a value the schema allows",
  ]],
  ["numbers the event cannot carry as written: not finite (YAML .inf, .nan, 1e400), or whole and beyond 2^53", `
specifications:
  - name: A
    event: ${uri("open", "1-0-0")}
    properties: { b: .inf, c: { enum: [1, .nan] }, d: 123456789012345678901234567890, e: -9007199254740993, f: 9007199254740991 }`, [
    "5:22 error plan-value /specifications/0/properties/b: specification \"A\": Infinity is not a number JSON can carry (it would be sent as null) | write a finite number",
    "5:31 error plan-value /specifications/0/properties/c: specification \"A\": NaN is not a number JSON can carry (it would be sent as null) | write a finite number",
    "5:55 error plan-value /specifications/0/properties/d: specification \"A\": a whole number beyond 2^53 (read as 1.2345678901234568e+29) is not held exactly by JavaScript: the event would not carry the number written | keep whole numbers between -9007199254740991 and 9007199254740991, or make the property a string",
    "5:90 error plan-value /specifications/0/properties/e: specification \"A\": a whole number beyond 2^53 (read as -9007199254740992) is not held exactly by JavaScript: the event would not carry the number written | keep whole numbers between -9007199254740991 and 9007199254740991, or make the property a string",
  ]],
  ["a number the event cannot carry is said once, not again as the null a validator would see", `
specifications:
  - name: A
    event: ${ACTION}
    properties: { amount: .nan }`, [
    "5:27 error plan-value /specifications/0/properties/amount: specification \"A\": NaN is not a number JSON can carry (it would be sent as null) | write a finite number",
  ]],
  // Unchecked, "x" where the type is Cart made trackX's { ...data, p: "x" } a tsc error in specifications.ts.
  ["values checked through $refs to other generated schemas (and theirs)", `
specifications:
  - name: A
    event: ${uri("withref", "1-0-0")}
    properties: { p: x, q: eur }
  - name: B
    event: ${uri("withref", "1-0-0")}
    properties: { r: usd }`, [
    "5:22 error plan-value /specifications/0/properties/p: specification \"A\": \"x\" is not a value iglu:com.acme/withref/jsonschema/1-0-0 allows for p (must be object) | use a value the schema allows",
    "5:28 error plan-value /specifications/0/properties/q: specification \"A\": \"eur\" is not a value iglu:com.acme/withref/jsonschema/1-0-0 allows for q (must match pattern \"^[A-Z]{3}$\") | use a value the schema allows",
    "8:22 error plan-value /specifications/1/properties/r: specification \"B\": \"usd\" is not a value iglu:com.acme/withref/jsonschema/1-0-0 allows for r (must match pattern \"^[A-Z]{3}$\") | use a value the schema allows",
  ]],
  ["a property the schema does not declare (and allows no other)", `
specifications:
  - name: A
    event: ${ACTION}
    properties: { kind: add }`, [
    "5:25 error plan-unknown-property /specifications/0/properties/kind: specification \"A\": iglu:com.acme/action/jsonschema/1-0-0 declares no property \"kind\", and allows no other | its properties: type, amount, currency, note, code, ahead",
  ]],
  ["a property the schema does not declare, where the generated type takes no other (additionalProperties absent; a oneOf at the top)", `
specifications:
  - name: A
    event: ${uri("exact", "1-0-0")}
    properties: { b: 1 }
  - name: B
    event: ${uri("union", "1-0-0")}
    properties: { kind: a }`, [
    "5:22 error plan-unknown-property /specifications/0/properties/b: specification \"A\": iglu:com.acme/exact/jsonschema/1-0-0 declares no property \"b\" at its top level, and its generated type takes no other (it does not set additionalProperties) | its properties: a",
    "8:25 error plan-unknown-property /specifications/1/properties/kind: specification \"B\": iglu:com.acme/union/jsonschema/1-0-0 declares no property \"kind\" at its top level, and its generated type takes no other (it does not set additionalProperties) | the event has no top-level properties to fix",
  ]],
  ["a property the schema does not declare, checked against additionalProperties", `
specifications:
  - name: A
    event: ${uri("typed", "1-0-0")}
    properties: { b: x, c: 2 }`, [
    "5:22 error plan-value /specifications/0/properties/b: specification \"A\": \"x\" is not a value iglu:com.acme/typed/jsonschema/1-0-0 allows for b (must be integer) | use a value the schema allows",
  ]],
  // Its generated type is a union: trackX's Omit<Either, "kind"> keeps only the members every branch has, and { ...data, kind: "a" } would not compile.
  ["a fixed value on an event whose top level is a oneOf or anyOf (a listed one is taken)", `
specifications:
  - name: A
    event: ${uri("either", "1-0-0")}
    properties: { kind: a }
  - name: B
    event: ${uri("either", "1-0-0")}
    properties: { kind: { enum: [a] } }`, [
    "5:25 error plan-fixed-union /specifications/0/properties/kind: specification \"A\": iglu:com.acme/either/jsonschema/1-0-0 is a choice of shapes (anyOf at its top level): a value the generated function fills in cannot pick the shape the rest of the data must have | list it instead, { enum: [\"a\"] }: the caller passes it, in the shape it goes with",
  ]],
  // The event_specification entity (1-0-3) allows id 1-254 characters, the others 1-256: beyond, the pipeline fails every event carrying it.
  ["eventSpecificationEntity on: an id, a name or a data product field the entity's schema does not allow", `
name: ""
domain: ${"d".repeat(257)}
specifications:
  - name: ${"n".repeat(257)}
    function: trackN
    id: ${"i".repeat(255)}
    event: ${ACTION}
  - name: B
    id: ${"é".repeat(254)}
    event: ${ACTION}`, [
    "undefined:undefined error plan-spec-id /name: the data product's name \"\" is empty, and the event_specification entity it goes in allows 1 to 256 characters | give it a value of 1 to 256 characters, or leave it out",
    "undefined:undefined error plan-spec-id /domain: the data product's domain is 257 characters long, and the event_specification entity it goes in allows 1 to 256 characters | give it a value of 1 to 256 characters, or leave it out",
    `5:5 error plan-spec-id /specifications/0: specification "${"n".repeat(80)}…": its id is 255 characters long, and the event_specification entity it goes in allows 1 to 254 characters | shorten it`,
    `5:5 error plan-spec-id /specifications/0: specification "${"n".repeat(80)}…": its name is 257 characters long, and the event_specification entity it goes in allows 1 to 256 characters | shorten it`,
  ], { eventSpecificationEntity: true }],
  ["eventSpecificationEntity on and no id", `
specifications:
  - name: A
    event: ${ACTION}`, [
    "3:5 error plan-spec-id /specifications/0: specification \"A\": no id, and eventSpecificationEntity attaches the event specification's id to each event | give the specification its id (Snowplow's tooling shows it), or turn eventSpecificationEntity off",
  ], { eventSpecificationEntity: true }],
];

describe("resolvePlan: each check", () => {
  for (const [name, yaml, expected, options] of CASES) {
    test(name, () => {
      const resolved = resolvePlan(plan(yaml), SCHEMAS, options);
      assert.deepEqual(resolved.diagnostics.map(shown), expected);
      // A specification with an error is left out: emit never sees it.
      const failed = new Set(resolved.diagnostics.filter((d) => d.level === "error").map((d) => d.pointer!.split("/").slice(0, 3).join("/")));
      assert.deepEqual(resolved.plan.specifications.filter((s) => failed.has(s.place.pointer)), []);
    });
  }

  test("a data product has no function member: its hints say to rename the specification, or to write igluc's own format", () => {
    const place = { file: "dp.yaml", pointer: "/data/eventSpecifications/0", line: 4, column: 7 };
    const spec = (name: string) => ({ name, event: { text: ACTION, place }, properties: {}, entities: [], additionalEntities: false, place });
    const resolved = resolvePlan({ file: "dp.yaml", format: "data-product", specifications: [spec("Warenkorb prüfen"), spec("Add to basket"), spec("add-to-basket"), spec("x".repeat(300))] }, SCHEMAS);
    assert.deepEqual(resolved.diagnostics.map((d) => `${d.code}: ${d.hint}`), [
      "plan-function-name: rename the event specification (letters A-Z, digits and separators make the function's name), or write igluc's own plan format, whose function member names it",
      "plan-duplicate: rename one of them, or write igluc's own plan format, whose function member names it",
      "plan-function-name: rename the event specification (letters A-Z, digits and separators make the function's name), or write igluc's own plan format, whose function member names it",
    ]);
  });

  test("at most 20 problems are shown, errors first, and one info counts the rest", () => {
    const specs = Array.from({ length: 25 }, (_, i) => `  - name: S${i}\n    event: ${uri("missing", "1-0-0")}\n    entities:\n      p: { schema: "${uri("product", "1-0-0")}", min: 0, max: 21 }\n`).join("");
    const resolved = resolvePlan(plan(`specifications:\n${specs}`), SCHEMAS);
    assert.equal(resolved.diagnostics.length, 21);
    assert.deepEqual(new Set(resolved.diagnostics.slice(0, 20).map((d) => d.code)), new Set(["plan-unknown-schema"]), "the 25 errors come before the 25 warnings");
    const last = resolved.diagnostics[20]!;
    assert.deepEqual([last.level, last.code, last.file, last.message, last.hint],
      ["info", "plan-more-problems", "plan.yaml", "30 more problems in this plan not shown (5 errors, 25 warnings, 0 info)", "fix the ones shown and run again"]);
  });

  // Each entity of at most 20 is a union of tuples, 210 types for 0..20: 350 specifications of 20 such entities, in a 0.9 MB plan, made a specifications.ts of 100 MB.
  test("typed counts are bounded across the plan: past 100,000 tuple elements, counts are arrays, with one warning", () => {
    const entities = ["1-0-0", "1-0-1", "1-1-0", "2-0-0"].map((v, i) => `      p${i}: { schema: "${uri("product", v)}", max: 20 }`).join("\n");
    const specs = Array.from({ length: 120 }, (_, i) => `  - name: S${i}\n    event: ${ACTION}\n    entities:\n${entities}\n      c: { schema: "${uri("cart", "1-0-0")}", min: 2, max: 2 }`);
    const resolved = resolvePlan(plan(`specifications:\n${specs.join("\n")}\n`), SCHEMAS);
    // 4 × 211 + 2 = 846 per specification (0..20 is 21 tuples of 0 to 20 elements, the empty one counted as 1): 118 take 99,828, and S118's first would pass 100,000.
    assert.deepEqual(resolved.diagnostics.map(shown), [
      "949:11 warning plan-cardinality-unchecked /specifications/118/entities/p0: specification \"S118\": entity p0: typing its count would take the plan's tuple elements past 100000 (each count up to 20 is a union of tuples), more than tsc is given: its type, and that of every later entity with a count, is an array of any length | keep fewer entities with an upper bound, or split the plan",
    ]);
    assert.deepEqual(resolved.plan.specifications.slice(118).map((spec) => spec.entities.map((e) => e.unchecked === true)), [[true, true, true, true, true], [true, true, true, true, true]]);
    assert.deepEqual(resolved.plan.specifications[117]!.entities.map((e) => e.unchecked === true), [false, false, false, false, false]);
  });

  test("checks of a document built in code (the API, a data product): cardinalities that are not whole, below 0, max 0, a bad function", () => {
    const place = { file: "p", pointer: "" };
    const entity = (key: string, version: string, min: number, max?: number) => ({ key, schema: { text: uri("product", version), place }, min, ...(max !== undefined ? { max } : {}), place });
    const resolved = resolvePlan({
      file: "p", format: "igluc",
      specifications: [{
        name: "A", functionName: "sendA", event: { text: ACTION, place }, properties: {}, additionalEntities: false, place,
        entities: [entity("a", "1-0-0", 0.5), entity("b", "1-0-1", -1), entity("c", "1-1-0", 0, 0), entity("a", "2-0-0", 1, 1), { ...entity("__proto__", "1-0-0", 0), schema: { text: uri("cart", "1-0-0"), place } }],
      }],
    }, SCHEMAS);
    assert.deepEqual(resolved.diagnostics.map((d) => `${d.code}: ${d.message}`), [
      "plan-function-name: specification \"A\": function \"sendA\" is not an identifier starting with track",
      "plan-cardinality: specification \"A\": entity a: min and max must be whole numbers (min 0.5)",
      "plan-cardinality: specification \"A\": entity b: min -1 is below 0",
      "plan-cardinality: specification \"A\": entity c: max 0 is below 1; an entity the event must not carry is one left out of the list",
      "plan-duplicate: specification \"A\": entity key a is listed twice",
      "plan-invalid: specification \"A\": entity key \"__proto__\" is a name every object inherits: generated code reading it would find Object's when the entity is left out",
    ]);
  });
});
