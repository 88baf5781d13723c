/**
 * The owner's WhatsApp as a console (DESIGN flows 1–2). Each visitor message is forwarded to the
 * owner's phone — free-form inside the owner's own 24-hour window, else the
 * `connectdesk_new_message` template. The owner answers by swipe-replying to a forward (its wamid
 * says which visitor), or with a plain message, which goes to the visitor the owner last heard
 * from and is confirmed on WhatsApp. Messages from the owner's phone never open a customer
 * conversation.
 */
import type { TxRunner } from '../db/group-commit.ts';
import type { InboundMessage } from '@connectdesk/shared';
import { windowState } from '@connectdesk/shared';
import type { ContactRow, ContactsRepo } from '../db/repos/contacts-repo.ts';
import type { ConversationRow, ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { ForwardsRepo } from '../db/repos/forwards-repo.ts';
import type { PreparedForward } from './whatsapp-bridge.ts';
import type { MediaRepo } from '../db/repos/media-repo.ts';
import type { MessageRow, MessagesRepo } from '../db/repos/messages-repo.ts';
import type { OutboxRepo } from '../db/repos/outbox-repo.ts';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';
import type { Logger } from '../logger.ts';
import { summarizeMessage } from '../whatsapp/inbound-summary.ts';
import type { MessageChanges } from '../whatsapp/message-changes.ts';
import type { MessagePush } from '../whatsapp/message-push.ts';
import type { NumberRegistry } from '../whatsapp/number-registry.ts';
import { templatePayload, templateParam, textPayload } from '../whatsapp/send-payloads.ts';

export const FORWARD_TEMPLATE = { name: 'connectdesk_new_message', language: 'en_US' } as const;
const FORWARD_TEXT_MAX = 3500;

export interface OwnerConsoleDeps {
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  numbers: NumberRegistry;
  forwards: ForwardsRepo;
  outbox: OutboxRepo;
  messages: MessagesRepo;
  conversations: ConversationsRepo;
  contacts: ContactsRepo;
  media: MediaRepo;
  changes: MessageChanges;
  push: MessagePush;
  /** Wake the outbox worker after enqueueing. */
  wake: () => void;
  onMedia: () => void;
  siteName: string;
  logger: Logger;
}

/** "example.com" from the Origin the visitor wrote from, else the configured site name. */
export function siteLabel(site: string | null, fallback: string): string {
  if (!site) return fallback;
  try {
    return new URL(site).host || fallback;
  } catch {
    return site.slice(0, 100);
  }
}

/** The free-form forward, as the owner reads it on the phone. */
export function forwardText(name: string, site: string, text: string): string {
  const body = text.length > FORWARD_TEXT_MAX ? `${text.slice(0, FORWARD_TEXT_MAX - 1)}…` : text;
  return `New message from ${name} on ${site}: ${body} — reply to this message to answer.`;
}

const DUPLICATE = Symbol('duplicate');

export class OwnerConsole {
  constructor(private readonly d: OwnerConsoleDeps) {}

  /** Is this sender the owner of that number (whose messages must not become a customer chat)? */
  isOwner(number: WhatsAppNumber, waId: string | null): boolean {
    return Boolean(waId && waId === this.d.numbers.ownerPhoneOf(number));
  }

  /**
   * Flow 1, part one: what to send the owner for a visitor message — free-form inside the owner's
   * own 24-hour window, else the connectdesk_new_message template. Reads only, outside any
   * transaction; `queue` then records it inside the visitor message's own transaction, so an
   * acknowledged visitor message always has its notification queued too.
   */
  async prepareForward(input: { name: string | null; site: string | null; text: string }): Promise<PreparedForward | null> {
    const number = await this.d.numbers.defaultNumber();
    const owner = number ? this.d.numbers.ownerPhoneOf(number) : null;
    if (!number || !owner) return null;
    const name = input.name?.trim() || 'a visitor';
    const site = siteLabel(input.site, this.d.siteName);
    const ownerWrote = await this.d.forwards.ownerLastInboundAt(number.phoneNumberId, owner);
    const payload = windowState(ownerWrote).open
      ? textPayload(owner, forwardText(name, site, input.text))
      : templatePayload(owner, {
          ...FORWARD_TEMPLATE,
          parameters: [templateParam(name, 60), templateParam(site, 100), templateParam(input.text, 700)],
        });
    return {
      queue: async (trx, ids) => {
        const row = await this.d.forwards.create({ messageId: ids.messageId, conversationId: ids.conversationId, toWaId: owner }, trx);
        await this.d.outbox.enqueue({ kind: 'forward', forwardId: row.id, phoneNumberId: number.phoneNumberId, toWaId: owner, payload }, trx);
      },
      queued: () => this.d.wake(),
    };
  }

  /** Flow 1 for a message already stored (attachments): prepare and queue in a transaction of its own. */
  async forwardVisitorMessage(input: { conversation: ConversationRow; contact: ContactRow; message: MessageRow }): Promise<void> {
    const prepared = await this.prepareForward({ name: input.contact.name, site: input.conversation.site, text: input.message.body });
    if (!prepared) return;
    await this.d.tx((trx) => prepared.queue(trx, { messageId: input.message.id, conversationId: input.conversation.id }));
    prepared.queued();
  }

  /** Flow 2: a message from the owner's phone. */
  async handleOwnerMessage(number: WhatsAppNumber, msg: InboundMessage, ownerWaId: string): Promise<void> {
    const ts = Number(msg.timestamp) * 1000;
    await this.d.forwards.touchOwnerWindow(number.phoneNumberId, ownerWaId, ts);
    switch (msg.type) {
      case 'reaction': {
        // A reaction to a forward lands on the visitor's message.
        const forward = msg.reaction ? await this.d.forwards.byWamid(msg.reaction.message_id) : null;
        const changed = forward
          ? await this.d.changes.reactById(forward.message_id, 'owner', msg.reaction?.emoji)
          : msg.reaction
            ? await this.d.changes.react(msg.reaction.message_id, 'owner', msg.reaction.emoji)
            : null;
        if (changed) await this.d.push.message(changed);
        return;
      }
      case 'edit': {
        const edit = msg.edit as { original_message_id?: string; message?: Record<string, unknown> } | undefined;
        const changed = edit?.original_message_id && edit.message ? await this.d.changes.edit(edit.original_message_id, edit.message, ts) : null;
        if (changed) await this.d.push.message(changed);
        return;
      }
      case 'revoke': {
        const originalId = (msg.revoke as { original_message_id?: string } | undefined)?.original_message_id;
        const changed = originalId ? await this.d.changes.revoke(originalId, ts) : null;
        if (changed) await this.d.push.message(changed);
        return;
      }
      case 'system':
      case 'unsupported':
      case 'request_welcome':
        return; // nothing to pass on to a visitor
      default:
        await this.routeReply(number, msg, ownerWaId, ts);
    }
  }

  private async routeReply(number: WhatsAppNumber, msg: InboundMessage, ownerWaId: string, ts: number): Promise<void> {
    const quoted = msg.context?.id ? await this.d.forwards.byWamid(msg.context.id) : null;
    const forward = quoted ?? (await this.d.forwards.latestTo(ownerWaId));
    if (!forward) {
      await this.notice(number, ownerWaId, 'ConnectDesk: there is no visitor conversation to answer yet. Visitor messages will appear here as they arrive.');
      return;
    }
    const summary = summarizeMessage(msg);
    const now = Date.now();
    const row = await this.d.tx(async (trx) => {
        if (await this.d.messages.byWamid(msg.id, trx)) return null;
        const media = summary.media
          ? await this.d.media.createInbound(
              { metaMediaId: summary.media.metaMediaId, mime: summary.media.mime, expectedSha256: summary.media.sha256, filename: summary.media.filename },
              trx,
            )
          : null;
        const inserted = await this.d.messages.insertOnce(
          {
            conversationId: forward.conversation_id,
            direction: 'outbound',
            sender: 'owner',
            type: summary.type,
            body: summary.body,
            content: msg,
            wamid: msg.id,
            status: 'sent',
            contextMessageId: forward.message_id,
            mediaId: media?.id ?? null,
            sentAt: ts,
            createdAt: now,
          },
          trx,
        );
        if (!inserted) throw DUPLICATE;
        await this.d.conversations.touch(forward.conversation_id, { at: now, preview: summary.body, inbound: false }, trx);
        return inserted;
      })
      .catch((err: unknown) => {
        if (err === DUPLICATE) return null;
        throw err;
      });
    if (!row) return; // a repeated webhook: already routed and confirmed
    await this.d.push.message(row);
    if (row.media_id) this.d.onMedia();
    if (!quoted) {
      const conversation = await this.d.conversations.byId(forward.conversation_id);
      const contact = conversation ? await this.d.contacts.byId(conversation.contact_id) : null;
      const name = contact?.name?.trim() || 'the visitor';
      const site = siteLabel(conversation?.site ?? null, this.d.siteName);
      await this.notice(number, ownerWaId, `✓ Sent to ${name} on ${site}. Swipe-reply to a notification to answer someone else.`);
    }
  }

  /** A short free-form message to the owner (their window is open: they just wrote). */
  private async notice(number: WhatsAppNumber, ownerWaId: string, text: string): Promise<void> {
    await this.d.outbox.enqueue({ kind: 'notice', phoneNumberId: number.phoneNumberId, toWaId: ownerWaId, payload: textPayload(ownerWaId, text) });
    this.d.wake();
  }
}
