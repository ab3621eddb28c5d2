/**
 * The tracking plan's module (generator/emit/specifications.ts), from
 * hand-built resolved plans: the exact text for each target and form, the
 * index's part, plan text that tries to break out of comments and strings,
 * and names a schema already takes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { generate } from "../../generator/index.js";
import { indexModule, type ModuleInput } from "../../generator/emit/module.js";
import { checkSpecifications, specificationDeclarations, specificationExports, specificationsModule, type SpecificationsInput } from "../../generator/emit/specifications.js";
import { targetNamed, type TargetName } from "../../generator/emit/targets/index.js";
import type { Form } from "../../generator/emit/forms.js";
import type { Names } from "../../generator/normalize/names.js";
import type { ResolvedEntity, ResolvedPlan, ResolvedSpec } from "../../generator/plan/model.js";
import { selfDescribing, tempRegistry } from "../support/registry.js";

const place = { file: "plan.yaml", pointer: "/specifications/0", line: 3, column: 5 };
const uri = (name: string): string => `iglu:com.acme/${name}/jsonschema/1-0-0`;
const named = (type: string, file: string): Names => ({ type, constant: `${file.toUpperCase()}_SCHEMA`, create: `create${type}`, track: `track${type}`, file });
const NAMES = new Map<string, Names>([
  [uri("action"), named("Action", "action")], [uri("product"), named("Product", "product")],
  [uri("cart"), named("Cart", "cart")], [uri("promotion"), named("Promotion", "promotion")],
]);
const entity = (key: string, min: number, max?: number): ResolvedEntity => ({ key, uri: uri(key), min, ...(max !== undefined ? { max } : {}), place });

const ADD: ResolvedSpec = {
  name: "Add to basket", functionName: "trackAddToBasket", id: "0b3b", description: "A product was added to the basket.", uri: uri("action"),
  properties: { type: { kind: "fixed", value: "add", place }, "odd-key": { kind: "oneOf", values: ["a", 1, null], place } },
  entities: [entity("product", 1), entity("cart", 1, 1), entity("promotion", 0, 1)], additionalEntities: false, place, namedFunction: true,
};
const VIEW: ResolvedSpec = {
  name: "View", functionName: "trackView", uri: uri("action"), properties: {},
  entities: [entity("product", 0, 2), entity("cart", 2, 3), entity("promotion", 0)], additionalEntities: true, place, namedFunction: true,
};
const BARE: ResolvedSpec = { name: "Bare", functionName: "trackBare", uri: uri("action"), properties: {}, entities: [], additionalEntities: false, place, namedFunction: true };

const input = (specs: readonly ResolvedSpec[], eventSpecificationEntity = false): SpecificationsInput =>
  ({ specs, file: "plan.yaml", product: { id: "dp-1", name: "Shop", domain: "Sales" }, names: NAMES, eventSpecificationEntity });
const settings = (target: TargetName) => ({ target: targetNamed(target), runtimeImport: "@igluc/runtime", generatorVersion: "0.0.0" });
const moduleText = (target: TargetName, form: Form, specs: readonly ResolvedSpec[], on = false): string => specificationsModule(input(specs, on), settings(target), form);

/** Syntax errors TypeScript's parser finds in a printed file. */
function syntaxErrors(text: string, name: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, name.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

test("igluc target, TypeScript: types by cardinality, fixed and listed values, and the function calling the event's trackX with createX", () => {
  assert.equal(moduleText("igluc", "ts", [ADD, VIEW, BARE]), IGLUC_TS);
});

test("browser-tracker: no tracker parameter; JavaScript carries no types and no JSDoc; event_specification attached", () => {
  assert.equal(moduleText("browser-tracker", "js", [ADD, BARE], true), BROWSER_JS);
});

test("react-native-tracker declarations: the options parameter is optional where no entity is required", () => {
  assert.equal(moduleText("react-native-tracker", "dts", [VIEW, BARE]), RN_DTS);
});

test("an entity whose count the plan's tuple budget left untyped (resolve.ts) is an array of any length, and says so", () => {
  const spec: ResolvedSpec = { ...BARE, entities: [{ ...entity("product", 1, 3), unchecked: true }, entity("cart", 0, 2)] };
  const text = moduleText("igluc", "ts", [spec]);
  assert.match(text, /\n  readonly product: readonly Product\[\];\n/);
  assert.match(text, /\(iglu:com\.acme\/product\/jsonschema\/1-0-0\): 1 to 3 \(the plan's typed counts are spent: the count is not checked\)\./);
  assert.match(text, /\n  readonly cart\?: readonly \[\] \| readonly \[Cart\] \| readonly \[Cart, Cart\];\n/);
});

test("every target and form parses", () => {
  for (const target of ["igluc", "browser-tracker", "node-tracker", "react-native-tracker"] as const) {
    for (const form of ["ts", "dts", "js"] as const) {
      const text = moduleText(target, form, [ADD, VIEW, BARE], true);
      assert.deepEqual(syntaxErrors(text, `specifications.${form === "dts" ? "d.ts" : form}`), [], `${target} ${form}`);
    }
  }
});

test("the event_specification entity needs the specification's id: without one (the plan reader reports it), nothing is attached and nothing imported for it", () => {
  const text = moduleText("igluc", "ts", [BARE], true);
  assert.doesNotMatch(text, /uncheckedEntity|event_specification/);
  assert.match(moduleText("igluc", "ts", [{ ...BARE, id: "b-1" }], true), /import \{ uncheckedEntity \} from "\.\/index\.js";/);
});

test("the index re-exports the module, or (singleFile) holds its declarations", () => {
  const inputs: ModuleInput[] = [...NAMES].map(([u, names]) => ({ uri: u, names, typeText: `export interface ${names.type} {\n  type?: string;\n}` }));
  const specs = [ADD, BARE];
  const index = indexModule(inputs, settings("igluc"), false, "ts", { reexports: specificationExports(specs, "ts"), declarations: [] });
  assert.ok(index.includes('export type { AddToBasketData, AddToBasketEntities, AddToBasketOptions, BareData, BareOptions } from "./specifications.js";\nexport { trackAddToBasket, trackBare } from "./specifications.js";\n'));
  assert.deepEqual(specificationExports(specs, "js").map((s) => s.kind === "export" && s.names), [["trackAddToBasket", "trackBare"]]);
  const single = indexModule(inputs, settings("node-tracker"), true, "ts", { reexports: [], declarations: specificationDeclarations(input(specs), targetNamed("node-tracker"), "ts") });
  assert.match(single, /export function trackAddToBasket\(tracker: EventTracker, data: AddToBasketData, options: AddToBasketOptions\): void \{\n  const \{ entities, \.\.\.rest \} = options;\n  trackAction\(tracker, \{ \.\.\.data, type: "add" \}/);
  assert.doesNotMatch(single, /specifications\.js/);
  assert.deepEqual(syntaxErrors(single, "index.ts"), []);
});

test("plan text cannot leave a comment or a string: names, descriptions, keys and values are escaped", () => {
  const hostile: ResolvedSpec = {
    name: "Evil */ export const x = 1; /*", functionName: "trackEvil", id: "a\"b\u2028c", description: "*/ alert(1) /*\n@deprecated no",
    uri: uri("action"),
    properties: { "a\"b": { kind: "fixed", value: "\"; process.exit(1); \"", place }, ["__proto__"]: { kind: "fixed", value: 1, place }, "x y": { kind: "oneOf", values: ["*/", true], place } },
    entities: [{ ...entity("product", 1, 1), key: "not an identifier" }, { ...entity("cart", 0, 1), key: "odd\"key" }], additionalEntities: false, place, namedFunction: true,
  };
  for (const form of ["ts", "js", "dts"] as const) {
    const text = specificationsModule({ ...input([hostile], true), product: { name: "*/ x" } }, settings("igluc"), form);
    assert.deepEqual(syntaxErrors(text, `specifications.${form === "dts" ? "d.ts" : form}`), [], form);
    const file = ts.createSourceFile("s.ts", text, ts.ScriptTarget.Latest, true);
    // Only the declarations igluc writes: nothing the plan said became a statement.
    const declared = file.statements.filter((s) => !ts.isImportDeclaration(s)).map((s) => (s as ts.DeclarationStatement).name?.getText(file));
    assert.deepEqual(declared, form === "js" ? ["trackEvil"] : ["EvilData", "EvilEntities", "EvilOptions", "trackEvil"]);
  }
  const text = moduleText("igluc", "ts", [hostile], true);
  assert.ok(text.includes('readonly "a\\"b"?: "\\"; process.exit(1); \\"";'));
  assert.ok(text.includes('{ ...data, ["__proto__"]: 1, "a\\"b": "\\"; process.exit(1); \\"" }'), "__proto__ is computed: as a plain key it would set the prototype");
  assert.ok(text.includes('createProduct(entities["not an identifier"])'));
  assert.ok(text.includes(" * \\@deprecated no"));
  assert.ok(text.includes('id: "a\\"b\\u2028c"'));
});

test("a specification whose names a schema or igluc takes is an error and is left out; one whose schemas have no module is left out", () => {
  const plan: ResolvedPlan = { file: "plan.yaml", specifications: [
    { ...BARE, name: "Product", functionName: "trackProduct" },
    { ...BARE, name: "Entity", functionName: "track" },
    { ...BARE, name: "Lost", functionName: "trackLost", uri: uri("lost") },
    ADD, { ...ADD, name: "Add again" },
    { ...BARE, name: "Product", functionName: "trackProduct", namedFunction: false },
  ] };
  const taken = new Map<string, string>([["trackProduct", uri("product")], ["Data", "igluc's own declarations"]]);
  const { specs, diagnostics } = checkSpecifications(plan, taken, (u) => NAMES.has(u));
  assert.deepEqual(specs.map((s) => [s.name, s.functionName]), [["Add to basket", "trackAddToBasket"], ["Product", "trackProductSpec"]],
    "a function name made from the specification's name takes Spec when a schema's names take it; a named one is an error");
  assert.deepEqual(diagnostics, [
    {
      level: "error", code: "plan-name-collision", file: "plan.yaml", pointer: "/specifications/0", line: 3, column: 5,
      message: `the specification "Product" would generate trackProduct, which is also the name of ${uri("product")}; it is not generated`,
      hint: "give the specification another name, or (in igluc's own plan format) name its function with \"function: trackSomethingElse\"",
    },
    {
      level: "error", code: "plan-name-collision", file: "plan.yaml", pointer: "/specifications/0", line: 3, column: 5,
      message: "the specification \"Entity\" would generate Data, which is also the name of igluc's own declarations; it is not generated",
      hint: "give the specification another name, or (in igluc's own plan format) name its function with \"function: trackSomethingElse\"",
    },
    {
      level: "error", code: "plan-name-collision", file: "plan.yaml", pointer: "/specifications/0", line: 3, column: 5,
      message: "the specification \"Add again\" would generate AddToBasketData, which is also the name of specification \"Add to basket\"; it is not generated",
      hint: "give the specification another name, or (in igluc's own plan format) name its function with \"function: trackSomethingElse\"",
    },
  ]);
});


/** tsc's errors in `files` (an in-memory project, strict, the default library), by file and message. */
function typeErrors(files: Readonly<Record<string, string>>): string[] {
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const own = (name: string): string | undefined => files[name.replace(/^\/project\//, "")];
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => own(name) !== undefined || fileExists.call(host, name);
  host.readFile = (name) => own(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, ...rest) => {
    const text = own(name);
    return text !== undefined ? ts.createSourceFile(name, text, version) : getSourceFile.call(host, name, version, ...rest);
  };
  host.getCurrentDirectory = () => "/project";
  const { directoryExists } = host;
  host.directoryExists = (dir) => dir === "/project" || (directoryExists?.call(host, dir) ?? false);
  const program = ts.createProgram(Object.keys(files).map((f) => `/project/${f}`), options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName.replace("/project/", "") ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

test("a specification with no entities and none allowed takes no context, whatever the target's options (the React Native tracker's have nothing else)", () => {
  const sdk = {
    "index.ts": "export interface TrackEventOptions { readonly context?: readonly unknown[] | undefined }\nexport interface EventTracker { trackSelfDescribingEvent(event: unknown, context?: unknown): void }\n",
    "action.ts": 'import type { EventTracker, TrackEventOptions } from "./index.js";\nexport interface Action { type?: string }\nexport function trackAction(tracker: EventTracker, data: Action, options?: TrackEventOptions): void { tracker.trackSelfDescribingEvent(data, options?.context); }\n',
    "specifications.ts": moduleText("react-native-tracker", "ts", [BARE]),
  };
  const use = (call: string): Record<string, string> => ({ ...sdk, "use.ts": `import { trackBare } from "./specifications.js";\nimport type { EventTracker } from "./index.js";\ndeclare const tracker: EventTracker;\n${call}\n` });
  assert.deepEqual(typeErrors(use("trackBare(tracker, {});\ntrackBare(tracker, {}, {});")), []);
  const errors = typeErrors(use('trackBare(tracker, {}, { context: [{ schema: "iglu:com.acme/x/jsonschema/1-0-0", data: {} }] });'));
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0]!, /^use\.ts: .*not assignable to type 'undefined'/);
});


test("generate: a specification whose named function is a schema's is an error at its place in the plan; one named like a schema takes Spec; the others are generated", async () => {
  const registry = tempRegistry({
    "com.acme/checkout/jsonschema/1-0-0": selfDescribing("checkout", "1-0-0", { type: "object", properties: { total: { type: "number" } }, additionalProperties: false }),
    "com.acme/user/jsonschema/1-0-0": selfDescribing("user", "1-0-0", { type: "object", properties: { id: { type: "string" } }, additionalProperties: false }),
  });
  try {
    const plan = path.join(registry.root, "plan.yaml");
    fs.writeFileSync(plan, "specifications:\n  - name: Checkout\n    function: trackCheckout\n    event: iglu:com.acme/checkout/jsonschema/1-0-0\n  - name: Sign in\n    event: iglu:com.acme/user/jsonschema/1-0-0\n  - name: User\n    event: iglu:com.acme/user/jsonschema/1-0-0\n");
    const out = path.join(registry.root, "out");
    const result = await generate({ schemas: [registry.root], out, plan, cwd: registry.root, concurrency: 1 });
    assert.deepEqual(result.diagnostics.filter((d) => d.level !== "info").map(({ level, code, file, line, pointer }) => ({ level, code, file, line, pointer })),
      [{ level: "error", code: "plan-name-collision", file: "plan.yaml", line: 2, pointer: "/specifications/0" }]);
    const module = fs.readFileSync(path.join(out, "specifications.ts"), "utf8");
    assert.match(module, /export function trackSignIn\(/);
    assert.match(module, /export function trackUserSpec\(/, "named after its schema, without a function of its own: Spec added");
    assert.match(module, /export type UserSpecData = /);
    assert.doesNotMatch(module, /CheckoutData/);
  } finally {
    registry.dispose();
  }
});

const IGLUC_TS = [
  "// Generated by igluc 0.0.0 from the tracking plan plan.yaml.",
  "// Do not edit: change the tracking plan and run `igluc generate` again.",
  "",
  "import type { Action } from \"./action.js\";",
  "import { trackAction } from \"./action.js\";",
  "import type { Cart } from \"./cart.js\";",
  "import { createCart } from \"./cart.js\";",
  "import type { EventTracker, TrackEventOptions } from \"./index.js\";",
  "import type { Product } from \"./product.js\";",
  "import { createProduct } from \"./product.js\";",
  "import type { Promotion } from \"./promotion.js\";",
  "import { createPromotion } from \"./promotion.js\";",
  "",
  "/** The data of {@link trackAddToBasket}: a {@link Action}, where odd-key is one of \"a\", 1, null and type is \"add\". */",
  "export type AddToBasketData = Omit<Action, \"type\"> & {",
  "  /** One of \"a\", 1, null. */",
  "  readonly \"odd-key\"?: \"a\" | 1 | null;",
  "  /** Always \"add\": {@link trackAddToBasket} sends it. */",
  "  readonly type?: \"add\";",
  "};",
  "",
  "/** The entities of {@link trackAddToBasket}, as data: it builds each entity. No others may be attached. */",
  "export interface AddToBasketEntities {",
  "  /** {@link Product} entities (iglu:com.acme/product/jsonschema/1-0-0): 1 or more. */",
  "  readonly product: readonly [Product, ...Product[]];",
  "  /** A {@link Cart} (iglu:com.acme/cart/jsonschema/1-0-0): exactly 1. */",
  "  readonly cart: Cart;",
  "  /** A {@link Promotion} (iglu:com.acme/promotion/jsonschema/1-0-0): at most 1 (optional). */",
  "  readonly promotion?: Promotion;",
  "}",
  "",
  "/** The options of {@link trackAddToBasket}: the track functions' options, with its entities, and no `context`: the specification allows no other entities. */",
  "export type AddToBasketOptions = Omit<TrackEventOptions, \"context\"> & {",
  "  readonly entities: AddToBasketEntities;",
  "};",
  "",
  "/**",
  " * Tracks the event specification \"Add to basket\" (0b3b): a {@link Action} event (iglu:com.acme/action/jsonschema/1-0-0), where odd-key is one of \"a\", 1, null and type is \"add\".",
  " * A product was added to the basket.",
  " * Entities (`options.entities`, as data):",
  " * - `product`: iglu:com.acme/product/jsonschema/1-0-0, 1 or more",
  " * - `cart`: iglu:com.acme/cart/jsonschema/1-0-0, exactly 1",
  " * - `promotion`: iglu:com.acme/promotion/jsonschema/1-0-0, at most 1 (optional)",
  " * No other entities may be attached.",
  " */",
  "export function trackAddToBasket(tracker: EventTracker, data: AddToBasketData, options: AddToBasketOptions): void {",
  "  const { entities, ...rest } = options;",
  "  trackAction(tracker, { ...data, type: \"add\" }, { ...rest, context: [",
  "    ...entities.product.map(createProduct),",
  "    createCart(entities.cart),",
  "    ...(entities.promotion === undefined ? [] : [createPromotion(entities.promotion)]),",
  "  ] });",
  "}",
  "",
  "/** The data of {@link trackView}: a {@link Action}. */",
  "export type ViewData = Action;",
  "",
  "/** The entities of {@link trackView}, as data: it builds each entity. Others go in `context`. */",
  "export interface ViewEntities {",
  "  /** {@link Product} entities (iglu:com.acme/product/jsonschema/1-0-0): at most 2 (optional). */",
  "  readonly product?: readonly [] | readonly [Product] | readonly [Product, Product];",
  "  /** {@link Cart} entities (iglu:com.acme/cart/jsonschema/1-0-0): 2 to 3. */",
  "  readonly cart: readonly [Cart, Cart] | readonly [Cart, Cart, Cart];",
  "  /** {@link Promotion} entities (iglu:com.acme/promotion/jsonschema/1-0-0): any number (optional). */",
  "  readonly promotion?: readonly Promotion[];",
  "}",
  "",
  "/** The options of {@link trackView}: the track functions' options, with its entities. */",
  "export type ViewOptions = TrackEventOptions & {",
  "  readonly entities: ViewEntities;",
  "};",
  "",
  "/**",
  " * Tracks the event specification \"View\": a {@link Action} event (iglu:com.acme/action/jsonschema/1-0-0).",
  " * Entities (`options.entities`, as data):",
  " * - `product`: iglu:com.acme/product/jsonschema/1-0-0, at most 2 (optional)",
  " * - `cart`: iglu:com.acme/cart/jsonschema/1-0-0, 2 to 3",
  " * - `promotion`: iglu:com.acme/promotion/jsonschema/1-0-0, any number (optional)",
  " * Other entities may be attached in `options.context`.",
  " */",
  "export function trackView(tracker: EventTracker, data: ViewData, options: ViewOptions): void {",
  "  const { entities, context, ...rest } = options;",
  "  trackAction(tracker, data, { ...rest, context: [",
  "    ...(entities.product ?? []).map(createProduct),",
  "    ...entities.cart.map(createCart),",
  "    ...(entities.promotion ?? []).map(createPromotion),",
  "    ...(context ?? []),",
  "  ] });",
  "}",
  "",
  "/** The data of {@link trackBare}: a {@link Action}. */",
  "export type BareData = Action;",
  "",
  "/** The options of {@link trackBare}: the track functions' options, and no `context`: the specification allows no other entities. */",
  "export type BareOptions = Omit<TrackEventOptions, \"context\"> & {",
  "  readonly context?: never;",
  "};",
  "",
  "/**",
  " * Tracks the event specification \"Bare\": a {@link Action} event (iglu:com.acme/action/jsonschema/1-0-0).",
  " * It carries no entities of its own.",
  " * No other entities may be attached.",
  " */",
  "export function trackBare(tracker: EventTracker, data: BareData, options: BareOptions = {}): void {",
  "  trackAction(tracker, data, { ...options, context: [] });",
  "}",
  "",
].join("\n");

const BROWSER_JS = [
  "// Generated by igluc 0.0.0 from the tracking plan plan.yaml.",
  "// Do not edit: change the tracking plan and run `igluc generate` again.",
  "",
  "import { trackAction } from \"./action.js\";",
  "import { createCart } from \"./cart.js\";",
  "import { uncheckedEntity } from \"./index.js\";",
  "import { createProduct } from \"./product.js\";",
  "import { createPromotion } from \"./promotion.js\";",
  "",
  "export function trackAddToBasket(data, options) {",
  "  const { entities, ...rest } = options;",
  "  trackAction({ ...data, type: \"add\" }, { ...rest, context: [",
  "    ...entities.product.map(createProduct),",
  "    createCart(entities.cart),",
  "    ...(entities.promotion === undefined ? [] : [createPromotion(entities.promotion)]),",
  "    uncheckedEntity({ schema: \"iglu:com.snowplowanalytics.snowplow/event_specification/jsonschema/1-0-3\", data: { id: \"0b3b\", name: \"Add to basket\", data_product_id: \"dp-1\", data_product_name: \"Shop\", data_product_domain: \"Sales\" } }),",
  "  ] });",
  "}",
  "",
  "export function trackBare(data, options = {}) {",
  "  trackAction(data, { ...options, context: [] });",
  "}",
  "",
].join("\n");

const RN_DTS = [
  "// Generated by igluc 0.0.0 from the tracking plan plan.yaml.",
  "// Do not edit: change the tracking plan and run `igluc generate` again.",
  "",
  "import type { Action } from \"./action.js\";",
  "import type { Cart } from \"./cart.js\";",
  "import type { EventTracker, TrackEventOptions } from \"./index.js\";",
  "import type { Product } from \"./product.js\";",
  "import type { Promotion } from \"./promotion.js\";",
  "",
  "/** The data of {@link trackView}: a {@link Action}. */",
  "export type ViewData = Action;",
  "",
  "/** The entities of {@link trackView}, as data: it builds each entity. Others go in `context`. */",
  "export interface ViewEntities {",
  "  /** {@link Product} entities (iglu:com.acme/product/jsonschema/1-0-0): at most 2 (optional). */",
  "  readonly product?: readonly [] | readonly [Product] | readonly [Product, Product];",
  "  /** {@link Cart} entities (iglu:com.acme/cart/jsonschema/1-0-0): 2 to 3. */",
  "  readonly cart: readonly [Cart, Cart] | readonly [Cart, Cart, Cart];",
  "  /** {@link Promotion} entities (iglu:com.acme/promotion/jsonschema/1-0-0): any number (optional). */",
  "  readonly promotion?: readonly Promotion[];",
  "}",
  "",
  "/** The options of {@link trackView}: the track functions' options, with its entities. */",
  "export type ViewOptions = TrackEventOptions & {",
  "  readonly entities: ViewEntities;",
  "};",
  "",
  "/**",
  " * Tracks the event specification \"View\": a {@link Action} event (iglu:com.acme/action/jsonschema/1-0-0).",
  " * Entities (`options.entities`, as data):",
  " * - `product`: iglu:com.acme/product/jsonschema/1-0-0, at most 2 (optional)",
  " * - `cart`: iglu:com.acme/cart/jsonschema/1-0-0, 2 to 3",
  " * - `promotion`: iglu:com.acme/promotion/jsonschema/1-0-0, any number (optional)",
  " * Other entities may be attached in `options.context`.",
  " */",
  "export declare function trackView(tracker: EventTracker, data: ViewData, options: ViewOptions): void;",
  "",
  "/** The data of {@link trackBare}: a {@link Action}. */",
  "export type BareData = Action;",
  "",
  "/** The options of {@link trackBare}: the track functions' options, and no `context`: the specification allows no other entities. */",
  "export type BareOptions = Omit<TrackEventOptions, \"context\"> & {",
  "  readonly context?: never;",
  "};",
  "",
  "/**",
  " * Tracks the event specification \"Bare\": a {@link Action} event (iglu:com.acme/action/jsonschema/1-0-0).",
  " * It carries no entities of its own.",
  " * No other entities may be attached.",
  " */",
  "export declare function trackBare(tracker: EventTracker, data: BareData, options?: BareOptions): void;",
  "",
].join("\n");
