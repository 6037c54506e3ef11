import type { DataType, StructField, StructType } from '../types/data-type.js';
import { MAX_DECIMAL_PRECISION } from '../types/decimal.js';
import { T } from '../types/types.js';
import type { ColumnDefinition } from './ast.js';
import { checkedIdentifier } from './identifiers.js';
import type { Token } from './lexer.js';
import type { Parser } from './parser.js';

/**
 * Spark data types and DDL column lists:
 * `STRING`, `VARCHAR(n)`, `CHAR(n)`, `INT`/`INTEGER`, `BIGINT`/`LONG`, `SMALLINT`/`SHORT`,
 * `TINYINT`/`BYTE`, `FLOAT`/`REAL`, `DOUBLE`, `DECIMAL(p,s)`/`DEC`/`NUMERIC`, `BOOLEAN`, `BINARY`,
 * `DATE`, `TIMESTAMP`/`TIMESTAMP_LTZ`/`TIMESTAMP_NTZ` (all timestamp), `INTERVAL [unit [TO unit]]`,
 * `VOID`, `ARRAY<T>`, `MAP<K, V>`, `STRUCT<a: T, b T NOT NULL COMMENT 'x'>`.
 * CHAR/VARCHAR read as string (Sluice has no fixed-length strings).
 */

const INTERVAL_YM = new Set(['YEAR', 'MONTH']);
const INTERVAL_DT = new Set(['DAY', 'HOUR', 'MINUTE', 'SECOND']);

/** Parses one data type at the cursor. */
export function parseDataTypeAt(p: Parser): DataType {
  p.enter();
  try {
    return dataType(p);
  } finally {
    p.leave();
  }
}

function dataType(p: Parser): DataType {
  const t = p.peek();
  if (t.kind !== 'word' && t.kind !== 'quoted') throw p.error(t, 'expected a data type');
  p.next();
  const name = t.kind === 'word' ? t.upper : t.value.toUpperCase();
  switch (name) {
    case 'ARRAY': {
      expectLt(p);
      const element = dataType(p);
      expectGt(p);
      return { kind: 'array', elementType: element, containsNull: true };
    }
    case 'MAP': {
      expectLt(p);
      const key = dataType(p);
      p.expectOp(',');
      const value = dataType(p);
      expectGt(p);
      return { kind: 'map', keyType: key, valueType: value, valueContainsNull: true };
    }
    case 'STRUCT': {
      if (p.acceptOp('<>')) return { kind: 'struct', fields: [] };
      expectLt(p);
      const fields: StructField[] = [];
      if (!p.isOp('>')) {
        do {
          const col = columnDefinition(p, true);
          fields.push(toField(col));
        } while (p.acceptOp(','));
      }
      expectGt(p);
      return { kind: 'struct', fields };
    }
    case 'INTERVAL': {
      const from = p.peek();
      if (from.kind === 'word' && (INTERVAL_YM.has(from.upper) || INTERVAL_DT.has(from.upper))) {
        p.next();
        if (p.acceptWord('TO')) {
          const to = p.next();
          const ok = INTERVAL_YM.has(from.upper)
            ? to.kind === 'word' && to.upper === 'MONTH' && from.upper === 'YEAR'
            : to.kind === 'word' &&
              INTERVAL_DT.has(to.upper) &&
              to.upper !== 'DAY' &&
              dtIndex(to.upper) > dtIndex(from.upper);
          if (!ok) throw p.error(to);
        }
      }
      return T.interval;
    }
    case 'BOOLEAN':
      return noParams(p, t, T.boolean);
    case 'TINYINT':
    case 'BYTE':
      return noParams(p, t, T.byte);
    case 'SMALLINT':
    case 'SHORT':
      return noParams(p, t, T.short);
    case 'INT':
    case 'INTEGER':
      return noParams(p, t, T.int);
    case 'BIGINT':
    case 'LONG':
      return noParams(p, t, T.long);
    case 'FLOAT':
    case 'REAL':
      return noParams(p, t, T.float);
    case 'DOUBLE':
      return noParams(p, t, T.double);
    case 'DATE':
      return noParams(p, t, T.date);
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_NTZ':
      return noParams(p, t, T.timestamp);
    case 'STRING': {
      if (p.acceptWord('COLLATE')) {
        const c = p.next();
        if (c.kind !== 'word' && c.kind !== 'quoted') throw p.error(c);
        if (c.value.toUpperCase() !== 'UTF8_BINARY') {
          throw p.errorWith(
            'COLLATION_INVALID_NAME',
            `The value ${c.value} does not represent a correct collation name.`,
            c,
          );
        }
      }
      return noParams(p, t, T.string);
    }
    case 'BINARY':
      return noParams(p, t, T.binary);
    case 'VOID':
      return noParams(p, t, T.null);
    case 'CHAR':
    case 'CHARACTER':
    case 'VARCHAR': {
      const params = typeParams(p);
      if (params.length !== 1) {
        throw p.errorWith(
          'DATATYPE_MISSING_SIZE',
          `DataType "${name.toLowerCase()}" requires a length parameter, for example "${name.toLowerCase()}"(10). Please specify the length.`,
          t,
        );
      }
      return T.string;
    }
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC': {
      const params = typeParams(p);
      if (params.length > 2) throw p.error(p.prev());
      const precision = params[0] ?? 10;
      const scale = params[1] ?? 0;
      if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
        throw p.errorWith(
          'DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION',
          `Decimal precision ${precision} exceeds max precision ${MAX_DECIMAL_PRECISION}.`,
          t,
        );
      }
      if (scale > precision) {
        throw p.errorWith(
          'INVALID_PARAMETER_VALUE.DECIMAL_SCALE',
          `Decimal scale (${scale}) cannot be greater than precision (${precision}).`,
          t,
        );
      }
      return { kind: 'decimal', precision, scale };
    }
    default: {
      const params = p.isOp('(') ? typeParams(p) : [];
      const shown =
        params.length > 0 ? `${t.value.toLowerCase()}(${params.join(',')})` : t.value.toLowerCase();
      throw p.errorWith('UNSUPPORTED_DATATYPE', `Unsupported data type "${shown.toUpperCase()}".`, t);
    }
  }
}

