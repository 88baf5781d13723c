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
import { mediaSummary } from '@connectdesk/shared/cloud-api/inbound-summary';
import type { ConversationLog } from './conversation-log.ts';
import type { WhatsAppBridge } from './whatsapp-bridge.ts';

/** Tokens the widget was issued: base64url, 24–128 characters. */
const VISITOR_TOKEN = /^[A-Za-z0-9_-]{24,128}$/;

/** A file the multipart parser left on disk. */
interface UploadedFile {
  filepath: string;
  size: number;
  originalFilename?: string | null;
}

/** Where a visitor's file is checked against the visitor rules and stored (whatsapp/media-uploads.ts). */
interface VisitorUploads {
  accept(file: UploadedFile): Promise<{ id: string; mime: string | null; filename: string | null }>;
  /** Drop an upload we do not need (a repeated client_id). */
  discard(file: UploadedFile): Promise<void>;
}

export interface VisitorAttachmentsDeps {
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  contacts: ContactsRepo;
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  uploads: VisitorUploads;
  log: ConversationLog;
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
  /** The upload's request id (carried into the owner notification it queues). */
  requestId?: string | null;
}

export class VisitorAttachments {
  private readonly contacts: VisitorAttachmentsDeps['contacts'];
  private readonly conversations: VisitorAttachmentsDeps['conversations'];
  private readonly messages: VisitorAttachmentsDeps['messages'];
  private readonly uploads: VisitorAttachmentsDeps['uploads'];
  private readonly forVisitor: VisitorAttachmentsDeps['forVisitor'];
  private readonly log: VisitorAttachmentsDeps['log'];
  private readonly tx: VisitorAttachmentsDeps['tx'];
  private readonly bridge: VisitorAttachmentsDeps['bridge'];
  private readonly logger: VisitorAttachmentsDeps['logger'];

  constructor({ contacts, conversations, messages, uploads, forVisitor, log, tx, bridge, logger }: VisitorAttachmentsDeps) {
    this.contacts = contacts;
    this.conversations = conversations;
    this.messages = messages;
    this.uploads = uploads;
    this.forVisitor = forVisitor;
    this.log = log;
    this.tx = tx;
    this.bridge = bridge;
    this.logger = logger;
  }

  async receive(input: AttachmentInput): Promise<{ message: MessageJson; created: boolean }> {
    if (!VISITOR_TOKEN.test(input.visitorToken)) throw new AppError('unauthorized', 'visitor_token is missing or malformed');
    const hash = sha256Hex(input.visitorToken);
    let contact = await this.contacts.byVisitorTokenHash(hash);
    if (contact && input.clientId) {
      const conversation = await this.conversations.latestFor(contact.id, 'web');
      const existing = conversation ? await this.messages.byClientId(conversation.id, input.clientId) : null;
      if (existing) {
        await this.uploads.discard(input.file);
        return { message: this.forVisitor(await this.log.json(existing)), created: false };
      }
    }
    const media = await this.uploads.accept(input.file);
    const kind = media.mime?.startsWith('image/') ? 'image' : 'document';
    const body = mediaSummary(kind, { caption: input.caption, filename: media.filename });
    const now = Date.now();
    const { conversation, row } = await this.tx(async (trx) => {
      contact ??= (await this.contacts.byVisitorTokenHash(hash, trx)) ?? (await this.contacts.createVisitor({ visitorTokenHash: hash }, trx));
      const conversation = await this.log.conversationFor({ contactId: contact.id, channel: 'web', site: input.site, at: now }, trx);
      const row = await this.log.append(
        {
          conversationId: conversation.id,
          channel: 'web',
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
      return { conversation, row };
    });
    const { message } = await this.log.announce(row);
    this.bridge
      .forwardVisitorMessage({ conversation, contact: contact!, message: row })
      .catch((err) => this.logger.error({ err, messageId: row.id }, 'could not queue the owner notification'));
    return { message: this.forVisitor(message), created: true };
  }
}
