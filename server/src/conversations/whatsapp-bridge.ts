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

/**
 * `requestId` everywhere below: the id of the request (or socket event) that asked for the work
 * (http/request-id.ts); the outbox row keeps it, so the send can be traced back to the request.
 */
export interface WhatsAppBridge {
  /** Decide whether a visitor message about to be stored goes to the owner's phone (null: it does not). */
  prepareForward(): Promise<PreparedForward | null>;
  /** Queue this stored visitor message for the owner's target phone (no-op without one). */
  forwardVisitorMessage(input: { conversation: ConversationRow; contact: ContactRow; message: MessageRow }): Promise<void>;
  /**
   * Store and queue an agent's message to the contact's WhatsApp. Enforces the 24-hour window
   * (AppError `window_closed`) and validates templates before anything is stored.
   */
  sendAgentMessage(input: {
    conversation: ConversationRow;
    contact: ContactRow;
    body: AdminSendMessage;
    author: User;
    message?: MessageRow;
    requestId?: string | null;
  }): Promise<MessageRow>;
  /** Requeue a failed outbound message (the agent pressed Retry). */
  retry(message: MessageRow, requestId?: string | null): Promise<void>;
  /** Tell WhatsApp the customer's messages were read (an agent opened a conversation with unread ones). */
  markRead?(conversation: ConversationRow, requestId?: string | null): Promise<void>;
  /**
   * An agent is typing in a WhatsApp conversation: show the customer WhatsApp's typing indicator
   * (throttled, only inside the 24-hour window). Never throws: failures are logged.
   */
  showTyping?(conversation: ConversationRow): Promise<void>;
  /** The business's WhatsApp number (digits), for the wa.me link a visitor verifies their number with. */
  businessNumber?(): Promise<string | null>;
  /**
   * Store and queue a message of ConnectDesk's own (sender `system`, e.g. the satisfaction survey)
   * to a WhatsApp conversation's customer. Free-form: refused with `window_closed` outside the window.
   */
  sendSystemMessage?(input: SystemMessage): Promise<MessageRow>;
}

export interface SystemMessage {
  conversation: ConversationRow;
  contact: ContactRow;
  /** The Cloud API type; `content[type]` is sent as that object (e.g. `interactive`). */
  type: 'interactive' | 'text';
  /** The readable summary in the timeline. */
  body: string;
  content: Record<string, unknown>;
}
