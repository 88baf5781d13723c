/**
 * Files visitors send from the widget: a visitor message of type image or document carrying the
 * stored file, idempotent by client_id like text messages, pushed to agents and to the visitor's
 * own tabs, and forwarded to the owner's WhatsApp with a readable summary.
 */
import type { TxRunner } from '../db/group-commit.ts';
import type { MessageJson } from '@connectdesk/shared';
import { sha256Hex } from '../auth/tokens.ts';
import type { ContactsRepo } from '../db/repos/contacts-repo.ts';
import type { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MessagesRepo } from '../db/repos/messages-repo.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { mediaSummary } from '../whatsapp/inbound-summary.ts';
import type { MessagePush } from '../whatsapp/message-push.ts';
import { VISITOR_UPLOADS, type MediaUploads, type UploadedFile } from '../whatsapp/media-uploads.ts';
import type { WhatsAppBridge } from './whatsapp-bridge.ts';

/** Tokens the widget was issued: base64url, 24–128 characters. */
const VISITOR_TOKEN = /^[A-Za-z0-9_-]{24,128}$/;

export interface VisitorAttachmentsDeps {
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  contacts: ContactsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  uploads: MediaUploads;
  push: MessagePush;
  bridge: WhatsAppBridge;
  logger: Logger;
  /** The message as its visitor receives it (visitor links to its file). */
  forVisitor: (message: MessageJson) => MessageJson;
}

export interface AttachmentInput {
  visitorToken: string;
  clientId: string | null;
  caption: string | null;
  file: UploadedFile;
  site: string | null;
}

export class VisitorAttachments {
  constructor(private readonly d: VisitorAttachmentsDeps) {}

  async receive(input: AttachmentInput): Promise<{ message: MessageJson; created: boolean }> {
    if (!VISITOR_TOKEN.test(input.visitorToken)) throw new AppError('unauthorized', 'visitor_token is missing or malformed');
    const hash = sha256Hex(input.visitorToken);
    let contact = await this.d.contacts.byVisitorTokenHash(hash);
    if (contact && input.clientId) {
      const conversation = await this.d.conversations.latestFor(contact.id, 'web');
      const existing = conversation ? await this.d.messages.byClientId(conversation.id, input.clientId) : null;
      if (existing) {
        await this.d.uploads.discard(input.file);
        return { message: this.d.forVisitor(await this.d.push.json(existing)), created: false };
      }
    }
    const media = await this.d.uploads.accept(input.file, VISITOR_UPLOADS);
    const kind = media.mime?.startsWith('image/') ? 'image' : 'document';
    const body = mediaSummary(kind, { caption: input.caption, filename: media.filename });
    const now = Date.now();
    const { conversation, row } = await this.d.tx(async (trx) => {
      contact ??= (await this.d.contacts.byVisitorTokenHash(hash, trx)) ?? (await this.d.contacts.createVisitor({ visitorTokenHash: hash }, trx));
      const conversation =
        (await this.d.conversations.latestFor(contact.id, 'web', trx)) ??
        (await this.d.conversations.create({ channel: 'web', contactId: contact.id, site: input.site, at: now }, trx));
      const row = await this.d.messages.insert(
        {
          conversationId: conversation.id,
          direction: 'inbound',
          sender: 'visitor',
          type: kind,
          body,
          content: { [kind]: { caption: input.caption, filename: media.filename, mime_type: media.mime } },
          status: 'received',
          clientId: input.clientId,
          mediaId: media.id,
          createdAt: now,
        },
        trx,
      );
      await this.d.conversations.touch(conversation.id, { at: now, preview: body, inbound: true }, trx);
      return { conversation, row };
    });
    const { message } = await this.d.push.message(row);
    this.d.bridge
      .forwardVisitorMessage({ conversation, contact: contact!, message: row })
      .catch((err) => this.d.logger.error({ err, messageId: row.id }, 'could not queue the owner notification'));
    return { message: this.d.forVisitor(message), created: true };
  }
}
