/**
 * Where a reply to a WhatsApp contact goes. A group's id goes in `to` (`recipient_type: "group"`);
 * a phone number goes in `to`; a username user who
 * shares no number is reached by their business-scoped user id in `recipient` (Meta, 2026). The
 * key also orders the outbox: one queue per contact, whichever id reaches them.
 */
import type { ContactRow } from '../db/repos/contacts-repo.ts';

export type Recipient = { kind: 'phone'; id: string } | { kind: 'user_id'; id: string } | { kind: 'group'; id: string };

export function recipientOf(contact: Pick<ContactRow, 'wa_id' | 'user_id' | 'whatsapp_group_id'>): Recipient | null {
  if (contact.whatsapp_group_id) return { kind: 'group', id: contact.whatsapp_group_id };
  if (contact.wa_id) return { kind: 'phone', id: contact.wa_id };
  if (contact.user_id) return { kind: 'user_id', id: contact.user_id };
  return null;
}

/**
 * The send body addressed to the recipient: `to` for a phone number; `recipient_type: "group"` and
 * the group id in `to` for a group; else the user id in `recipient` alone.
 */
export function addressed<T extends object>(payload: T, r: Recipient): T {
  if (r.kind === 'phone') return { ...payload, to: r.id };
  if (r.kind === 'group') return { ...payload, recipient_type: 'group', to: r.id };
  const { to: _to, ...rest } = payload as T & { to?: unknown };
  return { ...rest, recipient: r.id } as T;
}
