/**
 * Number, size, duration and time formatting for the dashboard. One locale for the whole UI so
 * columns line up; times are shown in the viewer's time zone unless one is given.
 */

const LOCALE = 'en-US';
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });
const oneDecimal = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const MINUS = '\u2212';

function signOf(n: number): string {
  if (n > 0) return '+';
  if (n < 0) return MINUS;
  return '\u00b1';
}

/** 12,345 */
export function formatInt(n: number): string {
  return integer.format(Math.round(n)).replace('-', MINUS);
}

/** Exact below 10,000, compact above: 9,876 · 12.3K · 4.5M */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return Math.abs(n) < 10_000 ? formatInt(n) : compact.format(n).replace('-', MINUS);
}

/** 0.4213 → 42.1% */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Rates with one decimal below 100: 3.2 · 87.5 · 1,204 */
export function formatRate(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return Math.abs(n) < 100 ? oneDecimal.format(n) : formatCount(n);
}

export type Trend = 'up' | 'down' | 'flat' | 'none';

export interface Change {
  readonly text: string;
  readonly trend: Trend;
}

/** Relative change of a count: +12.3% · −4.0% · ±0%; "new" when the previous value was 0. */
export function relativeChange(current: number, previous: number): Change {
  if (!Number.isFinite(current) || !Number.isFinite(previous)) return { text: '–', trend: 'none' };
  if (previous === 0) return current === 0 ? { text: '±0%', trend: 'flat' } : { text: 'new', trend: 'up' };
  const change = (current - previous) / previous;
  if (Math.abs(change) < 0.0005) return { text: '±0%', trend: 'flat' };
  const digits = Math.abs(change) >= 10 ? 0 : 1;
  return {
    text: `${signOf(change)}${Math.abs(change * 100).toFixed(digits)}%`,
    trend: change > 0 ? 'up' : 'down',
  };
}

/** Change of a share in percentage points: +2.1 pp. */
export function pointChange(current: number, previous: number): Change {
  if (!Number.isFinite(current) || !Number.isFinite(previous)) return { text: '–', trend: 'none' };
  const points = (current - previous) * 100;
  if (Math.abs(points) < 0.05) return { text: '±0 pp', trend: 'flat' };
  return { text: `${signOf(points)}${Math.abs(points).toFixed(1)} pp`, trend: points > 0 ? 'up' : 'down' };
}

/** A share that is defined for an empty period: 0 of 0 is 0. */
export function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Decimal units: 950 B · 12.4 kB · 3.1 MB */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  let value = Math.abs(n);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const text = unit === 0 ? String(Math.round(value)) : value.toFixed(value < 10 ? 2 : 1);
  return `${n < 0 ? MINUS : ''}${text} ${BYTE_UNITS[unit]}`;
}

/** A page-size change as MediaWiki shows it: +1,234 · −56 · 0 */
export function formatByteDelta(delta: number | null): string {
  if (delta === null || !Number.isFinite(delta)) return '';
  if (delta === 0) return '0';
  return `${delta > 0 ? '+' : MINUS}${integer.format(Math.abs(delta))}`;
}

/** 850 ms · 1.2 s · 3 min 4 s · 2 h 5 min */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  if (totalSeconds < 3600) {
    const rest = totalSeconds % 60;
    return `${Math.floor(totalSeconds / 60)} min${rest ? ` ${rest} s` : ''}`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  if (totalMinutes < 48 * 60) {
    const rest = totalMinutes % 60;
    return `${Math.floor(totalMinutes / 60)} h${rest ? ` ${rest} min` : ''}`;
  }
  return `${Math.round(totalMinutes / (24 * 60))} d`;
}

/** The ratio of a trending item: ×3.4 */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  return `\u00d7${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)}`;
}

function timeFormat(options: Intl.DateTimeFormatOptions, timeZone?: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(LOCALE, { hourCycle: 'h23', ...options, ...(timeZone ? { timeZone } : {}) });
}

/** 14:03:22 */
export function formatClock(date: Date | string, timeZone?: string): string {
  const value = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(value.getTime())) return '–';
  return timeFormat({ hour: '2-digit', minute: '2-digit', second: '2-digit' }, timeZone).format(value);
}

/** Mar 3, 14:03 */
export function formatDateTime(date: Date | string, timeZone?: string): string {
  const value = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(value.getTime())) return '–';
  return timeFormat({ month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }, timeZone).format(
    value,
  );
}

/** How long ago, coarse: 12 s ago · 4 min ago · 3 h ago */
export function formatAgo(fromMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - fromMs) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** A time-axis tick: clock time for spans up to two days, the date (and hour when needed) beyond. */
export function formatAxisTime(date: Date, spanMs: number, timeZone?: string): string {
  if (spanMs <= 2 * 86_400_000) {
    return timeFormat({ hour: '2-digit', minute: '2-digit' }, timeZone).format(date);
  }
  const day = timeFormat({ month: 'short', day: 'numeric' }, timeZone).format(date);
  const hour = timeFormat({ hour: '2-digit', minute: '2-digit' }, timeZone).format(date);
  return hour === '00:00' ? day : `${day} ${hour}`;
}
