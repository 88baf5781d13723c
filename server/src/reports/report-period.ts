/**
 * A report's period: calendar days `from`..`to` in time zone `tz`, as UTC instants [start, end),
 * and the SQL that buckets an epoch-ms column into those days. Day boundaries are computed here,
 * in TypeScript, so SQLite and PostgreSQL bucket identically: the day of an instant is
 * floor((instant + offset at that instant − local midnight of `from` as wall time) / 1 day), with
 * the offset a CASE over the few instants where it changes in the period (DST).
 */
import { dayNumber, type ReportPeriodJson } from '@connectdesk/shared';
import { isoDate, offsetAt, offsetChanges, startOfDay } from './time-zone.ts';

const DAY_MS = 86_400_000;

export interface ReportPeriod {
  from: string;
  to: string;
  tz: string;
  days: string[];
  start: number;
  end: number;
  /** SQL: the 0-based day index (into `days`) of an epoch-ms column value in [start, end). */
  dayIndexSql(column: string): string;
  json(): ReportPeriodJson;
}

export function reportPeriod(from: string, to: string, tz: string): ReportPeriod {
  const first = dayNumber(from);
  const last = dayNumber(to);
  const start = startOfDay(first, tz);
  const end = startOfDay(last + 1, tz);
  const days: string[] = [];
  for (let d = first; d <= last; d++) days.push(isoDate(d));
  const base = first * DAY_MS;
  const changes = offsetChanges(start, end, tz);
  const initial = offsetAt(start, tz);
  // Integers only: they go into the SQL text as literals, never user input.
  const shift = (offset: number) => String(Math.trunc(offset - base));
  const caseSql = (column: string) =>
    changes.length === 0
      ? shift(initial)
      : `CASE ${[initial, ...changes.map((c) => c.offset)]
          .slice(0, -1)
          .map((o, i) => `WHEN ${column} < ${changes[i]!.at} THEN ${shift(o)}`)
          .join(' ')} ELSE ${shift(changes[changes.length - 1]!.offset)} END`;
  return {
    from,
    to,
    tz,
    days,
    start,
    end,
    dayIndexSql: (column) => `((${column} + (${caseSql(column)})) / ${DAY_MS})`,
    json: () => ({ from, to, tz, start: new Date(start).toISOString(), end: new Date(end).toISOString(), days }),
  };
}