function dtIndex(u: string): number {
  return ['DAY', 'HOUR', 'MINUTE', 'SECOND'].indexOf(u);
}

function noParams(p: Parser, t: Token, type: DataType): DataType {
  if (p.isOp('(')) {
    const params = typeParams(p);
    throw p.errorWith('UNSUPPORTED_DATATYPE', `Unsupported data type "${t.upper}(${params.join(',')})".`, t);
  }
  return type;
}

/** `(n[, m, ...])` — integer type parameters; empty when absent. */
function typeParams(p: Parser): number[] {
  if (!p.acceptOp('(')) return [];
  const out: number[] = [];
  do {
    const n = p.next();
    if (n.kind !== 'number' || n.numberKind !== 'int') throw p.error(n);
    out.push(Number(n.value));
  } while (p.acceptOp(','));
  p.expectOp(')');
  return out;
}

function expectLt(p: Parser): void {
  if (!p.acceptOp('<')) throw p.error(p.peek(), "expected '<'");
}

/** `>`; a `>=` is not split (it would be `>` followed by `=`, never valid in a type). */
function expectGt(p: Parser): void {
  if (!p.acceptOp('>')) throw p.error(p.peek(), "expected '>'");
}

/**
 * `name [:] type [NOT NULL] [COMMENT 'text']` — a struct field (colon allowed) or a DDL column.
 * The name may be any word (keywords included) or a backquoted identifier.
 */
export function columnDefinition(p: Parser, allowColon: boolean): ColumnDefinition {
  const start = p.peek();
  if (start.kind !== 'word' && start.kind !== 'quoted') throw p.error(start);
  checkedIdentifier(p);
  if (allowColon) p.acceptOp(':');
  const type = parseDataTypeAt(p);
  let nullable = true;
  let comment: string | undefined;
  for (;;) {
    if (p.isWord('NOT') && p.isWord('NULL', 1)) {
      p.next();
      p.next();
      nullable = false;
      continue;
    }
    if (p.isWord('COMMENT')) {
      p.next();
      const s = p.next();
      if (s.kind !== 'string') throw p.error(s);
      let text = s.value;
      while (p.peek().kind === 'string') text += p.next().value;
      comment = text;
      continue;
    }
    break;
  }
  const def: ColumnDefinition = { name: start.value, dataType: type, nullable, span: p.span(start) };
  return comment === undefined ? def : { ...def, comment };
}

/** A ColumnDefinition as a StructField; a comment goes to `metadata.comment` as in Spark. */
export function toField(col: ColumnDefinition): StructField {
  return col.comment === undefined
    ? { name: col.name, dataType: col.dataType, nullable: col.nullable }
    : { name: col.name, dataType: col.dataType, nullable: col.nullable, metadata: { comment: col.comment } };
}

/** `a INT, b STRING NOT NULL COMMENT 'x'` at the cursor, up to the end of input. */
export function parseColumnList(p: Parser): StructType {
  const fields: StructField[] = [];
  do {
    fields.push(toField(columnDefinition(p, false)));
  } while (p.acceptOp(','));
  return { kind: 'struct', fields };
}
