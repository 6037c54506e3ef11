import path from 'node:path';
import { AnalysisError } from '../errors.js';
import { listDataFiles } from '../sources/file-source.js';
import type { DataType, StructField } from '../types/data-type.js';

/** A data file found under the given paths, with its `k=v` partition directory values. */
export interface DataFile {
  readonly path: string;
  readonly size: number;
  readonly partitions: readonly (readonly [string, string])[];
}

function baseOf(p: string): string {
  const abs = path.resolve(p);
  const parts = abs.split(path.sep);
  const i = parts.findIndex((s) => /[*?[\]{}]/.test(s));
  return i < 0 ? abs : parts.slice(0, i).join(path.sep) || path.sep;
}

/**
 * Files of `paths` (files, directories read recursively, or globs), skipping `_`/`.` names as
 * Spark does; each with the partition values of `k=v` directories below its base path.
 */
export function listFiles(paths: readonly string[]): DataFile[] {
  const out: DataFile[] = [];
  for (const p of paths) {
    const found = listDataFiles(p);
    if (found.length === 0 && !/[*?[\]{}]/.test(p))
      throw new AnalysisError('PATH_NOT_FOUND', `Path does not exist: file:${path.resolve(p)}.`);
    const base = baseOf(p);
    for (const f of found.sort((a, b) => a.path.localeCompare(b.path))) {
      const rel = path.relative(base, path.dirname(f.path));
      const partitions: [string, string][] = [];
      if (rel && !rel.startsWith('..'))
        for (const seg of rel.split(path.sep)) {
          const i = seg.indexOf('=');
          if (i > 0) partitions.push([seg.slice(0, i), decodeURIComponent(seg.slice(i + 1))]);
        }
      out.push({ path: f.path, size: f.size, partitions });
    }
  }
  return out;
}

/** Partition columns: names in order of appearance, types inferred (int, bigint, double, else string). */
export function partitionFields(files: readonly DataFile[]): StructField[] {
  const names: string[] = [];
  for (const f of files) for (const [k] of f.partitions) if (!names.includes(k)) names.push(k);
  return names.map((name) => {
    const values = files.flatMap((f) => f.partitions.filter(([k]) => k === name).map(([, v]) => v));
    return { name, dataType: inferPartitionType(values), nullable: true };
  });
}

function inferPartitionType(values: readonly string[]): DataType {
  const vs = values.filter((v) => v !== '__HIVE_DEFAULT_PARTITION__');
  if (vs.length > 0 && vs.every((v) => /^-?\d+$/.test(v))) {
    return vs.every((v) => Math.abs(Number(v)) <= 2147483647) ? { kind: 'int' } : { kind: 'long' };
  }
  if (vs.length > 0 && vs.every((v) => v.trim() !== '' && !Number.isNaN(Number(v))))
    return { kind: 'double' };
  return { kind: 'string' };
}

/** The value of a partition column for a file. */
export function partitionValue(file: DataFile, field: StructField): unknown {
  const hit = file.partitions.find(([k]) => k === field.name);
  if (!hit || hit[1] === '__HIVE_DEFAULT_PARTITION__') return null;
  const t = field.dataType.kind;
  if (t === 'int' || t === 'long' || t === 'double') return Number(hit[1]);
  return hit[1];
}
