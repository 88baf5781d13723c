import type { Knex } from 'knex';
/**
 * The seam between the chat domain and WhatsApp (implemented in whatsapp/). The web side calls it
 * to forward visitor messages to the owner's phone (flow 1) and to send agent replies on WhatsApp
 * (flow 4); everything WhatsApp-specific — window, templates, outbox — lives behind it.
 */
import type { AdminSendMessage } from '@connectdesk/shared';
import type { User } from '../db/repos/users-repo.ts';
import type { ContactRow } from '../db/repos/contacts-repo.ts';
import type { ConversationRow } from '../db/repos/conversations-repo.ts';
import type { MessageRow } from '../db/repos/messages-repo.ts';

/** An owner notification decided before a visitor message's transaction and recorded inside it. */
export interface PreparedForward {
  queue(trx: Knex.Transaction, ids: { messageId: string; conversationId: string }): Promise<void>;
  /** Call after the commit: wakes the outbox. */
  queued(): void;
}

export interface WhatsAppBridge {
  /** Decide the owner notification for a visitor message (null: nobody to notify). */
  prepareForward(input: { name: string | null; site: string | null; text: string }): Promise<PreparedForward | null>;
  /** Queue a notification of this visitor message to the owner's target phone (no-op without one). */
  forwardVisitorMessage(input: { conversation: ConversationRow; contact: ContactRow; message: MessageRow }): Promise<void>;
  /**
   * Store and queue an agent's message to the contact's WhatsApp. Enforces the 24-hour window
   * (AppError `window_closed`) and validates templates before anything is stored.
   */
  sendAgentMessage(input: { conversation: ConversationRow; contact: ContactRow; body: AdminSendMessage; author: User; message?: MessageRow }): Promise<MessageRow>;
  /** Requeue a failed outbound message (the agent pressed Retry). */
  retry(message: MessageRow): Promise<void>;
  /** Tell WhatsApp the customer's messages were read (an agent opened a conversation with unread ones). */
  markRead?(conversation: ConversationRow): Promise<void>;
}

/** Used until/unless a real bridge is wired (e.g. the CLI). */
export const noWhatsApp: WhatsAppBridge = {
  async prepareForward() {
    return null;
  },
  async forwardVisitorMessage() {},
  async sendAgentMessage() {
    throw new Error('WhatsApp is not configured');
  },
  async retry() {},
};
