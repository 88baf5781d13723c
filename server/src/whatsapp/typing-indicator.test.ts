import { describe, expect, it } from 'vitest';
import type { ConversationRow } from '../db/repos/conversations-repo.ts';
import type { MessageRow } from '../db/repos/messages-repo.ts';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';
import { createLogger } from '../logger.ts';
import { TYPING_INDICATOR_MS, TypingIndicator, TypingThrottle } from './typing-indicator.ts';

describe('TypingThrottle', () => {
  it('lets one pass per key per 25 s, then the next window opens', () => {
    const t = new TypingThrottle();
    expect(t.take('c1', 1_000)).toBe(true);
    expect(t.take('c1', 1_000 + 1)).toBe(false);
    expect(t.take('c1', 1_000 + TYPING_INDICATOR_MS - 1)).toBe(false);
    expect(t.take('c1', 1_000 + TYPING_INDICATOR_MS)).toBe(true);
    expect(t.take('c1', 1_000 + TYPING_INDICATOR_MS + 10)).toBe(false);
  });

  it('keeps each key apart', () => {
    const t = new TypingThrottle(25_000);
    expect(t.take('a', 0)).toBe(true);
    expect(t.take('b', 10)).toBe(true);
    expect(t.take('a', 20)).toBe(false);
  });

  it('stays bounded: past maxKeys the oldest keys are forgotten', () => {
    const t = new TypingThrottle(25_000, 3);
    for (const k of ['a', 'b', 'c', 'd']) expect(t.take(k, 100)).toBe(true);
    expect(t.take('a', 200)).toBe(true); // forgotten, so it passes again
    expect(t.take('d', 200)).toBe(false);
  });
});

const HOUR = 3600_000;

function conversation(over: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id: 'conv1',
    channel: 'whatsapp',
    contact_id: 'ct1',
    whatsapp_number_id: 'n1',
    owner_user_id: null,
    assignee_id: null,
    status: 'open',
    last_customer_message_at: Date.now() - HOUR,
    last_message_at: Date.now() - HOUR,
    last_message_preview: null,
    unread_count: 0,
    site: null,
    created_at: Date.now() - 2 * HOUR,
    updated_at: Date.now() - HOUR,
    ...over,
  };
}

const number = { phoneNumberId: 'PN1', tokenProblem: null } as unknown as WhatsAppNumber;

function setup(opts: { rows?: Partial<MessageRow>[]; fail?: boolean; number?: WhatsAppNumber | null } = {}) {
  const calls: { wamid: string; opts: unknown }[] = [];
  const warnings: unknown[] = [];
  let clock = Date.now();
  const logger = createLogger({ level: 'silent' });
  logger.warn = ((obj: unknown) => void warnings.push(obj)) as typeof logger.warn;
  const indicator = new TypingIndicator({
    messages: {
      latest: async () =>
        (opts.rows ?? [
          { direction: 'inbound', wamid: 'wamid.OLD' },
          { direction: 'inbound', wamid: 'wamid.NEW' },
          { direction: 'outbound', wamid: 'wamid.OUT' },
        ]) as MessageRow[],
    },
    numbers: { forConversation: async () => (opts.number === undefined ? number : opts.number), tokenFor: () => 'token' },
    cloud: {
      markRead: async (wamid, o) => {
        if (opts.fail) throw new Error('Graph is down');
        calls.push({ wamid, opts: o });
      },
    },
    logger,
    now: () => clock,
  });
  return { indicator, calls, warnings, advance: (ms: number) => (clock += ms) };
}

describe('TypingIndicator', () => {
  it("sends the read receipt of the customer's latest message with the typing indicator, once per 25 s", async () => {
    const { indicator, calls, advance } = setup();
    expect(await indicator.show(conversation())).toBe('sent');
    expect(calls).toEqual([{ wamid: 'wamid.NEW', opts: { typingIndicator: true, phoneNumberId: 'PN1', token: 'token' } }]);
    advance(5_000);
    expect(await indicator.show(conversation())).toBe('throttled');
    advance(TYPING_INDICATOR_MS);
    expect(await indicator.show(conversation())).toBe('sent');
    expect(calls).toHaveLength(2);
  });

  it('sends nothing outside the 24-hour window, for web chats, without an inbound wamid or while sending is paused', async () => {
    const { indicator, calls } = setup();
    expect(await indicator.show(conversation({ last_customer_message_at: Date.now() - 25 * HOUR }))).toBe('window_closed');
    expect(await indicator.show(conversation({ last_customer_message_at: null }))).toBe('window_closed');
    expect(await indicator.show(conversation({ channel: 'web' }))).toBe('not_whatsapp');
    expect(await setup({ rows: [{ direction: 'outbound', wamid: 'wamid.OUT' }] }).indicator.show(conversation())).toBe('no_inbound');
    expect(await setup({ number: null }).indicator.show(conversation())).toBe('no_number');
    const paused = { ...number, tokenProblem: { code: '190', detail: 'expired', at: 1 } } as unknown as WhatsAppNumber;
    expect(await setup({ number: paused }).indicator.show(conversation())).toBe('paused');
    expect(calls).toEqual([]);
  });

  it('logs a failure and never throws it at the agent', async () => {
    const { indicator, warnings } = setup({ fail: true });
    await expect(indicator.show(conversation())).resolves.toBe('failed');
    expect(warnings).toHaveLength(1);
  });
});
