/**
 * Reading an untrusted file whole, within a bound. The file is opened once and
 * everything is asked of that descriptor: a path swapped between a check and
 * the read (for a FIFO, /dev/zero or a larger file) cannot make the read block
 * or grow past the bound. Opened non-blocking, so a FIFO does not wait for a writer.
 */
import fs from "node:fs";

export type BoundedRead =
  | { readonly text: string }
  /** Not a regular file (a folder, a FIFO, a device). */
  | { readonly notFile: true }
  /** Larger than the bound: its size, or more than the bound when it grew while read. */
  | { readonly tooLarge: number };

const CHUNK = 64 * 1024;

/** Opens `file` read-only and non-blocking (never waiting for a FIFO's writer); with `noFollow`, refusing a symbolic link (ELOOP). */
function openNonBlocking(file: string, noFollow: boolean): number {
  return fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (noFollow ? fs.constants.O_NOFOLLOW ?? 0 : 0));
}

/** The bytes of the regular file open as `fd`, at most `maxBytes`; into `into` when it fits there (a view of it). */
function readOpen(fd: number, maxBytes: number, into?: Buffer): Buffer | { notFile: true } | { tooLarge: number } {
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) return { notFile: true };
  if (stat.size > maxBytes) return { tooLarge: stat.size };
  // The first read asks for one byte more than fstat said, so a file that grew is seen; never more than maxBytes + 1 in all.
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const want = Math.min(maxBytes + 1 - total, total === 0 ? stat.size + 1 : CHUNK);
    const chunk = total === 0 && into !== undefined && into.length >= want ? into.subarray(0, want) : Buffer.allocUnsafe(want);
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > maxBytes) return { tooLarge: total };
    // A regular file read short is at its end: no read more to be told so (one syscall a file fewer).
    if (n < chunk.length) break;
  }
  // Nearly always one chunk: used as it is, not copied first.
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/**
 * The file's UTF-8 text when it is a regular file of at most `maxBytes`; throws what opening or reading throws (ENOENT, EACCES,
 * and ELOOP for a symbolic link with `noFollow`, where the system has O_NOFOLLOW).
 */
export function readBoundedText(file: string, maxBytes: number, noFollow = false): BoundedRead {
  const fd = openNonBlocking(file, noFollow);
  try {
    const read = readOpen(fd, maxBytes);
    return Buffer.isBuffer(read) ? { text: read.toString("utf8") } : read;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A file igluc reads back from a folder it writes to (a module the last run
 * wrote, the manifest, a lockfile, a cached schema, a pulled schema), when it
 * is a regular file of at most `maxBytes`; else undefined, whatever is there
 * instead: nothing, a symbolic link (never followed), a FIFO or a device
 * (never waited on), a folder, a larger file, or one that cannot be read.
 * Read into `buffer` when it fits there: the answer is then a view of it,
 * valid until the next read into it.
 */
export function readRegularFile(file: string, maxBytes: number, buffer?: Buffer): Buffer | undefined {
  let fd: number;
  try {
    fd = openNonBlocking(file, true);
  } catch {
    return undefined;
  }
  try {
    const read = readOpen(fd, maxBytes, buffer);
    return Buffer.isBuffer(read) ? read : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A file of the user's own settings (igluc.config.json, a resolver file, a
 * lockfile) as text, or what is wrong with it in words that follow its name:
 * "does not exist", "is not a regular file", "is N bytes, more than …",
 * "cannot be read (EACCES)". Bounded and non-blocking like every read of a
 * file: a FIFO or a device in its place never hangs a run.
 */
export function readSettingsText(file: string, maxBytes: number): { text: string } | { problem: string; missing?: true } {
  try {
    const read = readBoundedText(file, maxBytes);
    if ("notFile" in read) return { problem: "is not a regular file" };
    if ("tooLarge" in read) return { problem: `is ${read.tooLarge} bytes, more than the ${maxBytes} igluc reads` };
    return read;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? { problem: "does not exist", missing: true } : { problem: `cannot be read (${code ?? String(error)})` };
  }
}

/** The file's text as readSettingsText reads it (through a link, bounded, never waiting on a FIFO); undefined when it cannot be read so. */
export function readTextOrNothing(file: string, maxBytes: number): string | undefined {
  const read = readSettingsText(file, maxBytes);
  return "text" in read ? read.text : undefined;
}
