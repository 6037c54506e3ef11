const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 12,345 / 12.3 / – for a missing value. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Math.abs(value) >= 100 || Number.isInteger(value) ? integer.format(value) : decimal.format(value);
}

export function formatRate(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${formatNumber(value)}/s`;
}

/** 850 ms / 12.4 s / 3 m 20 s / 2 h 5 m. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${decimal.format(abs / 1000)} s`;
  if (abs < 3_600_000) return `${sign}${Math.floor(abs / 60_000)} m ${Math.floor((abs % 60_000) / 1000)} s`;
  if (abs < 86_400_000)
    return `${sign}${Math.floor(abs / 3_600_000)} h ${Math.floor((abs % 3_600_000) / 60_000)} m`;
  return `${sign}${Math.floor(abs / 86_400_000)} d ${Math.floor((abs % 86_400_000) / 3_600_000)} h`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? integer.format(value) : decimal.format(value)} ${units[unit]}`;
}

/** "12 s ago" relative to now. */
export function formatAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const ms = now - Date.parse(iso);
  return ms < 1000 ? 'just now' : `${formatDuration(ms)} ago`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return `${d.toLocaleTimeString('en-GB', { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** A cell value as text: JSON for objects, the string itself otherwise. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A record's time: the time of day when it is from today, else the date and time (local). */
export function formatMoment(iso: string, now = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (new Date(now).toDateString() === d.toDateString()) return formatTime(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
