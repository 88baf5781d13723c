import { describe, expect, it } from 'vitest';
import { message } from '../test-fixtures.ts';
import { contactCards, interactiveView, locationView, reactionEmoji, typedContent } from './message-view.ts';

describe('message content views', () => {
  it('reads the typed part whether the server kept the whole message or just its part', () => {
    expect(typedContent(message({ type: 'location', content: { type: 'location', location: { latitude: 1 } } }))).toEqual({ latitude: 1 });
    expect(typedContent(message({ type: 'location', content: { latitude: 1 } }))).toEqual({ latitude: 1 });
    expect(typedContent(message({ content: 'nope' }))).toBeNull();
  });

  it('a location has its coordinates and an OpenStreetMap link; nonsense coordinates give none', () => {
    const v = locationView(message({ type: 'location', content: { location: { latitude: 51.5007, longitude: -0.1246, name: 'Big Ben' } } }))!;
    expect(v.coordinates).toBe('51.5007, -0.1246');
    expect(v.mapUrl).toBe('https://www.openstreetmap.org/?mlat=51.5007&mlon=-0.1246#map=16/51.5007/-0.1246');
    expect(v.name).toBe('Big Ben');
    expect(locationView(message({ type: 'location', content: { latitude: 'javascript:alert(1)', longitude: 0 } }))).toBeNull();
    expect(locationView(message({ type: 'location', content: { latitude: 200, longitude: 0 } }))).toBeNull();
  });

  it('contact cards list names, phones, emails', () => {
    const cards = contactCards(
      message({
        type: 'contacts',
        content: {
          contacts: [
            { name: { formatted_name: 'Carlos' }, phones: [{ phone: '+34 600' }], emails: [{ email: 'c@x.es' }], org: { company: 'ACME' } },
            { phones: [{ wa_id: '123' }] },
          ],
        },
      }),
    );
    expect(cards).toEqual([
      { name: 'Carlos', phones: ['+34 600'], emails: ['c@x.es'], organization: 'ACME' },
      { name: '123', phones: ['123'], emails: [], organization: null },
    ]);
  });

  it('interactive replies and quick-reply buttons show what the customer chose', () => {
    expect(
      interactiveView(
        message({ type: 'interactive', content: { interactive: { type: 'list_reply', list_reply: { id: '1', title: 'Blue', description: 'Size M' } } } }),
      ),
    ).toEqual({
      kind: 'List reply',
      title: 'Blue',
      description: 'Size M',
    });
    expect(interactiveView(message({ type: 'button', text: 'Yes', content: { button: { text: 'Yes', payload: 'y' } } }))?.kind).toBe('Quick reply');
    expect(reactionEmoji(message({ type: 'reaction', content: { reaction: { emoji: '👍', message_id: 'w' } } }))).toBe('👍');
  });
});
