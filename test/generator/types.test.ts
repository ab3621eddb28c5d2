/**
 * Generated code under every supported compiler setting: the golden output
 * and test/types/generated-usage.ts (clean uses that must compile, and one
 * @ts-expect-error per mistake the types must catch) with TypeScript 5 and
 * TypeScript 7, moduleResolution nodenext and bundler, with and without
 * exactOptionalPropertyTypes. The same for the `emit: "js"` golden output,
 * whose declarations are checked too (skipLibCheck off).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { COMPILERS, SETTINGS, compile, tempProject } from "../support/compile.js";
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
