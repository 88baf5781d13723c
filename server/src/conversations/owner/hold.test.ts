import { describe, expect, it } from 'vitest';
import { ago, arrivedWhileMuted, clockTime, holdUntil, inQuietHours, quietEndsAt } from './hold.ts';

const at = (iso: string) => Date.parse(iso);
const night = { enabled: true, start: '22:00', end: '07:00' };
const noState = { mutedFrom: null, mutedUntil: null };

describe('quiet hours', () => {
  it('run past midnight when they end before they start, in the site’s time zone', () => {
    expect(inQuietHours(night, 'UTC', at('2026-12-05T23:30:00Z'))).toBe(true);
    expect(inQuietHours(night, 'UTC', at('2026-12-05T06:59:00Z'))).toBe(true);
    expect(inQuietHours(night, 'UTC', at('2026-12-05T07:00:00Z'))).toBe(false);
    expect(inQuietHours(night, 'UTC', at('2026-12-05T12:00:00Z'))).toBe(false);
    // 21:30 UTC: 22:30 in Madrid (UTC+1 in December), still 21:30 in Lisbon (UTC+0).
    expect(inQuietHours(night, 'Europe/Madrid', at('2026-12-05T21:30:00Z'))).toBe(true);
    expect(inQuietHours(night, 'Europe/Lisbon', at('2026-12-05T21:30:00Z'))).toBe(false);
    expect(inQuietHours({ ...night, enabled: false }, 'UTC', at('2026-12-05T23:30:00Z'))).toBe(false);
    expect(inQuietHours({ enabled: true, start: '12:00', end: '13:00' }, 'UTC', at('2026-12-05T12:30:00Z'))).toBe(true);
  });

  it('end at the next end time', () => {
    expect(quietEndsAt(night, 'UTC', at('2026-12-05T23:30:20Z'))).toBe(at('2026-12-06T07:00:00Z'));
    expect(quietEndsAt(night, 'Europe/Madrid', at('2026-12-05T23:30:00Z'))).toBe(at('2026-12-06T06:00:00Z'));
  });
});

describe('holds', () => {
  it('last until the later of the mute and the quiet hours', () => {
    const now = at('2026-12-05T23:30:00Z');
    expect(holdUntil(now, { quiet: night, timeZone: 'UTC', state: noState })).toBe(at('2026-12-06T07:00:00Z'));
    expect(holdUntil(now, { quiet: { ...night, enabled: false }, timeZone: 'UTC', state: { mutedFrom: now - 1, mutedUntil: now + 60_000 } })).toBe(
      now + 60_000,
    );
    expect(holdUntil(now, { quiet: night, timeZone: 'UTC', state: { mutedFrom: now, mutedUntil: at('2026-12-06T09:00:00Z') } })).toBe(
      at('2026-12-06T09:00:00Z'),
    );
    expect(holdUntil(now, { quiet: { ...night, enabled: false }, timeZone: 'UTC', state: { mutedFrom: now - 10, mutedUntil: now - 1 } })).toBeNull();
  });

  it('know what arrived while muted', () => {
    const state = { mutedFrom: 1000, mutedUntil: 2000 };
    expect([999, 1000, 1999, 2000].map((t) => arrivedWhileMuted(t, state))).toEqual([false, true, true, false]);
    expect(arrivedWhileMuted(1500, noState)).toBe(false);
  });
});

describe('times for the owner', () => {
  it('clock time in the site’s zone, with the day when it is more than a day away', () => {
    const now = at('2026-12-05T10:00:00Z');
    expect(clockTime(now + 3_600_000, 'Europe/Madrid', now)).toBe('12:00');
    expect(clockTime(now + 3 * 86_400_000, 'UTC', now)).toBe('Tue 10:00');
  });

  it('how long ago', () => {
    expect([0, 59_000, 12 * 60_000, 3 * 3_600_000, 2 * 86_400_000].map((d) => ago(0, d))).toEqual(['just now', 'just now', '12 min ago', '3 h ago', '2 d ago']);
  });
});
