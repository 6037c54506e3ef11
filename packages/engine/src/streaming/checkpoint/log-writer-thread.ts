import { Worker } from 'node:worker_threads';
import { atomicWriteSteps } from './atomic-write-steps.js';

/**
 * One worker thread per JavaScript thread runs the background checkpoint writes and the purges of
 * old log entries (docs/decisions/0013): each is one message there and one answer back, instead of
 * thread-pool calls (or synchronous unlinks) that each wait for, or hold, a busy event loop.
 */

type Request =
  | {
      readonly id: number;
      readonly op: 'write';
      readonly file: string;
      readonly data: string | Uint8Array;
      readonly ifAbsent: boolean;
      readonly fsync: boolean;
    }
  | { readonly id: number; readonly op: 'remove'; readonly files: readonly string[] };

type Answer =
  | { readonly id: number; readonly written: boolean }
  | { readonly id: number; readonly error: { message: string; code?: string } };

interface Pending {
  resolve(written: boolean): void;
  reject(error: Error): void;
}

/** The thread's program: the same write steps as the synchronous writes, from their source text. */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const io = { fs: require('node:fs'), path: require('node:path'), randomUUID: require('node:crypto').randomUUID };
const atomicWriteSteps = ${atomicWriteSteps.toString()};
parentPort.on('message', (m) => {
  try {
    if (m.op === 'remove') {
      for (const f of m.files) io.fs.rmSync(f, { force: true });
      parentPort.postMessage({ id: m.id, written: true });
    } else {
      parentPort.postMessage({ id: m.id, written: atomicWriteSteps(io, m.file, m.data, m.ifAbsent, m.fsync) });
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { message: String(e && e.message), code: e && e.code } });
  }
});
`;

let thread: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function logThread(): Worker {
  if (thread) return thread;
  const worker = new Worker(THREAD_SOURCE, { eval: true, name: 'sluice-checkpoint-writer' });
  worker.on('message', (answer: Answer) => {
    const p = pending.get(answer.id);
    if (!p) return;
    pending.delete(answer.id);
    if (pending.size === 0) worker.unref();
    if ('error' in answer)
      p.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
    else p.resolve(answer.written);
  });
  const fail = (error: Error) => {
    if (thread === worker) thread = undefined;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the checkpoint writer thread exited with code ${code}`)));
  worker.unref();
  thread = worker;
  return worker;
}

/**
 * Runs `atomicWriteSteps` for `file` on the log-writer thread (its directory exists); resolves to
 * false when `ifAbsent` and the file exists. The process is kept alive while a write is pending.
 */
export function writeOnLogThread(
  file: string,
  data: string | Uint8Array,
  ifAbsent: boolean,
  fsync: boolean,
): Promise<boolean> {
  return ask((id) => ({ id, op: 'write', file, data, ifAbsent, fsync }));
}

/** Deletes `files` (those that exist) on the log-writer thread. */
export async function removeOnLogThread(files: readonly string[]): Promise<void> {
  if (files.length > 0) await ask((id) => ({ id, op: 'remove', files }));
}

function ask(request: (id: number) => Request): Promise<boolean> {
  const worker = logThread();
  const id = nextId++;
  return new Promise<boolean>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    if (pending.size === 1) worker.ref();
    worker.postMessage(request(id));
  });
}
