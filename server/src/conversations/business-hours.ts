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
