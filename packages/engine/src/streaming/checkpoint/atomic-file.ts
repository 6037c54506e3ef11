import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AtomicWriteIo, atomicWriteSteps } from './atomic-write-steps.js';
import { writeOnLogThread } from './log-writer-thread.js';

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
  ensureDir(path.dirname(file));
  atomicWriteSteps(SYNC_IO, file, data, false, fsyncEnabled);
}

/**
 * Creates `file` with `data` only if it does not exist yet (Spark's metadata logs never overwrite a
 * batch entry). Returns false when the file already exists.
 */
export function writeFileAtomicIfAbsent(file: string, data: string | Uint8Array): boolean {
  ensureDir(path.dirname(file));
  return atomicWriteSteps(SYNC_IO, file, data, true, fsyncEnabled);
}

/** `writeFileAtomic` off the event loop: the same steps on the log-writer thread (docs/decisions/0013). */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  ensureDir(path.dirname(file));
  await writeOnLogThread(file, data, false, fsyncEnabled);
}

/** `writeFileAtomicIfAbsent` off the event loop: the same steps on the log-writer thread. */
export function writeFileAtomicIfAbsentAsync(file: string, data: string | Uint8Array): Promise<boolean> {
  ensureDir(path.dirname(file));
  return writeOnLogThread(file, data, true, fsyncEnabled);
}

const SYNC_IO: AtomicWriteIo = { fs, path, randomUUID };

const knownDirs = new Set<string>();

/** mkdir -p, remembered per process (a checkpoint directory is not deleted under a running query). */
function ensureDir(dir: string): void {
  if (knownDirs.has(dir) && fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: true });
  knownDirs.add(dir);
}
