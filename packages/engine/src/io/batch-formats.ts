import type { LocalRelation } from '../plan/logical/plan.js';
import type { Session } from '../session/session.js';

/** What `read.format(name).load(...)` hands a registered batch format. */
export interface BatchFormatRequest {
  readonly session: Session;
  /** Options as given (`option(k, v)`); look names up case-insensitively. */
  readonly options: Readonly<Record<string, string>>;
  readonly paths: readonly string[];
}

/** Reads a batch format into a relation (rows held in memory, like the file formats). */
export type BatchFormatReader = (req: BatchFormatRequest) => LocalRelation;

const formats = new Map<string, BatchFormatReader>();

/**
 * Registers a `session.read.format(name)` source besides the file formats (json, csv, text,
 * parquet), e.g. the streaming module's `statestore` and `state-metadata`. Names are case-insensitive.
 */
export function registerBatchFormat(name: string, reader: BatchFormatReader): void {
  formats.set(name.toLowerCase(), reader);
}

export function batchFormatReader(name: string): BatchFormatReader | undefined {
  return formats.get(name.toLowerCase());
}
