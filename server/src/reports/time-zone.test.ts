import { describe, expect, it } from 'vitest';
import { dayNumber } from '@connectdesk/shared';
import { reportPeriod } from './report-period.ts';
import { offsetAt, offsetChanges, startOfDay } from './time-zone.ts';

const H = 3_600_000;

describe('calendar days in a time zone', () => {
  it.each([
    ['Europe/Lisbon', '2026-03-29', '2026-03-29T00:00:00.000Z'], // clocks go forward at 01:00 UTC that day
    ['Europe/Lisbon', '2026-03-30', '2026-03-29T23:00:00.000Z'],
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z'],
    ['America/New_York', '2026-03-09', '2026-03-09T04:00:00.000Z'],
    ['Asia/Kolkata', '2026-01-01', '2025-12-31T18:30:00.000Z'],
    ['Asia/Kathmandu', '2026-01-01', '2025-12-31T18:15:00.000Z'],
    ['Pacific/Chatham', '2026-01-01', '2025-12-31T10:15:00.000Z'],
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z'], // midnight does not exist: the day starts at 01:00
  ])('%s %s starts at %s', (tz, date, iso) => {
    expect(new Date(startOfDay(dayNumber(date), tz)).toISOString()).toBe(iso);
  });

  it('finds the instants where the offset changes', () => {
    const start = Date.UTC(2026, 0, 1);
    const changes = offsetChanges(start, Date.UTC(2027, 0, 1), 'Europe/Lisbon');
    expect(changes.map((c) => [new Date(c.at).toISOString(), c.offset / H])).toEqual([
      ['2026-03-29T01:00:00.000Z', 1],
      ['2026-10-25T01:00:00.000Z', 0],
    ]);
    expect(offsetChanges(start, Date.UTC(2027, 0, 1), 'Asia/Kolkata')).toEqual([]);
    expect(offsetAt(start, 'Asia/Kolkata')).toBe(5.5 * H);
  });

  it('a period: its days, its first and last instant, and a 23-hour day across DST', () => {
    const p = reportPeriod('2026-03-28', '2026-03-30', 'Europe/Lisbon');
    expect(p.days).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(p.json()).toMatchObject({ start: '2026-03-28T00:00:00.000Z', end: '2026-03-30T23:00:00.000Z' });
    expect(p.dayIndexSql('slot')).toContain('CASE WHEN slot < 1774746000000');
  });
});
