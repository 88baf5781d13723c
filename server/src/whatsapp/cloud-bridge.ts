/**
 * The WhatsAppBridge the chat domain talks to. Agent replies are checked first — the 24-hour
 * window for free-form text and media (`window_closed`), templates against the synced table
 * (`template_not_found`, `template_param_mismatch`) — then stored as `queued` together with their
 * outbox row in one transaction, and the worker is woken. Nothing invalid is stored or sent.
 */
import type { TxRunner } from '../db/group-commit.ts';
import type { AdminSendMessage } from '@connectdesk/shared';
import { normalizeWaId } from '@connectdesk/shared';
import type { PreparedForward, SystemMessage, WhatsAppBridge } from '../conversations/whatsapp-bridge.ts';
import { FORWARD_TEMPLATE, siteLabel } from '../conversations/owner/compose.ts';
import type { OwnerIntake } from '../conversations/owner/intake.ts';
import type { ConversationLog } from '../conversations/conversation-log.ts';
import { windowClosed, windowOpen } from '../conversations/window.ts';
import { phoneVerified } from '../conversations/phone-verification.ts';
import type { ContactRow, ContactsRepo } from '../db/repos/contacts-repo.ts';
import type { ConversationRow, ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MediaRepo } from '../db/repos/media-repo.ts';
import type { MessageRow, MessagesRepo, NewMessage } from '../db/repos/messages-repo.ts';
import type { OutboxRepo } from '../db/repos/outbox-repo.ts';
import type { User } from '../db/repos/users-repo.ts';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';
import { AppError, notFound } from '../errors.ts';
import { mediaSummary } from '@connectdesk/shared/cloud-api/inbound-summary';
import { whatsappMediaType } from './media-types.ts';
import type { NumberRegistry } from './number-registry.ts';
import { locationMessage, locationPayload } from '@connectdesk/shared/cloud-api/location-message';
import { filledTemplatePayload, mediaPayload, templateParam, templatePayload, textPayload } from '@connectdesk/shared/cloud-api/send-payloads';
import type { TemplatesService } from './templates-service.ts';
import { addressed, recipientOf } from './recipient.ts';
import { refuseMarketingToOptedOut } from './marketing-opt-out.ts';
import type { TypingIndicator } from './typing-indicator.ts';
import { interactiveSend } from './interactive-send.ts';

export interface CloudBridgeDeps {
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  numbers: NumberRegistry;
  outbox: OutboxRepo;
  messages: MessagesRepo;
  conversations: ConversationsRepo;
  /** Stores messages in their conversation (preview, activity). */
  log: ConversationLog;
  contacts: ContactsRepo;
  media: MediaRepo;
  templates: TemplatesService;
  /** Queues visitor messages for the owner's phone. */
  owner: OwnerIntake;
  wake: () => void;
  siteName: string;
  /** WhatsApp's typing indicator while an agent types (typing-indicator.ts); none: not shown. */
  typing?: Pick<TypingIndicator, 'show'>;
}

/** Nothing goes to a number a visitor typed until that number proved it is theirs. */
function unverified(phone: string | null): AppError {
  return new AppError(
    'phone_unverified',
    `${phone ?? 'this number'} is unverified: the visitor was asked to send their code from that WhatsApp number, and nothing is sent to it until they do`,
  );
}

type AgentSend = Parameters<WhatsAppBridge['sendAgentMessage']>[0];

/** The message row and Cloud API payload an agent's reply becomes. */
interface Prepared {
  message: Omit<NewMessage, 'conversationId' | 'channel' | 'status'>;
  payload: unknown;
}

export class CloudBridge implements WhatsAppBridge {
  private readonly owner: CloudBridgeDeps['owner'];
  private readonly numbers: CloudBridgeDeps['numbers'];
  private readonly tx: CloudBridgeDeps['tx'];
  private readonly log: CloudBridgeDeps['log'];
  private readonly outbox: CloudBridgeDeps['outbox'];
  private readonly wake: CloudBridgeDeps['wake'];
  private readonly messages: CloudBridgeDeps['messages'];
  private readonly templates: CloudBridgeDeps['templates'];
  private readonly media: CloudBridgeDeps['media'];
  private readonly siteName: CloudBridgeDeps['siteName'];
  private readonly contacts: CloudBridgeDeps['contacts'];
  private readonly conversations: CloudBridgeDeps['conversations'];
  private readonly typing: CloudBridgeDeps['typing'];

