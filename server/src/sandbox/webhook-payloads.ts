/**
 * Webhook bodies as Meta builds them (Graph v24+): `whatsapp_business_account` entries with one
 * `messages` change; statuses without `conversation`, with PMP `pricing` and business-scoped ids;
 * inbound messages with `from_user_id` and the contact's `user_id`. `metaJson` serialises like
 * Meta: non-ASCII as \uXXXX and `/` as `\/`, so a receiver must verify the exact raw bytes.
 */
import type { Phone } from './state.ts';

export interface BusinessNumber {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
}

export type WebhookStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface Pricing {
  billable: boolean;
  pricing_model: 'PMP';
  type: 'regular' | 'free_customer_service' | 'free_entry_point';
  category: string;
}

function envelope(business: BusinessNumber, value: Record<string, unknown>, field = 'messages') {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
              ...value,
            },
            field,
          },
        ],
      },
    ],
  };
}

export function statusWebhook(
  business: BusinessNumber,
  phone: Phone,
  s: { wamid: string; status: WebhookStatus; timestamp: number; pricing?: Pricing; errors?: unknown[] },
) {
  return envelope(business, {
    statuses: [
      {
        id: s.wamid,
        status: s.status,
        timestamp: String(Math.floor(s.timestamp / 1000)),
        ...(phone.group ? { recipient_type: 'group' } : {}),
        ...(phone.usernameOnly ? {} : { recipient_id: phone.waId }),
        ...(phone.group ? {} : { recipient_user_id: phone.userId }),
        ...(s.pricing ? { pricing: s.pricing } : {}),
        ...(s.errors ? { errors: s.errors } : {}),
      },
    ],
  });
}

export function inboundWebhook(business: BusinessNumber, phone: Phone, message: Record<string, unknown> & { id: string; type: string }, timestamp: number) {
  const { id, ...content } = message;
  return envelope(business, {
    contacts: [contactOf(phone)],
    messages: [{ ...senderOf(phone), id, timestamp: String(Math.floor(timestamp / 1000)), ...content }],
  });
}

/** A member's message in a group: the sender as usual, plus `group_id` (Groups API). */
export function groupMessageWebhook(
  business: BusinessNumber,
  group: Phone,
  member: Phone,
  message: Record<string, unknown> & { id: string; type: string },
  timestamp: number,
) {
  const { id, ...content } = message;
  return envelope(business, {
    contacts: [contactOf(member)],
    messages: [{ ...senderOf(member), group_id: group.waId, id, timestamp: String(Math.floor(timestamp / 1000)), ...content }],
  });
}

/** A username user shares no number: only `user_id` (and the username) identify them. */
function contactOf(phone: Phone) {
  if (phone.usernameOnly) return { profile: { name: phone.profileName, username: phone.username }, user_id: phone.userId };
  return { profile: { name: phone.profileName }, wa_id: phone.waId, user_id: phone.userId };
}

function senderOf(phone: Phone) {
  return phone.usernameOnly ? { from_user_id: phone.userId } : { from: phone.waId, from_user_id: phone.userId };
}

/**
 * A `system` message (no contacts array, as Meta sends them): `user_changed_number` with the new
 * number in `system.wa_id` and the new business-scoped user id in `system.user_id`, or
 * `user_changed_user_id` with the new user id; both carry the old one in `system.previous_user_id`.
 */
export function identityChangeWebhook(
  business: BusinessNumber,
  before: { waId: string | null; userId: string; name: string },
  change: { kind: 'number'; waId: string; userId: string } | { kind: 'user_id'; userId: string },
  id: string,
  timestamp: number,
) {
  const system =
    change.kind === 'number'
      ? // A new number comes with a new business-scoped user id; the previous one is reported beside it (changelog, Aug 2026).
        {
          body: `User ${before.name} changed from ${before.waId} to ${change.waId}`,
          wa_id: change.waId,
          user_id: change.userId,
          previous_user_id: before.userId,
          type: 'user_changed_number',
        }
      : { body: `User ${before.name} changed their user id`, user_id: change.userId, previous_user_id: before.userId, type: 'user_changed_user_id' };
  return envelope(business, {
    messages: [
      {
        ...(before.waId ? { from: before.waId } : {}),
        from_user_id: before.userId,
        id,
        timestamp: String(Math.floor(timestamp / 1000)),
        type: 'system',
        system,
      },
    ],
  });
}

/** The `user_preferences` field: the phone's user stopped or resumed marketing messages. */
export function userPreferencesWebhook(business: BusinessNumber, phone: Phone, value: 'stop' | 'resume', timestamp: number) {
  return envelope(
    business,
    {
      contacts: [contactOf(phone)],
      user_preferences: [
        {
          ...(phone.usernameOnly ? { user_id: phone.userId } : { wa_id: phone.waId }),
          detail: value === 'stop' ? 'User requested to stop marketing messages' : 'User requested to resume marketing messages',
          category: 'marketing_messages',
          value,
          timestamp: Math.floor(timestamp / 1000),
        },
      ],
    },
    'user_preferences',
  );
}

export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
