/**
 * readPlan: igluc's own plan format in JSON and YAML into a PlanDocument,
 * with places; every way a file can fail to be a plan is one diagnostic
 * with its code, place and exact words.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { readPlan } from "../../generator/plan/index.js";
import { parsePlanText } from "../../generator/plan/load.js";
import type { Diagnostic } from "../../generator/diagnostics.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-plan-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const EVENT = "iglu:com.acme/add_to_basket/jsonschema/1-0-0";
const PRODUCT = "iglu:com.acme/product/jsonschema/1-*-*";

const YAML_PLAN = `# yaml-language-server: $schema=./tracking-plan.schema.json
name: Web shop
domain: Shop
specifications:
  - name: Add to basket
    id: spec-1
    description: A product was added.
    event: ${EVENT}
    properties:
      action: add
      currency: { enum: [EUR, USD] }
    entities:
      product: { schema: "${PRODUCT}", min: 1 }
      cart: { schema: "iglu:com.acme/cart/jsonschema/1-0-0", min: 1, max: 1, description: The cart. }
  - name: Checkout
    function: trackCheckoutStep
    event: iglu:com.acme/checkout/jsonschema/1-0-*
    additionalEntities: true
`;

/** What is read of a place: the pointer and line:column (the file is the test's). */
const at = (pointer: string, line: number, column: number) => ({ file: "plan.yaml", pointer, line, column });

describe("readPlan, igluc's own format", () => {
  test("YAML: every member read, each with its place", () => {
    fs.writeFileSync(path.join(dir, "plan.yaml"), YAML_PLAN);
    const read = readPlan("plan.yaml", dir);
    assert.deepEqual(read.diagnostics, []);
    assert.deepEqual(read.document, {
      file: "plan.yaml", format: "igluc", product: { name: "Web shop", domain: "Shop" },
      specifications: [
        {
          name: "Add to basket", id: "spec-1", description: "A product was added.",
          event: { text: EVENT, place: at("/specifications/0/event", 8, 12) },
          properties: {
            action: { kind: "fixed", value: "add", place: at("/specifications/0/properties/action", 10, 15) },
            currency: { kind: "oneOf", values: ["EUR", "USD"], place: at("/specifications/0/properties/currency", 11, 17) },
          },
          entities: [
            { key: "product", schema: { text: PRODUCT, place: at("/specifications/0/entities/product/schema", 13, 26) }, min: 1, place: at("/specifications/0/entities/product", 13, 16) },
            {
              key: "cart", schema: { text: "iglu:com.acme/cart/jsonschema/1-0-0", place: at("/specifications/0/entities/cart/schema", 14, 23) }, min: 1, max: 1,
              description: "The cart.", place: at("/specifications/0/entities/cart", 14, 13),
            },
          ],
          additionalEntities: false, place: at("/specifications/0", 5, 5),
        },
        {
          name: "Checkout", functionName: "trackCheckoutStep",
          event: { text: "iglu:com.acme/checkout/jsonschema/1-0-*", place: at("/specifications/1/event", 17, 12) },
          properties: {}, entities: [], additionalEntities: true, place: at("/specifications/1", 15, 5),
        },
      ],
    });
  });

  test("JSON: the same plan, places from the JSON text", () => {
    const json = JSON.stringify({ specifications: [{ name: "Add", event: EVENT, entities: { product: { schema: PRODUCT, max: 2 } } }] }, null, 2);
    fs.writeFileSync(path.join(dir, "plan.json"), json);
    const read = readPlan(path.join(dir, "plan.json"), dir);
    assert.deepEqual(read.diagnostics, []);
    const place = (pointer: string, line: number, column: number) => ({ file: "plan.json", pointer, line, column });
    assert.deepEqual(read.document, {
      file: "plan.json", format: "igluc",
      specifications: [{
        name: "Add", event: { text: EVENT, place: place("/specifications/0/event", 5, 16) }, properties: {},
        entities: [{ key: "product", schema: { text: PRODUCT, place: place("/specifications/0/entities/product/schema", 8, 21) }, min: 0, max: 2, place: place("/specifications/0/entities/product", 7, 20) }],
        additionalEntities: false, place: place("/specifications/0", 3, 5),
      }],
    });
  });
});

/** A diagnostic as `line:col code pointer: message | hint`. */
const shown = (d: Diagnostic): string => `${d.line ?? "-"}:${d.column ?? "-"} ${d.level} ${d.code} ${d.pointer ?? "-"}: ${d.message} | ${d.hint}`;

const SPEC = `specifications:\n  - name: A\n    event: ${EVENT}\n`;