  constructor({ owner, numbers, tx, log, outbox, wake, messages, templates, media, siteName, contacts, conversations, typing }: CloudBridgeDeps) {
    this.owner = owner;
    this.numbers = numbers;
    this.tx = tx;
    this.log = log;
    this.outbox = outbox;
    this.wake = wake;
    this.messages = messages;
    this.templates = templates;
    this.media = media;
    this.siteName = siteName;
    this.contacts = contacts;
    this.conversations = conversations;
    this.typing = typing;
  }

  prepareForward(): Promise<PreparedForward | null> {
    return this.owner.prepare();
  }

  async forwardVisitorMessage(input: { conversation: ConversationRow; contact: ContactRow; message: MessageRow }): Promise<void> {
    await this.owner.queueStored({ conversationId: input.conversation.id, messageId: input.message.id });
  }

  async sendAgentMessage(input: AgentSend): Promise<MessageRow> {
    const number = await this.numbers.forConversation(input.conversation.whatsapp_number_id);
    if (!number) throw new AppError('unavailable', 'no WhatsApp number is configured');
    if (input.conversation.channel === 'web') return this.continueOnWhatsApp(number, input);

    const recipient = recipientOf(input.contact);
    if (!recipient) throw new AppError('no_whatsapp_contact', 'this contact has neither a WhatsApp number nor a WhatsApp user id to write to');
    const open = windowOpen(input.conversation);
    const prepared = await this.prepare(number, recipient.id, input.conversation, input.body, input.author, open, input.contact);
    const now = Date.now();
    const row = await this.tx(async (trx) => {
      const message = await this.log.append(
        { ...prepared.message, conversationId: input.conversation.id, channel: 'whatsapp', status: 'queued', createdAt: now },
        trx,
      );
      await this.outbox.enqueue(
        {
          kind: 'message',
          messageId: message.id,
          phoneNumberId: number.phoneNumberId,
          toWaId: recipient.id,
          payload: addressed(prepared.payload as object, recipient),
          requestId: input.requestId,
        },
        trx,
      );
      return message;
    });
    this.wake();
    return row;
  }

