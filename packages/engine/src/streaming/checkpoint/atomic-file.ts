import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

let fsyncEnabled = (process.env.SLUICE_CHECKPOINT_FSYNC ?? 'true').toLowerCase() !== 'false';

/**
 * Turns fsync of checkpoint, state and file-sink writes on (the default) or off for this process.
 * Off keeps atomicity (temp file + rename) and survives a killed process, but not a power loss;
 * the env variable `SLUICE_CHECKPOINT_FSYNC=false` does the same at startup.
 */
export function setCheckpointFsync(enabled: boolean): void {
  fsyncEnabled = enabled;
}

/** Whether writes are fsynced (see setCheckpointFsync). */
export function checkpointFsyncEnabled(): boolean {
  return fsyncEnabled;
}

/**
 * Writes `data` to `file` atomically: a temp file in the same directory, fsync, rename, then an
 * fsync of the directory so the rename itself survives a crash. Readers never see a half-written
 * file; a crash leaves at most a stray `.*.tmp` file that later writers ignore.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  ensureDir(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (fsyncEnabled) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDir(dir);
}

/**
 * Creates `file` with `data` only if it does not exist yet (Spark's metadata logs never overwrite a
 * batch entry). Returns false when the file already exists.
 */
export function writeFileAtomicIfAbsent(file: string, data: string | Uint8Array): boolean {
  const dir = path.dirname(file);
  ensureDir(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (fsyncEnabled) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    // link() fails with EEXIST instead of replacing: the "create if absent" step is atomic.
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  syncDir(dir);
  return true;
}

/** `writeFileAtomic` off the event loop: the same steps through `fs.promises`. */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = await writeTempFileAsync(file, data);
  await fs.promises.rename(tmp, file);
  await syncDirAsync(path.dirname(file));
}

/** `writeFileAtomicIfAbsent` off the event loop: the same steps through `fs.promises`. */
export async function writeFileAtomicIfAbsentAsync(
  file: string,
  data: string | Uint8Array,
): Promise<boolean> {
  const tmp = await writeTempFileAsync(file, data);
  try {
    await fs.promises.link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await fs.promises.rm(tmp, { force: true });
  }
  await syncDirAsync(path.dirname(file));
  return true;
}

/** Writes (and fsyncs) `data` to a new temp file beside `file`; returns its path. */
async function writeTempFileAsync(file: string, data: string | Uint8Array): Promise<string> {
  const dir = path.dirname(file);
  ensureDir(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomUUID()}.tmp`);
  const handle = await fs.promises.open(tmp, 'w');
  try {
    await handle.writeFile(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (fsyncEnabled) await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

async function syncDirAsync(dir: string): Promise<void> {
  if (!fsyncEnabled) return;
  // Best effort, as syncDir.
  const handle = await fs.promises.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Directory fsync is not supported everywhere.
  } finally {
    await handle.close();
  }
}

const knownDirs = new Set<string>();

/** mkdir -p, remembered per process (a checkpoint directory is not deleted under a running query). */
function ensureDir(dir: string): void {
  if (knownDirs.has(dir) && fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: true });
  knownDirs.add(dir);
}

function syncDir(dir: string): void {
  if (!fsyncEnabled) return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Directory fsync is not supported everywhere (e.g. some network file systems): best effort.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
