import { describe, expect, it } from 'vitest';
import { conversation } from '../test-fixtures.ts';
import { windowView } from './window-view.ts';

const now = new Date('2026-11-27T12:00:00Z');

describe('the 24-hour window as shown', () => {
  it('does not apply to web chats', () => {
    expect(windowView(conversation({ channel: 'web' }), now)).toMatchObject({ applies: false, open: true });
  });

  it('counts down the server’s closes_at and turns urgent in the last hour', () => {
    expect(windowView(conversation({ channel: 'whatsapp', window: { open: true, closes_at: '2026-11-28T11:12:30Z' } }), now)).toEqual({
      applies: true,
      open: true,
      label: '23h 12m left',
      urgent: false,
    });
    expect(windowView(conversation({ channel: 'whatsapp', window: { open: true, closes_at: '2026-11-27T12:30:00Z' } }), now)).toMatchObject({
      label: '30m left',
      urgent: true,
    });
  });

  it('is closed when the server says so or when the countdown runs out', () => {
    expect(windowView(conversation({ channel: 'whatsapp', window: { open: false, closes_at: '2026-11-26T12:00:00Z' } }), now)).toMatchObject({
      open: false,
      label: 'Window closed',
    });
    expect(windowView(conversation({ channel: 'whatsapp', window: { open: true, closes_at: '2026-11-27T11:59:00Z' } }), now)).toMatchObject({ open: false });
    expect(windowView(conversation({ channel: 'whatsapp', window: { open: false, closes_at: null } }), now).open).toBe(false);
  });
});
