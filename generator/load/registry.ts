/**
 * Finding schema files in static-registry folders laid out
 * `{vendor}/{name}/{format}/{version}` (no extension, or `.json`).
 */
import fs from "node:fs";
import path from "node:path";
import type { Code } from "../codes.js";
import type { Diagnostic } from "../diagnostics.js";
import { MAX_SCHEMA_BYTES } from "../limits.js";
import { readBoundedText } from "./bounded-read.js";
import type { SchemaFile } from "../model.js";

export interface FoundSchemas {
  /** JSON Schema files, sorted by key, first registry winning for a key defined twice. */
  readonly files: readonly SchemaFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** A registry given as its root (holding `schemas/`) or as the `schemas/` folder itself. */
export function registryRoot(dir: string): string {
  const nested = path.join(dir, "schemas");
  return isDirectory(nested) ? nested : dir;
}

export function findSchemas(dirs: readonly string[], cwd: string): FoundSchemas {
  const diagnostics: Diagnostic[] = [];
  const byKey = new Map<string, SchemaFile>();
  const display = (p: string): string => path.relative(cwd, p) || ".";

  for (const dir of dirs) {
    const absolute = path.resolve(cwd, dir);
    if (!isDirectory(absolute)) {
      diagnostics.push({
        level: "error", code: "registry-missing", file: display(absolute), message: `schema folder ${display(absolute)} does not exist or is not a folder`,
        hint: "pass --schemas a static registry: its root (holding schemas/) or its schemas/ folder",
      });
      continue;
    }
    const root = registryRoot(absolute);
    const realRoot = fs.realpathSync(root);
    const shown = displayUnder(root);
    for (const vendor of list(root)) {
      if (!vendor.isDirectory()) { stray(path.join(root, vendor.name)); continue; }
      const vendorDir = path.join(root, vendor.name);
      for (const name of list(vendorDir)) {
        if (!name.isDirectory()) { stray(path.join(vendorDir, name.name)); continue; }
        const nameDir = path.join(vendorDir, name.name);
        for (const format of list(nameDir)) {
          const formatDir = path.join(nameDir, format.name);
          if (!format.isDirectory()) { stray(formatDir); continue; }
          if (format.name !== "jsonschema") {
            diagnostics.push({
              level: "info", code: "format-skipped", file: display(formatDir),
              message: `${vendor.name}/${name.name}: format "${format.name}" is not JSON Schema; skipped`,
              hint: "only jsonschema files become types",
            });
            continue;
          }
          for (const version of list(formatDir)) {
            const file = path.join(formatDir, version.name);
            if (!isFileEntry(version, file)) { stray(file); continue; }
            const key = { vendor: vendor.name, name: name.name, format: format.name, version: version.name.replace(/\.json$/, "") };
            const id = `${key.vendor}/${key.name}/${key.format}/${key.version}`;
            const earlier = byKey.get(id);
            if (earlier !== undefined) {
              diagnostics.push({
                level: "warning", code: "duplicate-schema", file: display(file), uri: `iglu:${id}`,
                message: `also found at ${earlier.display}; the first one is used`,
                hint: "keep each schema in one registry, or list the registry to prefer first",
              });
              continue;
            }
            byKey.set(id, { path: file, display: shown(file), key, root: realRoot, ...(version.isSymbolicLink() ? { link: true as const } : {}) });
          }
        }
      }
    }
  }
  const files = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
  return { files, diagnostics };

  /**
   * `display` for the files under `root`: its own relative path and the rest
   * of theirs, rather than path.relative for each (about 10 ms over Iglu
   * Central's 660). Not when `cwd` is inside `root`: their paths do not go through root's.
   */
  function displayUnder(root: string): (p: string) => string {
    const relative = path.relative(cwd, root);
    if (relative !== "" && relative.split(path.sep).every((part) => part === "..")) return display;
    const prefix = relative === "" ? "" : `${relative}${path.sep}`;
    const start = root.endsWith(path.sep) ? root.length : root.length + 1;
    return (p) => `${prefix}${p.slice(start)}`;
  }

  function stray(p: string): void {
    diagnostics.push({
      level: "info", code: "stray-file", file: display(p),
      message: "not at {vendor}/{name}/{format}/{version} in the registry; ignored",
      hint: "move it to its place in the registry tree, or out of the registry",
    });
  }
}

/**
 * A schema file's text, or the reason it is not read: a broken link, no
 * permission, not a regular file, larger than MAX_SCHEMA_BYTES, or a link to
 * somewhere outside its registry (never followed: its content is not a
 * schema's, and messages would show it).
 */
export function readSchemaFile(file: SchemaFile): { text: string } | { diagnostic: Diagnostic } {
  const problem = (code: Code, message: string, hint: string): { diagnostic: Diagnostic } => ({
    diagnostic: { level: "error", code, file: file.display, uri: `iglu:${file.key.vendor}/${file.key.name}/${file.key.format}/${file.key.version}`, message, hint },
  });
  try {
    // Its folder's listing said whether it is a link (no lstat for each of hundreds of files); a file
    // that became one since is not followed (O_NOFOLLOW), and fails to open instead.
    if (file.root !== undefined && file.link === true) {
      const target = fs.realpathSync(file.path);
      if (target !== file.root && !target.startsWith(file.root + path.sep)) {
        return problem("link-outside", "is a link to a file outside the registry; not followed", "copy the schema into the registry instead of linking to it");
      }
    }
    const read = readBoundedText(file.path, MAX_SCHEMA_BYTES, file.root !== undefined && file.link !== true);
    if ("notFile" in read) return problem("file-unreadable", "is not a regular file", "a schema is a plain file in the registry");
    if ("tooLarge" in read) {
      return problem("file-too-large", `is ${read.tooLarge} bytes, more than the ${MAX_SCHEMA_BYTES} igluc reads`, "a schema this large is not a schema to generate from; split it, or check the file is the one meant");
    }
    return { text: read.text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return problem("file-unreadable", `cannot be read (${code})`, code === "ENOENT" ? "the file is a link to nothing: fix or remove the link" : "check the file's permissions");
  }
}

function list(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A file, or a symbolic link that is not to a folder (a broken link is reported when it cannot be read). */
function isFileEntry(entry: fs.Dirent, p: string): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return !fs.statSync(p).isDirectory();
  } catch {
    return true;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
