import { describe, expect, it } from 'vitest';
import { formatWindowLeft, WINDOW_MS, windowState } from './window.ts';

describe('24-hour window', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  it('is open for 24 hours after the customer last wrote, by their timestamp', () => {
    const last = new Date(now.getTime() - 23 * 3600_000);
    expect(windowState(last, now)).toEqual({ open: true, closes_at: new Date(last.getTime() + WINDOW_MS).toISOString() });
  });
  it('is closed after 24 hours, and closed with no customer message at all', () => {
    expect(windowState(new Date(now.getTime() - 24 * 3600_000 - 1), now).open).toBe(false);
    expect(windowState(new Date(now.getTime() - 24 * 3600_000), now).open).toBe(false);
    expect(windowState(null, now)).toEqual({ open: false, closes_at: null });
  });
  it('formats the time left', () => {
    expect(formatWindowLeft(new Date(now.getTime() + (23 * 60 + 12) * 60_000 + 5000).toISOString(), now)).toBe('23h 12m left');
    expect(formatWindowLeft(new Date(now.getTime() + 12 * 60_000 + 5000).toISOString(), now)).toBe('12m left');
    expect(formatWindowLeft(new Date(now.getTime() - 1).toISOString(), now)).toBe('closed');
    expect(formatWindowLeft(null, now)).toBe('closed');
  });
});
