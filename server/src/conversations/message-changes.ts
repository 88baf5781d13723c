/**
 * Changes to messages we already store, from webhooks: reactions attach to their target message
 * (an empty emoji removes it), edits replace the text and content and set edited_at, revokes mark
 * the message deleted. Each returns the changed row (for a live push) or null when the target is
 * unknown. All are idempotent, so a repeated webhook changes nothing more.
 */
import type { TxRunner } from '../db/group-commit.ts';
import type { Knex } from 'knex';
import type { MessageRow, MessagesRepo } from '../db/repos/messages-repo.ts';
import { fromJson } from '../db/json.ts';
import { summarizeMessage } from '@connectdesk/shared/cloud-api/inbound-summary';

interface Reaction {
  emoji: string;
  from: string;
}

export class MessageChanges {
  constructor(
    private readonly tx: TxRunner,
    private readonly messages: MessagesRepo,
  ) {}

  async react(targetWamid: string, from: string, emoji: string | undefined): Promise<MessageRow | null> {
    return this.tx(async (trx) => {
      const target = await this.messages.byWamid(targetWamid, trx);
      return target ? this.setReaction(target, from, emoji, trx) : null;
    });
  }

  /** React to a message by our id (the owner reacting to a forward reacts to the visitor's message). */
  async reactById(messageId: string, from: string, emoji: string | undefined): Promise<MessageRow | null> {
    return this.tx(async (trx) => {
      const target = await this.messages.byId(messageId, trx);
      return target ? this.setReaction(target, from, emoji, trx) : null;
    });
  }

  /** Set (or, with no emoji, take back) `from`'s reaction on this message, in the caller's transaction. */
  async setReaction(target: MessageRow, from: string, emoji: string | undefined, trx: Knex): Promise<MessageRow> {
    const reactions = fromJson<Reaction[]>(target.reactions, []).filter((r) => r.from !== from);
    if (emoji) reactions.push({ emoji, from });
    const json = reactions.length ? JSON.stringify(reactions) : null;
    if (json === target.reactions) return target;
    await this.messages.update(target.id, { reactions: json }, trx);
    return { ...target, reactions: json };
  }

  /** `newMessage` is the edit's `message` object (the new content, type-faithful). */
  async edit(originalWamid: string, newMessage: Record<string, unknown>, editedAt: number): Promise<MessageRow | null> {
    const original = await this.messages.byWamid(originalWamid);
    if (!original) return null;
    const editedBefore = original.edited_at === null ? null : Number(original.edited_at);
    if (editedBefore !== null && editedBefore >= editedAt) return original; // a stale or repeated edit
    const summary = summarizeMessage(newMessage);
    const previous = fromJson<Record<string, unknown> | null>(original.content, null);
    // Keep the original's identity (from, id, timestamp) and swap in the new content.
    const content = { ...(previous ?? {}), ...newMessage, type: original.type === 'edit' ? summary.type : original.type };
    const patch: Partial<MessageRow> = { body: summary.body, content: JSON.stringify(content), edited_at: editedAt };
    await this.messages.update(original.id, patch);
    return { ...original, ...patch };
  }

  async revoke(originalWamid: string, deletedAt: number): Promise<MessageRow | null> {
    const original = await this.messages.byWamid(originalWamid);
    if (!original) return null;
    if (original.deleted_at !== null) return original;
    await this.messages.update(original.id, { deleted_at: deletedAt });
    return { ...original, deleted_at: deletedAt };
  }
}
