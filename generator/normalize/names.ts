/**
 * Names for generated code, decided from the whole set of schemas at once so
 * that they never depend on the order files were found in.
 *
 * - `Name` is the PascalCase of the schema name (`link_click` → `LinkClick`).
 * - Schemas of different vendors sharing a `Name` are all qualified with
 *   the shortest tail of their vendor that tells them apart
 *   (`SnowplowAddToCart`, `EcommAddToCart`), never with numbers.
 * - Of several versions of one schema, the newest keeps `Name`; older ones
 *   get `V<model>` (`V<M>_<R>_<A>` when one model has several).
 * - Names the generated modules import or declare themselves are taken.
 * - Anything still equal (say `tag_change` and `TAG_CHANGE` of one vendor) is
 *   an error for each of the schemas, naming the other, and none is named.
 */
import type { Diagnostic } from "../diagnostics.js";
import { fileStem, pascalCase, screamingSnake, words } from "../emit/escape.js";
import { compareSchemaVer } from "@igluc/runtime/iglu";
import type { Candidate } from "../model.js";

/**
 * Identifiers generated modules use for their own purposes, in any target
 * (so a schema keeps its names whichever tracker the code calls):
 * `SelfDescribingEvent` because browser-tracker's modules import
 * `trackSelfDescribingEvent`, which a schema of that name would also be given;
 * `Specifications` because its file would be the tracking plan's module.
 */
export const TAKEN_NAMES = new Set([
  "Tracker", "EventTracker", "SelfDescribingJson", "TrackOptions", "Entity", "TrackEventOptions", "UncheckedEntity", "uncheckedEntity",
  "Timestamp", "ReactNativeTracker", "SelfDescribingEvent", "Specifications",
  "Index", "Array", "Object", "String", "Number", "Boolean", "Symbol", "Record", "Partial", "Readonly", "Pick", "Omit",
]);

export interface Names {
  /** The data type, e.g. `LinkClick`. */
  readonly type: string;
  /** `LINK_CLICK_SCHEMA` */
  readonly constant: string;
  /** `createLinkClick` */
  readonly create: string;
  /** `trackLinkClick` */
  readonly track: string;
  /** `link-click` (the module is `link-click.ts`) */
  readonly file: string;
}

export interface Naming {
  readonly names: ReadonlyMap<string, Names>;
  readonly diagnostics: readonly Diagnostic[];
}

export function nameSchemas(schemas: readonly Candidate[]): Naming {
  const diagnostics: Diagnostic[] = [];
  // One entry per vendor/name, with its versions newest first.
  const families = new Map<string, Candidate[]>();
  for (const s of schemas) {
    const id = `${s.key.vendor}/${s.key.name}`;
    const list = families.get(id) ?? [];
    list.push(s);
    families.set(id, list);
  }
  for (const list of families.values()) list.sort((a, b) => compareSchemaVer(b.ver, a.ver));

  // Base names, vendor-qualified where vendors share one (or one is taken).
  const byBase = new Map<string, string[]>();
  for (const id of families.keys()) {
    const base = pascalCase(families.get(id)![0]!.key.name).toLowerCase();
    byBase.set(base, [...(byBase.get(base) ?? []), id]);
  }
  const familyName = new Map<string, string>();
  for (const ids of byBase.values()) {
    const sample = families.get(ids[0]!)![0]!;
    const base = pascalCase(sample.key.name);
    if (ids.length === 1 && !TAKEN_NAMES.has(base)) {
      familyName.set(ids[0]!, base);
      continue;
    }
    for (const [id, qualified] of qualify(ids.map((id) => families.get(id)![0]!))) familyName.set(id, qualified);
  }

  // Version suffixes.
  const entries: { uri: string; names: Names }[] = [];
  for (const [id, versions] of families) {
    const base = familyName.get(id)!;
    const modelsWithSeveral = new Set(versions.map((v) => v.ver.model).filter((m, i, all) => all.indexOf(m) !== i));
    versions.forEach((schema, i) => {
      const { model, revision, addition } = schema.ver;
      const type = i === 0 ? base : modelsWithSeveral.has(model) ? `${base}V${model}_${revision}_${addition}` : `${base}V${model}`;
      entries.push({
        uri: schema.uri,
        names: { type, constant: `${screamingSnake(type)}_SCHEMA`, create: `create${type}`, track: `track${type}`, file: fileStem(type) },
      });
    });
  }
  entries.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));

  // Every schema claiming a name loses it, whatever the order they came in. Taken names (and
  // index.ts, validators.js of --validators and specifications.ts of a tracking plan) stay taken even where qualifying could not avoid them (a vendor with no letters or digits).
  // Identifiers are case-sensitive; file names are compared ignoring case (macOS, Windows).
  const IGLUC = "igluc's own declarations";
  const claimsOf = (n: Names): string[] => [n.type, n.constant, n.create, n.track, `file:${n.file.toLowerCase()}`];
  const claimants = new Map<string, string[]>([...TAKEN_NAMES, "file:index", "file:validators", "file:specifications"].map((taken) => [taken, [IGLUC]]));
  for (const { uri, names: n } of entries) {
    for (const claim of new Set(claimsOf(n))) claimants.set(claim, [...(claimants.get(claim) ?? []), uri]);
  }
  const names = new Map<string, Names>();
  for (const { uri, names: n } of entries) {
    const clash = claimsOf(n).find((claim) => claimants.get(claim)!.length > 1);
    if (clash === undefined) {
      names.set(uri, n);
      continue;
    }
    const others = claimants.get(clash)!.filter((other) => other !== uri);
    const shown = clash.replace(/^file:/, "file ");
    diagnostics.push(others.includes(IGLUC)
      ? {
        level: "error", code: "name-collision", uri, message: `the generated name ${shown} is a name igluc uses itself`,
        hint: "rename the schema, or give its vendor a name with letters or digits to qualify it with",
      }
      : {
        level: "error", code: "name-collision", uri, message: `the generated name ${shown} is also the name generated for ${others.join(", ")}`,
        hint: `two schemas map to the same identifier; rename one of them, or generate them in separate runs (${[uri, ...others].sort().join(" and ")})`,
      });
  }
  return { names, diagnostics };
}

/**
 * Qualifies each schema's name with the shortest tail of its vendor's
 * segments that makes all of them distinct (and not a taken name).
 */
function qualify(latest: readonly Candidate[]): Map<string, string> {
  const segments = latest.map((s) => s.key.vendor.split(/[.\-_]/).filter((x) => x !== ""));
  const longest = Math.max(...segments.map((s) => s.length));
  for (let take = 1; take <= longest; take++) {
    const candidates = latest.map((s, i) => pascalCase([...segments[i]!.slice(-take), ...words(s.key.name)].join("_")));
    const distinct = new Set(candidates.map((c) => c.toLowerCase()));
    if (distinct.size === candidates.length && !candidates.some((c) => TAKEN_NAMES.has(c))) {
      return new Map(latest.map((s, i) => [`${s.key.vendor}/${s.key.name}`, candidates[i]!]));
    }
  }
  // No tail of the vendor tells them apart: full qualification; any collision left is reported by the caller.
  return new Map(latest.map((s, i) => [`${s.key.vendor}/${s.key.name}`, pascalCase([...segments[i]!, ...words(s.key.name)].join("_"))]));
}
