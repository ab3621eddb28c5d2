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
