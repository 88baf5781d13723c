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
import type { PhoneVerification } from '../conversations/phone-verification.ts';
import { summarizeMessage } from '@connectdesk/shared/cloud-api/inbound-summary';
import type { MessageChanges } from '../conversations/message-changes.ts';
import type { ConversationLog } from '../conversations/conversation-log.ts';
import { applyIdentityChange, identityChangeOf, type IdentityChange } from './identity-changes.ts';

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
  log: ConversationLog;
  /** New inbound media to download. */
  onMedia: () => void;
  /** A visitor's code sent from their WhatsApp number proves the number is theirs. */
  verification?: PhoneVerification;
  /** Answers to the satisfaction survey's list (satisfaction/whatsapp-answers.ts). */
  surveyAnswers?: SurveyAnswers;
}

/** A tap in the survey list: stored without counting as unread, then recorded as the survey's answer. */
export interface SurveyAnswers {
  replyIn(msg: InboundMessage): { surveyId: string; rating: number } | null;
  record(row: MessageRow, reply: { surveyId: string; rating: number }): Promise<boolean>;
}

const DUPLICATE = new Error('duplicate'); // thrown to roll back, recognised by identity

export class InboundMessages {
  private readonly surveyAnswers: InboundMessagesDeps['surveyAnswers'];
  private readonly messages: InboundMessagesDeps['messages'];
  private readonly changes: InboundMessagesDeps['changes'];
  private readonly log: InboundMessagesDeps['log'];
  private readonly tx: InboundMessagesDeps['tx'];
  private readonly contacts: InboundMessagesDeps['contacts'];
  private readonly media: InboundMessagesDeps['media'];
  private readonly verification: InboundMessagesDeps['verification'];
  private readonly onMedia: InboundMessagesDeps['onMedia'];

  constructor({ surveyAnswers, messages, changes, log, tx, contacts, media, verification, onMedia }: InboundMessagesDeps) {
    this.surveyAnswers = surveyAnswers;
    this.messages = messages;
    this.changes = changes;
    this.log = log;
    this.tx = tx;
    this.contacts = contacts;
    this.media = media;
    this.verification = verification;
    this.onMedia = onMedia;
  }

  async apply(number: WhatsAppNumber, msg: InboundMessage, sender: InboundSender): Promise<void> {
    const ts = Number(msg.timestamp) * 1000;
    const identityChange = msg.type === 'system' ? identityChangeOf(msg) : null;
    if (identityChange) return void (await this.store(number, msg, sender, { identityChange }));
    switch (msg.type) {
      case 'reaction':
        return this.react(number, msg, sender);
      case 'edit':
        return this.edit(number, msg, sender, ts);
      case 'revoke':
        return this.revoke(number, msg, sender, ts);
      default: {
        const reply = this.surveyAnswers?.replyIn(msg) ?? null;
        if (!reply) {
          await this.store(number, msg, sender, {});
          return;
        }
        // Stored first (it is what the customer sent); a retried delivery finds the stored row.
        const row = (await this.store(number, msg, sender, { countsAsUnread: false })) ?? (await this.messages.byWamid(msg.id));
        if (row) await this.surveyAnswers!.record(row, reply);
      }
    }
  }

  private async react(number: WhatsAppNumber, msg: InboundMessage, sender: InboundSender): Promise<void> {
    const reaction = msg.reaction;
    if (!reaction) throw new UnusableWebhookError('reaction message without a reaction object');
    const changed = await this.changes.react(reaction.message_id, sender.waId ?? sender.userId ?? 'customer', reaction.emoji);
    if (changed) return void (await this.log.announce(changed));
    // The message they reacted to is not ours to show: keep the reaction visible rather than lose it.
    if (reaction.emoji) await this.store(number, msg, sender, {});
  }

  private async edit(number: WhatsAppNumber, msg: InboundMessage, sender: InboundSender, ts: number): Promise<void> {
    const edit = msg.edit as { original_message_id?: unknown; message?: unknown } | undefined;
    if (
      typeof edit?.original_message_id !== 'string' ||
      !edit.original_message_id ||
      !edit.message ||
      typeof edit.message !== 'object' ||
      Array.isArray(edit.message)
    ) {
      throw new UnusableWebhookError('edit without original_message_id and message');
    }
    const replacementContent = edit.message as Record<string, unknown>;
    const changed = await this.changes.edit(edit.original_message_id, replacementContent, ts);
    if (changed) return void (await this.log.announce(changed));
    // The original never reached us (or comes later): store the edited version under its wamid, so
    // the original, when it arrives, is a duplicate and the newer text wins.
    const replacement = {
      ...replacementContent,
      id: edit.original_message_id,
      from: msg.from,
      from_user_id: msg.from_user_id,
      timestamp: msg.timestamp,
    } as InboundMessage;
    await this.store(number, replacement, sender, { editedAt: ts });
  }

