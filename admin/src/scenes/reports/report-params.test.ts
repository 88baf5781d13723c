import { describe, expect, it } from 'vitest';
import { addDays, isTimeZone, presetRange, todayIn } from './report-params.ts';

describe('report periods', () => {
  // 23:30 UTC on 31 March 2026: already 1 April in Lisbon (UTC+1) and Kolkata, still 31 March in New York.
  const now = new Date('2026-03-31T23:30:00Z');

  it('counts days in the chosen time zone', () => {
    expect(todayIn('Europe/Lisbon', now)).toBe('2026-04-01');
    expect(todayIn('America/New_York', now)).toBe('2026-03-31');
    expect(presetRange('7d', 'Europe/Lisbon', now)).toEqual({ from: '2026-03-26', to: '2026-04-01' });
    expect(presetRange('30d', 'America/New_York', now)).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(presetRange('month', 'Asia/Kolkata', now)).toEqual({ from: '2026-04-01', to: '2026-04-01' });
    expect(presetRange('last-month', 'America/New_York', now)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetRange('year', 'UTC', now)).toEqual({ from: '2025-04-01', to: '2026-03-31' });
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('knows time zones, aliases included', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Europe/Lisbon')).toBe(true);
    expect(isTimeZone('Europe/L')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
