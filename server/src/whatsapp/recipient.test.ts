import { describe, expect, it } from 'vitest';
import { addressed, recipientOf } from './recipient.ts';

describe('recipientOf / addressed', () => {
  const body = { messaging_product: 'whatsapp', recipient_type: 'individual', to: 'placeholder', type: 'text', text: { body: 'hi' } };

  it('writes to the number when the contact has one, even with a user id', () => {
    const r = recipientOf({ wa_id: '447700900001', user_id: 'US.1', whatsapp_group_id: null })!;
    expect(addressed(body, r)).toEqual({ ...body, to: '447700900001' });
  });

  it('writes to a username user by recipient alone (no to)', () => {
    const r = recipientOf({ wa_id: null, user_id: 'US.13491208655302741918', whatsapp_group_id: null })!;
    const out = addressed(body, r) as Record<string, unknown>;
    expect(out).not.toHaveProperty('to');
    expect(out.recipient).toBe('US.13491208655302741918');
    expect(out.recipient_type).toBe('individual');
  });

  it('writes to a group with recipient_type group and the group id in to', () => {
    const r = recipientOf({ wa_id: null, user_id: null, whatsapp_group_id: 'Y2FwaV9ncm91cDox' })!;
    expect(addressed(body, r)).toEqual({ ...body, recipient_type: 'group', to: 'Y2FwaV9ncm91cDox' });
  });

  it('has nobody to write to without any id', () => {
    expect(recipientOf({ wa_id: null, user_id: null, whatsapp_group_id: null })).toBeNull();
  });
});
