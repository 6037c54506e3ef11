import { useEffect, useState } from 'react';
import type { OutputMode, QuerySpec, SourceFormat, SourceSpec, TriggerSpec } from '../../lib/sluice-types';

/** Options as ordered pairs, so a row being typed (empty key, duplicate key) survives editing. */
export type OptionRows = [string, string][];

export interface SourceDraft {
  alias: string;
  format: SourceFormat;
  options: OptionRows;
  schema: string;
  valueFormat: 'json' | 'csv' | 'raw';
  watermarkColumn: string;
  watermarkDelay: string;
}

export type TriggerKind = 'default' | 'processingTime' | 'availableNow' | 'once';

/** What the editor edits: a QuerySpec in a form-friendly shape. */
export interface EditorDraft {
  name: string;
  sources: SourceDraft[];
  sql: string;
  sinkFormat: string;
  sinkOptions: OptionRows;
  outputMode: OutputMode;
  trigger: TriggerKind;
  interval: string;
}

export const defaultSourceOptions: Partial<Record<SourceFormat, OptionRows>> = {
  kafka: [
    ['subscribe', ''],
    ['startingOffsets', 'earliest'],
  ],
  rate: [['rowsPerSecond', '10']],
  'rate-micro-batch': [['rowsPerBatch', '10']],
  file: [
    ['path', ''],
    ['format', 'json'],
  ],
  socket: [
    ['host', 'localhost'],
    ['port', '9999'],
  ],
};

export function newSource(alias: string): SourceDraft {
  return {
    alias,
    format: 'rate',
    options: defaultSourceOptions.rate ?? [],
    schema: '',
    valueFormat: 'raw',
    watermarkColumn: '',
    watermarkDelay: '',
  };
}

export function newDraft(): EditorDraft {
  return {
    name: 'new_query',
    sources: [newSource('events')],
    sql: 'SELECT value, timestamp FROM events',
    sinkFormat: 'memory',
    sinkOptions: [],
    outputMode: 'append',
    trigger: 'default',
    interval: '1 second',
  };
}

function toRecord(rows: OptionRows): Record<string, string> | undefined {
  const entries = rows.filter(([k]) => k.trim() !== '').map(([k, v]) => [k.trim(), v] as const);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

export function toSpec(draft: EditorDraft): QuerySpec {
  const sources: Record<string, SourceSpec> = {};
  for (const s of draft.sources) {
    const source: SourceSpec = { format: s.format };
    const options = toRecord(s.options);
    if (options) source.options = options;
    if (s.schema.trim()) source.schema = s.schema.trim();
    if (s.format === 'kafka' && s.valueFormat !== 'raw') source.valueFormat = s.valueFormat;
    if (s.watermarkColumn.trim() && s.watermarkDelay.trim()) {
      source.watermark = { column: s.watermarkColumn.trim(), delay: s.watermarkDelay.trim() };
    }
    sources[s.alias] = source;
  }
  const trigger: TriggerSpec | undefined =
    draft.trigger === 'processingTime'
      ? { processingTime: draft.interval }
      : draft.trigger === 'availableNow'
        ? { availableNow: true }
        : draft.trigger === 'once'
          ? { once: true }
          : undefined;
  const spec: QuerySpec = {
    name: draft.name,
    sources,
    sql: draft.sql,
    sink: { format: draft.sinkFormat },
    outputMode: draft.outputMode,
  };
  const sinkOptions = toRecord(draft.sinkOptions);
  if (sinkOptions) spec.sink.options = sinkOptions;
  if (trigger) spec.trigger = trigger;
  return spec;
}

export function fromSpec(spec: QuerySpec): EditorDraft {
  const trigger = spec.trigger;
  return {
    name: spec.name,
    sources: Object.entries(spec.sources).map(([alias, s]) => ({
      alias,
      format: s.format,
      options: Object.entries(s.options ?? {}),
      schema: s.schema ?? '',
      valueFormat: s.valueFormat ?? 'raw',
      watermarkColumn: s.watermark?.column ?? '',
      watermarkDelay: s.watermark?.delay ?? '',
    })),
    sql: spec.sql,
    sinkFormat: spec.sink.format,
    sinkOptions: Object.entries(spec.sink.options ?? {}),
    outputMode: spec.outputMode,
    trigger: trigger?.processingTime
      ? 'processingTime'
      : trigger?.availableNow
        ? 'availableNow'
        : trigger?.once
          ? 'once'
          : 'default',
    interval: trigger?.processingTime ?? '1 second',
  };
}

function readDraft(key: string): EditorDraft | null {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as EditorDraft) : null;
  } catch {
    return null;
  }
}

/**
 * The draft under `key`, saved to localStorage on every change so a reload keeps it.
 * `initial` is used when nothing is saved (and, for an existing query, once it has loaded).
 */
export function usePersistentDraft(key: string, initial: EditorDraft | null) {
  const [draft, setDraft] = useState<EditorDraft | null>(() => readDraft(key) ?? initial);
  useEffect(() => {
    if (draft === null && initial !== null) setDraft(readDraft(key) ?? initial);
  }, [draft, initial, key]);
  useEffect(() => {
    if (draft) localStorage.setItem(key, JSON.stringify(draft));
  }, [draft, key]);
  const discard = () => {
    localStorage.removeItem(key);
    setDraft(initial);
  };
  return { draft, setDraft, discard, forget: () => localStorage.removeItem(key) };
}
