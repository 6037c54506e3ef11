import type { ColumnSchema, Row } from './sluice-types';

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; nulls are empty. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV with a header line of the column names, in the schema's order, CRLF line ends. */
export function toCsv(schema: readonly ColumnSchema[], rows: readonly Row[]): string {
  const lines = [schema.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) lines.push(schema.map((c) => csvField(row[c.name])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Rows as a JSON array of objects keyed by column name, in the schema's order. */
export function toJson(schema: readonly ColumnSchema[], rows: readonly Row[]): string {
  const ordered = rows.map((row) => Object.fromEntries(schema.map((c) => [c.name, row[c.name] ?? null])));
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Hands `text` to the browser as a file download. */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
