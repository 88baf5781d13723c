/**
 * Customers' plain text messages from a batch of webhook deliveries, applied together: one
 * transaction and a handful of multi-row statements for the whole batch instead of ~10 statements
 * per message, so a burst reaches the agents' screens at the rate it is acknowledged. What it
 * stores is exactly what InboundMessages.store stores for the same message (the same contact,
 * conversation, message row and conversation changes); anything out of the ordinary — media,
 * quotes, groups, reactions, edits, a verification code, the owner, a contact known only by user
 * id — is left to that per-message path (`isPlain` decides before, `apply` reports the customers
 * it left).
 */
import type { InboundMessage } from '@connectdesk/shared';
import type { Knex } from 'knex';
import type { TxRunner } from '../db/group-commit.ts';
import type { ContactRow, ContactsRepo } from '../db/repos/contacts-repo.ts';
import { withContactRow, type ConversationsRepo, type ConversationWithContact } from '../db/repos/conversations-repo.ts';
import type { MessageRow, MessagesRepo, NewMessage } from '../db/repos/messages-repo.ts';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';
import type { ConversationLog } from '../conversations/conversation-log.ts';
import { findVerificationCode } from '../conversations/phone-verification.ts';
import { summarizeMessage } from '@connectdesk/shared/cloud-api/inbound-summary';
import type { InboundSender, SurveyAnswers } from './inbound-messages.ts';

/** One customer message of a delivery; `key` is the delivery's ordering key (one customer). */
export interface PlainInbound {
  key: string;
  number: WhatsAppNumber;
  msg: InboundMessage;
  sender: InboundSender & { waId: string };
}

export interface InboundBulkDeps {
  tx: TxRunner;
  contacts: ContactsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  log: ConversationLog;
  surveyAnswers?: SurveyAnswers;
}

export class InboundBulk {
  constructor(private readonly deps: InboundBulkDeps) {}

  /** A one-to-one customer's text, quoting nothing and carrying no verification code or survey answer. */
  isPlain(msg: InboundMessage, sender: InboundSender): sender is InboundSender & { waId: string } {
    return (
      msg.type === 'text' &&
      typeof msg.text?.body === 'string' &&
      !msg.group_id &&
      !msg.context &&
      sender.waId !== null &&
      findVerificationCode(msg.text.body) === null &&
      !this.deps.surveyAnswers?.replyIn(msg)
    );
  }