  private async revoke(number: WhatsAppNumber, msg: InboundMessage, sender: InboundSender, ts: number): Promise<void> {
    const originalId = (msg.revoke as { original_message_id?: unknown } | undefined)?.original_message_id;
    if (typeof originalId !== 'string' || !originalId) throw new UnusableWebhookError('revoke without original_message_id');
    const changed = await this.changes.revoke(originalId, ts);
    if (changed) return void (await this.log.announce(changed));
    // Deleted before we saw it: a tombstone under the original wamid keeps it deleted if it shows up.
    const tombstone = { ...msg, id: originalId } as InboundMessage;
    await this.store(number, tombstone, sender, { deletedAt: ts });
  }

  /**
   * Store a new message; returns null when this wamid is already stored. `countsAsUnread: false`: it moves the
   * customer's window but neither reopens the conversation nor counts as unread (a survey answer).
   */
  async store(
    number: WhatsAppNumber,
    msg: InboundMessage,
    sender: InboundSender,
    opts: { editedAt?: number; deletedAt?: number; countsAsUnread?: boolean; identityChange?: IdentityChange },
  ): Promise<MessageRow | null> {
    if (!sender.waId && !sender.userId) throw new UnusableWebhookError(`message ${msg.id} has neither a sender phone nor a user id`);
    const summary = summarizeMessage(msg);
    const ts = Number(msg.timestamp) * 1000;
    const customerTurn = !NOT_CUSTOMER_TURN.has(summary.type) && opts.deletedAt === undefined;
    const now = Date.now();
    const stored = await this.tx(async (trx) => {
      if (await this.messages.byWamid(msg.id, trx)) return null;
      // A number or user-id change re-keys the contact first, so the line lands in their conversation.
      const rekeyed = opts.identityChange ? await applyIdentityChange(this.contacts, sender, opts.identityChange, trx) : null;
      const who = rekeyed?.sender ?? sender;
      const body = rekeyed?.line ?? summary.body;
      // A group message belongs to the group's conversation (not the member's own, whose window it
      // does not open); who wrote it is kept with the message as `group_sender`.
      const contact = msg.group_id
        ? await this.contacts.upsertGroup(msg.group_id, trx)
        : await this.contacts.upsertWhatsApp({ waId: who.waId, userId: who.userId, name: who.name }, trx);
      const conversation = await this.log.conversationFor({ contactId: contact.id, channel: 'whatsapp', whatsappNumberId: number.id, at: now }, trx);
      const media = summary.media
        ? await this.media.createInbound(
            { metaMediaId: summary.media.metaMediaId, mime: summary.media.mime, expectedSha256: summary.media.sha256, filename: summary.media.filename },
            trx,
          )
        : null;
      const contextWamid = msg.context?.id ?? null;
      const quoted = contextWamid ? await this.messages.byWamid(contextWamid, trx) : null;
      const inserted = await this.log.appendOnce(
        {
          conversationId: conversation.id,
          channel: 'whatsapp',
          direction: 'inbound',
          sender: 'customer',
          type: summary.type,
          body,
          content: msg.group_id ? { ...msg, group_sender: { name: who.name, wa_id: who.waId, user_id: who.userId } } : msg,
          wamid: msg.id,
          status: 'received',
          contextWamid,
          contextMessageId: quoted?.id ?? null,
          mediaId: media?.id ?? null,
          sentAt: ts,
          createdAt: now,
        },
        trx,
        {
          preview: opts.deletedAt !== undefined ? 'This message was deleted' : body,
          unread: customerTurn && opts.countsAsUnread !== false,
          customerTimestamp: customerTurn ? ts : null,
        },
      );
      if (!inserted) throw DUPLICATE; // a concurrent delivery won: roll back the media row too
      const extra: Partial<MessageRow> = {};
      if (opts.editedAt !== undefined) extra.edited_at = opts.editedAt;
      if (opts.deletedAt !== undefined) extra.deleted_at = opts.deletedAt;
      if (Object.keys(extra).length) await this.messages.update(inserted.id, extra, trx);
      const notes =
        this.verification && sender.waId && !msg.group_id && summary.type === 'text' && opts.deletedAt === undefined
          ? await this.verification.confirmFromWhatsApp(trx, sender.waId, summary.body)
          : [];
      return { row: { ...inserted, ...extra }, notes };
    }).catch((err: unknown) => {
      if (err === DUPLICATE) return null;
      throw err;
    });
    if (!stored) return null;
    let { row } = stored;
    const { notes } = stored;
    if (row.context_wamid && !row.context_message_id) {
      // The message it quotes may be ours and its wamid recorded meanwhile (outbox-delivery.ts links
      // replies stored before it; this covers the two commits crossing).
      const quoted = await this.messages.byWamid(row.context_wamid);
      if (quoted && (await this.messages.linkQuotesOf(row.context_wamid, quoted.id)).includes(row.id)) row = { ...row, context_message_id: quoted.id };
    }
    await this.log.announce(row);
    for (const note of notes) await this.log.announce(note);
    if (row.media_id) this.onMedia();
    return row;
  }
}
