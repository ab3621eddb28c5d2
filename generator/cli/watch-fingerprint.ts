/**
 * The safety net under `generate --watch`'s file watcher: a fingerprint of
 * everything a run reads (each file's path, size, modification time and
 * inode, found by walking the registries), taken when a run starts and
 * compared every second. chokidar reports a change within milliseconds,
 * but a file replaced by a rename while chokidar re-attaches to it can go
 * unreported (seen in CI, under load, with an editor's second save): a
 * fingerprint that differs from the last run's runs again, so no save is
 * ever missed; at worst it is seen a second late. Bounded: at most
 * MAX_ENTRIES entries are looked at; a registry larger than that is
 * watched by chokidar alone.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** How often the fingerprint is compared. */
export const POLL_MS = 1_000;
/** Entries (files and folders) looked at per fingerprint, at most. */
const MAX_ENTRIES = 50_000;

/**
 * The fingerprint of the files under `trees` and of `files`, less what
 * `ignored` says (the output, igluc's own folders).
 */
export function fingerprint(trees: readonly string[], files: readonly string[], ignored: (file: string) => boolean): string {
  const hash = createHash("sha256");
  let entries = 0;
  const add = (file: string, stats: fs.Stats | undefined): void => {
    hash.update(stats === undefined ? `${file}\0-\n` : `${file}\0${stats.size}\0${stats.mtimeMs}\0${stats.ino}\n`);
  };
  const stat = (file: string): fs.Stats | undefined => {
    try {
      return fs.statSync(file);
    } catch {
      return undefined;
    }
  };
  for (const file of files) add(file, stat(file));
  const stack = [...trees].reverse();
  while (stack.length > 0 && entries < MAX_ENTRIES) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      add(dir, undefined);
      continue;
    }
    for (const name of names) {
      if (++entries > MAX_ENTRIES) break;
      const full = path.join(dir, name);
      if (ignored(full)) continue;
      const stats = stat(full);
      if (stats?.isDirectory() === true) stack.push(full);
      else add(full, stats);
    }
  }
  return hash.digest("hex");
}