const BROKEN: readonly (readonly [string, string, string, readonly string[]])[] = [
  ["YAML syntax", "plan.yaml", "specifications: [\n  - a\n", [
    "2:3 error plan-syntax -: not valid YAML: Block collections are not allowed within flow collections | fix the syntax at the line and column given",
    "3:1 error plan-syntax -: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] | fix the syntax at the line and column given",
  ]],
  // The library reads the first document and leaves the rest unread: a plan concatenated with another would lose its specifications silently.
  ["a second YAML document", "plan.yaml", "specifications: []\n---\nspecifications: [1]\n", [
    "2:1 error plan-syntax -: the file holds more than one YAML document (a line ---); only one is a plan | keep one plan per file, or merge the specifications into one list",
  ]],
  ["text after the end of the document (...)", "plan.yaml", "specifications: []\n...\nspecifications: [1]\n", [
    "3:1 error plan-syntax -: the file holds more than one YAML document (a line ---); only one is a plan | keep one plan per file, or merge the specifications into one list",
  ]],
  // An unknown tag is only a warning to the library, which keeps the text: !custom 1 would be the string "1".
  ["a tag YAML's core schema does not know", "plan.yaml", "specifications:\n  - name: !!js/function 'function () {}'\n    event: !custom x\n", [
    "2:11 error plan-syntax -: the tag !!js/function is not one of YAML's core schema: a plan holds only text, numbers, true, false, null, lists and mappings | remove the tag",
    "3:12 error plan-syntax -: the tag !custom is not one of YAML's core schema: a plan holds only text, numbers, true, false, null, lists and mappings | remove the tag",
  ]],
  ["JSON syntax", "plan.json", "{ \"specifications\": [ }", [
    "1:23 error plan-syntax -: not valid JSON: Unexpected \"}\": expected a value | fix the syntax at the line and column given",
  ]],
  ["a duplicate key in YAML", "plan.yaml", `${SPEC}    name: B\n`, [
    "4:5 error duplicate-key -: the key \"name\" appears twice in one mapping; the second would silently replace the first | remove or rename one of the two members",
  ]],
  ["a duplicate key in JSON", "plan.json", `{"specifications": [], "specifications": []}`, [
    "1:24 error duplicate-key /specifications: the key \"specifications\" appears twice in one object (first at line 1); the second would silently replace the first | remove or rename one of the two members",
  ]],
  ["YAML nested too deep", "plan.yaml", `specifications: ${"[".repeat(70)}${"]".repeat(70)}\n`, [
    `1:80 error plan-syntax /specifications${"/0".repeat(63)}: the plan nests deeper than 64 levels | a tracking plan is a few levels deep; check the file is the plan meant`,
  ]],
  // Texts that would make the YAML library recurse for seconds, or run V8 out of memory, are refused before it sees them.
  ["a megabyte of flow nesting", "plan.yaml", "[".repeat(1_040_000), [
    "1:256 error plan-syntax -: the plan nests deeper than 64 levels | a tracking plan is a few levels deep; check the file is the plan meant",
  ]],
  ["half a million compact explicit keys", "plan.yaml", "? ".repeat(520_000), [
    "1:511 error plan-syntax -: the plan nests deeper than 64 levels | a tracking plan is a few levels deep; check the file is the plan meant",
  ]],
  ["a collection as a key (toJS would stringify it, in time steep in its nesting)", "plan.yaml", `${"? ".repeat(200)}x\n`, [
    "1:3 error plan-syntax -: a mapping key is not text (a list, a mapping or an alias); a plan's keys are names | write the key as text",
  ]],
  ["an error the library repeats per level is said once", "plan.yaml", "{? ".repeat(200), [
    "1:601 error plan-syntax -: not valid YAML: Flow map in block collection must be sufficiently indented and end with a } | fix the syntax at the line and column given",
    "1:601 error plan-syntax -: not valid YAML: Flow map must end with a } | fix the syntax at the line and column given",
  ]],
  ["JSON nested too deep", "plan.json", `{"specifications": ${"[".repeat(70)}${"]".repeat(70)}}`, [
    `1:83 error plan-syntax /specifications${"/0".repeat(63)}: the plan nests deeper than 64 levels | a tracking plan is a few levels deep; check the file is the plan meant`,
  ]],
  ["not an object", "plan.yaml", "- a\n", [
    "1:1 error plan-invalid : the plan must be an object, not [\"a\"] | correct the value's type",
  ]],
  ["no specifications, an unknown member", "plan.yaml", "name: x\nowner: me\n", [
    "1:1 error plan-invalid : the plan needs \"specifications\" | add specifications (generator/tracking-plan.schema.json describes each member)",
    "2:8 error plan-invalid /owner: the plan: unknown member \"owner\" (known: name, id, domain, description, specifications) | remove it, or correct its name",
  ]],
  ["a specification without event, a bad function name, a bad schema reference", "plan.yaml",
    `specifications:\n  - name: A\n    function: sendA\n  - name: B\n    event: com.acme/b\n`, [
      "2:5 error plan-invalid /specifications/0: specifications[0] needs \"event\" | add event (generator/tracking-plan.schema.json describes each member)",
      "3:15 error plan-invalid /specifications/0/function: specifications[0].function \"sendA\" is not an identifier starting with track | write a name like trackAddToBasket",
      "5:12 error plan-invalid /specifications/1/event: specifications[1].event \"com.acme/b\" is not an Iglu URI of a JSON Schema, with * allowed for REVISION or REVISION and ADDITION | write iglu:vendor/name/jsonschema/1-0-0, or 1-0-* or 1-*-* for the highest generated version",
    ]],
  ["entities: a key that is no identifier, min below 0, max 0, max not whole", "plan.yaml",
    `${SPEC}    entities:\n      web-page: { schema: "${PRODUCT}" }\n      a: { schema: "${PRODUCT}", min: -1, max: 0 }\n      b: { schema: "${PRODUCT}", max: 1.5 }\n`, [
      "5:17 error plan-invalid /specifications/0/entities/web-page: specifications[0].entities: the key \"web-page\" is not an identifier: generated code takes the entity under it | use letters, digits, _ and $, not starting with a digit (productList), and no name every object inherits (__proto__, constructor, toString…)",
      "6:67 error plan-invalid /specifications/0/entities/a/min: specifications[0].entities.a.min must be at least 0, not -1 | min is 0 for an optional entity, 1 or more for a required one; max is at least 1",
      "6:76 error plan-invalid /specifications/0/entities/a/max: specifications[0].entities.a.max must be at least 1, not 0 | min is 0 for an optional entity, 1 or more for a required one; max is at least 1",
      "7:67 error plan-invalid /specifications/0/entities/b/max: specifications[0].entities.b.max must be a whole number, not 1.5 | correct the value's type",
    ]],
  ["a property rule that is neither a value nor { enum }", "plan.yaml", `${SPEC}    properties:\n      a: [1, 2]\n      b: { enum: [] }\n`, [
    "5:10 error plan-invalid /specifications/0/properties/a: specifications[0].properties.a must be a fixed value (a string, number, true, false or null) or { enum: [values] }, not [1,2] | write the value itself, or { enum: [...] } for a choice of values",
    "6:10 error plan-invalid /specifications/0/properties/b: specifications[0].properties.b must be a fixed value (a string, number, true, false or null) or { enum: [values] }, not {\"enum\":[]} | write the value itself, or { enum: [...] } for a choice of values",
  ]],
  ["constructor as an entity key: the generated code would read Object's when the entity is left out", "plan.yaml", `specifications:\n  - name: A\n    event: ${EVENT}\n    entities:\n      constructor: { schema: "${PRODUCT}", max: 1 }\n`, [
    "5:20 error plan-invalid /specifications/0/entities/constructor: specifications[0].entities: the key \"constructor\" is a name every object inherits: generated code reading it would find Object's when the entity is left out | use letters, digits, _ and $, not starting with a digit (productList), and no name every object inherits (__proto__, constructor, toString…)",
  ]],
  ["__proto__ as an entity key", "plan.json", `{"specifications": [{"name": "A", "event": "${EVENT}", "entities": {"__proto__": {"schema": "${PRODUCT}"}}}]}`, [
    "1:118 error plan-invalid /specifications/0/entities/__proto__: specifications[0].entities: the key \"__proto__\" is a name every object inherits: generated code reading it would find Object's when the entity is left out | use letters, digits, _ and $, not starting with a digit (productList), and no name every object inherits (__proto__, constructor, toString…)",
  ]],
  ["more specifications than the bound", "plan.json", JSON.stringify({ specifications: Array(1001).fill({ name: "A", event: EVENT }) }), [
    "1:19 error plan-invalid /specifications: specifications has more than 1000 members, more than igluc reads | split the plan",
  ]],
];

