/**
 * igluc.lock.json: which schemas a generation used, where each came from,
 * and a hash of its content; and the local cache of those contents, by hash,
 * that lets `generate --offline` run with no network.
 *
 * The hash is SHA-256 of the schema as canonical JSON (keys sorted, no
 * spaces), so a registry that reformats a schema has not changed it; one
 * that changes a single value has.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { OptionsError } from "../options.js";

export const LOCKFILE = "igluc.lock.json";
const VERSION = 1;

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
}

export function contentHash(text: string): string {
  return createHash("sha256").update(canonicalJson(JSON.parse(text))).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

export function readLock(file: string): Lock | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new OptionsError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new OptionsError(`${file} is not valid JSON (${(error as Error).message}); regenerate it with --update`);
  }
  const lock = raw as { lockfileVersion?: unknown; schemas?: unknown };
  if (lock === null || typeof lock !== "object" || lock.lockfileVersion !== VERSION || lock.schemas === null || typeof lock.schemas !== "object") {
    throw new OptionsError(`${file} is not an igluc lockfile of version ${VERSION}; regenerate it with --update`);
  }
  for (const [uri, entry] of Object.entries(lock.schemas as Record<string, unknown>)) {
    const e = entry as Partial<LockEntry> | null;
    if (e === null || typeof e !== "object" || typeof e.repository !== "string" || typeof e.url !== "string" || typeof e.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(e.sha256)) {
      throw new OptionsError(`${file}: the entry for ${uri} is malformed; regenerate the lockfile with --update`);
    }
  }
  return { schemas: lock.schemas as Record<string, LockEntry> };
}

export function lockText(lock: Lock): string {
  const schemas: Record<string, LockEntry> = {};
  for (const uri of Object.keys(lock.schemas).sort()) {
    const e = lock.schemas[uri] as LockEntry;
    schemas[uri] = { repository: e.repository, url: e.url, sha256: e.sha256 };
  }
  return `${JSON.stringify({ lockfileVersion: VERSION, schemas }, null, 2)}\n`;
}

/** Writes `text` to `file` through a temporary file, so a reader never sees half of it. Returns false when it was already so. */
export function writeAtomically(file: string, text: string): boolean {
  try {
    if (fs.readFileSync(file, "utf8") === text) return false;
  } catch {
    // absent: write it
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
  return true;
}

/** Schema texts by content hash. */
export interface SchemaCache {
  read(sha256: string): string | undefined;
  write(text: string, sha256: string): void;
}

export function openCache(dir: string): SchemaCache {
  const file = (sha: string): string => path.join(dir, "schemas", `${sha}.json`);
  return {
    read(sha) {
      let text: string;
      try {
        text = fs.readFileSync(file(sha), "utf8");
      } catch {
        return undefined;
      }
      try {
        return contentHash(text) === sha ? text : undefined;
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
