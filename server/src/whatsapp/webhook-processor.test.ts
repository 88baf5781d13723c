import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '@connectdesk/shared';
import type { OwnerConsole } from '../conversations/owner/owner-console.ts';
import { WebhookEventsRepo, type WebhookEventRow } from '../db/repos/webhook-events-repo.ts';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';
import { createLogger } from '../logger.ts';
import { UnusableWebhookError, type InboundMessages } from './inbound-messages.ts';
import type { NumberRegistry } from './number-registry.ts';
import type { StatusUpdates } from './status-updates.ts';
import type { TemplatesService } from './templates-service.ts';
import type { InboundBulk, PlainInbound } from './inbound-bulk.ts';
import { orderingKey, WebhookProcessor } from './webhook-processor.ts';
import { useTempSqlite } from '../../test-support/temp-sqlite.ts';

const NUMBER = { id: 'N1', phoneNumberId: '100' } as WhatsAppNumber;

function body(text: string, from = '15550001'): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'W',
        changes: [
          {
            field: 'messages',
            value: {
              metadata: { phone_number_id: '100' },
              messages: [{ from, id: `wamid.${text}`, timestamp: '1700000000', type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

describe('WebhookProcessor', () => {
  const tmp = useTempSqlite();
  let db: Knex;
  let events: WebhookEventsRepo;
  let processor: WebhookProcessor;
  const applied: string[] = [];
  let behaviour: (text: string) => void = () => {};

  beforeEach(async () => {
    db = tmp.db;
    events = new WebhookEventsRepo(db);
    applied.length = 0;
    behaviour = () => {};
    const inbound = {
      apply: async (_n: WhatsAppNumber, msg: InboundMessage) => {
        behaviour(msg.text!.body);
        applied.push(msg.text!.body);
      },
    } as unknown as InboundMessages;
    processor = new WebhookProcessor({
      events,
      numbers: { byPhoneNumberId: async (id: string) => (id === '100' ? NUMBER : null) } as unknown as NumberRegistry,
      owner: { isOwner: () => false } as unknown as OwnerConsole,
      inbound,
      statuses: {} as StatusUpdates,
      templates: {} as TemplatesService,
      logger: createLogger({ level: 'silent' }),
      pollMs: 20,
    });
  });
  afterEach(async () => {
    await processor.stop();
  });

  const store = async (raw: string) => (await events.insertBatch([{ dedupeKey: raw.length + raw.slice(-40), rawBody: raw }])).values().next().value!;
  const until = async (cond: () => Promise<boolean>) => {
    for (let i = 0; i < 300 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await cond()).toBe(true);
  };

  it('applies plain texts of a batch together, and a customer with anything else one by one, in order', async () => {
    await processor.stop();
    const together: string[][] = [];
    const inbound = {
      apply: async (_n: WhatsAppNumber, msg: InboundMessage) => void applied.push(msg.text!.body),
    } as unknown as InboundMessages;
    const bulk = {
      isPlain: (msg: InboundMessage) => !msg.text!.body.startsWith('special'),
      apply: async (items: PlainInbound[], within?: (trx: Knex, left: Set<string>) => Promise<void>) => {
        together.push(items.map((i) => i.msg.text!.body));
        // A customer the bulk step cannot take (known only by user id, say) is left to the one-by-one path.
        const left = new Set(items.filter((i) => i.msg.text!.body.startsWith('left')).map((i) => i.key));
        // The processor marks what it applied as done in the same transaction.
        await db.transaction((trx) => within!(trx, left));
        return { left };
      },
    } as unknown as InboundBulk;
    processor = new WebhookProcessor({
      events,
      numbers: { byPhoneNumberId: async () => NUMBER } as unknown as NumberRegistry,
      owner: { isOwner: () => false } as unknown as OwnerConsole,
      inbound,
      bulk,
      statuses: {} as StatusUpdates,
      templates: {} as TemplatesService,
      logger: createLogger({ level: 'silent' }),
      pollMs: 20,
    });
    const ids = [
      await store(body('a-1', '15550001')),
      await store(body('b-1', '15550002')),
      await store(body('special-b-2', '15550002')),
      await store(body('a-2', '15550001')),
      await store(body('left-c-1', '15550003')),
    ];
    processor.start();
    await until(async () => (await Promise.all(ids.map((id) => events.byId(id)))).every((e) => e!.status === 'done'));
    expect(together).toEqual([['a-1', 'a-2', 'left-c-1']]);
    // B has a special delivery: both of theirs go one by one, in the order they came; so does C, left by the bulk step.
    expect(applied.filter((t) => t.startsWith('b') || t.startsWith('special'))).toEqual(['b-1', 'special-b-2']);
    expect(applied).toContain('left-c-1');
    expect(applied).not.toContain('a-1');
  });

  it('applies what was stored before it started (a restart after a crash)', async () => {
    const id = await store(body('before-start'));
    processor.start();
    await until(async () => (await events.byId(id))!.status === 'done');
    expect(applied).toEqual(['before-start']);
  });

  it('keeps a failing event, with its error, and applies it on a later retry', async () => {
    let failures = 1;
    behaviour = () => {
      if (failures-- > 0) throw new Error('database is busy');
    };
    const id = await store(body('flaky'));
    processor.start();
    await until(async () => (await events.byId(id))!.status === 'failed');
    const failed = (await events.byId(id))!;
    expect(failed.error).toMatch(/database is busy/);
    expect(failed.next_attempt_at).not.toBeNull();
    // The retry falls due; it would wait for backoff, so bring it forward.
    await db('webhook_events')
      .where({ id })
      .update({ next_attempt_at: Date.now() - 1 });
    processor.wake();
    await until(async () => (await events.byId(id))!.status === 'done');
    expect(applied).toEqual(['flaky']);
    expect((await events.byId(id))!.attempts).toBe(2);
  });

  it('does not retry unusable content on its own, but an admin can replay it', async () => {
    behaviour = () => {
      throw new UnusableWebhookError('message without a sender');
    };
    const id = await store(body('unusable'));
    processor.start();
    await until(async () => (await events.byId(id))!.status === 'failed');
    expect((await events.byId(id))!.next_attempt_at).toBeNull();
    behaviour = () => {};
    expect(await processor.replay(id)).toBe(true);
    await until(async () => (await events.byId(id))!.status === 'done');
    expect(applied).toEqual(['unusable']);
  });
});

describe('orderingKey', () => {
  const row = (body: unknown) => ({ id: 'E1', raw_body: JSON.stringify(body) }) as WebhookEventRow;
  const change = (field: string, value: object) => ({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field, value }] }] });

  it('orders by customer for messages and statuses, by business account for everything else', () => {
    expect(orderingKey(row(change('messages', { messages: [{ from: '15551234567' }] })))).toBe('c:15551234567');
    expect(orderingKey(row(change('messages', { statuses: [{ recipient_id: '15551234567' }] })))).toBe('c:15551234567');
    const template = orderingKey(row(change('message_template_status_update', { event: 'APPROVED' })));
    expect(template).toBe('a:102290129340398');
    expect(orderingKey(row(change('template_category_update', { new_category: 'UTILITY' })))).toBe(template);
  });

  it('orders a marketing preference with its customer, and a group’s messages by group', () => {
    const prefs = change('user_preferences', { user_preferences: [{ wa_id: '15551234567', category: 'marketing_messages', value: 'stop' }] });
    expect(orderingKey(row(prefs))).toBe('c:15551234567');
    expect(orderingKey(row(change('user_preferences', { user_preferences: [{ user_id: 'US.1', value: 'stop' }] })))).toBe('c:US.1');
    const fromA = orderingKey(row(change('messages', { messages: [{ from: '15551234567', group_id: 'G1' }] })));
    const fromB = orderingKey(row(change('messages', { messages: [{ from: '15557654321', group_id: 'G1' }] })));
    expect(fromA).toBe('g:G1');
    expect(fromB).toBe(fromA);
  });

  it('falls back to the event itself when there is nothing to order by', () => {
    expect(orderingKey(row(change('messages', { messages: [{}] })))).toBe('e:E1');
    expect(orderingKey(row({ entry: [{ changes: [{ field: 'account_update', value: {} }] }] }))).toBe('e:E1');
    expect(orderingKey({ id: 'E1', raw_body: 'not json' } as WebhookEventRow)).toBe('e:E1');
  });
});
