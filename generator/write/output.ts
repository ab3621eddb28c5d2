/**
 * Writing generated files: only those whose content changed, staged and then
 * moved into place (files.ts), never outside the output folder, and never
 * deleting a file igluc did not write. What igluc wrote is
 * recorded in a manifest in the output folder.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createStaging, writeFileAtomic, type Blocked } from "./files.js";
import { readRegularFile } from "../load/bounded-read.js";
import { MAX_OUTPUT_FILE_BYTES } from "../limits.js";

export const MANIFEST = ".igluc-manifest.json";

export interface ManifestModule {
  readonly file: string;
  readonly type: string;
  readonly constant: string;
  readonly create: string;
  readonly track: string;
  /** The other types the module exports (its array items' types), re-exported by the index. */
  readonly items?: readonly string[];
  /** The hash of everything the module was made from (emit/reuse.ts): an unchanged key lets the next run reuse it. */
  readonly key?: string;
}

export interface Manifest {
  readonly generator: string;
  /** Hash of everything the output depends on: schema files, options, generator version. */
  readonly inputs: string;
  /** Each file written, relative to the output folder, with the hash of its content. */
  readonly files: Readonly<Record<string, string>>;
  /** The modules in the output, by Iglu URI. */
  readonly modules: Readonly<Record<string, ManifestModule>>;
  /** Problems of the run that produced this output, replayed when nothing changed. */
  readonly diagnostics: readonly unknown[];
  /** Counts of that run, replayed likewise. */
  readonly counts: { readonly generated: number; readonly skipped: number; readonly failed: number };
  /** The key of the index module's inputs (the modules' names and the options), so an unchanged index is reused. */
  readonly index?: string;
}

export interface OutputFile {
  /** Relative to the output folder: a plain file name made by the naming stage. */
  readonly name: string;
  readonly content: string;
}

export interface WriteReport {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
  /** Files igluc wrote earlier and would remove, but that were edited since: left in place. */
  readonly keptEdited: readonly string[];
  /** Files that could not be put in place (a folder in the way), with the reason. */
  readonly blocked: readonly Blocked[];
}

/** SHA-256, hex. One-shot (crypto.hash, Node 20.12+): no Hash object for each of the thousands of files a run hashes. */
export function hash(text: string | Buffer): string {
  return crypto.hash("sha256", text, "hex");
}

