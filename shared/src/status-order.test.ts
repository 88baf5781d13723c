import { describe, expect, it } from 'vitest';
import { isStatusAdvance, statusesNotAdvancingTo } from './status-order.ts';

describe('isStatusAdvance', () => {
  it('moves sent → delivered → read and never back', () => {
    expect(isStatusAdvance('queued', 'sent')).toBe(true);
    expect(isStatusAdvance('sent', 'read')).toBe(true);
    expect(isStatusAdvance('read', 'delivered')).toBe(false);
    expect(isStatusAdvance('delivered', 'sent')).toBe(false);
    expect(isStatusAdvance('read', 'read')).toBe(false);
  });

  it('keeps read against a later failed, and failed against everything', () => {
    expect(isStatusAdvance('read', 'failed')).toBe(false);
    expect(isStatusAdvance('delivered', 'failed')).toBe(true);
    expect(isStatusAdvance('failed', 'read')).toBe(false);
  });

  it('lists, for a conditional update, exactly the stored statuses isStatusAdvance leaves alone', () => {
    const stored = ['queued', 'received', 'sent', 'delivered', 'read', 'played', 'failed', 'something-new'];
    for (const to of ['sent', 'delivered', 'read', 'played', 'failed']) {
      const kept = statusesNotAdvancingTo(to)!;
      for (const from of stored) expect(!kept.includes(from), `${from} → ${to}`).toBe(isStatusAdvance(from, to));
    }
    expect(statusesNotAdvancingTo('deleted')).toBeNull();
    expect(isStatusAdvance('sent', 'deleted')).toBe(false);
  });
});
