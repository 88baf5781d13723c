/**
 * Calendar days in an IANA time zone, computed with Intl: the UTC instant a local day starts, the
 * zone's UTC offset at an instant, and the instants in a range where that offset changes (DST).
 * Offsets are whole minutes; every zone in use today changes offset on a 15-minute boundary.
 */
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock time in `tz` at instant `ms`, as if it were UTC (ms since the epoch). */
function wallClock(ms: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour! % 24, parts.minute, parts.second) + (((ms % 1000) + 1000) % 1000);
}

/** The zone's offset from UTC at `ms`, in ms (Lisbon in summer: 3 600 000). */
export function offsetAt(ms: number, tz: string): number {
  const floored = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  return wallClock(floored, tz) - floored;
}

/** The day number (days since 1970-01-01) of the local date at `ms`. */
export function localDay(ms: number, tz: string): number {
  return Math.floor(wallClock(ms, tz) / DAY_MS);
}

/** The first instant whose local date is `day` (or later): local midnight, or the end of a gap. */
export function startOfDay(day: number, tz: string): number {
  // Offsets lie within ±15 h: search that window minute by minute for the first instant of `day`.
  let lo = day * DAY_MS - 15 * 3_600_000;
  let hi = day * DAY_MS + 15 * 3_600_000;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (localDay(mid, tz) >= day) hi = mid;
    else lo = mid;
  }
  return localDay(lo, tz) >= day ? lo : hi;
}

/** The instants in [from, to) where the offset changes, with the offset from each on. */
export function offsetChanges(from: number, to: number, tz: string): { at: number; offset: number }[] {
  const out: { at: number; offset: number }[] = [];
  const step = 6 * 3_600_000; // no zone changes its offset twice within 6 hours
  let prev = offsetAt(from, tz);
  for (let a = from; a < to; a += step) {
    const b = Math.min(a + step, to);
    const next = offsetAt(b, tz);
    if (next === prev) continue;
    let lo = a;
    let hi = b;
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
      if (offsetAt(mid, tz) === prev) lo = mid;
      else hi = mid;
    }
    if (hi < to) out.push({ at: hi, offset: next });
    prev = next;
  }
  return out;
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
