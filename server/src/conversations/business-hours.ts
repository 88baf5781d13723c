/**
 * Whether the business is within its opening hours right now, in its own time zone. Hours that
 * close at or before they open run past midnight (22:00–02:00).
 */
import type { BusinessHours } from '@connectdesk/shared';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Day of week (0 = Sunday) and minutes since midnight in `timeZone` (UTC when unknown). */
export function localDayAndMinute(now: Date, timeZone: string): { day: number; minute: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  } catch {
    return localDayAndMinute(now, 'UTC');
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: DAYS.indexOf(get('weekday')), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isOpenNow(hours: BusinessHours, now: Date = new Date()): boolean {
  if (!hours.enabled) return true;
  const { day, minute } = localDayAndMinute(now, hours.timezone);
  return hours.days.some((d) => {
    const open = toMinute(d.open);
    const close = toMinute(d.close);
    if (open < close) return d.day === day && minute >= open && minute < close;
    // Overnight: from `open` on its day until `close` the next morning.
    return (d.day === day && minute >= open) || ((d.day + 1) % 7 === day && minute < close);
  });
}

/** How far (ms) the wall clock in `timeZone` is ahead of UTC at the instant `at`. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant the wall clock in `timeZone` shows that date at `minute` past midnight. */
function zonedInstant(date: Date, minute: number, timeZone: string): number {
  const wall = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 0, minute);
  const first = wall - zoneOffset(wall, timeZone);
  return wall - zoneOffset(first, timeZone);
}

function validZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/**
 * When the business next opens, for "Back Monday 9:00": null while it is open, when business hours
 * are off, or when no day is open at all.
 */
export function nextOpening(hours: BusinessHours, now: Date = new Date()): Date | null {
  if (!hours.enabled || hours.days.length === 0 || isOpenNow(hours, now)) return null;
  const timeZone = validZone(hours.timezone);
  const offset = zoneOffset(now.getTime(), timeZone);
  const local = new Date(now.getTime() + offset);
  let best: number | null = null;
  for (let k = 0; k <= 7; k++) {
    const date = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + k));
    for (const d of hours.days) {
      if (d.day !== date.getUTCDay()) continue;
      const at = zonedInstant(date, toMinute(d.open), timeZone);
      if (at > now.getTime() && (best === null || at < best)) best = at;
    }
  }
  return best === null ? null : new Date(best);
}
