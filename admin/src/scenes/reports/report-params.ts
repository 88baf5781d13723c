/**
 * The Reports page's period: presets counted in calendar days of the chosen time zone, and the
 * dates "today" and "N days ago" there. Dates are YYYY-MM-DD; the server takes them with the zone.
 */
export type Preset = '7d' | '30d' | '90d' | 'month' | 'last-month' | 'year' | 'custom';

export const PRESETS: { id: Preset; label: string }[] = [
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: 'month', label: 'This month' },
  { id: 'last-month', label: 'Last month' },
  { id: 'year', label: 'Last 12 months' },
  { id: 'custom', label: 'Custom' },
];

const DAY = 86_400_000;

/** Today's date in `tz`. */
export function todayIn(tz: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** from/to of a preset, ending today in `tz` (last month: its first to last day). */
export function presetRange(preset: Exclude<Preset, 'custom'>, tz: string, now = new Date()): { from: string; to: string } {
  const today = todayIn(tz, now);
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  switch (preset) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case '90d':
      return { from: addDays(today, -89), to: today };
    case 'month':
      return { from: firstOfMonth, to: today };
    case 'last-month': {
      const end = addDays(firstOfMonth, -1);
      return { from: `${end.slice(0, 7)}-01`, to: end };
    }
    case 'year':
      return { from: addDays(today, -364), to: today };
  }
}

/** The browser's time zone (what most people want their days in). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Whether the browser knows `tz` (aliases such as Asia/Kolkata included, which the list may spell otherwise). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.trim().length > 0;
  } catch {
    return false;
  }
}

/** Every time zone the browser knows, for the picker. */
export function timeZones(): string[] {
  const all = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return all.includes('UTC') ? all : ['UTC', ...all];
}
