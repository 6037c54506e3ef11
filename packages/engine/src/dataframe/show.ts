import { formatValue } from '../plan/expr-api.js';
import type { DataType, Row, StructType } from '../types/data-type.js';

/** A cell as `show()` prints it: top-level null is `NULL` (Spark's ToPrettyString), the rest as CAST to string. */
export function cellText(v: unknown, t: DataType): string {
  if (v === null || v === undefined) return 'NULL';
  return formatValue(v, t);
}

function escapeMeta(s: string): string {
  return s.replace(/[\n\r\t\f\b\u000b\u0007]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\f':
        return '\\f';
      case '\b':
        return '\\b';
      case '\u000b':
        return '\\v';
      default:
        return '\\a';
    }
  });
}

/** Display width: East Asian wide characters count twice (Spark's Utils.stringHalfWidth). */
export function halfWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function truncateCell(s: string, truncate: number): string {
  if (truncate > 0 && s.length > truncate)
    return truncate < 4 ? s.slice(0, truncate) : `${s.slice(0, truncate - 3)}...`;
  return s;
}

const pad = (s: string, width: number, left: boolean): string => {
  const n = Math.max(0, width - halfWidth(s));
  return left ? ' '.repeat(n) + s : s + ' '.repeat(n);
};

/**
 * Spark's Dataset.showString: `rows` are the first `numRows + 1` rows (one extra tells whether more
 * exist); `truncate` 0 = no truncation (cells left-aligned), n > 0 = cut cells to n characters
 * (cells right-aligned).
 */
export function showString(
  schema: StructType,
  rows: readonly Row[],
  numRows: number,
  truncate: number,
  vertical: boolean,
): string {
  const n = Math.max(0, numRows);
  const hasMore = rows.length > n;
  const data = rows.slice(0, n);
  const header = schema.fields.map((f) => truncateCell(f.name, truncate));
  const cells = data.map((r) =>
    schema.fields.map((f, i) => truncateCell(escapeMeta(cellText(r[i] ?? null, f.dataType)), truncate)),
  );
  let sb = '';
  if (!vertical) {
    const widths = header.map((h, i) => Math.max(3, halfWidth(h), ...cells.map((r) => halfWidth(r[i]!))));
    const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+\n`;
    const line = (r: string[]) => `|${r.map((c, i) => pad(c, widths[i]!, truncate > 0)).join('|')}|\n`;
    sb += sep + line(header) + sep;
    for (const r of cells) sb += line(r);
    sb += sep;
  } else {
    const nameW = Math.max(3, ...header.map(halfWidth));
    const dataW = Math.max(3, ...cells.flatMap((r) => r.map(halfWidth)));
    cells.forEach((r, i) => {
      const head = `-RECORD ${i}`;
      sb += `${head}${'-'.repeat(Math.max(0, nameW + dataW + 5 - head.length))}\n`;
      sb += r.map((c, j) => ` ${pad(header[j]!, nameW, false)} | ${pad(c, dataW, false)} `).join('\n');
      sb += '\n';
    });
    if (cells.length === 0) sb += '(0 rows)\n';
  }
  if (hasMore) sb += `only showing top ${n} ${n === 1 ? 'row' : 'rows'}\n`;
  return sb;
}

/** Spark's StructType.treeString (printSchema). */
export function treeString(schema: StructType, level = Number.POSITIVE_INFINITY): string {
  let out = 'root\n';
  const walk = (t: DataType, prefix: string, depth: number) => {
    if (depth > level) return;
    if (t.kind === 'struct') {
      for (const f of t.fields) {
        out += `${prefix}-- ${f.name}: ${typeString(f.dataType)} (nullable = ${f.nullable})\n`;
        walk(f.dataType, `${prefix}    |`, depth + 1);
      }
    } else if (t.kind === 'array') {
      out += `${prefix}-- element: ${typeString(t.elementType)} (containsNull = ${t.containsNull})\n`;
      walk(t.elementType, `${prefix}    |`, depth + 1);
    } else if (t.kind === 'map') {
      out += `${prefix}-- key: ${typeString(t.keyType)}\n`;
      walk(t.keyType, `${prefix}    |`, depth + 1);
      out += `${prefix}-- value: ${typeString(t.valueType)} (valueContainsNull = ${t.valueContainsNull})\n`;
      walk(t.valueType, `${prefix}    |`, depth + 1);
    }
  };
  walk(schema, ' |', 1);
  return out;
}

/** Spark's DataType.typeName as printSchema shows it. */
export function typeString(t: DataType): string {
  switch (t.kind) {
    case 'int':
      return 'integer';
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'null':
      return 'void';
    case 'interval':
      return 'interval';
    default:
      return t.kind;
  }
}
