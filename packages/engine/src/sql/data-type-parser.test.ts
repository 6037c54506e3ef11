import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.js';
import { parseDataType, parseTableSchema } from './index.js';
import { dataTypeToSql } from './to-sql.js';

describe('parseDataType', () => {
  const cases: [string, unknown][] = [
    ['STRING', { kind: 'string' }],
    ['varchar(10)', { kind: 'string' }],
    ['CHAR(3)', { kind: 'string' }],
    ['character(3)', { kind: 'string' }],
    ['INT', { kind: 'int' }],
    ['Integer', { kind: 'int' }],
    ['BIGINT', { kind: 'long' }],
    ['long', { kind: 'long' }],
    ['SMALLINT', { kind: 'short' }],
    ['short', { kind: 'short' }],
    ['TINYINT', { kind: 'byte' }],
    ['byte', { kind: 'byte' }],
    ['FLOAT', { kind: 'float' }],
    ['real', { kind: 'float' }],
    ['DOUBLE', { kind: 'double' }],
    ['DECIMAL', { kind: 'decimal', precision: 10, scale: 0 }],
    ['decimal(5)', { kind: 'decimal', precision: 5, scale: 0 }],
    ['DECIMAL(38, 18)', { kind: 'decimal', precision: 38, scale: 18 }],
    ['dec(4,2)', { kind: 'decimal', precision: 4, scale: 2 }],
    ['NUMERIC(9,3)', { kind: 'decimal', precision: 9, scale: 3 }],
    ['BOOLEAN', { kind: 'boolean' }],
    ['BINARY', { kind: 'binary' }],
    ['DATE', { kind: 'date' }],
    ['TIMESTAMP', { kind: 'timestamp' }],
    ['TIMESTAMP_LTZ', { kind: 'timestamp' }],
    ['timestamp_ntz', { kind: 'timestamp' }],
    ['VOID', { kind: 'null' }],
    ['INTERVAL', { kind: 'interval' }],
    ['INTERVAL DAY TO SECOND', { kind: 'interval' }],
    ['INTERVAL YEAR TO MONTH', { kind: 'interval' }],
    ['interval hour', { kind: 'interval' }],
    ['STRING COLLATE UTF8_BINARY', { kind: 'string' }],
    ['ARRAY<INT>', { kind: 'array', elementType: { kind: 'int' }, containsNull: true }],
    [
      'array<array<string>>',
      {
        kind: 'array',
        elementType: { kind: 'array', elementType: { kind: 'string' }, containsNull: true },
        containsNull: true,
      },
    ],
    [
      'MAP<STRING, ARRAY<INT>>',
      {
        kind: 'map',
        keyType: { kind: 'string' },
        valueType: { kind: 'array', elementType: { kind: 'int' }, containsNull: true },
        valueContainsNull: true,
      },
    ],
    [
      "STRUCT<a: INT, b STRING NOT NULL, `c d`: ARRAY<DOUBLE> COMMENT 'cc'>",
      {
        kind: 'struct',
        fields: [
          { name: 'a', dataType: { kind: 'int' }, nullable: true },
          { name: 'b', dataType: { kind: 'string' }, nullable: false },
          {
            name: 'c d',
            dataType: { kind: 'array', elementType: { kind: 'double' }, containsNull: true },
            nullable: true,
            metadata: { comment: 'cc' },
          },
        ],
      },
    ],
    ['struct<>', { kind: 'struct', fields: [] }],
    [
      'STRUCT<select: INT, from: STRING>',
      {
        kind: 'struct',
        fields: [
          { name: 'select', dataType: { kind: 'int' }, nullable: true },
          { name: 'from', dataType: { kind: 'string' }, nullable: true },
        ],
      },
    ],
  ];
  for (const [text, expected] of cases) {
    it(text, () => {
      expect(parseDataType(text)).toEqual(expected);
    });
  }

  it('round-trips through dataTypeToSql', async () => {
    for (const [text] of cases) {
      const t = parseDataType(text);
      expect(parseDataType(dataTypeToSql(t))).toEqual(t);
    }
  });

  it('rejects bad types with Spark error classes and positions', async () => {
    const err = (text: string) => {
      try {
        parseDataType(text);
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        const pe = e as ParseError;
        return [pe.errorClass, pe.position?.column];
      }
      throw new Error(`no error for ${text}`);
    };
    expect(err('BLOB')).toEqual(['UNSUPPORTED_DATATYPE', 1]);
    expect(err('INT(3)')).toEqual(['UNSUPPORTED_DATATYPE', 1]);
    expect(err('DECIMAL(39)')).toEqual(['DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION', 1]);
    expect(err('DECIMAL(5, 6)')).toEqual(['INVALID_PARAMETER_VALUE.DECIMAL_SCALE', 1]);
    expect(err('VARCHAR')).toEqual(['DATATYPE_MISSING_SIZE', 1]);
    expect(err('ARRAY<INT')).toEqual(['PARSE_SYNTAX_ERROR', 10]);
    expect(err('ARRAY<>')).toEqual(['PARSE_SYNTAX_ERROR', 6]);
    expect(err('MAP<INT>')).toEqual(['PARSE_SYNTAX_ERROR', 8]);
    expect(err('STRUCT<a INT b INT>')).toEqual(['PARSE_SYNTAX_ERROR', 14]);
    expect(err('INT INT')).toEqual(['PARSE_SYNTAX_ERROR', 5]);
    expect(err('INTERVAL DAY TO YEAR')).toEqual(['PARSE_SYNTAX_ERROR', 17]);
    expect(err('STRING COLLATE UNICODE_CI')).toEqual(['COLLATION_INVALID_NAME', 16]);
    expect(err('')).toEqual(['PARSE_SYNTAX_ERROR', 1]);
  });
});

