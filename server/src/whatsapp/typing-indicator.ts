/**
 * WhatsApp's typing indicator while an agent types: Meta shows "typing…" to the customer when the
 * read receipt of their latest message carries `typing_indicator: { type: "text" }`, and hides it
 * after 25 seconds or when our reply arrives. So it is sent at most once per 25 s per
 * conversation, only inside the 24-hour window and only when the customer's message has a wamid.
 *
 * The throttle is per process: with several server nodes an agent's typing events stay on the
 * node their socket is connected to, so two nodes only both send when two agents type in the same
 * conversation at once — a second indicator within the 25 s is harmless to the customer.
 *
 * It is best effort and never delayed: sent straight to the Cloud API (not through the outbox, as a
 * late indicator would be wrong), skipped while the number's sending is paused, and a failure is
 * logged, never thrown at the agent.
 */
import type { ConversationRow } from '../db/repos/conversations-repo.ts';
import type { MessagesRepo } from '../db/repos/messages-repo.ts';
import type { Logger } from '../logger.ts';
import { windowOpen } from '../conversations/window.ts';
import type { CloudApi } from './graph-api.ts';
import type { NumberRegistry } from './number-registry.ts';

/** How long WhatsApp shows the indicator, and so the least time between two for one conversation. */
export const TYPING_INDICATOR_MS = 25_000;
/** How many recent messages are searched for the customer's latest wamid. */
const RECENT = 50;

/** At most one pass per key per interval; remembers at most `maxKeys` keys (the oldest are forgotten). */
export class TypingThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs = TYPING_INDICATOR_MS,
    private readonly maxKeys = 10_000,
  ) {}

  /** True (and the interval starts now) when `key` had no pass in the last interval. */
  take(key: string, now: number): boolean {
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    this.last.delete(key);
    this.last.set(key, now);
    for (const [k, at] of this.last) {
      if (this.last.size <= this.maxKeys && now - at < this.intervalMs) break;
      this.last.delete(k);
    }
    return true;
  }
}

export interface TypingIndicatorDeps {
  messages: Pick<MessagesRepo, 'latest'>;
  numbers: Pick<NumberRegistry, 'forConversation' | 'tokenFor'>;
  cloud: Pick<CloudApi, 'markRead'>;
  logger: Logger;
  now?: () => number;
  throttle?: TypingThrottle;
}

export type TypingOutcome = 'sent' | 'throttled' | 'not_whatsapp' | 'window_closed' | 'no_inbound' | 'no_number' | 'paused' | 'failed';

export class TypingIndicator {
  private readonly now: () => number;
  private readonly throttle: TypingThrottle;

  constructor(private readonly deps: TypingIndicatorDeps) {
    this.now = deps.now ?? Date.now;
    this.throttle = deps.throttle ?? new TypingThrottle();
  }

  /** Show the customer of this conversation that an agent is typing, if the rules allow. Never throws. */
  async show(conversation: ConversationRow): Promise<TypingOutcome> {
    if (conversation.channel !== 'whatsapp') return 'not_whatsapp';
    const now = this.now();
    if (!windowOpen(conversation, new Date(now))) return 'window_closed';
    if (!this.throttle.take(conversation.id, now)) return 'throttled';
    try {
      const recent = await this.deps.messages.latest(conversation.id, RECENT);
      const wamid = [...recent].reverse().find((m) => m.direction === 'inbound' && m.wamid)?.wamid;
      if (!wamid) return 'no_inbound';
      const number = await this.deps.numbers.forConversation(conversation.whatsapp_number_id);
      if (!number) return 'no_number';
      if (number.tokenProblem) return 'paused';
      await this.deps.cloud.markRead(wamid, { typingIndicator: true, phoneNumberId: number.phoneNumberId, token: this.deps.numbers.tokenFor(number) });
      return 'sent';
    } catch (err) {
      this.deps.logger.warn({ err, conversationId: conversation.id }, 'could not show the WhatsApp typing indicator');
      return 'failed';
    }
  }
}
