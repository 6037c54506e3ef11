/**
 * `valueFormat=avro`: a Kafka value is Avro binary written with the Avro schema (JSON) given in
 * option `schema` — what Spark's `from_avro(value, jsonFormatSchema)` decodes. The columns are the
 * record's fields with Spark's Avro type mapping (SchemaConverters): int, long → bigint, float,
 * double, boolean, string, bytes/fixed → binary, enum → string, record → struct, array, map,
 * a union with null → a nullable column, logical types date, timestamp-millis/-micros and decimal.
 * The Avro types are decoded by `avsc`.
 */
import avro from 'avsc';
import { AnalysisError } from '../../errors.js';
import type { DataType, StructField, StructType } from '../../types/data-type.js';
import { Decimal } from '../../types/decimal.js';

type Convert = (v: unknown) => unknown;

interface Mapped {
  readonly dataType: DataType;
  readonly nullable: boolean;
  readonly convert: Convert;
}

function unsupported(what: string): AnalysisError {
  return new AnalysisError(
    'AVRO_INCOMPATIBLE_READ_TYPE',
    `Unsupported Avro type for valueFormat 'avro': ${what}.`,
  );
}

/** Spark's SchemaConverters.toSqlType for one avsc type, with the value conversion. */
function mapType(t: avro.Type, raw: unknown): Mapped {
  // avsc drops logical types it has no implementation for: read them from the schema JSON itself.
  const schema = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<
    string,
    unknown
  >;
  const lt = schema.logicalType as string | undefined;
  const bytes = (v: unknown) => (v === null || v === undefined ? null : new Uint8Array(v as Buffer));
  if (lt === 'date' && t.typeName === 'int')
    return { dataType: { kind: 'date' }, nullable: false, convert: (v) => v };
  if (lt === 'timestamp-millis' && t.typeName === 'long')
    return { dataType: { kind: 'timestamp' }, nullable: false, convert: (v) => (v as number) * 1000 };
  if (lt === 'timestamp-micros' && t.typeName === 'long')
    return { dataType: { kind: 'timestamp' }, nullable: false, convert: (v) => v };
  if (lt === 'decimal') {
    const precision = Number(schema.precision);
    const scale = Number(schema.scale ?? 0);
    return {
      dataType: { kind: 'decimal', precision, scale },
      nullable: false,
      convert: (v) => {
        const b = v as Buffer;
        let n = 0n;
        for (const x of b) n = (n << 8n) | BigInt(x);
        if (b.length > 0 && (b[0]! & 0x80) !== 0) n -= 1n << BigInt(8 * b.length);
        return new Decimal(n, scale);
      },
    };
  }
  switch (t.typeName) {
    case 'int':
      return { dataType: { kind: 'int' }, nullable: false, convert: (v) => v };
    case 'long':
      return { dataType: { kind: 'long' }, nullable: false, convert: (v) => v };
    case 'float':
      return { dataType: { kind: 'float' }, nullable: false, convert: (v) => v };
    case 'double':
      return { dataType: { kind: 'double' }, nullable: false, convert: (v) => v };
    case 'boolean':
      return { dataType: { kind: 'boolean' }, nullable: false, convert: (v) => v };
    case 'string':
    case 'enum':
      return { dataType: { kind: 'string' }, nullable: false, convert: (v) => v };
    case 'bytes':
    case 'fixed':
      return { dataType: { kind: 'binary' }, nullable: false, convert: bytes };
    case 'null':
      return { dataType: { kind: 'null' }, nullable: true, convert: () => null };
    case 'record': {
      const rawFields = (schema.fields as { name: string; type: unknown }[] | undefined) ?? [];
      const fields = (t as avro.types.RecordType).fields.map((f) => ({
        name: f.name,
        m: mapType(f.type, rawFields.find((r) => r.name === f.name)?.type),
      }));
      return {
        dataType: {
          kind: 'struct',
          fields: fields.map((f) => ({ name: f.name, dataType: f.m.dataType, nullable: f.m.nullable })),
        },
        nullable: false,
        convert: (v) => {
          if (v === null || v === undefined) return null;
          const o = v as Record<string, unknown>;
          return fields.map((f) => {
            const x = o[f.name];
            return x === null || x === undefined ? null : f.m.convert(x);
          });
        },
      };
    }
    case 'array': {
      const item = mapType((t as avro.types.ArrayType).itemsType, schema.items);
      return {
        dataType: { kind: 'array', elementType: item.dataType, containsNull: item.nullable },
        nullable: false,
        convert: (v) => (v as unknown[]).map((x) => (x === null ? null : item.convert(x))),
      };
    }
    case 'map': {
      const value = mapType((t as avro.types.MapType).valuesType, schema.values);
      return {
        dataType: {
          kind: 'map',
          keyType: { kind: 'string' },
          valueType: value.dataType,
          valueContainsNull: value.nullable,
        },
        nullable: false,
        convert: (v) =>
          new Map(Object.entries(v as object).map(([k, x]) => [k, x === null ? null : value.convert(x)])),
      };
    }
    case 'union:unwrapped':
    case 'union:wrapped': {
      const members = (t as avro.types.UnwrappedUnionType).types;
      const nonNull = members.filter((m) => m.typeName !== 'null');
      if (nonNull.length === 1) {
        const rawMembers = Array.isArray(raw) ? (raw as unknown[]) : [];
        const rawMember = rawMembers.find(
          (r) => r !== 'null' && !(typeof r === 'object' && (r as { type?: unknown }).type === 'null'),
        );
        const m = mapType(nonNull[0]!, rawMember);
        return { dataType: m.dataType, nullable: true, convert: (v) => (v === null ? null : m.convert(v)) };
      }
      throw unsupported(
        `a union of ${members.map((m) => m.typeName).join(', ')} (only a union with null is)`,
      );
    }
    default:
      throw unsupported(t.typeName);
  }
}

/** The columns and decoder of an Avro record schema given as JSON text. */
export function avroValueFormat(schemaJson: string): {
  readonly schema: StructType;
  readonly decode: (value: Buffer) => unknown[];
} {
  let type: avro.Type;
  let raw: unknown;
  try {
    raw = JSON.parse(schemaJson);
    type = avro.Type.forSchema(raw as avro.Schema, { wrapUnions: false });
  } catch (e) {
    throw new AnalysisError(
      'AVRO_INVALID_SCHEMA',
      `Option 'schema' of valueFormat 'avro' is not a valid Avro schema: ${(e as Error).message}`,
    );
  }
  if (type.typeName !== 'record')
    throw unsupported(`a ${type.typeName} at the top level (a record is needed)`);
  const m = mapType(type, raw);
  const fields = (m.dataType as StructType).fields as StructField[];
  return {
    schema: { kind: 'struct', fields },
    decode: (value) => {
      // fromBuffer throws on truncated input and on trailing bytes: a malformed record.
      const o = type.fromBuffer(value);
      return m.convert(o) as unknown[];
    },
  };
}
