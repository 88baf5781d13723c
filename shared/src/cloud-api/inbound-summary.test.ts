import { describe, expect, it } from 'vitest';
import { summarizeMessage } from './inbound-summary.ts';

const base = { from: '15550001111', id: 'wamid.A', timestamp: '1700000000' };

describe('summarizeMessage', () => {
  it('text keeps the body; a referral says which ad it came from', () => {
    expect(summarizeMessage({ ...base, type: 'text', text: { body: 'Hello' } })).toEqual({ type: 'text', body: 'Hello', media: null });
    expect(summarizeMessage({ ...base, type: 'text', text: { body: 'Hi' }, referral: { headline: 'Spring sale' } }).body).toBe(
      'Hi\n↪ From the ad “Spring sale”',
    );
  });

  it('media types carry their media id, mime, checksum and a readable label', () => {
    const image = summarizeMessage({ ...base, type: 'image', image: { id: 'm1', mime_type: 'image/jpeg', sha256: 'abc=', caption: 'my cat' } });
    expect(image).toEqual({ type: 'image', body: '📷 Image: my cat', media: { metaMediaId: 'm1', mime: 'image/jpeg', sha256: 'abc=', filename: null } });
    expect(summarizeMessage({ ...base, type: 'audio', audio: { id: 'a', voice: true } }).body).toBe('🎤 Voice message');
    expect(summarizeMessage({ ...base, type: 'audio', audio: { id: 'a', voice: false } }).body).toBe('🎵 Audio');
    expect(summarizeMessage({ ...base, type: 'sticker', sticker: { id: 's', animated: true } }).body).toBe('Animated sticker');
    const doc = summarizeMessage({ ...base, type: 'document', document: { id: 'd', filename: 'invoice.pdf', caption: 'March' } });
    expect(doc.body).toBe('📄 Document: invoice.pdf — March');
    expect(doc.media?.filename).toBe('invoice.pdf');
    expect(summarizeMessage({ ...base, type: 'video', video: {} }).media).toBeNull();
  });

  it('location, contacts and orders become one readable line', () => {
    expect(summarizeMessage({ ...base, type: 'location', location: { latitude: 37.46, longitude: -122.21, name: 'Facebook HQ' } }).body).toBe(
      '📍 Location: Facebook HQ (37.46, -122.21)',
    );
    expect(summarizeMessage({ ...base, type: 'location', location: { latitude: 1.5, longitude: 2 } }).body).toBe('📍 Location (1.5, 2)');
    expect(summarizeMessage({ ...base, type: 'contacts', contacts: [{ name: { formatted_name: 'Ana Lima' }, phones: [{ phone: '+1 555 0100' }] }] }).body).toBe(
      'Contact card: Ana Lima +1 555 0100',
    );
    expect(
      summarizeMessage({
        ...base,
        type: 'contacts',
        contacts: [{ name: { first_name: 'A' } }, { name: { formatted_name: 'B' }, phones: [{ wa_id: '1555' }] }],
      }).body,
    ).toBe('Contact cards: A, B 1555');
    expect(
      summarizeMessage({
        ...base,
        type: 'order',
        order: {
          product_items: [
            { product_retailer_id: 'TEA', quantity: 2, item_price: 3.5, currency: 'EUR' },
            { product_retailer_id: 'CAKE', quantity: 1, item_price: 4, currency: 'EUR' },
          ],
        },
      }).body,
    ).toBe('🛒 Order: 2 × TEA, 1 × CAKE (total 11 EUR)');
  });

  it('interactive replies, buttons, reactions, system and unsupported messages', () => {
    expect(summarizeMessage({ ...base, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'x', title: 'Yes' } } }).body).toBe('Yes');
    expect(
      summarizeMessage({ ...base, type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'x', title: 'Plan B', description: 'cheaper' } } })
        .body,
    ).toBe('Plan B — cheaper');
    expect(summarizeMessage({ ...base, type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent' } } }).body).toBe(
      '📝 Form response: Sent',
    );
    expect(summarizeMessage({ ...base, type: 'interactive' }).body).toBe('Interactive reply (could not be read)');
    expect(summarizeMessage({ ...base, type: 'button', button: { text: 'Stop promotions', payload: 'STOP' } }).body).toBe('Stop promotions');
    expect(summarizeMessage({ ...base, type: 'reaction', reaction: { message_id: 'w', emoji: '👍' } }).body).toBe('Reacted 👍');
    expect(summarizeMessage({ ...base, type: 'system', system: { body: 'User A changed number' } }).body).toBe('User A changed number');
    expect(
      summarizeMessage({ ...base, type: 'unsupported', unsupported: { type: 'poll_creation' }, errors: [{ code: 131051, title: 'Message type unknown' }] })
        .body,
    ).toBe('Unsupported message (poll_creation): Message type unknown');
    expect(summarizeMessage({ ...base, type: 'brand_new_type' }).body).toBe('brand_new_type message');
  });

  it('an edit is summarised by its new content', () => {
    const s = summarizeMessage({ ...base, type: 'edit', edit: { original_message_id: 'wamid.O', message: { type: 'text', text: { body: 'fixed typo' } } } });
    expect(s).toEqual({ type: 'text', body: 'fixed typo', media: null });
  });
});
