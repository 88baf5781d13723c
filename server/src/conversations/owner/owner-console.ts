/**
 * The owner's WhatsApp as a console (DESIGN flows 1–2): visitor messages reach the owner's phone
 * as forwards and digests (intake.ts → dispatcher.ts, within the pair budget), and what the owner
 * writes back comes in here — commands (commands.ts), replies to visitors (replies.ts), and
 * reactions, edits and deletions of what the owner already sent. Messages from the owner's phone
 * never open a customer conversation.
 */
import type { InboundMessage } from '@connectdesk/shared';
import type { ForwardsRepo } from '../../db/repos/forwards-repo.ts';
import type { OwnerMessagesRepo } from '../../db/repos/owner-messages-repo.ts';
import type { WhatsAppNumber } from '../../db/repos/whatsapp-numbers-repo.ts';
import { summarizeMessage } from '@connectdesk/shared/cloud-api/inbound-summary';
import type { MessageChanges } from '../message-changes.ts';
import type { ConversationLog } from '../conversation-log.ts';
import type { OwnerCommands } from './commands.ts';
import { parseCommand } from './numbered-reply.ts';
import type { OwnerReplies } from './replies.ts';
import type { OwnerNumbers } from './ports.ts';

export interface OwnerConsoleDeps {
  numbers: OwnerNumbers;
  /** The owner's own 24-hour window, and forwards sent before owner_messages existed. */
  forwards: ForwardsRepo;
  ownerMessages: OwnerMessagesRepo;
  commands: OwnerCommands;
  replies: OwnerReplies;
  changes: MessageChanges;
  log: ConversationLog;
  /** Queue a read receipt for one of the owner's messages. */
  markRead: (key: { phoneNumberId: string; ownerWaId: string }, wamid: string) => Promise<void>;
}

export class OwnerConsole {
  constructor(private readonly deps: OwnerConsoleDeps) {}

  /** Is this sender the owner of that number (whose messages must not become a customer chat)? */
  isOwner(number: WhatsAppNumber, waId: string | null): boolean {
    return Boolean(waId && waId === this.deps.numbers.ownerPhoneOf(number));
  }

  /** Flow 2: a message from the owner's phone. */
  async handleOwnerMessage(number: WhatsAppNumber, msg: InboundMessage, ownerWaId: string): Promise<void> {
    const ts = Number(msg.timestamp) * 1000;
    const key = { phoneNumberId: number.phoneNumberId, ownerWaId };
    await this.deps.forwards.touchOwnerWindow(number.phoneNumberId, ownerWaId, ts);
    switch (msg.type) {
      case 'reaction':
        return this.react(msg);
      case 'edit': {
        const edit = msg.edit as { original_message_id?: string; message?: Record<string, unknown> } | undefined;
        const changed = edit?.original_message_id && edit.message ? await this.deps.changes.edit(edit.original_message_id, edit.message, ts) : null;
        if (changed) await this.deps.log.announce(changed);
        return;
      }
      case 'revoke': {
        const originalId = (msg.revoke as { original_message_id?: string } | undefined)?.original_message_id;
        const changed = originalId ? await this.deps.changes.revoke(originalId, ts) : null;
        if (changed) await this.deps.log.announce(changed);
        return;
      }
      case 'system':
      case 'unsupported':
      case 'request_welcome':
        return; // nothing to pass on to a visitor
      case 'text': {
        const command = parseCommand(summarizeMessage(msg).body);
        if (command) {
          await this.deps.commands.run(key, command, msg.id);
          await this.deps.markRead(key, msg.id);
          return;
        }
        return this.deps.replies.route(key, msg, ts);
      }
      default:
        return this.deps.replies.route(key, msg, ts);
    }
  }

  /** A reaction to a forward lands on the visitor's newest message in it. */
  private async react(msg: InboundMessage): Promise<void> {
    if (!msg.reaction) return;
    const target = msg.reaction.message_id;
    const forwarded = (await this.deps.ownerMessages.byWamid(target))?.message_id ?? (await this.deps.forwards.byWamid(target))?.message_id ?? null;
    const changed = forwarded
      ? await this.deps.changes.reactById(forwarded, 'owner', msg.reaction.emoji)
      : await this.deps.changes.react(target, 'owner', msg.reaction.emoji);
    if (changed) await this.deps.log.announce(changed);
  }
}
