/**
 * Inbound WhatsApp messages from customers: stored once per wamid in the contact's `whatsapp`
 * conversation (created on first contact), with the type-faithful object in `content`, a readable
 * summary in `body`, the quoted message when we know it, and media queued for download. Moves
 * the 24-hour window by Meta's timestamp. Reactions, edits and revokes change the message they
 * point at. Messages from the owner's own phone go to the owner console instead.
 */
import type { TxRunner } from '../db/group-commit.ts';
import type { InboundMessage } from '@connectdesk/shared';
import type { ContactsRepo } from '../db/repos/contacts-repo.ts';
import type { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MediaRepo } from '../db/repos/media-repo.ts';
import type { MessageRow, MessagesRepo } from '../db/repos/messages-repo.ts';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';
import { summarizeMessage } from './inbound-summary.ts';
import type { MessageChanges } from './message-changes.ts';
import type { MessagePush } from './message-push.ts';

export interface InboundSender {
  waId: string | null;
  userId: string | null;
  name: string | null;
}

/** A message that can never be applied as it is (retrying will not help). */
export class UnusableWebhookError extends Error {
  override name = 'UnusableWebhookError';
}

/** Who sent it: `from`/`wa_id` when present, else Meta's business-scoped user id. */
export function senderOf(msg: InboundMessage, contacts: { wa_id?: string; user_id?: string; profile?: { name?: string } }[]): InboundSender {
  const digits = (v: string | undefined) => (v && /^\d{5,20}$/.test(v) ? v : null);
  // The contact entry that describes this sender; a lone entry only when `from` is unusable.
  const contact =
    contacts.find((c) => c.wa_id && c.wa_id === msg.from) ??
    contacts.find((c) => c.user_id && c.user_id === msg.from_user_id) ??
    (!digits(msg.from) && contacts.length === 1 ? contacts[0] : undefined);
  return {
    waId: digits(msg.from) ?? digits(contact?.wa_id),
    userId: msg.from_user_id ?? contact?.user_id ?? null,
    name: contact?.profile?.name?.trim() || null,
  };
}

/** Types that are not the customer writing (they neither open the window nor count as unread). */
const NOT_CUSTOMER_TURN = new Set(['system', 'revoke', 'reaction']);

export interface InboundMessagesDeps {
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  contacts: ContactsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  media: MediaRepo;
  changes: MessageChanges;
  push: MessagePush;
  /** New inbound media to download. */
  onMedia: () => void;
}

const DUPLICATE = Symbol('duplicate');

export class InboundMessages {
  constructor(private readonly d: InboundMessagesDeps) {}

  async apply(number: WhatsAppNumber, msg: InboundMessage, sender: InboundSender): Promise<void> {
    const ts = Number(msg.timestamp) * 1000;
    switch (msg.type) {
      case 'reaction':
        return this.react(number, msg, sender);
      case 'edit':
        return this.edit(number, msg, sender, ts);
      case 'revoke':
        return this.revoke(number, msg, sender, ts);
      default:
        await this.store(number, msg, sender, {});
    }
  }

  private async react(number: WhatsAppNumber, msg: InboundMessage, sender: InboundSender): Promise<void> {
    const reaction = msg.reaction;
    if (!reaction) throw new UnusableWebhookError('reaction message without a reaction object');
    const changed = await this.d.changes.react(reaction.message_id, sender.waId ?? sender.userId ?? 'customer', reaction.emoji);
    if (changed) return void (await this.d.push.message(changed));
    // The message they reacted to is not ours to show: keep the reaction visible rather than lose it.
    if (reaction.emoji) await this.store(number, msg, sender, {});
  }

