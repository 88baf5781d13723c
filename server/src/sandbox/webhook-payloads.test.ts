import { describe, expect, it } from 'vitest';
import { inboundWebhook, metaJson, statusWebhook } from './webhook-payloads.ts';

const business = { phoneNumberId: '100', wabaId: '200', displayPhoneNumber: '15550000100' };
const phone = {
  waId: '4915112345678',
  userId: 'US.1',
  usernameOnly: false,
  username: null,
  marketingStopped: false,
  group: null,
  profileName: 'Zoë',
  lastInboundAt: null,
  lastTypingAt: null,
  inbox: [],
  sent: [],
};

describe('metaJson', () => {
  it('escapes non-ASCII as \\uXXXX and slashes as \\/ like Meta, and stays valid JSON', () => {
    const value = { text: 'Zoë 👋 https://x.y/z' };
    const raw = metaJson(value);
    expect(raw).toBe('{"text":"Zo\\u00eb \\ud83d\\udc4b https:\\/\\/x.y\\/z"}');
    // eslint-disable-next-line no-control-regex -- checks the text is plain ASCII, control characters included
    expect(/^[\x00-\x7f]*$/.test(raw)).toBe(true);
    expect(JSON.parse(raw)).toEqual(value);
  });
});

describe('webhook bodies', () => {
  it('status webhooks carry v24+ fields and no conversation object', () => {
    const body = statusWebhook(business, phone, {
      wamid: 'wamid.X',
      status: 'delivered',
      timestamp: 1_700_000_000_999,
      pricing: { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
    });
    const value = body.entry[0]!.changes[0]!.value as any;
    expect(body.entry[0]!.id).toBe('200');
    expect(value.metadata).toEqual({ display_phone_number: '15550000100', phone_number_id: '100' });
    expect(value.statuses[0]).toEqual({
      id: 'wamid.X',
      status: 'delivered',
      timestamp: '1700000000',
      recipient_id: '4915112345678',
      recipient_user_id: 'US.1',
      pricing: { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
    });
    expect(value.statuses[0].conversation).toBeUndefined();
  });

  it('inbound webhooks carry the contact with user_id and the message with from_user_id', () => {
    const body = inboundWebhook(business, phone, { id: 'wamid.IN', type: 'text', text: { body: 'hi' } }, 1_700_000_000_000);
    const value = body.entry[0]!.changes[0]!.value as any;
    expect(value.contacts).toEqual([{ profile: { name: 'Zoë' }, wa_id: '4915112345678', user_id: 'US.1' }]);
    expect(value.messages).toEqual([
      { from: '4915112345678', from_user_id: 'US.1', id: 'wamid.IN', timestamp: '1700000000', type: 'text', text: { body: 'hi' } },
    ]);
  });
});
