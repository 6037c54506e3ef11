import type { Row, StructType } from '../types/data-type.js';
import { formatValue } from '../types/format.js';

/** Display width as Spark counts it (full-width East Asian characters take two columns). */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

function pad(s: string, width: number, left: boolean): string {
  const n = width - displayWidth(s);
  if (n <= 0) return s;
  return left ? ' '.repeat(n) + s : s + ' '.repeat(n);
}

/**
 * Spark's `Dataset.showString(numRows, truncate)`: the `+---+` table `show()` and the console sink
 * print. `truncate` > 0 cuts cells to that many characters (`...` suffix) and right-aligns; 0 keeps
 * full cells, left-aligned.
 */
export function showString(rows: readonly Row[], schema: StructType, numRows = 20, truncate = 20): string {
  const n = Math.max(0, numRows);
  const shown = rows.slice(0, n);
  const header = schema.fields.map((f) => f.name);
  const cells = shown.map((r) =>
    schema.fields.map((f, i) => {
      let s = formatValue(r[i], f.dataType, 'NULL');
      if (truncate > 0 && s.length > truncate)
        s = truncate < 4 ? s.slice(0, truncate) : `${s.slice(0, truncate - 3)}...`;
      return s;
    }),
  );
  const widths = header.map((h, i) => Math.max(3, displayWidth(h), ...cells.map((c) => displayWidth(c[i]!))));
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+\n`;
  const line = (vals: string[]) => `|${vals.map((v, i) => pad(v, widths[i]!, truncate > 0)).join('|')}|\n`;
  let out = sep + line(header) + sep;
  for (const c of cells) out += line(c);
  out += sep;
  if (rows.length > n) out += `only showing top ${n} ${n === 1 ? 'row' : 'rows'}\n`;
  return out;
}
