/**
 * Which versions are generated: the latest of each MODEL by default, every
 * version with `versions: "all"`, exactly the pinned ones for pinned schemas;
 * include and exclude patterns over `vendor/name`.
 */
import type { Diagnostic } from "../diagnostics.js";
import { compareSchemaVer } from "@igluc/runtime/iglu";
import type { Candidate } from "../model.js";
import type { GeneratorContext } from "../options/resolve.js";

export function selectSchemas(all: readonly Candidate[], ctx: GeneratorContext): { selected: Candidate[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const families = new Map<string, Candidate[]>();
  for (const schema of all) {
    const family = `${schema.key.vendor}/${schema.key.name}`;
    if (ctx.include.length > 0 && !ctx.include.some((p) => p.test(family))) continue;
    if (ctx.exclude.some((p) => p.test(family))) continue;
    families.set(family, [...(families.get(family) ?? []), schema]);
  }
  const selected: Candidate[] = [];
  for (const [family, versions] of families) {
    const pinned = ctx.pin.get(family);
    if (pinned !== undefined) {
      for (const version of pinned) {
        const match = versions.find((v) => v.key.version === version);
        if (match !== undefined) selected.push(match);
        else {
          diagnostics.push({
            level: "error", code: "pin-missing", uri: `iglu:${family}/jsonschema/${version}`,
            message: `pinned version ${version} of ${family} is not in the registries`,
            hint: `available: ${versions.map((v) => v.key.version).sort().join(", ")}`,
          });
        }
      }
      continue;
    }
    if (ctx.versions === "all") {
      selected.push(...versions);
      continue;
    }
    const latest = new Map<number, Candidate>();
    for (const v of versions) {
      const current = latest.get(v.ver.model);
      if (current === undefined || compareSchemaVer(v.ver, current.ver) > 0) latest.set(v.ver.model, v);
    }
    selected.push(...latest.values());
  }
  for (const family of ctx.pin.keys()) {
    if (!families.has(family)) {
      diagnostics.push({
        level: "error", code: "pin-missing", uri: `iglu:${family}/jsonschema`, message: `pinned schema ${family} is not in the registries (or is excluded)`,
        hint: "check the vendor/name in pin, and the --schemas folders",
      });
    }
  }
  return { selected: selected.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0)), diagnostics };
}
