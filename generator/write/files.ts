/**
 * Writing files so that no reader ever sees half of one, and a run that is
 * stopped (even by SIGKILL) leaves nothing any reader takes for input:
 *
 * - one file is replaced through a temporary file renamed over it;
 * - many are staged in a hidden folder and moved into place together, at
 *   the end, synchronously (so no signal handler runs between two moves);
 * - every temporary name starts with `.igluc-` and holds the process id, so
 *   registry readers (which skip hidden names) never see one, and the next
 *   run removes those whose process is gone.
 *
 * The one module for generated output, pulled registries, the lockfile and
 * the cache.
 */
import fs from "node:fs";
import path from "node:path";

const PREFIX = ".igluc-";
const LEFTOVER = /^\.igluc-(?:staging|tmp)-([0-9]+)(?:-|$)/;

/** Writes `content` to `file` through a temporary file beside it, renamed over it. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `${PREFIX}tmp-${process.pid}-${path.basename(file)}`);
  try {
    // Whatever is already there under this process's name is not this run's: a link planted in the folder would
    // have the content written through it, outside the folder. Removed (a link itself, never what it names), then
    // created afresh, exclusively.
    fs.rmSync(temporary, { recursive: true, force: true });
    fs.writeFileSync(temporary, content, { flag: "wx" });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** Removes the temporary files and staging folders that runs no longer alive left in `dir`. */
export function removeLeftovers(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = LEFTOVER.exec(name);
    if (m === null || alive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface Blocked {
  /** Relative to the target. */
  readonly relative: string;
  /** Why it could not be moved into place (EISDIR, ENOTDIR, EACCES…). */
  readonly code: string;
}

export interface Staging {
  /** Stages a file at `relative` (a path inside the target); nothing in the target changes yet. */
  write(relative: string, content: string): void;
  /** The same, with asynchronous file operations, so disk waits overlap other work. */
  writeAsync(relative: string, content: string): Promise<void>;
  /** What was staged, relative to the target. */
  staged(): readonly string[];
  /**
   * Moves everything staged into the target, creating folders as needed, and
   * removes the staging folder. A file that cannot be moved (a folder is in
   * its way) is reported; the others are moved all the same.
   */
  commit(): { readonly moved: readonly string[]; readonly blocked: readonly Blocked[] };
  /** Drops everything staged; the target stays as it was. */
  abort(): void;
}

/**
 * Staging for `target`, a folder that may not exist yet. The staging folder
 * is hidden inside the target when it exists (renames stay on its file
 * system); otherwise inside its nearest existing ancestor, and the target is
 * then created whole by one rename. `signal` aborting removes the staging.
 */
let stagings = 0;

export function createStaging(target: string, signal?: AbortSignal): Staging {
  const existing = isFolder(target);
  let base = target;
  while (!isFolder(base) && path.dirname(base) !== base) base = path.dirname(base);
  removeLeftovers(base);
  // Numbered too: the outputs of one run may all be new folders staged in the same ancestor.
  const folder = path.join(base, `${PREFIX}staging-${process.pid}-${++stagings}`);
  // Not this run's either (see writeFileAtomic): a planted link would have every staged file written through it.
  fs.rmSync(folder, { recursive: true, force: true });
  /** Where the target's files go inside the staging folder. */
  const tree = existing ? folder : path.join(folder, "tree");
  const files: string[] = [];
  const made = new Map<string, Promise<unknown>>();
  let created = false;
  const onAbort = (): void => abort();
  signal?.addEventListener("abort", onAbort, { once: true });

  const place = (relative: string): string => {
    const file = path.resolve(tree, relative);
    if (!file.startsWith(tree + path.sep)) throw new Error(`igluc: refusing to stage "${relative}" outside ${target}`);
    files.push(relative);
    created = true;
    return file;
  };
  const abort = (): void => {
    signal?.removeEventListener("abort", onAbort);
    if (created) fs.rmSync(folder, { recursive: true, force: true });
    created = false;
  };
  return {
    write(relative, content) {
      const file = place(relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    },
    async writeAsync(relative, content) {
      const file = place(relative);
      const dir = path.dirname(file);
      let mkdir = made.get(dir);
      if (mkdir === undefined) {
        mkdir = fs.promises.mkdir(dir, { recursive: true });
        made.set(dir, mkdir);
      }
      await mkdir;
      await fs.promises.writeFile(file, content);
    },
    staged: () => [...files],
    commit() {
      const moved: string[] = [];
      const blocked: Blocked[] = [];
      try {
        if (!existing) {
          if (files.length === 0) return { moved, blocked };
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.renameSync(tree, target);
          return { moved: [...files].sort(), blocked };
        }
        for (const relative of [...files].sort()) {
          try {
            const destination = path.join(target, relative);
            fs.mkdirSync(path.dirname(destination), { recursive: true });
            fs.renameSync(path.join(tree, relative), destination);
            moved.push(relative);
          } catch (error) {
            blocked.push({ relative, code: (error as NodeJS.ErrnoException).code ?? String(error) });
          }
        }
        return { moved, blocked };
      } finally {
        abort();
      }
    },
    abort,
  };
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
