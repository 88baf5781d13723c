import type { Knex } from 'knex';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WebhookError } from '@connectdesk/shared';
import { ContactsRepo } from '../db/repos/contacts-repo.ts';
import { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import { ForwardsRepo } from '../db/repos/forwards-repo.ts';
import { MessagesRepo } from '../db/repos/messages-repo.ts';
import { WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import type { MessagePush } from './message-push.ts';
import { StatusUpdates, statusErrorOf } from './status-updates.ts';
import { useTempSqlite } from '../db/test-sqlite.ts';

describe('StatusUpdates', () => {
  const tmp = useTempSqlite();
  let db: Knex;
  let messages: MessagesRepo;
  let statuses: StatusUpdates;
  const pushed: string[] = [];
  let conversationId: string;

  beforeEach(async () => {
    db = tmp.db;
    messages = new MessagesRepo(db);
    pushed.length = 0;
    const push = { statusById: async (id: string) => void pushed.push(id) } as unknown as MessagePush;
    statuses = new StatusUpdates({ messages, forwards: new ForwardsRepo(db), events: new WebhookEventsRepo(db), push });
    const contact = await new ContactsRepo(db).upsertWhatsApp({ waId: '15550001', userId: null, name: 'A' });
    conversationId = (await new ConversationsRepo(db).create({ channel: 'whatsapp', contactId: contact.id })).id;
  });

  const outbound = () => messages.insert({ conversationId, direction: 'outbound', sender: 'agent', type: 'text', body: 'hi', status: 'queued' });
  const st = (id: string, status: string, errors?: WebhookError[]) => ({ id, status, timestamp: '1700000000', ...(errors ? { errors } : {}) });

  it('keeps a status that beats the send’s answer and applies it once the wamid is stored', async () => {
    const m = await outbound();
    await statuses.apply(st('wamid.early', 'delivered'));
    expect((await messages.byId(m.id))!.status).toBe('queued');
    await messages.update(m.id, { wamid: 'wamid.early', status: 'sent' });
    await statuses.flushPending('wamid.early');
    expect((await messages.byId(m.id))!.status).toBe('delivered');
    expect(pushed).toEqual([m.id]);
    await statuses.flushPending('wamid.early'); // taken once only
    expect(pushed).toEqual([m.id]);
  });

  it('moves forward only; failed keeps Meta’s error and is final', async () => {
    const m = await outbound();
    await messages.update(m.id, { wamid: 'wamid.x', status: 'sent' });
    for (const s of ['read', 'delivered', 'sent']) await statuses.apply(st('wamid.x', s));
    expect((await messages.byId(m.id))!.status).toBe('read');
    await statuses.apply(st('wamid.x', 'failed', [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }]));
    await statuses.apply(st('wamid.x', 'delivered'));
    const row = (await messages.byId(m.id))!;
    expect([row.status, row.error_code, row.error_title, row.error_detail]).toEqual(['failed', '131047', 'Re-engagement message', 'more than 24 hours']);
  });

  it('reads Meta’s error for a failed status even when fields are missing', () => {
    expect(statusErrorOf([{ code: 131026, message: 'Message undeliverable' }])).toEqual({ code: '131026', title: 'Message undeliverable', detail: null });
    expect(statusErrorOf([{ code: 130472 }]).title).toBe("User's number is part of an experiment");
    expect(statusErrorOf(undefined)).toEqual({ code: 'unknown', title: 'WhatsApp did not say why', detail: null });
  });
});
