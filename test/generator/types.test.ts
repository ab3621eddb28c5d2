/**
 * Generated code under every supported compiler setting: the golden output
 * and test/types/generated-usage.ts (clean uses that must compile, and one
 * @ts-expect-error per mistake the types must catch) with TypeScript 5 and
 * TypeScript 7, moduleResolution nodenext and bundler, with and without
 * exactOptionalPropertyTypes. The same for the `emit: "js"` golden output,
 * whose declarations are checked too (skipLibCheck off). And the same
 * suite for each of the other targets (test/types/targets/*.ts against
 * test/golden/targets/*), with Snowplow's trackers' published types installed.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { COMPILERS, SETTINGS, TRACKERS, compile, tempProject } from "../support/compile.js";
import { ROOT } from "../support/iglu.js";

/** A project with a golden output where test/types/generated-usage.ts expects it. */
function usageProject(golden: string): ReturnType<typeof tempProject> {
  const project = tempProject();
  fs.cpSync(path.join(ROOT, golden), path.join(project.dir, "golden/output"), { recursive: true });
  fs.mkdirSync(path.join(project.dir, "types"));
  fs.copyFileSync(path.join(ROOT, "test/types/generated-usage.ts"), path.join(project.dir, "types/generated-usage.ts"));
  return project;
}

let project: ReturnType<typeof tempProject>;
let jsProject: ReturnType<typeof tempProject>;
before(() => {
  project = usageProject("test/golden/output");
  jsProject = usageProject("test/golden/js/output");
});
after(() => {
  project.dispose();
  jsProject.dispose();
});

/**
 * The other targets: each one's usage file, the tracker package it is compiled against, and the
 * libraries and global types its users have (a page has the DOM; Node has @types/node, whose
 * fetch types the node tracker's declarations name). `libCheck`: whether the tracker's own
 * declarations pass tsc with skipLibCheck off; the React Native tracker's do not without the
 * DOM library (they take types from @snowplow/browser-tracker-core), nor under TypeScript 7
 * (its index imports react-native-get-random-values, a peer, for its side effect).
 */
const TARGETS = [
  { name: "browser-tracker", tracker: TRACKERS[0], lib: ["es2022", "dom"], types: [], libCheck: true },
  { name: "node-tracker", tracker: TRACKERS[1], lib: ["es2022"], types: ["node"], libCheck: true },
  { name: "react-native-tracker", tracker: TRACKERS[2], lib: ["es2022"], types: [], libCheck: false },
] as const;

/** tsc's errors in the project's own files (the generated code and the usage file), not in installed packages. */
const ownErrors = (output: string): string[] => output.split("\n").filter((line) => /^(golden|types)\/.*error TS/.test(line));

/** A project with a target's golden output (in `form`) and its usage file where the file expects them. */
function targetProject(target: (typeof TARGETS)[number], form: "ts" | "js"): ReturnType<typeof tempProject> {
  const project = tempProject(`igluc-${target.name}-`, [target.tracker, ...(target.types.length > 0 ? ["@types/node" as const] : [])]);
  fs.cpSync(path.join(ROOT, `test/golden/targets/${target.name}${form === "js" ? "-js" : ""}`), path.join(project.dir, `golden/targets/${target.name}`), { recursive: true });
  fs.mkdirSync(path.join(project.dir, "types/targets"), { recursive: true });
  fs.copyFileSync(path.join(ROOT, `test/types/targets/${target.name}.ts`), path.join(project.dir, `types/targets/${target.name}.ts`));
  return project;
}

/** The mistakes a usage file expects tsc to catch, by the reason each gives. */
const mistakes = (file: string): string[] => [...fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(/^\/\/ @ts-expect-error (.*)$/gm)].map((m) => m[1]!);

describe("every target's usage file has the whole suite", () => {
  for (const target of TARGETS) {
    test(target.name, () => {
      const all = mistakes("test/types/generated-usage.ts");
      const own = mistakes(`test/types/targets/${target.name}.ts`);
      assert.equal(all.length, 19);
      assert.deepEqual(own.slice(0, all.length), all);
    });
  }
});