describe("readPlan, files that are not plans", () => {
  for (const [name, file, text, expected] of BROKEN) {
    test(name, () => {
      const read = parsePlanText(text, file);
      assert.equal(read.document, undefined);
      assert.deepEqual(read.diagnostics.map(shown), expected);
    });
  }

  test("a file that is missing, a folder, or larger than 1 MiB: plan-unreadable", () => {
    fs.mkdirSync(path.join(dir, "folder.yaml"));
    fs.writeFileSync(path.join(dir, "large.yaml"), `# ${"x".repeat(1024 * 1024)}\n`);
    const read = (file: string): string[] => readPlan(file, dir).diagnostics.map((d) => `${d.file} ${d.code}: ${d.message} | ${d.hint}`);
    assert.deepEqual([...read("missing.yaml"), ...read("folder.yaml"), ...read("large.yaml")], [
      "missing.yaml plan-unreadable: the plan file does not exist | check the path given as plan (relative to igluc.config.json there, to the working directory for --plan)",
      "folder.yaml plan-unreadable: the plan is not a regular file | name the plan file itself (plan in igluc.config.json, or --plan)",
      "large.yaml plan-unreadable: the plan is 1048579 bytes, more than the 1048576 igluc reads | check the file is the plan meant; split a larger plan",
    ]);
  });

  test("YAML aliases past the bound (a billion laughs) are refused, not expanded", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) lines.push(`${"b".repeat(i)}: &${"a".repeat(i + 1)} [${Array(10).fill(`*${"a".repeat(i)}`).join(", ")}]`);
    const read = parsePlanText(`${lines.join("\n")}\nspecifications: []\n`, "plan.yaml");
    assert.deepEqual(read.diagnostics.map(shown), [
      "1:1 error plan-syntax -: not valid YAML: Excessive alias count indicates a resource exhaustion attack | check the file is the plan meant",
    ]);
  });
});
