/**
 * When forwards hold back: quiet hours (in the site's time zone; a span whose end is at or before
 * its start runs past midnight) and the owner's `#mute`. What arrived during a hold waits, and
 * goes out afterwards as one digest.
 */
import type { QuietHours } from '@connectdesk/shared';
import type { OwnerState } from '../../db/repos/owner-state-repo.ts';
import { localDayAndMinute } from '../business-hours.ts';

const DAY_MINUTES = 24 * 60;
const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function inQuietHours(q: QuietHours, timeZone: string, at: number): boolean {
  if (!q.enabled) return false;
  const { minute } = localDayAndMinute(new Date(at), timeZone);
  const start = toMinute(q.start);
  const end = toMinute(q.end);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The next moment the quiet hours end, after `at`. */
export function quietEndsAt(q: QuietHours, timeZone: string, at: number): number {
  const { minute } = localDayAndMinute(new Date(at), timeZone);
  const ahead = (toMinute(q.end) - minute + DAY_MINUTES) % DAY_MINUTES || DAY_MINUTES;
  return at - (at % 60_000) + ahead * 60_000;
}

export interface HoldRules {
  quiet: QuietHours;
  timeZone: string;
  state: Pick<OwnerState, 'mutedFrom' | 'mutedUntil'>;
}

/** Until when forwards hold back from `now`, or null when they may go. */
export function holdUntil(now: number, r: HoldRules): number | null {
  const muted = r.state.mutedUntil !== null && r.state.mutedUntil > now ? r.state.mutedUntil : null;
  const quiet = inQuietHours(r.quiet, r.timeZone, now) ? quietEndsAt(r.quiet, r.timeZone, now) : null;
  if (muted === null) return quiet;
  if (quiet === null) return muted;
  return Math.max(muted, quiet);
}

/**
 * Did something that arrived at `at` wait through a mute? (What arrives during quiet hours is
 * marked `held` when it is queued; a mute is known by its times, kept after it ends.)
 */
export function arrivedWhileMuted(at: number, state: Pick<OwnerState, 'mutedFrom' | 'mutedUntil'>): boolean {
  return state.mutedFrom !== null && state.mutedUntil !== null && at >= state.mutedFrom && at < state.mutedUntil;
}

/** "14:30", or "Sat 14:30" when it is not within the next 24 hours, in the site's time zone. */
export function clockTime(at: number, timeZone: string, now: number): string {
  const opts: Intl.DateTimeFormatOptions = {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(at - now > DAY_MINUTES * 60_000 ? { weekday: 'short' } : {}),
  };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...opts, timeZone }).format(new Date(at));
  } catch {
    return new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: 'UTC' }).format(new Date(at));
  }
}

/** "just now", "12 min ago", "3 h ago", "2 d ago". */
export function ago(at: number, now: number): string {
  const min = Math.floor((now - at) / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  if (min < DAY_MINUTES) return `${Math.floor(min / 60)} h ago`;
  return `${Math.floor(min / DAY_MINUTES)} d ago`;
}
