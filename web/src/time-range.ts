import type { RangePreset, ViewState } from './url-state.ts';

const MINUTE = 60_000;

export const PRESET_MS: Readonly<Record<RangePreset, number>> = {
  '15m': 15 * MINUTE,
  '1h': 60 * MINUTE,
  '24h': 24 * 60 * MINUTE,
  '7d': 7 * 24 * 60 * MINUTE,
};

export const PRESET_LABELS: Readonly<Record<RangePreset, string>> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
};

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

/** The absolute range a view covers at `now`: presets slide with time, custom ranges do not. */
export function resolveRange(state: Pick<ViewState, 'range' | 'from' | 'to'>, now: number): TimeRange {
  if (state.range === 'custom' && state.from && state.to) {
    return { from: new Date(state.from), to: new Date(state.to) };
  }
  const preset = state.range === 'custom' ? '1h' : state.range;
  return { from: new Date(now - PRESET_MS[preset]), to: new Date(now) };
}

/** Value for `<input type="datetime-local">` in local time, minute precision. */
export function toLocalInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `<input type="datetime-local">` value (local time) → ISO string, or null when empty/invalid. */
export function fromLocalInputValue(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
