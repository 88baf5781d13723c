import { describe, expect, it } from 'vitest';
import { BusinessHoursSchema } from '@connectdesk/shared';
import { businessMs } from './business-time.ts';

const H = 3_600_000;
const weekdays = (open: string, close: string, timezone = 'Europe/Lisbon') =>
  BusinessHoursSchema.parse({ enabled: true, timezone, days: [1, 2, 3, 4, 5].map((day) => ({ day, open, close })) });

describe('time within business hours', () => {
  it('counts everything when business hours are off', () => {
    expect(businessMs(BusinessHoursSchema.parse({ enabled: false }), 0, 5 * H)).toBe(5 * H);
  });

  it('counts only the opening hours: Friday 16:00 to Monday 10:00 is two hours', () => {
    // 2026-03-06 is a Friday; Lisbon is UTC+0 in March before the 29th.
    expect(businessMs(weekdays('09:00', '17:00'), Date.UTC(2026, 2, 6, 16), Date.UTC(2026, 2, 9, 10))).toBe(2 * H);
  });

  it('follows the zone across DST: 09:00–17:00 Lisbon on 30 March is 08:00–16:00 UTC', () => {
    expect(businessMs(weekdays('09:00', '17:00'), Date.UTC(2026, 2, 30, 0), Date.UTC(2026, 2, 30, 12))).toBe(4 * H);
  });

  it('an opening that closes after midnight runs into the next day', () => {
    const night = BusinessHoursSchema.parse({ enabled: true, timezone: 'UTC', days: [{ day: 1, open: '22:00', close: '02:00' }] });
    // Monday 2026-03-09 23:00 → Tuesday 03:00: open until 02:00.
    expect(businessMs(night, Date.UTC(2026, 2, 9, 23), Date.UTC(2026, 2, 10, 3))).toBe(3 * H);
  });

  it('nothing for an empty or reversed span', () => {
    expect(businessMs(weekdays('09:00', '17:00'), 10, 10)).toBe(0);
    expect(businessMs(weekdays('09:00', '17:00'), 10, 5)).toBe(0);
  });
});
