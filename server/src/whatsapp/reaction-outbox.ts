/**
 * An agent's reaction on its way to a WhatsApp customer: Meta's `reaction` message to the target's
 * wamid (`emoji: ""` takes it back), checked like a free-form reply — a number, a reachable
 * contact, the 24-hour window — and queued in the durable outbox in the caller's transaction, in
 * the contact's queue so it keeps its place among the agent's replies. The reaction is not a
 * message of its own: it is stored on its target, so the outbox row names no message.
 */
import type { Knex } from 'knex';
import type { PreparedReaction, ReactionSender } from '../conversations/reactions.ts';
import { windowClosed, windowOpen } from '../conversations/window.ts';
import type { OutboxRepo } from '../db/repos/outbox-repo.ts';
import { AppError } from '../errors.ts';
import type { NumberRegistry } from './number-registry.ts';
import { addressed, recipientOf } from './recipient.ts';
import { reactionPayload } from '@connectdesk/shared/cloud-api/reaction-payload';

export interface ReactionOutboxDeps {
  numbers: NumberRegistry;
  outbox: OutboxRepo;
  wake: () => void;
}

export class ReactionOutbox implements ReactionSender {
  constructor(private readonly deps: ReactionOutboxDeps) {}

  async prepare(input: Parameters<ReactionSender['prepare']>[0]): Promise<PreparedReaction> {
    const number = await this.deps.numbers.forConversation(input.conversation.whatsapp_number_id);
    if (!number) throw new AppError('unavailable', 'no WhatsApp number is configured');
    const recipient = recipientOf(input.contact);
    if (!recipient) throw new AppError('no_whatsapp_contact', 'this contact has neither a WhatsApp number nor a WhatsApp user id to write to');
    if (!windowOpen(input.conversation)) throw windowClosed('Reaction refused');
    const payload = addressed(reactionPayload(recipient.id, input.wamid, input.emoji), recipient);
    return {
      queue: async (trx: Knex.Transaction) => {
        await this.deps.outbox.enqueue(
          { kind: 'reaction', phoneNumberId: number.phoneNumberId, toWaId: recipient.id, payload, requestId: input.requestId },
          trx,
        );
      },
      queued: () => this.deps.wake(),
    };
  }
}