  private async edit(number: WhatsAppNumber, msg: InboundMessage, sender: InboundSender, ts: number): Promise<void> {
    const edit = msg.edit as { original_message_id?: unknown; message?: unknown } | undefined;
    if (typeof edit?.original_message_id !== 'string' || !edit.original_message_id || !edit.message || typeof edit.message !== 'object' || Array.isArray(edit.message)) {
      throw new UnusableWebhookError('edit without original_message_id and message');
    }
    const replacementContent = edit.message as Record<string, unknown>;
    const changed = await this.d.changes.edit(edit.original_message_id, replacementContent, ts);
    if (changed) return void (await this.d.push.message(changed));
    // The original never reached us (or comes later): store the edited version under its wamid, so
    // the original, when it arrives, is a duplicate and the newer text wins.
    const replacement = { ...replacementContent, id: edit.original_message_id, from: msg.from, from_user_id: msg.from_user_id, timestamp: msg.timestamp } as InboundMessage;
    await this.store(number, replacement, sender, { editedAt: ts });
  }

  private async revoke(number: WhatsAppNumber, msg: InboundMessage, sender: InboundSender, ts: number): Promise<void> {
    const originalId = (msg.revoke as { original_message_id?: unknown } | undefined)?.original_message_id;
    if (typeof originalId !== 'string' || !originalId) throw new UnusableWebhookError('revoke without original_message_id');
    const changed = await this.d.changes.revoke(originalId, ts);
    if (changed) return void (await this.d.push.message(changed));
    // Deleted before we saw it: a tombstone under the original wamid keeps it deleted if it shows up.
    const tombstone = { ...msg, id: originalId } as InboundMessage;
    await this.store(number, tombstone, sender, { deletedAt: ts });
  }

  /** Store a new message; returns null when this wamid is already stored. */
  async store(number: WhatsAppNumber, msg: InboundMessage, sender: InboundSender, opts: { editedAt?: number; deletedAt?: number }): Promise<MessageRow | null> {
    if (!sender.waId && !sender.userId) throw new UnusableWebhookError(`message ${msg.id} has neither a sender phone nor a user id`);
    const summary = summarizeMessage(msg);
    const ts = Number(msg.timestamp) * 1000;
    const customerTurn = !NOT_CUSTOMER_TURN.has(summary.type) && opts.deletedAt === undefined;
    const now = Date.now();
    const row = await this.d.tx(async (trx) => {
        if (await this.d.messages.byWamid(msg.id, trx)) return null;
        const contact = await this.d.contacts.upsertWhatsApp({ waId: sender.waId, userId: sender.userId, name: sender.name }, trx);
        const conversation =
          (await this.d.conversations.latestFor(contact.id, 'whatsapp', trx)) ??
          (await this.d.conversations.create({ channel: 'whatsapp', contactId: contact.id, whatsappNumberId: number.id, at: now }, trx));
        const media = summary.media
          ? await this.d.media.createInbound(
              { metaMediaId: summary.media.metaMediaId, mime: summary.media.mime, expectedSha256: summary.media.sha256, filename: summary.media.filename },
              trx,
            )
          : null;
        const contextWamid = msg.context?.id ?? null;
        const quoted = contextWamid ? await this.d.messages.byWamid(contextWamid, trx) : null;
        const inserted = await this.d.messages.insertOnce(
          {
            conversationId: conversation.id,
            direction: 'inbound',
            sender: 'customer',
            type: summary.type,
            body: summary.body,
            content: msg,
            wamid: msg.id,
            status: 'received',
            contextWamid,
            contextMessageId: quoted?.id ?? null,
            mediaId: media?.id ?? null,
            sentAt: ts,
            createdAt: now,
          },
          trx,
        );
        if (!inserted) throw DUPLICATE; // a concurrent delivery won: roll back the media row too
        const extra: Partial<MessageRow> = {};
        if (opts.editedAt !== undefined) extra.edited_at = opts.editedAt;
        if (opts.deletedAt !== undefined) extra.deleted_at = opts.deletedAt;
        if (Object.keys(extra).length) await this.d.messages.update(inserted.id, extra, trx);
        await this.d.conversations.touch(
          conversation.id,
          { at: now, preview: opts.deletedAt !== undefined ? 'This message was deleted' : summary.body, inbound: customerTurn, customerTimestamp: customerTurn ? ts : null },
          trx,
        );
        return { ...inserted, ...extra };
      })
      .catch((err: unknown) => {
        if (err === DUPLICATE) return null;
        throw err;
      });
    if (!row) return null;
    await this.d.push.message(row);
    if (row.media_id) this.d.onMedia();
    return row;
  }
}
