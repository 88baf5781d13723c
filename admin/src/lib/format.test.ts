import { describe, expect, it } from 'vitest';
import { formatDay, messageAt } from './format.ts';

describe('day labels', () => {
  it('use the local calendar day', () => {
    const now = new Date(2026, 10, 27, 12, 0); // local noon
    expect(formatDay(new Date(2026, 10, 27, 0, 5).toISOString(), now)).toBe('Today');
    expect(formatDay(new Date(now.getTime() - 30 * 3600_000).toISOString(), now)).toBe('Yesterday');
    expect(formatDay(new Date(2026, 10, 26, 23, 59).toISOString(), now)).toBe('Yesterday');
    expect(formatDay(new Date(2026, 10, 25, 12, 0).toISOString(), now)).not.toMatch(/Today|Yesterday/);
  });

  it('date an inbound WhatsApp message by when the customer sent it, not when the webhook came', () => {
    const late = { direction: 'inbound' as const, sent_at: '2026-11-26T06:00:00.000Z', created_at: '2026-11-27T12:00:00.000Z' };
    expect(messageAt(late)).toBe('2026-11-26T06:00:00.000Z');
    expect(messageAt({ ...late, sent_at: null })).toBe('2026-11-27T12:00:00.000Z');
    expect(messageAt({ ...late, direction: 'outbound' })).toBe('2026-11-27T12:00:00.000Z');
  });
});
