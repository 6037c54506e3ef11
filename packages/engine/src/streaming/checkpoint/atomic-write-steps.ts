import type * as fs from 'node:fs';
import type * as path from 'node:path';

/** What the write steps use of Node, passed in so that the steps refer to nothing outside themselves. */
export interface AtomicWriteIo {
  readonly fs: typeof fs;
  readonly path: typeof path;
  readonly randomUUID: () => string;
}

/**
 * The steps of an atomic write, synchronous, into an existing directory: a temp file beside `file`,
 * written and fsynced, then renamed over `file` (or, with `ifAbsent`, linked to it: link() fails with
 * EEXIST instead of replacing, so "create if absent" is atomic; false when `file` exists), then the
 * directory fsynced (best effort: not every file system supports it). Self-contained — it uses only
 * its parameters — because the log-writer thread runs it from its source text.
 */
export function atomicWriteSteps(
  io: AtomicWriteIo,
  file: string,
  data: string | Uint8Array,
  ifAbsent: boolean,
  fsync: boolean,
): boolean {
  const dir = io.path.dirname(file);
  const tmp = io.path.join(dir, `.${io.path.basename(file)}.${io.randomUUID()}.tmp`);
  const fd = io.fs.openSync(tmp, 'w');
  try {
    io.fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (fsync) io.fs.fsyncSync(fd);
  } finally {
    io.fs.closeSync(fd);
  }
  if (ifAbsent) {
    try {
      io.fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      io.fs.rmSync(tmp, { force: true });
    }
  } else {
    io.fs.renameSync(tmp, file);
  }
  if (fsync) {
    let dirFd: number | undefined;
    try {
      dirFd = io.fs.openSync(dir, 'r');
      io.fs.fsyncSync(dirFd);
    } catch {
      // Directory fsync is not supported everywhere (e.g. some network file systems).
    } finally {
      if (dirFd !== undefined) io.fs.closeSync(dirFd);
    }
  }
  return true;
}
