/**
 * Small static registries written to temporary folders, for the lint tests.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const META = "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#";

/** A self-describing schema for com.acme/{name} at {version}, with `body` as its JSON Schema. */
export function selfDescribing(name: string, version: string, body: Record<string, unknown>, vendor = "com.acme"): Record<string, unknown> {
  return { $schema: META, self: { vendor, name, format: "jsonschema", version }, ...body };
}

export interface TempRegistry {
  /** The registry's `schemas/` folder. */
  readonly dir: string;
  /** The folder holding `schemas/` (use as a working directory). */
  readonly root: string;
  /** Writes a file at `relative` (under schemas/): an object as pretty JSON, a string as it is. */
  write(relative: string, content: Record<string, unknown> | string): string;
  dispose(): void;
}

export function tempRegistry(files: Readonly<Record<string, Record<string, unknown> | string>> = {}): TempRegistry {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "igluc-lint-"));
  const dir = path.join(root, "schemas");
  fs.mkdirSync(dir);
  const write = (relative: string, content: Record<string, unknown> | string): string => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
    return file;
  };
  for (const [relative, content] of Object.entries(files)) write(relative, content);
  return { dir, root, write, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** A registry holding the given versions of com.acme/{name}, each body made self-describing. */
export function versionsRegistry(name: string, versions: Readonly<Record<string, Record<string, unknown>>>): TempRegistry {
  const files: Record<string, Record<string, unknown>> = {};
  for (const [version, body] of Object.entries(versions)) files[`com.acme/${name}/jsonschema/${version}`] = selfDescribing(name, version, body);
  return tempRegistry(files);
}
