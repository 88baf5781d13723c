/**
 * What the owner console needs from the WhatsApp side, declared here and implemented there:
 * the business numbers (whatsapp/number-registry.ts), the owner pair budget
 * (whatsapp/pair-budget.ts) and the runner of background passes (jobs/serial-passes.ts).
 */
import type { WhatsAppNumber } from '../../db/repos/whatsapp-numbers-repo.ts';

/** The business numbers, and which phone is each one's owner. */
export interface OwnerNumbers {
  defaultNumber(): Promise<WhatsAppNumber | null>;
  /** The owner's WhatsApp id for this number (null: no owner phone set). */
  ownerPhoneOf(number: WhatsAppNumber): string | null;
}

/** Messages a business number may still send to one owner phone (Meta's pair rate limit). */
export interface OwnerPairBudget {
  readonly burst: number;
  readonly intervalMs: number;
  /** What is left now, without spending: whole messages, and when one more becomes available. */
  peek(key: { phoneNumberId: string; waId: string }): Promise<{ tokens: number; nextAt: number }>;
}

/** Runs a background pass one at a time; a wake during a pass runs exactly one more afterwards. */
export interface PassRunner {
  readonly running: boolean;
  start(): void;
  /** Run a pass now, or once more after the one in progress. */
  request(): void;
  /** Stop, letting the pass in progress finish. */
  stop(): Promise<void>;
}
