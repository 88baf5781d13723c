/**
 * Pushes what the WhatsApp side stored to the people looking at it: agents get `message:new`
 * (with the conversation) and `message:status`; the visitor's widget gets them too when the
 * conversation is a web chat (owner replies, WhatsApp continuations).
 */
import type { ConversationJson, MessageJson } from '@connectdesk/shared';
import type { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MessageRow, MessagesRepo } from '../db/repos/messages-repo.ts';
import type { RealtimeHub } from '../realtime/hub.ts';

export interface MessagePushDeps {
  hub: RealtimeHub;
  messages: MessagesRepo;
  conversations: ConversationsRepo;
  mediaUrl: (mediaId: string) => string | null;
  /** The message as its visitor receives it (visitor links to its file). */
  forVisitor: (message: MessageJson) => MessageJson;
}

export class MessagePush {
  constructor(private readonly d: MessagePushDeps) {}

  async json(row: MessageRow): Promise<MessageJson> {
    const [json] = await this.d.messages.toJson([row], this.d.mediaUrl);
    return json!;
  }

  /** A new (or changed: reaction, edit, media ready) message, with its conversation. */
  async message(row: MessageRow): Promise<{ message: MessageJson; conversation: ConversationJson | null }> {
    const message = await this.json(row);
    const conversation = await this.d.conversations.json(row.conversation_id);
    if (conversation) {
      this.d.hub.toAgents('message:new', { message, conversation });
      if (conversation.channel === 'web' && !message.is_note) this.d.hub.toVisitor(conversation.contact.id, 'message:new', { message: this.d.forVisitor(message) });
    }
    return { message, conversation };
  }

  async messageById(id: string): Promise<void> {
    const row = await this.d.messages.byId(id);
    if (row) await this.message(row);
  }

  async status(row: MessageRow): Promise<void> {
    const message = await this.json(row);
    this.d.hub.toAgents('message:status', { id: message.id, status: message.status, error: message.error });
    const conversation = await this.d.conversations.byId(row.conversation_id);
    if (conversation?.channel === 'web') this.d.hub.toVisitor(conversation.contact_id, 'message:status', { id: message.id, status: message.status });
  }

  async statusById(id: string): Promise<void> {
    const row = await this.d.messages.byId(id);
    if (row) await this.status(row);
  }
}
