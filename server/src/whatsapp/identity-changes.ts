/**
 * A customer's identity changed (Meta `system` messages): `user_changed_number` (the new number in
 * `system.wa_id`, `new_wa_id` in older payloads; Meta also issues a new business-scoped user id)
 * and `user_changed_user_id` (the new id in `system.user_id`). The contact is re-keyed, so their
 * next message lands in the same conversation and replies go to the new number or id; the thread
 * gets a line saying what changed. A new number or id that already belongs to another contact is
 * not taken (the line still says what Meta reported) — unless that contact is bare, nothing but a
 * preference Meta reported for the new number before this change reached us (the two travel in
 * different lanes): it is folded in, its preference kept.
 */
import type { InboundMessage } from '@connectdesk/shared';
import type { Knex } from 'knex';
import type { ContactRow, ContactsRepo } from '../db/repos/contacts-repo.ts';

/** Who sent it (whatsapp/inbound-messages.ts's Sender). */
interface Sender {
  waId: string | null;
  userId: string | null;
  name: string | null;
}

/**
 * `previousUserId`: the id the customer had (since Aug 2026 both kinds carry it), which finds their
 * contact when the message's sender fields already name the new one. A number change also gives a
 * new user id (`newUserId`), when Meta sends it.
 */
export type IdentityChange =
  | { kind: 'number'; newWaId: string; newUserId: string | null; previousUserId: string | null }
  | { kind: 'user_id'; newUserId: string; previousUserId: string | null };

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The change a system message reports, or null when it reports something else. */
export function identityChangeOf(msg: InboundMessage): IdentityChange | null {
  const system = (msg.system ?? {}) as Record<string, unknown>;
  const previousUserId = str(system.previous_user_id);
  if (system.type === 'user_changed_number') {
    const newWaId = str(system.wa_id) ?? str(system.new_wa_id);
    return newWaId && /^\d{5,20}$/.test(newWaId) ? { kind: 'number', newWaId, newUserId: str(system.user_id), previousUserId } : null;
  }
  if (system.type === 'user_changed_user_id') {
    const newUserId = str(system.user_id) ?? str(system.new_user_id);
    return newUserId ? { kind: 'user_id', newUserId, previousUserId } : null;
  }
  return null;
}

/**
 * Re-key the sender's contact; returns who they are now (to store the line under) and the line.
 * Run inside the transaction that stores the line. A retried delivery finds the contact already
 * re-keyed and changes nothing.
 */
export async function applyIdentityChange(
  contacts: ContactsRepo,
  sender: Sender,
  change: IdentityChange,
  trx: Knex,
): Promise<{ sender: Sender; line: string }> {
  const current =
    (sender.waId ? await contacts.byWaId(sender.waId, trx) : null) ??
    (sender.userId ? await contacts.byUserId(sender.userId, trx) : null) ??
    (change.previousUserId ? await contacts.byUserId(change.previousUserId, trx) : null);
  const who = current?.name ?? sender.name ?? 'The customer';
  if (change.kind === 'number') {
    const line = `${who} changed their number from ${sender.waId ? `+${sender.waId}` : 'a number we did not have'} to +${change.newWaId}`;
    const taken = await takenBy(contacts, await contacts.byWaId(change.newWaId, trx), current, trx);
    // The new number's user id, when Meta sent it and nobody else has it; else none until they write.
    const holder = change.newUserId ? await contacts.byUserId(change.newUserId, trx) : null;
    const newUserId = change.newUserId && (!holder || holder.id === current?.id) ? change.newUserId : null;
    if (current && !taken) await contacts.rekey(current.id, { wa_id: change.newWaId, phone: `+${change.newWaId}`, user_id: newUserId }, trx);
    return { sender: { waId: change.newWaId, userId: newUserId, name: sender.name }, line };
  }
  const previous = change.previousUserId ?? (sender.userId !== change.newUserId ? sender.userId : null);
  const line = `${who} changed their WhatsApp user id from ${previous ?? 'one we did not have'} to ${change.newUserId}`;
  const taken = await takenBy(contacts, await contacts.byUserId(change.newUserId, trx), current, trx);
  if (current && !taken) await contacts.rekey(current.id, { user_id: change.newUserId }, trx);
  return { sender: { waId: current?.wa_id ?? sender.waId, userId: change.newUserId, name: sender.name }, line };
}

/** The other contact holding the new key, or null once a bare one is folded into `current`. */
async function takenBy(contacts: ContactsRepo, holder: ContactRow | null, current: ContactRow | null, trx: Knex): Promise<ContactRow | null> {
  if (!holder || !current || holder.id === current.id) return holder;
  if (!(await contacts.isBare(holder.id, trx))) return holder;
  await contacts.foldBareInto(holder, current.id, trx);
  return null;
}
