/**
 * igluc.lock.json: which schemas a generation used, where each came from,
 * and a hash of its content; and the local cache of those contents, by hash,
 * that lets `generate --offline` run with no network.
 *
 * The hash is SHA-256 of the schema as canonical JSON (keys sorted, no
 * spaces, numbers exact: load/canonical.ts), so a registry that reformats a
 * schema has not changed it; one that changes a single value, even a digit
 * beyond a double's precision, has. Lockfiles of version 1 hashed parsed
 * values (9223372036854775807 and …808 alike); they are still read, their
 * hashes checked that way, and rewritten as version 2.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { canonicalJson, canonicalText } from "../load/canonical.js";
import { MAX_LOCKFILE_BYTES, MAX_SCHEMA_BYTES, MAX_SCHEMA_DEPTH } from "../limits.js";
import { readRegularFile, readSettingsText, readTextOrNothing } from "../load/bounded-read.js";
import { OptionsError } from "../errors.js";
import { removeLeftovers, writeFileAtomic } from "../write/files.js";
import { parseSettingsJson } from "../load/json.js";

export const LOCKFILE = "igluc.lock.json";
const VERSION = 2;

export interface LockEntry {
  /** The repository's name, as configured. */
  readonly repository: string;
  /** Where it was fetched (never with credentials). */
  readonly url: string;
  readonly sha256: string;
}

export interface Lock {
  /** By Iglu URI. */
  readonly schemas: Readonly<Record<string, LockEntry>>;
  /** 1: hashes of parsed values (read, never written); 2: numbers exact. */
  readonly version?: 1 | 2;
}

/** SHA-256 of a schema's canonical JSON, numbers exact. Throws on text that is not JSON. */
export function contentHash(text: string): string {
  return createHash("sha256").update(canonicalText(text, MAX_SCHEMA_DEPTH + 1)).digest("hex");
}

/** The hash lockfiles of version 1 hold: of the values JSON.parse gives, so numbers rounded to doubles. */
export function legacyContentHash(text: string): string {
  return createHash("sha256").update(canonicalJson(JSON.parse(text))).digest("hex");
}

/** The hash an entry of `lock` is compared with. */
export function lockHash(lock: Lock, text: string): string {
  return lock.version === 1 ? legacyContentHash(text) : contentHash(text);
}

export function readLock(file: string): Lock | undefined {
  const read = readSettingsText(file, MAX_LOCKFILE_BYTES);
  if ("missing" in read) return undefined;
  if ("problem" in read) throw new OptionsError(`${file} ${read.problem}`);
  const lock = parseSettingsJson(read.text, file, "; regenerate it with --update").value as { lockfileVersion?: unknown; schemas?: unknown };
  if (lock === null || typeof lock !== "object" || (lock.lockfileVersion !== VERSION && lock.lockfileVersion !== 1) || lock.schemas === null || typeof lock.schemas !== "object") {
    throw new OptionsError(`${file} is not an igluc lockfile of version 1 or ${VERSION}; regenerate it with --update`);
  }
  for (const [uri, entry] of Object.entries(lock.schemas as Record<string, unknown>)) {
    const e = entry as Partial<LockEntry> | null;
    if (e === null || typeof e !== "object" || typeof e.repository !== "string" || typeof e.url !== "string" || typeof e.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(e.sha256)) {
      throw new OptionsError(`${file}: the entry for ${uri} is malformed; regenerate the lockfile with --update`);
    }
  }
  return { schemas: lock.schemas as Record<string, LockEntry>, version: lock.lockfileVersion === 1 ? 1 : 2 };
}

export function lockText(lock: Lock): string {
  const schemas: Record<string, LockEntry> = {};
  for (const uri of Object.keys(lock.schemas).sort()) {
    const e = lock.schemas[uri] as LockEntry;
    schemas[uri] = { repository: e.repository, url: e.url, sha256: e.sha256 };
  }
  return `${JSON.stringify({ lockfileVersion: VERSION, schemas }, null, 2)}\n`;
}

/**
 * The lockfile's text as readLock reads it: through a link the user placed (a
 * lockfile shared between projects), bounded and never waiting on a FIFO;
 * undefined when there is no such file to read.
 */
export function currentLockText(file: string): string | undefined {
  return readTextOrNothing(file, MAX_LOCKFILE_BYTES);
}

/**
 * Writes the lockfile's new text, when it differs from currentLockText's: through a link the user
 * placed, to the file it names, so the link stays one (a dangling link is replaced). True when written.
 */
export function writeLockText(file: string, text: string): boolean {
  let target = file;
  try {
    if (fs.lstatSync(file).isSymbolicLink()) target = fs.realpathSync(file);
  } catch {
    // Absent, or a dangling link: written where it is named.
  }
  return writeAtomically(target, text, currentLockText(file));
}

/**
 * Writes `text` to `file` atomically (write/files.ts). Returns false when it was already so: `current` is what is there
 * (by default a regular file only, never through a link; writeLockText passes currentLockText's).
 */
export function writeAtomically(file: string, text: string, current = readRegularFile(file, MAX_LOCKFILE_BYTES)?.toString("utf8")): boolean {
  // Absent, or not a regular file: written (the rename replaces it).
  if (current === text) return false;
  writeFileAtomic(file, text);
  return true;
}

/** Schema texts by content hash. */
export interface SchemaCache {
  /** The text cached under `sha256`, if its hash (of `lock`'s kind) still is that. */
  read(sha256: string, lock?: Lock): string | undefined;
  write(text: string, sha256: string): void;
}

export function openCache(dir: string): SchemaCache {
  const file = (sha: string): string => path.join(dir, "schemas", `${sha}.json`);
  removeLeftovers(path.join(dir, "schemas"));
  return {
    read(sha, lock = { schemas: {} }) {
      const text = readRegularFile(file(sha), MAX_SCHEMA_BYTES)?.toString("utf8");
      if (text === undefined) return undefined;
      try {
        return lockHash(lock, text) === sha ? text : undefined;
      } catch {
        return undefined;
      }
    },
    write(text, sha) {
      if (fs.existsSync(file(sha))) return;
      writeAtomically(file(sha), text);
    },
  };
}
