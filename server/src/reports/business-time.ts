/**
 * How much of [from, to) falls within business hours (Settings → Widget), in the business's time
 * zone: each listed weekday's opening (closing at or before it opens runs past midnight, as in
 * conversations/business-hours.ts). With business hours off, all of it counts.
 */
import type { BusinessHours } from '@connectdesk/shared';
import { localDay, offsetAt } from './time-zone.ts';

const DAY_MS = 86_400_000;
const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant a wall-clock time (as if UTC) happens in `tz` (the later side of a DST gap). */
function instantOf(wall: number, tz: string): number {
  const guess = wall - offsetAt(wall, tz);
  return wall - offsetAt(guess, tz);
}

export function businessMs(hours: BusinessHours, from: number, to: number): number {
  if (to <= from) return 0;
  if (!hours.enabled) return to - from;
  let total = 0;
  const first = localDay(from, hours.timezone) - 1; // yesterday's overnight opening may reach into today
  const last = localDay(to, hours.timezone);
  for (let day = first; day <= last; day++) {
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
    for (const d of hours.days) {
      if (d.day !== weekday) continue;
      const open = toMinute(d.open);
      const close = toMinute(d.close);
      const startWall = day * DAY_MS + open * 60_000;
      const endWall = (close > open ? day : day + 1) * DAY_MS + close * 60_000;
      const start = Math.max(from, instantOf(startWall, hours.timezone));
      const end = Math.min(to, instantOf(endWall, hours.timezone));
      if (end > start) total += end - start;
    }
  }
  return total;
}
