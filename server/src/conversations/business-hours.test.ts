import { describe, expect, it } from 'vitest';
import { isOpenNow, localDayAndMinute, nextOpening } from './business-hours.ts';

const weekdays = { enabled: true, timezone: 'UTC', days: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })) };

describe('business hours', () => {
  it('is always open when hours are not enabled', () => {
    expect(isOpenNow({ ...weekdays, enabled: false }, new Date('2026-11-29T03:00:00Z'))).toBe(true);
  });

  it('is open inside the hours and closed outside them and on days not listed', () => {
    expect(isOpenNow(weekdays, new Date('2026-11-25T09:00:00Z'))).toBe(true); // Wednesday 09:00
    expect(isOpenNow(weekdays, new Date('2026-11-25T16:59:00Z'))).toBe(true);
    expect(isOpenNow(weekdays, new Date('2026-11-25T17:00:00Z'))).toBe(false);
    expect(isOpenNow(weekdays, new Date('2026-11-25T08:59:00Z'))).toBe(false);
    expect(isOpenNow(weekdays, new Date('2026-11-29T12:00:00Z'))).toBe(false); // Sunday
  });

  it('reads the clock in the business time zone', () => {
    const newYork = { ...weekdays, timezone: 'America/New_York' };
    // 13:30 UTC on Wednesday is 08:30 in New York (EST): not open yet.
    expect(isOpenNow(newYork, new Date('2026-11-25T13:30:00Z'))).toBe(false);
    expect(isOpenNow(newYork, new Date('2026-11-25T14:30:00Z'))).toBe(true);
    expect(localDayAndMinute(new Date('2026-11-25T02:00:00Z'), 'America/New_York')).toEqual({ day: 2, minute: 21 * 60 });
  });

  it('handles hours past midnight and an unknown time zone', () => {
    const night = { enabled: true, timezone: 'UTC', days: [{ day: 5, open: '22:00', close: '02:00' }] };
    expect(isOpenNow(night, new Date('2026-11-27T23:00:00Z'))).toBe(true); // Friday 23:00
    expect(isOpenNow(night, new Date('2026-11-28T01:30:00Z'))).toBe(true); // Saturday 01:30
    expect(isOpenNow(night, new Date('2026-11-28T02:00:00Z'))).toBe(false);
    expect(isOpenNow({ ...weekdays, timezone: 'Mars/Olympus_Mons' }, new Date('2026-11-25T10:00:00Z'))).toBe(true);
  });

  it('says when the business next opens, in its own time zone, across weekends and DST', () => {
    const at = (iso: string) => nextOpening(weekdays, new Date(iso))?.toISOString() ?? null;
    expect(at('2026-11-25T10:00:00Z')).toBeNull(); // open now
    expect(at('2026-11-25T06:00:00Z')).toBe('2026-11-25T09:00:00.000Z'); // later today
    expect(at('2026-11-25T17:00:00Z')).toBe('2026-11-26T09:00:00.000Z'); // tomorrow
    expect(at('2026-11-27T18:00:00Z')).toBe('2026-11-30T09:00:00.000Z'); // Friday evening → Monday
    const newYork = { ...weekdays, timezone: 'America/New_York' };
    // Saturday 7 March 2026 → Monday 9 March 09:00 EDT (clocks went forward on Sunday) = 13:00 UTC.
    expect(nextOpening(newYork, new Date('2026-03-07T15:00:00Z'))?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    // Friday 20:00 EST (Sat 01:00 UTC) → Monday 09:00 EST = 14:00 UTC.
    expect(nextOpening(newYork, new Date('2026-11-28T01:00:00Z'))?.toISOString()).toBe('2026-11-30T14:00:00.000Z');
    const tokyo = { ...weekdays, timezone: 'Asia/Tokyo' };
    // Sunday 23:30 UTC is Monday 08:30 in Tokyo → 09:00 JST = 00:00 UTC.
    expect(nextOpening(tokyo, new Date('2026-11-29T23:30:00Z'))?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('has no next opening when hours are off or no day opens', () => {
    expect(nextOpening({ ...weekdays, enabled: false }, new Date('2026-11-29T03:00:00Z'))).toBeNull();
    expect(nextOpening({ ...weekdays, days: [] }, new Date('2026-11-29T03:00:00Z'))).toBeNull();
  });
});
