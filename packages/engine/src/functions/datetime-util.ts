/** Month arithmetic shared by operators and date functions (Spark's add_months: clamp to month end). */
import { civilFromDays, daysFromCivil, daysInMonth, floorDiv } from '../types/datetime.js';
import { MICROS_PER_DAY } from '../types/interval.js';

export function addMonthsToDate(days: number, months: number): number {
  if (months === 0) return days;
  const c = civilFromDays(days);
  const total = c.year * 12 + (c.month - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(c.day, daysInMonth(y, m)));
}

export function addMonthsToTimestamp(ts: number, months: number): number {
  if (months === 0) return ts;
  const days = floorDiv(ts, MICROS_PER_DAY);
  const rest = ts - days * MICROS_PER_DAY;
  return addMonthsToDate(days, months) * MICROS_PER_DAY + rest;
}