for (const target of TARGETS) {
  describe(`${target.name}: generated code compiles against ${target.tracker}'s published types, and catches every mistake`, { concurrency: 2 }, () => {
    const projects: Partial<Record<"ts" | "js", ReturnType<typeof tempProject>>> = {};
    before(() => {
      projects.ts = targetProject(target, "ts");
      projects.js = targetProject(target, "js");
    });
    after(() => {
      projects.ts?.dispose();
      projects.js?.dispose();
    });
    for (const compiler of Object.keys(COMPILERS) as (keyof typeof COMPILERS)[]) {
      for (const resolution of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
        for (const exact of [false, true]) {
          test(`${compiler}, ${resolution}, exactOptionalPropertyTypes ${exact}`, async () => {
            const result = await compile(projects.ts!.dir, ["golden/**/*.ts", "types/**/*.ts"], compiler, resolution, exact, true, target.lib, target.types);
            assert.equal(result.code, 0, result.output);
          });
          test(`emit js: ${compiler}, ${resolution}, exactOptionalPropertyTypes ${exact}, declarations checked`, async () => {
            const result = await compile(projects.js!.dir, ["golden/**/*.ts", "types/**/*.ts"], compiler, resolution, exact, false, target.lib, target.types);
            assert.deepEqual(ownErrors(result.output), []);
            if (target.libCheck) assert.equal(result.code, 0, result.output);
            else assert.match(result.output, /node_modules\/@snowplow\/.*error TS/, "the tracker's declarations fail alone, as this test expects of them");
          });
        }
      }
    }
  });
}

describe("generated code compiles, and catches every mistake", { concurrency: 2 }, () => {
  for (const compiler of Object.keys(COMPILERS) as (keyof typeof COMPILERS)[]) {
    for (const resolution of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
      for (const exact of [false, true]) {
        test(`${compiler}, ${resolution}, exactOptionalPropertyTypes ${exact}`, async () => {
          const result = await compile(project.dir, ["golden/output/*.ts", "types/*.ts"], compiler, resolution, exact);
          assert.equal(result.code, 0, result.output);
        });
        test(`emit js: ${compiler}, ${resolution}, exactOptionalPropertyTypes ${exact}, declarations checked`, async () => {
          const result = await compile(jsProject.dir, ["golden/output/*.ts", "types/*.ts"], compiler, resolution, exact, false);
          assert.equal(result.code, 0, result.output);
        });
      }
    }
  }

  test("a mistake the types should catch does make tsc fail (the check is not vacuous)", async () => {
    const own = tempProject();
    try {
      fs.cpSync(path.join(ROOT, "test/golden/output"), path.join(own.dir, "golden/output"), { recursive: true });
      fs.mkdirSync(path.join(own.dir, "types"));
      fs.writeFileSync(path.join(own.dir, "types/mistake.ts"), `import { createUser } from "../golden/output/index.js";\ncreateUser({ id: "u", unknownField: 1 });\n`);
      const result = await compile(own.dir, ["golden/output/*.ts", "types/*.ts"], "TypeScript 5", "nodenext", false);
      assert.notEqual(result.code, 0);
      assert.match(result.output, /mistake\.ts.*unknownField/s);
    } finally {
      own.dispose();
    }
  });
});

/**
 * Event specifications (test/golden/plan, from test/fixtures/plans/ecommerce.yaml): each target's usage
 * file (test/types/plan/*.ts) compiles with its clean uses and an error at each @ts-expect-error, under
 * TypeScript 5 and 7, with and without exactOptionalPropertyTypes; the igluc target's also in its
 * `emit: "js"` and single-file forms. And each mistake is the error it should be: tsc's message for it.
 */
const PLAN_OUTPUTS = [
  { out: "igluc", usage: "igluc", target: undefined },
  { out: "igluc-js", usage: "igluc", target: undefined },
  { out: "igluc-single", usage: "igluc", target: undefined },
  ...TARGETS.map((target) => ({ out: target.name, usage: target.name, target })),
] as const;

/** A project with a plan golden output, where its usage file expects it (the js and single-file forms stand in for the igluc one). */
function planProject(entry: (typeof PLAN_OUTPUTS)[number], usage = fs.readFileSync(path.join(ROOT, `test/types/plan/${entry.usage}.ts`), "utf8")): ReturnType<typeof tempProject> {
  const { target } = entry;
  const project = target === undefined ? tempProject() : tempProject(`igluc-plan-${target.name}-`, [target.tracker, ...(target.types.length > 0 ? ["@types/node" as const] : [])]);
  fs.cpSync(path.join(ROOT, "test/golden/plan", entry.out), path.join(project.dir, "golden/plan", entry.usage), { recursive: true });
  fs.mkdirSync(path.join(project.dir, "types/plan"), { recursive: true });
  fs.writeFileSync(path.join(project.dir, `types/plan/${entry.usage}.ts`), usage);
  return project;
}

