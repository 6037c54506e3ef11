export interface Throughput {
  client: string;
  phase: 'produce' | 'consume';
  messageBytes: number;
  messages: number;
  seconds: number;
}

export function mbPerSec(t: Throughput): number {
  return (t.messages * t.messageBytes) / t.seconds / 1e6;
}
export function msgsPerSec(t: Throughput): number {
  return t.messages / t.seconds;
}
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}