  async sendSystemMessage(input: SystemMessage): Promise<MessageRow> {
    const number = await this.numbers.forConversation(input.conversation.whatsapp_number_id);
    if (!number) throw new AppError('unavailable', 'no WhatsApp number is configured');
    const recipient = recipientOf(input.contact);
    if (!recipient) throw new AppError('no_whatsapp_contact', 'this contact has neither a WhatsApp number nor a WhatsApp user id to write to');
    if (!windowOpen(input.conversation)) throw windowClosed('Refused');
    const payload = addressed(
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: recipient.id, type: input.type, [input.type]: input.content[input.type] },
      recipient,
    );
    const now = Date.now();
    const row = await this.tx(async (trx) => {
      const message = await this.log.append(
        {
          conversationId: input.conversation.id,
          channel: 'whatsapp',
          direction: 'outbound',
          sender: 'system',
          type: input.type,
          body: input.body,
          content: input.content,
          status: 'queued',
          createdAt: now,
        },
        trx,
      );
      await this.outbox.enqueue({ kind: 'message', messageId: message.id, phoneNumberId: number.phoneNumberId, toWaId: recipient.id, payload }, trx);
      return message;
    });
    this.wake();
    return row;
  }

  /** The message a reply quotes: one of this conversation's, or a clear 400. */
  private async quotedIn(conversation: ConversationRow, replyTo: string | undefined): Promise<MessageRow | null> {
    if (!replyTo) return null;
    const quoted = await this.messages.quotable(conversation.id, replyTo);
    if (!quoted) throw new AppError('validation_failed', 'reply_to must be a message of this conversation');
    return quoted;
  }

  private async prepare(
    number: WhatsAppNumber,
    to: string,
    conversation: ConversationRow,
    body: AdminSendMessage,
    author: User,
    open: boolean,
    contact: ContactRow,
  ): Promise<Prepared> {
    const base = { direction: 'outbound' as const, sender: 'agent' as const, authorId: author.id };
    switch (body.message_type) {
      case 'text': {
        if (!open) throw windowClosed('Free-form reply refused');
        const text = body.text.trim();
        const quoted = await this.quotedIn(conversation, body.reply_to);
        return {
          message: {
            ...base,
            type: 'text',
            body: text,
            content: { text: { body: text } },
            contextWamid: quoted?.wamid ?? null,
            contextMessageId: quoted?.id ?? null,
          },
          payload: textPayload(to, text, quoted?.wamid),
        };
      }
      case 'template': {
        const t = body.template;
        const headerMedia = t.header?.media_id ? await this.templateHeaderMedia(t.header.type, t.header.media_id) : null;
        const { text, template, filled } = await this.templates.validate(this.numbers.wabaIdOf(number), t);
        refuseMarketingToOptedOut(contact, template.category);
        // An uploaded header file has no Meta id yet: the outbox uploads it on first send and fills it in.
        const components = filled.components.map((c) =>
          c.type === 'header' && headerMedia ? { ...c, parameters: c.parameters.map((p) => ({ type: p.type, [p.type]: {} })) } : c,
        );
        return {
          message: {
            ...base,
            type: 'template',
            body: text,
            content: { template: t },
            template: {
              name: t.name,
              language: t.language,
              parameters: Array.isArray(t.parameters) ? t.parameters : Object.values(t.parameters ?? {}),
            },
            mediaId: headerMedia?.id ?? null,
          },
          payload: filledTemplatePayload(to, t.name, t.language, components),
        };
      }
      case 'media': {
        if (!open) throw windowClosed('Media refused');
        const media = await this.media.byId(body.media_id);
        if (!media || media.direction !== 'outbound' || media.status !== 'ready' || !media.mime)
          throw notFound('media (upload it first with POST /admin/api/media)');
        const quoted = await this.quotedIn(conversation, body.reply_to);
        const kind = whatsappMediaType(media.mime);
        const caption = body.caption?.trim() || null;
        return {
          message: {
            ...base,
            type: kind,
            body: mediaSummary(kind, { caption, filename: media.filename }),
            content: { [kind]: { caption, filename: media.filename, mime_type: media.mime } },
            mediaId: media.id,
            contextWamid: quoted?.wamid ?? null,
            contextMessageId: quoted?.id ?? null,
          },
          payload: mediaPayload(to, kind, { caption, filename: media.filename, replyToWamid: quoted?.wamid }),
        };
      }
      case 'location':
        if (!open) throw windowClosed('Location refused');
        return { message: { ...base, ...locationMessage(body.location) }, payload: locationPayload(to, body.location) };
      case 'interactive': {
        if (!open) throw windowClosed('Quick replies refused');
        const sent = interactiveSend(to, body.interactive);
        return { message: { ...base, ...sent.message }, payload: sent.payload };
      }
      case 'note':
        throw new AppError('validation_failed', 'notes are not sent to WhatsApp');
      case 'reaction': // a reaction is not a message of its own (conversations/reactions.ts, reaction-outbox.ts)
        throw new AppError('validation_failed', 'reactions are not sent as messages');
    }
  }

  /** A file uploaded for a template's media header: ours, ready, and of the header's kind. */
  private async templateHeaderMedia(kind: string, mediaId: string): Promise<{ id: string }> {
    const media = await this.media.byId(mediaId);
    if (!media || media.direction !== 'outbound' || media.status !== 'ready' || !media.mime)
      throw new AppError('template_param_mismatch', `the header file ${mediaId} was not found (upload it first with POST /admin/api/media)`, {
        problems: [{ field: 'header', message: 'the header file was not found' }],
      });
    const actual = whatsappMediaType(media.mime);
    if (actual !== kind)
      throw new AppError(
        'template_param_mismatch',
        `the header file is ${actual === 'image' ? 'an image' : `a ${actual}`} (${media.mime}), the template's header is ${kind === 'image' ? 'an image' : `a ${kind}`}`,
        {
          problems: [
            { field: 'header', message: `the file is ${actual === 'image' ? 'an image' : `a ${actual}`}, not ${kind === 'image' ? 'an image' : `a ${kind}`}` },
          ],
        },
      );
    return { id: media.id };
  }

  /**
   * A web visitor who left a WhatsApp number with consent and is gone: the agent's reply (already
   * stored for the widget) also goes to WhatsApp — free-form if that number wrote to us in the
   * last 24 hours, else as the connectdesk_new_message template.
   */
  private async continueOnWhatsApp(number: WhatsAppNumber, input: AgentSend): Promise<MessageRow> {
    const to = normalizeWaId(input.contact.phone);
    if (!to || !input.contact.whatsapp_consent) throw new AppError('no_whatsapp_contact', 'this visitor did not leave a WhatsApp number with consent');
    if (!phoneVerified(input.contact)) throw unverified(input.contact.phone);
    if (input.body.message_type !== 'text') throw new AppError('validation_failed', 'only text replies continue a web chat on WhatsApp');
    const stored = input.message ?? null;
    if (!stored) throw new AppError('conflict', 'store the reply before continuing on WhatsApp');
    const text = input.body.text.trim();
    const waConversation = await this.whatsappConversationOf(to);
    const open = windowOpen(waConversation);
    const site = siteLabel(input.conversation.site, this.siteName);
    const payload = open
      ? textPayload(to, text)
      : templatePayload(to, {
          ...FORWARD_TEMPLATE,
          parameters: [templateParam(input.author.name || this.siteName, 60), templateParam(site, 100), templateParam(text, 700)],
        });
    await this.outbox.enqueue({
      kind: 'message',
      messageId: stored.id,
      phoneNumberId: number.phoneNumberId,
      toWaId: to,
      payload,
      requestId: input.requestId,
    });
    this.wake();
    return stored;
  }

  private async whatsappConversationOf(waId: string): Promise<ConversationRow | null> {
    const contact = await this.contacts.byWaId(waId);
    return contact ? this.conversations.latestFor(contact.id, 'whatsapp') : null;
  }

  async retry(message: MessageRow, requestId: string | null = null): Promise<void> {
    if (message.status !== 'failed') throw new AppError('conflict', 'only failed messages can be retried');
    const last = await this.outbox.latestForMessage(message.id);
    if (!last) throw new AppError('conflict', 'this message was never sent to WhatsApp, so there is nothing to retry');
    const type = (JSON.parse(last.payload) as { type?: string }).type;
    const conversation = await this.conversations.byId(message.conversation_id);
    if (conversation?.channel === 'web') {
      // A web chat continued on WhatsApp: only to the visitor's current number, once it is proven.
      const contact = await this.contacts.byId(conversation.contact_id);
      if (!contact || !phoneVerified(contact) || normalizeWaId(contact.phone) !== last.to_wa_id) throw unverified(contact?.phone ?? null);
    }
    if (conversation?.channel === 'whatsapp' && type !== 'template' && !windowOpen(conversation)) {
      throw windowClosed('Retry refused');
    }
    await this.tx(async (trx) => {
      await this.messages.requeue(message.id, trx);
      await this.outbox.enqueue(
        { kind: last.kind, messageId: message.id, phoneNumberId: last.phone_number_id, toWaId: last.to_wa_id, payload: JSON.parse(last.payload), requestId },
        trx,
      );
    });
    this.wake();
  }

  async showTyping(conversation: ConversationRow): Promise<void> {
    await this.typing?.show(conversation);
  }

  async businessNumber(): Promise<string | null> {
    return normalizeWaId((await this.numbers.defaultNumber())?.displayPhoneNumber);
  }

  /** Tell WhatsApp the customer's messages were read (the agent opened the conversation). */
  async markRead(conversation: ConversationRow, requestId: string | null = null): Promise<void> {
    if (conversation.channel !== 'whatsapp') return;
    const recent = await this.messages.latest(conversation.id, 50);
    const latest = [...recent].reverse().find((m) => m.direction === 'inbound' && m.wamid);
    if (!latest?.wamid) return;
    const number = await this.numbers.forConversation(conversation.whatsapp_number_id);
    if (!number) return;
    await this.outbox.enqueue({
      kind: 'mark_read',
      phoneNumberId: number.phoneNumberId,
      toWaId: null,
      payload: { messaging_product: 'whatsapp', status: 'read', message_id: latest.wamid },
      requestId,
    });
    this.wake();
  }
}