  /**
   * Store the items (in order; wamids stored already are skipped, as duplicates are) and tell the
   * agents. Returns the keys of the customers it left alone: none of their items was stored, and
   * they are for the per-message path. `within` runs last in the same transaction, told those keys
   * (the caller marks the deliveries it applied as done there: one commit for both).
   */
  async apply(items: PlainInbound[], within?: (trx: Knex, left: Set<string>) => Promise<void>): Promise<{ left: Set<string> }> {
    const { contacts, conversations, messages } = this.deps;
    const now = Date.now();
    const result = await this.deps.tx(async (trx) => {
      const stored = await messages.storedWamids(
        items.map((i) => i.msg.id),
        trx,
      );
      const seen = new Set<string>();
      let fresh = items.filter((i) => !stored.has(i.msg.id) && !seen.has(i.msg.id) && seen.add(i.msg.id));

      // Contacts, by wa_id; one known only by user id gets its wa_id from the per-message path.
      const waIds = [...new Set(fresh.map((i) => i.sender.waId))];
      const byWaId = new Map<string, ContactRow>((await contacts.byWaIds(waIds, trx)).map((c) => [c.wa_id!, c]));
      const unknown = fresh.filter((i) => !byWaId.has(i.sender.waId));
      const userIds = [...new Set(unknown.flatMap((i) => (i.sender.userId ? [i.sender.userId] : [])))];
      const knownUserIds = new Set((await contacts.byUserIds(userIds, trx)).map((c) => c.user_id));
      const left = new Set(unknown.filter((i) => i.sender.userId && knownUserIds.has(i.sender.userId)).map((i) => i.key));
      fresh = fresh.filter((i) => !left.has(i.key));

      // New customers, with the latest profile name each delivery carried.
      const latest = new Map<string, PlainInbound['sender']>();
      for (const i of fresh) latest.set(i.sender.waId, { ...(latest.get(i.sender.waId) ?? i.sender), ...definedOf(i.sender) });
      const toCreate = [...latest.values()].filter((s) => !byWaId.has(s.waId));
      for (const c of await contacts.createWhatsAppMany(toCreate, trx)) byWaId.set(c.wa_id!, c);
      // Known ones: the profile name and a missing user id kept up to date, as upsertWhatsApp does.
      for (const s of latest.values()) {
        const c = byWaId.get(s.waId)!;
        const patch: { name?: string; user_id?: string } = {};
        if (s.name && s.name !== c.name) patch.name = s.name;
        if (s.userId && !c.user_id) patch.user_id = s.userId;
        if (Object.keys(patch).length) {
          await trx('contacts')
            .where({ id: c.id })
            .update({ ...patch, updated_at: now });
          byWaId.set(s.waId, { ...c, ...patch, updated_at: now });
        }
      }

      // Each contact's latest WhatsApp conversation, created on first contact.
      const contactIds = [...new Set(fresh.map((i) => byWaId.get(i.sender.waId)!.id))];
      const conversationOf = await conversations.latestForMany(contactIds, 'whatsapp', trx);
      const firstByContact = new Map<string, PlainInbound>();
      for (const i of fresh) {
        const contactId = byWaId.get(i.sender.waId)!.id;
        if (!conversationOf.has(contactId) && !firstByContact.has(contactId)) firstByContact.set(contactId, i);
      }
      const created = await conversations.createMany(
        [...firstByContact].map(([contactId, i]) => ({ channel: 'whatsapp' as const, contactId, whatsappNumberId: i.number.id, at: now })),
        trx,
      );
      for (const c of created) conversationOf.set(c.contact_id, c);

      const rows = await messages.insertMany(
        fresh.map((i): NewMessage => ({
          conversationId: conversationOf.get(byWaId.get(i.sender.waId)!.id)!.id,
          channel: 'whatsapp',
          direction: 'inbound',
          sender: 'customer',
          // The same summary the per-message path stores (a text from an ad says which ad).
          type: 'text',
          body: summarizeMessage(i.msg).body,
          content: i.msg,
          wamid: i.msg.id,
          status: 'received',
          sentAt: Number(i.msg.timestamp) * 1000,
          createdAt: now,
        })),
        trx,
      );
      // What the messages change on each conversation, once per conversation: what
      // ConversationLog.appendOnce does for each of them, added up.
      const touched = new Map<string, { preview: string; count: number; customerTimestamp: number }>();
      rows.forEach((row, n) => {
        const t = touched.get(row.conversation_id);
        const ts = Number(fresh[n]!.msg.timestamp) * 1000;
        touched.set(row.conversation_id, {
          preview: row.body,
          count: (t?.count ?? 0) + 1,
          customerTimestamp: Math.max(t?.customerTimestamp ?? 0, ts),
        });
      });
      // The agents' notice is built from the conversations as touched and the contacts in hand.
      const contactById = new Map([...byWaId.values()].map((c) => [c.id, c]));
      const shown = new Map<string, ConversationWithContact>();
      for (const conversation of await conversations.touchManyInbound(
        now,
        [...touched].map(([id, t]) => ({ id, ...t })),
        trx,
      )) {
        const contact = contactById.get(conversation.contact_id);
        if (contact) shown.set(conversation.id, withContactRow(conversation, contact));
      }
      await within?.(trx, left);
      return { rows, left, shown };
    });
    await this.deps.log.announceMany(result.rows satisfies MessageRow[], result.shown);
    return { left: result.left };
  }
}

/** The sender's fields that are set (a later delivery's name wins only when it carries one). */
function definedOf(s: PlainInbound['sender']): Partial<PlainInbound['sender']> {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== null && v !== undefined));
}
