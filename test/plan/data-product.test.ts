/**
 * A Snowplow data product (test/fixtures/plans/data-product.yaml) read as a
 * plan: what maps, and an info naming the pointer of each thing that does not.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import type { Diagnostic } from "../../generator/diagnostics.js";
import { readPlan } from "../../generator/plan/index.js";
import { parsePlanText } from "../../generator/plan/load.js";
import { entityKey } from "../../generator/plan/data-product.js";
import { ROOT } from "../support/iglu.js";

const FIXTURES = path.join(ROOT, "test/fixtures/plans");
const shown = (d: Diagnostic): string => `${d.line}:${d.column} ${d.level} ${d.code} ${d.pointer}: ${d.message}`;

describe("data product", () => {
  test("mapped: product, specifications, event, fixed values and lists, tracked entities; the rest said as info", () => {
    const read = readPlan("data-product.yaml", FIXTURES);
    const doc = read.document!;
    assert.deepEqual(doc.product, { id: "9b1e8c2a-4f0d-4b7e-8a55-0c6a2d1e7f31", name: "Web shop", domain: "Shop" });
    assert.equal(doc.format, "data-product");
    assert.deepEqual(doc.specifications.map((s) => ({
      name: s.name, id: s.id, description: s.description, event: s.event.text, additionalEntities: s.additionalEntities,
      properties: Object.fromEntries(Object.entries(s.properties).map(([k, r]) => [k, r.kind === "fixed" ? r.value : r.values])),
      entities: s.entities.map((e) => `${e.key} ${e.schema.text} ${e.min}..${e.max ?? ""}`),
    })), [
      {
        name: "Add to basket", id: "0b3bd2a4-8c11-4b8a-9e1f-5b2c6d7e8f90", description: "A product was added to the basket.",
        event: "iglu:com.acme/add_to_basket/jsonschema/1-0-0", additionalEntities: false, properties: { action: "add" },
        entities: ["product iglu:com.acme/product/jsonschema/1-0-1 1..", "cart iglu:com.acme/cart/jsonschema/1-0-0 1..1"],
      },
      {
        name: "Remove from basket", id: "5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f", description: undefined,
        event: "iglu:com.acme/add_to_basket/jsonschema/1-0-0", additionalEntities: false, properties: { action: "remove" }, entities: [],
      },
    ]);
    assert.deepEqual(read.diagnostics.map(shown), [
      "16:9 info plan-not-mapped /data/eventSpecifications/0/triggers: event specification \"Add to basket\": triggers are documentation; not mapped",
      "26:15 info plan-not-mapped /data/eventSpecifications/0/event/schema/properties/quantity: event specification \"Add to basket\": quantity's minimum, maximum not checked at compile time",
      "35:15 info plan-not-mapped /data/eventSpecifications/0/entities/tracked/0/schema: event specification \"Add to basket\": rules on the data of entity iglu:com.acme/product/jsonschema/1-0-1 not checked at compile time",
      "42:11 info plan-not-mapped /data/eventSpecifications/0/entities/enriched: event specification \"Add to basket\": enriched entities are added by the pipeline, not by the tracker; not mapped",
    ]);
  });

  const BROKEN: readonly (readonly [string, string, readonly string[]])[] = [
    ["no data", "resourceType: data-product\n", ["1:1 error plan-invalid /data: a data product needs \"data\", an object"]],
    ["a specification without name or event source", "resourceType: data-product\ndata:\n  eventSpecifications:\n    - event: {}\n    - name: B\n      event: { source: 1 }\n", [
      "4:7 error plan-invalid /data/eventSpecifications/0/name: data.eventSpecifications[0] needs a name",
      "6:24 error plan-invalid /data/eventSpecifications/1/event/source: event specification \"B\" needs event.source, the event's Iglu URI",
    ]],
    ["cardinalities that are not numbers", "resourceType: data-product\ndata:\n  eventSpecifications:\n    - name: A\n      event: { source: x }\n      entities:\n        tracked:\n          - { source: y, minCardinality: one }\n", [
      "8:42 error plan-invalid /data/eventSpecifications/0/entities/tracked/0/minCardinality: event specification \"A\": minCardinality must be a number",
    ]],
    ["rules on more properties than the bound", `resourceType: data-product\ndata:\n  eventSpecifications:\n    - name: A\n      event:\n        source: x\n        schema:\n          properties: { ${Array.from({ length: 101 }, (_, i) => `p${i}: { const: 1 }`).join(", ")} }\n`, [
      "8:23 error plan-invalid /data/eventSpecifications/0/event/schema/properties: event specification \"A\": rules on more than 100 properties, more than igluc reads",
    ]],
    // The own format bounds a list at 1000 values; a data product's enum became a union of as many literal types as it held.
    ["an enum of more values than the bound", `resourceType: data-product\ndata:\n  eventSpecifications:\n    - name: A\n      event:\n        source: x\n        schema:\n          properties: { p: { enum: [${Array.from({ length: 1001 }, (_, i) => i).join(", ")}] } }\n`, [
      "8:28 error plan-invalid /data/eventSpecifications/0/event/schema/properties/p: event specification \"A\": p's enum has more than 1000 values, more than igluc reads",
    ]],
  ];
  for (const [name, yaml, expected] of BROKEN) {
    test(name, () => {
      const read = parsePlanText(yaml, "dp.yaml");
      assert.equal(read.document, undefined);
      assert.deepEqual(read.diagnostics.map(shown), expected);
    });
  }

  test("entity keys: the schema's name in camelCase, an identifier whatever the URI", () => {
    assert.deepEqual(["iglu:com.acme/web_page/jsonschema/1-0-0", "iglu:a/snowplow-ecommerce_action/jsonschema/1-0-0", "iglu:a/2fa/jsonschema/1-0-0", "nonsense", "iglu:a/constructor/jsonschema/1-0-0", "iglu:a/to_string/jsonschema/1-0-0"].map(entityKey),
      ["webPage", "snowplowEcommerceAction", "_2fa", "entity", "constructorEntity", "toStringEntity"]);
  });
});
