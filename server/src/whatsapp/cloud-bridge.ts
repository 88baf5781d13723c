/**
 * The WhatsAppBridge the chat domain talks to. Agent replies are checked first — the 24-hour
 * window for free-form text and media (`window_closed`), templates against the synced table
 * (`template_not_found`, `template_param_mismatch`) — then stored as `queued` together with their
 * outbox row in one transaction, and the worker is woken. Nothing invalid is stored or sent.
 */
import type { TxRunner } from '../db/group-commit.ts';
import type { AdminSendMessage } from '@connectdesk/shared';
import { normalizeWaId, windowState } from '@connectdesk/shared';
import type { PreparedForward, WhatsAppBridge } from '../conversations/whatsapp-bridge.ts';
import type { OwnerConsole } from '../conversations/owner-console.ts';
import { FORWARD_TEMPLATE, siteLabel } from '../conversations/owner-console.ts';
import type { ContactRow, ContactsRepo } from '../db/repos/contacts-repo.ts';
import type { ConversationRow, ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MediaRepo } from '../db/repos/media-repo.ts';
import type { MessageRow, MessagesRepo, NewMessage } from '../db/repos/messages-repo.ts';
import type { OutboxRepo } from '../db/repos/outbox-repo.ts';
import type { User } from '../db/repos/users-repo.ts';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';
import { ms } from '../db/json.ts';
import { AppError, notFound } from '../errors.ts';
import { mediaSummary } from './inbound-summary.ts';
import { whatsappMediaType } from './media-types.ts';
import type { NumberRegistry } from './number-registry.ts';
import { mediaPayload, templateParam, templatePayload, textPayload } from './send-payloads.ts';
import type { TemplatesService } from './templates-service.ts';

export interface CloudBridgeDeps {
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  numbers: NumberRegistry;
  outbox: OutboxRepo;
  messages: MessagesRepo;
  conversations: ConversationsRepo;
  contacts: ContactsRepo;
  media: MediaRepo;
  templates: TemplatesService;
  owner: OwnerConsole;
  wake: () => void;
  siteName: string;
}

const WINDOW_CLOSED =
  'the customer last wrote more than 24 hours ago (or never), so WhatsApp only allows an approved template now; send a template such as connectdesk_reopen';

/** The message row and Cloud API payload an agent's reply becomes. */
interface Prepared {
  message: Omit<NewMessage, 'conversationId' | 'status'>;
  payload: unknown;
}

export class CloudBridge implements WhatsAppBridge {
  constructor(private readonly d: CloudBridgeDeps) {}

  prepareForward(input: { name: string | null; site: string | null; text: string }): Promise<PreparedForward | null> {
    return this.d.owner.prepareForward(input);
  }

  async forwardVisitorMessage(input: { conversation: ConversationRow; contact: ContactRow; message: MessageRow }): Promise<void> {
    await this.d.owner.forwardVisitorMessage(input);
  }

  async sendAgentMessage(input: { conversation: ConversationRow; contact: ContactRow; body: AdminSendMessage; author: User; message?: MessageRow }): Promise<MessageRow> {
    const number = await this.d.numbers.forConversation(input.conversation.whatsapp_number_id);
    if (!number) throw new AppError('unavailable', 'no WhatsApp number is configured');
    if (input.conversation.channel === 'web') return this.continueOnWhatsApp(number, input);

    const to = input.contact.wa_id;
    if (!to) throw new AppError('no_whatsapp_contact', 'this contact has no WhatsApp number to write to');
    const open = windowState(ms(input.conversation.last_customer_message_at)).open;
    const prepared = await this.prepare(number, to, input.conversation, input.body, input.author, open);
    const now = Date.now();
    const row = await this.d.tx(async (trx) => {
      const message = await this.d.messages.insert({ ...prepared.message, conversationId: input.conversation.id, status: 'queued', createdAt: now }, trx);
      await this.d.outbox.enqueue({ kind: 'message', messageId: message.id, phoneNumberId: number.phoneNumberId, toWaId: to, payload: prepared.payload }, trx);
      await this.d.conversations.touch(input.conversation.id, { at: now, preview: message.body, inbound: false }, trx);
      return message;
    });
    this.d.wake();
    return row;
  }

