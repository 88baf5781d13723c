/**
 * The business reacting to a message of a phone's chat (`type: "reaction"`): the phone shows the
 * emoji on that message (`business_reaction`, on what the phone sent or received; `emoji: ""`
 * takes it back). Like Meta, a reaction to a message that is not in this chat, or to a reaction,
 * is accepted with a wamid and then fails with 131009.
 */
import { webhookError } from './errors.ts';
import type { SandboxState } from './state.ts';
import type { Outcome } from './status-flow.ts';

const NOT_IN_CHAT: Outcome = {
  kind: 'fail',
  error: webhookError(
    131009,
    'Parameter value is not valid',
    'The reaction names a message that is not part of this chat (or is itself a reaction), so it was not delivered.',
  ),
};

/** Applies the reaction to the phone's message; the failing outcome when it has no target in this chat, else null. */
export function applyBusinessReaction(state: SandboxState, to: string, message: Record<string, unknown>): Outcome | null {
  const reaction = message.reaction as { message_id?: unknown; emoji?: unknown } | undefined;
  const target = typeof reaction?.message_id === 'string' ? state.chatMessage(to, reaction.message_id) : undefined;
  if (!target || target.type === 'reaction') return NOT_IN_CHAT;
  if (typeof reaction?.emoji === 'string' && reaction.emoji) target.business_reaction = reaction.emoji;
  else delete target.business_reaction;
  return null;
}