describe("every target's event-specification usage file has the whole suite", () => {
  const all = mistakes("test/types/plan/igluc.ts");
  test("one mistake per rule", () => assert.equal(all.length, 10));
  for (const target of TARGETS) test(target.name, () => assert.deepEqual(mistakes(`test/types/plan/${target.name}.ts`), all));
});

for (const entry of PLAN_OUTPUTS) {
  describe(`event specifications, ${entry.out}: clean uses compile, every mistake is an error`, { concurrency: 2 }, () => {
    let project: ReturnType<typeof tempProject>;
    before(() => { project = planProject(entry); });
    after(() => project.dispose());
    for (const compiler of Object.keys(COMPILERS) as (keyof typeof COMPILERS)[]) {
      for (const exact of [false, true]) {
        test(`${compiler}, exactOptionalPropertyTypes ${exact}`, async () => {
          const lib = entry.target?.lib ?? ["es2022"];
          const result = await compile(project.dir, ["golden/**/*.ts", "types/**/*.ts"], compiler, "nodenext", exact, entry.out !== "igluc-js", lib, entry.target?.types ?? []);
          assert.equal(result.code, 0, result.output);
        });
      }
    }
  });
}

/** What tsc says of each mistake of test/types/plan/igluc.ts (by the reason its @ts-expect-error gives). */
const MESSAGES: Readonly<Record<string, RegExp>> = {
  "a required entity is missing": /error TS2741: Property 'cart' is missing in type '\{ product: \[Product\]; \}' but required in type 'AddToCartEntities'/,
  "entities are missing where one is required": /error TS2554: Expected 3 arguments, but got 2/,
  "too many of an entity": /Source has 5 element\(s\) but target allows only 4/,
  "too few of an entity": /Source has 0 element\(s\) but target requires 1/,
  "a list where exactly one is allowed": /error TS2739: Type 'Product\[\]' is missing the following properties from type 'Product'/,
  "an entity the specification does not list": /Object literal may only specify known properties, and 'promotion' does not exist in type 'AddToCartEntities'/,
  "context where the specification allows no other entities": /Object literal may only specify known properties, and 'context' does not exist in type 'AddToCartOptions'/,
  "a fixed property with another value": /Type '"remove_from_cart"' is not assignable to type '"add_to_cart"'/,
  "a value outside the listed ones": /Type '"add_to_cart"' is not assignable to type '"promo_click" \| "promo_view"'/,
  "an entity's data that does not match its schema": /Type '\{ id: string; \}' is missing the following properties from type 'Product': category, price, currency/,
};

describe("event specifications: each mistake is the error it should be", { concurrency: 2 }, () => {
  const source = fs.readFileSync(path.join(ROOT, "test/types/plan/igluc.ts"), "utf8");
  // The directives made plain comments: tsc reports each mistake, on the line after its reason.
  const lines = source.split("\n");
  const reasonAt = new Map<number, string>();
  lines.forEach((line, i) => {
    const m = /^\/\/ @ts-expect-error (.*)$/.exec(line);
    if (m !== null) reasonAt.set(i + 2, m[1]!);
  });
  let project: ReturnType<typeof tempProject>;
  before(() => { project = planProject(PLAN_OUTPUTS[0], source.replace(/^\/\/ @ts-expect-error /gm, "// mistake: ")); });
  after(() => project.dispose());
  test("every mistake has its expected message", () => assert.deepEqual([...reasonAt.values()].sort(), Object.keys(MESSAGES).sort()));
  for (const compiler of Object.keys(COMPILERS) as (keyof typeof COMPILERS)[]) {
    test(compiler, async () => {
      const result = await compile(project.dir, ["golden/**/*.ts", "types/**/*.ts"], compiler, "nodenext", true);
      // Each error with the lines that continue it, by the line it is on.
      const errors = new Map<number, string>();
      let current: number | undefined;
      for (const line of result.output.split("\n")) {
        const at = /^types\/plan\/igluc\.ts\((\d+),\d+\): error/.exec(line);
        if (at !== null) current = Number(at[1]);
        else if (!/^\s/.test(line)) current = undefined;
        if (current !== undefined) errors.set(current, `${errors.get(current) ?? ""}${line}\n`);
      }
      assert.deepEqual([...errors.keys()].sort((a, b) => a - b), [...reasonAt.keys()], result.output);
      for (const [line, reason] of reasonAt) assert.match(errors.get(line)!, MESSAGES[reason]!, `${reason} (line ${line})`);
    });
  }
});
