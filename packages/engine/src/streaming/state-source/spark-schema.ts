import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataType, StructField, StructType } from '../../types/data-type.js';
import { writeFileAtomic } from '../checkpoint/atomic-file.js';

/** Spark's DataType JSON (`DataType.json`): what Spark's state schema files hold. */
export type SparkTypeJson = string | { type: string; [k: string]: unknown };

export function toSparkTypeJson(t: DataType): SparkTypeJson {
  switch (t.kind) {
    case 'null':
      return 'void';
    case 'int':
      return 'integer';
    case 'interval':
      return 'interval';
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'array':
      return { type: 'array', elementType: toSparkTypeJson(t.elementType), containsNull: t.containsNull };
    case 'map':
      return {
        type: 'map',
        keyType: toSparkTypeJson(t.keyType),
        valueType: toSparkTypeJson(t.valueType),
        valueContainsNull: t.valueContainsNull,
      };
    case 'struct':
      return {
        type: 'struct',
        fields: t.fields.map((f) => ({
          name: f.name,
          type: toSparkTypeJson(f.dataType),
          nullable: f.nullable,
          metadata: f.metadata ?? {},
        })),
      };
    default:
      return t.kind;
  }
}

export function fromSparkTypeJson(j: SparkTypeJson): DataType {
  if (typeof j === 'string') {
    const dec = /^decimal\((\d+),\s*(\d+)\)$/.exec(j);
    if (dec) return { kind: 'decimal', precision: Number(dec[1]), scale: Number(dec[2]) };
    switch (j) {
      case 'void':
      case 'null':
        return { kind: 'null' };
      case 'integer':
        return { kind: 'int' };
      case 'boolean':
      case 'byte':
      case 'short':
      case 'long':
      case 'float':
      case 'double':
      case 'string':
      case 'binary':
      case 'date':
      case 'timestamp':
      case 'interval':
        return { kind: j } as DataType;
      default:
        throw new Error(`unknown type ${JSON.stringify(j)}`);
    }
  }
  switch (j.type) {
    case 'array':
      return {
        kind: 'array',
        elementType: fromSparkTypeJson(j.elementType as SparkTypeJson),
        containsNull: j.containsNull !== false,
      };
    case 'map':
      return {
        kind: 'map',
        keyType: fromSparkTypeJson(j.keyType as SparkTypeJson),
        valueType: fromSparkTypeJson(j.valueType as SparkTypeJson),
        valueContainsNull: j.valueContainsNull !== false,
      };
    case 'struct':
      return {
        kind: 'struct',
        fields: (
          j.fields as { name: string; type: SparkTypeJson; nullable?: boolean; metadata?: object }[]
        ).map(
          (f): StructField => ({
            name: f.name,
            dataType: fromSparkTypeJson(f.type),
            nullable: f.nullable !== false,
            ...(f.metadata && Object.keys(f.metadata).length > 0
              ? { metadata: f.metadata as Record<string, unknown> }
              : {}),
          }),
        ),
      };
    default:
      throw new Error(`unknown type ${JSON.stringify(j)}`);
  }
}

/** The key and value schemas of one state store. */
export interface StateSchema {
  readonly key: StructType;
  readonly value: StructType;
}

/**
 * `state/<operatorId>/0/[<storeName>/]_metadata/schema`: where Spark keeps a store's key and value
 * schemas (`default` stores have no store directory).
 */
export function stateSchemaPath(stateDir: string, operatorId: number, storeName = 'default'): string {
  const part = path.join(stateDir, String(operatorId), '0');
  return path.join(storeName === 'default' ? part : path.join(part, storeName), '_metadata', 'schema');
}

// Spark writes the file with Java's DataOutputStream: writeUTF("v2"), then per schema an int count
// of chunks and each chunk with writeUTF (a 2-byte length, then the bytes; at most 65535 bytes).
const MAX_CHUNK_CHARS = 16_000;

function utf(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

function schemaChunks(json: string): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; i < json.length; i += MAX_CHUNK_CHARS) chunks.push(utf(json.slice(i, i + MAX_CHUNK_CHARS)));
  if (chunks.length === 0) chunks.push(utf(''));
  const n = Buffer.alloc(4);
  n.writeInt32BE(chunks.length);
  return Buffer.concat([n, ...chunks]);
}

/** Writes a store's schema file in Spark's `v2` layout (once: an existing file is kept). */
export function writeStateSchema(
  stateDir: string,
  operatorId: number,
  schema: StateSchema,
  storeName = 'default',
): void {
  const file = stateSchemaPath(stateDir, operatorId, storeName);
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const body = Buffer.concat([
    utf('v2'),
    schemaChunks(JSON.stringify(toSparkTypeJson(schema.key))),
    schemaChunks(JSON.stringify(toSparkTypeJson(schema.value))),
  ]);
  writeFileAtomic(file, body);
}

/** Reads a store's schema file; undefined when there is none. Throws on a malformed file. */
export function readStateSchema(
  stateDir: string,
  operatorId: number,
  storeName = 'default',
): StateSchema | undefined {
  const file = stateSchemaPath(stateDir, operatorId, storeName);
  if (!fs.existsSync(file)) return undefined;
  const buf = fs.readFileSync(file);
  let at = 0;
  const readUtf = (): string => {
    const len = buf.readUInt16BE(at);
    const s = buf.toString('utf8', at + 2, at + 2 + len);
    at += 2 + len;
    return s;
  };
  const version = readUtf();
  if (version !== 'v2') throw new Error(`unsupported state schema version ${JSON.stringify(version)}`);
  const readSchema = (): StructType => {
    const n = buf.readInt32BE(at);
    at += 4;
    let json = '';
    for (let i = 0; i < n; i++) json += readUtf();
    return fromSparkTypeJson(JSON.parse(json) as SparkTypeJson) as StructType;
  };
  const key = readSchema();
  const value = readSchema();
  return { key, value };
}