export function readManifest(outDir: string): Manifest | undefined {
  try {
    const text = readRegularFile(path.join(outDir, MANIFEST), MAX_OUTPUT_FILE_BYTES)?.toString("utf8");
    if (text === undefined) return undefined;
    const manifest: unknown = JSON.parse(text);
    return isManifest(manifest) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The manifest is in the output folder, which is committed: a hand edit or a pull request can put anything there.
 * One of any other shape is no manifest (the run is a cold one), never a crash on every later run, and a replayed
 * diagnostic's code reaches the terminal only if it is made of the catalogue's characters.
 */
function isManifest(value: unknown): value is Manifest {
  const record = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === "string");
  const optional = (v: unknown): boolean => v === undefined || typeof v === "string";
  if (!record(value) || typeof value.generator !== "string" || typeof value.inputs !== "string" || !optional(value.index)) return false;
  const { files, modules, diagnostics, counts } = value;
  if (!record(files) || !Object.values(files).every((h) => typeof h === "string")) return false;
  if (!record(modules) || !Object.values(modules).every((m) => record(m)
    && ["file", "type", "constant", "create", "track"].every((k) => typeof m[k] === "string")
    && (m.items === undefined || strings(m.items)) && optional(m.key))) return false;
  if (!Array.isArray(diagnostics) || !diagnostics.every((d) => record(d) && ["error", "warning", "info"].includes(d.level as string)
    && typeof d.code === "string" && /^[a-z0-9-]+$/.test(d.code) && typeof d.message === "string")) return false;
  return counts === undefined || (record(counts) && ["generated", "skipped", "failed"].every((k) => Number.isSafeInteger(counts[k])));
}

/**
 * The absolute path of an output file, refusing anything that would land outside the output folder:
 * a plain name (a letter or digit, then letters, digits, dots and hyphens) has no separator and is never `.` or `..`.
 * `resolved`: outDir already resolved (a writer resolves it once, not for each of hundreds of files).
 */
export function inside(outDir: string, name: string, resolved = path.resolve(outDir)): string {
  if (!/^[a-z0-9][a-z0-9.-]*$/i.test(name)) throw new Error(`igluc: refusing to write "${name}" outside ${outDir}`);
  return resolved.endsWith(path.sep) ? `${resolved}${name}` : `${resolved}${path.sep}${name}`;
}

/** The hash of a file in the output folder; undefined when it is not a regular file (a link, a FIFO: never followed or waited on). */
function currentHash(file: string): string | undefined {
  const content = readRegularFile(file, MAX_OUTPUT_FILE_BYTES);
  return content === undefined ? undefined : hash(content);
}

export interface OutputWriter {
  /**
   * Writes `file` to a staging folder if it differs from what is on disk (or,
   * checking, notes it as stale). Returns the hash of its content, for the manifest.
   */
  add(file: OutputFile): string;
  /**
   * Records a file this run found on disk holding `contentHash`, the content it
   * would write (emit/reuse.ts read it): unchanged, without reading it again. Returns the hash.
   */
  keep(name: string, contentHash: string): string;
  /**
   * Moves staged files into place, removes files igluc wrote earlier that are
   * no longer generated (unless edited since) and records the manifest.
   */
  commit(manifest: Manifest): Promise<WriteReport>;
  /** With `check`: the files that differ from disk, once every file was added. */
  stale(): Promise<string[]>;
  /** Drops whatever was staged; the output folder stays as it was. */
  abort(): Promise<void>;
}

/**
 * Files are compared and staged as they are generated; nothing in the output
 * folder changes before `commit`, so a run that fails leaves it intact.
 */
export function createOutputWriter(outDir: string, previous: Manifest | undefined, signal?: AbortSignal): OutputWriter {
  const staging = createStaging(outDir, signal);
  const resolved = path.resolve(outDir);
  const names = new Set<string>();
  const changed: string[] = [];
  const unchanged: string[] = [];
  // Synchronous on purpose: for files this small, a thread-pool round trip per
  // call (and an error object per missing file) costs more than the I/O.
  // Anything but a regular file in the way (a link, a folder) differs: the commit replaces a link, and reports a folder.
  const differs = (file: OutputFile, contentHash: string): boolean => {
    const target = inside(outDir, file.name, resolved);
    const stat = fs.lstatSync(target, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isFile()) return true;
    // Opened again without following links or blocking: it may have been swapped for a FIFO since.
    const content = readRegularFile(target, MAX_OUTPUT_FILE_BYTES);
    return content === undefined || hash(content) !== contentHash;
  };
  const removable = (): string[] => Object.keys(previous?.files ?? {})
    .filter((name) => !names.has(name) && /^[a-z0-9][a-z0-9.-]*$/i.test(name) && fs.existsSync(path.join(outDir, name)));

  return {
    add(file) {
      names.add(file.name);
      const contentHash = hash(file.content);
      if (!differs(file, contentHash)) {
        unchanged.push(file.name);
        return contentHash;
      }
      changed.push(file.name);
      staging.write(file.name, file.content);
      return contentHash;
    },
    keep(name, contentHash) {
      inside(outDir, name, resolved);
      names.add(name);
      unchanged.push(name);
      return contentHash;
    },
    async stale() {
      await this.abort();
      return [...changed, ...removable()].sort();
    },
    async commit(manifest) {
      const { blocked } = staging.commit();
      const removed: string[] = [];
      const keptEdited: string[] = [];
      for (const name of removable()) {
        const target = path.join(outDir, name);
        if (currentHash(target) === previous?.files[name]) {
          fs.rmSync(target);
          removed.push(name);
        } else {
          keptEdited.push(name);
        }
      }
      // A file that could not be put in place is not igluc's to claim.
      const files = { ...manifest.files };
      for (const b of blocked) delete (files as Record<string, string>)[b.relative];
      writeFileAtomic(path.join(outDir, MANIFEST), `${JSON.stringify({ ...manifest, files }, null, 2)}\n`);
      const written = changed.filter((name) => !blocked.some((b) => b.relative === name));
      return { written: written.sort(), unchanged: unchanged.sort(), removed: removed.sort(), keptEdited: keptEdited.sort(), blocked };
    },
    async abort() {
      staging.abort();
    },
  };
}
