/**
 * Superseded schemas: an older MODEL beside a newer one, and a schema whose
 * `$supersededBy` names a newer version, get `@deprecated` with the newer
 * Iglu URI on their type, constant, builder and track function; TypeScript's
 * language service (what editors strike through with) reports their uses as
 * deprecated, and the newer schema's uses not at all. An incremental run
 * notices when a schema becomes superseded.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import ts from "typescript";
import { generate } from "../../generator/index.js";
import { selfDescribing, tempRegistry } from "../support/registry.js";

const registry = tempRegistry({
  "com.acme/order/jsonschema/1-0-0": selfDescribing("order", "1-0-0", { description: "An order.", type: "object", properties: { id: { type: "string" } }, additionalProperties: false }),
  "com.acme/order/jsonschema/2-0-0": selfDescribing("order", "2-0-0", { description: "An order.", type: "object", properties: { orderId: { type: "string" } }, additionalProperties: false }),
  "com.acme/cart/jsonschema/1-0-0": { $supersededBy: "1-0-1", ...selfDescribing("cart", "1-0-0", { type: "object", properties: {}, additionalProperties: false }) },
  // Not a newer version: no note.
  "com.acme/basket/jsonschema/1-0-1": { $supersededBy: "1-0-0", ...selfDescribing("basket", "1-0-1", { type: "object", properties: {}, additionalProperties: false }) },
});
after(() => registry.dispose());
const out = path.join(registry.root, "out");

test("an older MODEL and a $supersededBy schema are @deprecated, with the newer URI", async () => {
  const result = await generate({ schemas: [registry.dir], out, cwd: registry.root });
  assert.deepEqual(result.diagnostics.filter((d) => d.level === "error"), []);
  const v1 = fs.readFileSync(path.join(out, "order-v1.ts"), "utf8");
  const note = " * @deprecated Superseded by iglu:com.acme/order/jsonschema/2-0-0: use `Order` and `trackOrder`.";
  // The constant, the builder and the track function.
  assert.equal(v1.split("\n").filter((line) => line === note).length, 3, v1);
  // The data type: the note first, as the tag's text, then the schema's own description.
  assert.match(v1, /\/\*\*\n \* @deprecated\n \* Superseded by iglu:com\.acme\/order\/jsonschema\/2-0-0: use `Order` and `trackOrder`\.\n \*\n \* An order\.\n \*\/\nexport interface OrderV1 \{/);
  assert.doesNotMatch(fs.readFileSync(path.join(out, "order.ts"), "utf8"), /@deprecated/);
  assert.equal(fs.readFileSync(path.join(out, "cart.ts"), "utf8").split("\n").filter((line) => line === " * @deprecated Superseded by iglu:com.acme/cart/jsonschema/1-0-1.").length, 3);
  assert.doesNotMatch(fs.readFileSync(path.join(out, "basket.ts"), "utf8"), /@deprecated/);
});

test("editors see the old calls as deprecated and the new ones as not", () => {
  const usage = path.join(registry.root, "usage.ts");
  fs.writeFileSync(usage, [
    'import { ORDER_V1_SCHEMA, createOrderV1, trackOrder, type OrderV1 } from "./out/index.js";',
    "export const old: OrderV1 = { id: \"1\" };",
    "export const entity = createOrderV1(old);",
    "export const uri = ORDER_V1_SCHEMA;",
    "export const current = trackOrder;",
    "",
  ].join("\n"));
  const options: ts.CompilerOptions = { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true };
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [usage],
    getScriptVersion: () => "1",
    getScriptSnapshot: (file) => (fs.existsSync(file) ? ts.ScriptSnapshot.fromString(fs.readFileSync(file, "utf8")) : undefined),
    getCurrentDirectory: () => registry.root,
    getCompilationSettings: () => options,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, readDirectory: ts.sys.readDirectory, directoryExists: ts.sys.directoryExists, getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host);
  const deprecated = service.getSuggestionDiagnostics(usage).filter((d) => d.reportsDeprecated === true)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).sort();
  assert.deepEqual(deprecated, [
    "'ORDER_V1_SCHEMA' is deprecated.", "'ORDER_V1_SCHEMA' is deprecated.",
    "'OrderV1' is deprecated.", "'OrderV1' is deprecated.",
    "'createOrderV1' is deprecated.",
    "The signature '(data: OrderV1): SelfDescribingJson<\"iglu:com.acme/order/jsonschema/1-0-0\", OrderV1>' of 'createOrderV1' is deprecated.",
  ]);
});

test("an incremental run notices that a schema became superseded", async () => {
  registry.write("com.acme/cart/jsonschema/2-0-0", selfDescribing("cart", "2-0-0", { type: "object", properties: {}, additionalProperties: false }));
  registry.write("com.acme/cart/jsonschema/1-0-0", selfDescribing("cart", "1-0-0", { type: "object", properties: {}, additionalProperties: false }));
  await generate({ schemas: [registry.dir], out, cwd: registry.root });
  const v1 = fs.readFileSync(path.join(out, "cart-v1.ts"), "utf8");
  assert.ok(v1.includes(" * @deprecated Superseded by iglu:com.acme/cart/jsonschema/2-0-0: use `Cart` and `trackCart`."), v1);
  const cold = path.join(registry.root, "cold");
  await generate({ schemas: [registry.dir], out: cold, cwd: registry.root });
  for (const file of fs.readdirSync(cold).filter((f) => f.endsWith(".ts"))) {
    assert.equal(fs.readFileSync(path.join(out, file), "utf8"), fs.readFileSync(path.join(cold, file), "utf8"), file);
  }
});
