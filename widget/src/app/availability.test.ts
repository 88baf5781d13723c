import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { dict as pt } from '../i18n/pt.ts';
import { availability, availabilityText } from './availability.ts';

const now = new Date('2026-12-04T18:30:00'); // a Friday evening, local time
const monday9 = new Date('2026-12-07T09:00:00');
const today20 = new Date('2026-12-04T20:00:00');

describe('widget availability line', () => {
  it('says "Online now" while an agent is online, whatever the business hours say', () => {
    const a = availability({ agents_online: false, next_open_at: monday9.toISOString() }, true, now);
    expect(availabilityText(a, en, 'en', now)).toBe('Online now');
    // Before the socket's first `presence`, the config's answer holds.
    expect(availability({ agents_online: true, next_open_at: null }, null, now)).toEqual({ kind: 'online' });
    expect(availability({ agents_online: true, next_open_at: null }, false, now)).toEqual({ kind: 'later' });
  });

  it("says when the team is back outside business hours, in the visitor's language and clock", () => {
    const a = availability({ agents_online: false, next_open_at: monday9.toISOString() }, false, now);
    expect(a).toEqual({ kind: 'back', at: monday9 });
    const weekday = new Intl.DateTimeFormat('en', { weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(monday9);
    expect(availabilityText(a, en, 'en', now)).toBe(`Back ${weekday}`);
    expect(availabilityText(a, en, 'en', now)).toMatch(/^Back Monday/);
    expect(availabilityText(a, pt, 'pt', now)).toMatch(/^Voltamos segunda-feira/);
    // Later today: the time alone.
    const tonight = availabilityText(availability({ agents_online: false, next_open_at: today20.toISOString() }, false, now), en, 'en', now);
    expect(tonight).toBe(`Back ${new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' }).format(today20)}`);
  });

  it('falls back to "We reply in a few hours" within hours, without hours, or with an opening already past', () => {
    for (const next of [null, new Date('2026-12-04T09:00:00').toISOString()]) {
      expect(availabilityText(availability({ agents_online: false, next_open_at: next }, false, now), en, 'en', now)).toBe('We reply in a few hours');
    }
  });
});