describe('parseTableSchema (Spark DDL)', () => {
  it('parses the column list of a DDL string', async () => {
    expect(parseTableSchema('userId STRING, price DOUBLE, tags ARRAY<STRING>')).toEqual({
      kind: 'struct',
      fields: [
        { name: 'userId', dataType: { kind: 'string' }, nullable: true },
        { name: 'price', dataType: { kind: 'double' }, nullable: true },
        {
          name: 'tags',
          dataType: { kind: 'array', elementType: { kind: 'string' }, containsNull: true },
          nullable: true,
        },
      ],
    });
  });

  it('NOT NULL and COMMENT (into metadata.comment)', async () => {
    expect(parseTableSchema("a INT NOT NULL COMMENT 'the a', `b c` TIMESTAMP COMMENT 'x' 'y'")).toEqual({
      kind: 'struct',
      fields: [
        { name: 'a', dataType: { kind: 'int' }, nullable: false, metadata: { comment: 'the a' } },
        { name: 'b c', dataType: { kind: 'timestamp' }, nullable: true, metadata: { comment: 'xy' } },
      ],
    });
  });

  it('keywords are fine as column names; nested types; multi-line', async () => {
    const s = parseTableSchema(`key BINARY,
      value BINARY,
      timestamp TIMESTAMP,
      date DATE,
      window STRUCT<start: TIMESTAMP, end: TIMESTAMP>,
      headers ARRAY<STRUCT<key: STRING, value: BINARY>>`);
    expect(s.fields.map((f) => f.name)).toEqual(['key', 'value', 'timestamp', 'date', 'window', 'headers']);
    expect(s.fields[4]!.dataType).toMatchObject({
      kind: 'struct',
      fields: [{ name: 'start' }, { name: 'end' }],
    });
  });

  it('accepts a STRUCT<...> type string like StructType.fromDDL; empty text is an empty schema', async () => {
    expect(parseTableSchema('struct<a:int,b:string>')).toEqual({
      kind: 'struct',
      fields: [
        { name: 'a', dataType: { kind: 'int' }, nullable: true },
        { name: 'b', dataType: { kind: 'string' }, nullable: true },
      ],
    });
    expect(parseTableSchema('  ')).toEqual({ kind: 'struct', fields: [] });
  });

  it('reports the position of the first problem', async () => {
    const at = (ddl: string) => {
      try {
        parseTableSchema(ddl);
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        return (e as ParseError).position;
      }
      throw new Error('no error');
    };
    expect(at('a INT, b')).toEqual({ line: 1, column: 9 });
    expect(at('a INT,\n  b STRNG')).toEqual({ line: 2, column: 5 });
    expect(at('a INT b STRING')).toEqual({ line: 1, column: 7 });
    expect(at('a INT,, b INT')).toEqual({ line: 1, column: 7 });
    expect(at('ok INT, user-id STRING')).toEqual({ line: 1, column: 9 });
  });
});