  private async prepare(number: WhatsAppNumber, to: string, conversation: ConversationRow, body: AdminSendMessage, author: User, windowOpen: boolean): Promise<Prepared> {
    const base = { direction: 'outbound' as const, sender: 'agent' as const, authorId: author.id };
    switch (body.message_type) {
      case 'text': {
        if (!windowOpen) throw new AppError('window_closed', `Free-form reply refused: ${WINDOW_CLOSED}.`);
        const text = body.text.trim();
        const quoted = body.reply_to ? await this.d.messages.byId(body.reply_to) : null;
        if (body.reply_to && (!quoted || quoted.conversation_id !== conversation.id)) throw new AppError('validation_failed', 'reply_to must be a message of this conversation');
        return {
          message: { ...base, type: 'text', body: text, content: { text: { body: text } }, contextWamid: quoted?.wamid ?? null, contextMessageId: quoted?.id ?? null },
          payload: textPayload(to, text, quoted?.wamid),
        };
      }
      case 'template': {
        const { text } = await this.d.templates.validate(this.d.numbers.wabaIdOf(number), body.template);
        const t = body.template;
        return {
          message: { ...base, type: 'template', body: text, content: { template: t }, template: { name: t.name, language: t.language, parameters: t.parameters ?? [] } },
          payload: templatePayload(to, t),
        };
      }
      case 'media': {
        if (!windowOpen) throw new AppError('window_closed', `Media refused: ${WINDOW_CLOSED}.`);
        const media = await this.d.media.byId(body.media_id);
        if (!media || media.direction !== 'outbound' || media.status !== 'ready' || !media.mime) throw notFound('media (upload it first with POST /admin/api/media)');
        const kind = whatsappMediaType(media.mime);
        const caption = body.caption?.trim() || null;
        return {
          message: { ...base, type: kind, body: mediaSummary(kind, { caption, filename: media.filename }), content: { [kind]: { caption, filename: media.filename, mime_type: media.mime } }, mediaId: media.id },
          payload: mediaPayload(to, kind, { caption, filename: media.filename }),
        };
      }
      case 'note':
        throw new AppError('validation_failed', 'notes are not sent to WhatsApp');
    }
  }

  /**
   * A web visitor who left a WhatsApp number with consent and is gone: the agent's reply (already
   * stored for the widget) also goes to WhatsApp — free-form if that number wrote to us in the
   * last 24 hours, else as the connectdesk_new_message template.
   */
  private async continueOnWhatsApp(
    number: WhatsAppNumber,
    input: { conversation: ConversationRow; contact: ContactRow; body: AdminSendMessage; author: User; message?: MessageRow },
  ): Promise<MessageRow> {
    const to = normalizeWaId(input.contact.phone);
    if (!to || !input.contact.whatsapp_consent) throw new AppError('no_whatsapp_contact', 'this visitor did not leave a WhatsApp number with consent');
    if (input.body.message_type !== 'text') throw new AppError('validation_failed', 'only text replies continue a web chat on WhatsApp');
    const stored = input.message ?? null;
    if (!stored) throw new AppError('conflict', 'store the reply before continuing on WhatsApp');
    const text = input.body.text.trim();
    const waConversation = await this.whatsappConversationOf(to);
    const open = windowState(ms(waConversation?.last_customer_message_at ?? null)).open;
    const site = siteLabel(input.conversation.site, this.d.siteName);
    const payload = open
      ? textPayload(to, text)
      : templatePayload(to, { ...FORWARD_TEMPLATE, parameters: [templateParam(input.author.name || this.d.siteName, 60), templateParam(site, 100), templateParam(text, 700)] });
    await this.d.outbox.enqueue({ kind: 'message', messageId: stored.id, phoneNumberId: number.phoneNumberId, toWaId: to, payload });
    this.d.wake();
    return stored;
  }

  private async whatsappConversationOf(waId: string): Promise<ConversationRow | null> {
    const contact = await this.d.contacts.byWaId(waId);
    return contact ? this.d.conversations.latestFor(contact.id, 'whatsapp') : null;
  }

  async retry(message: MessageRow): Promise<void> {
    if (message.status !== 'failed') throw new AppError('conflict', 'only failed messages can be retried');
    const last = await this.d.outbox.latestForMessage(message.id);
    if (!last) throw new AppError('conflict', 'this message was never sent to WhatsApp, so there is nothing to retry');
    const type = (JSON.parse(last.payload) as { type?: string }).type;
    const conversation = await this.d.conversations.byId(message.conversation_id);
    if (conversation?.channel === 'whatsapp' && type !== 'template' && !windowState(ms(conversation.last_customer_message_at)).open) {
      throw new AppError('window_closed', `Retry refused: ${WINDOW_CLOSED}.`);
    }
    await this.d.tx(async (trx) => {
      await this.d.messages.requeue(message.id, trx);
      await this.d.outbox.enqueue({ kind: last.kind, messageId: message.id, phoneNumberId: last.phone_number_id, toWaId: last.to_wa_id, payload: JSON.parse(last.payload) }, trx);
    });
    this.d.wake();
  }

  /** Tell WhatsApp the customer's messages were read (the agent opened the conversation). */
  async markRead(conversation: ConversationRow): Promise<void> {
    if (conversation.channel !== 'whatsapp') return;
    const recent = await this.d.messages.latest(conversation.id, 50);
    const latest = [...recent].reverse().find((m) => m.direction === 'inbound' && m.wamid);
    if (!latest?.wamid) return;
    const number = await this.d.numbers.forConversation(conversation.whatsapp_number_id);
    if (!number) return;
    await this.d.outbox.enqueue({ kind: 'mark_read', phoneNumberId: number.phoneNumberId, toWaId: null, payload: { messaging_product: 'whatsapp', status: 'read', message_id: latest.wamid } });
    this.d.wake();
  }
}
