import type { Knex } from 'knex';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WebhookError } from '@connectdesk/shared';
import { ContactsRepo } from '../db/repos/contacts-repo.ts';
import { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import { ForwardsRepo } from '../db/repos/forwards-repo.ts';
import { MessagesRepo } from '../db/repos/messages-repo.ts';
import { OwnerMessagesRepo } from '../db/repos/owner-messages-repo.ts';
import { WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import { conversationJson } from '../presentation/conversation-json.ts';
import type { ConversationLog } from '../conversations/conversation-log.ts';
import { createGroupCommit } from '../db/group-commit.ts';
import { StatusUpdates, statusErrorOf } from './status-updates.ts';
import { useTempSqlite } from '../../test-support/temp-sqlite.ts';

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
    const log = {
      announceStatusById: async (id: string) => void pushed.push(id),
      announceConversation: async (id: string) => void pushed.push(`conversation:${id}`),
    } as unknown as ConversationLog;
    statuses = new StatusUpdates({
      tx: createGroupCommit(db),
      messages,
      forwards: new ForwardsRepo(db),
      ownerMessages: new OwnerMessagesRepo(db),
      events: new WebhookEventsRepo(db),
      conversations: new ConversationsRepo(db),
      log,
    });
    const contact = await new ContactsRepo(db).upsertWhatsApp({ waId: '15550001', userId: null, name: 'A' });
    conversationId = (await new ConversationsRepo(db).create({ channel: 'whatsapp', contactId: contact.id })).id;
  });

  const outbound = () =>
    messages.insert({ conversationId, channel: 'whatsapp', direction: 'outbound', sender: 'agent', type: 'text', body: 'hi', status: 'queued' });
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

  it('moves forward only; read is final against a later failed', async () => {
    const m = await outbound();
    await messages.update(m.id, { wamid: 'wamid.x', status: 'sent' });
    for (const s of ['read', 'delivered', 'sent']) await statuses.apply(st('wamid.x', s));
    expect((await messages.byId(m.id))!.status).toBe('read');
    await statuses.apply(st('wamid.x', 'failed', [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }]));
    const row = (await messages.byId(m.id))!;
    expect([row.status, row.error_code]).toEqual(['read', null]);
  });

  it('failed keeps Meta’s error and is final', async () => {
    const m = await outbound();
    await messages.update(m.id, { wamid: 'wamid.f', status: 'sent' });
    await statuses.apply(st('wamid.f', 'delivered'));
    await statuses.apply(st('wamid.f', 'failed', [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }]));
    await statuses.apply(st('wamid.f', 'read'));
    const row = (await messages.byId(m.id))!;
    expect([row.status, row.error_code, row.error_title, row.error_detail]).toEqual(['failed', '131047', 'Re-engagement message', 'more than 24 hours']);
  });

  it('never applies a status to a customer’s (inbound) message', async () => {
    const m = await messages.insert({
      conversationId,
      channel: 'whatsapp',
      direction: 'inbound',
      sender: 'customer',
      type: 'text',
      body: 'from the customer',
      status: 'received',
      wamid: 'wamid.in',
    });
    for (const s of ['sent', 'delivered', 'read']) await statuses.apply(st('wamid.in', s));
    await statuses.apply(st('wamid.in', 'failed', [{ code: 131026, title: 'Message undeliverable' }]));
    const row = (await messages.byId(m.id))!;
    expect([row.status, row.error_code]).toEqual(['received', null]);
    expect(pushed).toEqual([]);
  });

  it('closes the window when Meta answers 131047, until the customer writes again', async () => {
    const conversations = new ConversationsRepo(db);
    const now = Date.now();
    await conversations.touch(conversationId, { at: now, preview: 'hi', inbound: true, customerTimestamp: now - 60 * 60_000 });
    expect(conversationJson((await conversations.withContact(conversationId))!).window.open).toBe(true);
    const m = await outbound();
    await messages.update(m.id, { wamid: 'wamid.late', status: 'sent' });
    await statuses.apply(st('wamid.late', 'failed', [{ code: 131047, title: 'Re-engagement message' }]));
    expect(conversationJson((await conversations.withContact(conversationId))!).window.open).toBe(false);
    expect(pushed).toEqual([m.id, `conversation:${conversationId}`]);
    // Another failure changes nothing more; the customer's next message opens it again.
    expect(await conversations.closeWindow(conversationId, Date.now())).toBe(false);
    await conversations.touch(conversationId, { at: Date.now(), preview: 'back', inbound: true, customerTimestamp: Date.now() });
    expect(conversationJson((await conversations.withContact(conversationId))!).window.open).toBe(true);
  });

  it('leaves the window alone for other failures', async () => {
    const conversations = new ConversationsRepo(db);
    await conversations.touch(conversationId, { at: Date.now(), preview: 'hi', inbound: true, customerTimestamp: Date.now() });
    const m = await outbound();
    await messages.update(m.id, { wamid: 'wamid.other', status: 'sent' });
    await statuses.apply(st('wamid.other', 'failed', [{ code: 131026, title: 'Message undeliverable' }]));
    expect(conversationJson((await conversations.withContact(conversationId))!).window.open).toBe(true);
    expect(pushed).toEqual([m.id]);
  });

  it('moves a message to the owner’s phone forward too, also when its status came before the send’s answer', async () => {
    const owner = new OwnerMessagesRepo(db);
    const key = { phoneNumberId: '100000000000001', ownerWaId: '15550100001' };
    const sent = await owner.create({ ...key, kind: 'digest', viaTemplate: false, body: '2 conversations are waiting', lines: [], at: 1 });
    await statuses.apply(st('wamid.owner-early', 'delivered'));
    await owner.markSent(sent.id, 'wamid.owner-early', 2);
    await statuses.flushPending('wamid.owner-early');
    expect((await owner.byId(sent.id))!.status).toBe('delivered');
    await statuses.apply(st('wamid.owner-early', 'sent'));
    await statuses.apply(st('wamid.owner-early', 'read'));
    expect(await owner.byId(sent.id)).toMatchObject({ status: 'read', sent_at: 2 });
    expect(pushed).toEqual([]);
  });

  it('keeps Meta’s pricing object with the recipient’s calling code, also when the status came early', async () => {
    const m = await outbound();
    const pricing = { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' };
    await statuses.apply({ ...st('wamid.priced', 'sent'), recipient_id: '447700900123', pricing });
    await messages.update(m.id, { wamid: 'wamid.priced', status: 'sent' });
    await statuses.flushPending('wamid.priced');
    expect(await db('messages').where({ id: m.id }).first()).toMatchObject({
      pricing_category: 'marketing',
      pricing_model: 'PMP',
      pricing_type: 'regular',
      pricing_billable: 1,
      pricing_country: '44',
    });
    const free = await outbound();
    await messages.update(free.id, { wamid: 'wamid.free', status: 'sent' });
    await statuses.apply({
      ...st('wamid.free', 'delivered'),
      recipient_id: '15550001',
      pricing: { billable: true, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
    });
    expect(await db('messages').where({ id: free.id }).first()).toMatchObject({
      pricing_type: 'free_customer_service',
      pricing_billable: 0,
      pricing_country: '1',
    });
  });

  it('reads Meta’s error for a failed status even when fields are missing', () => {
    expect(statusErrorOf([{ code: 131026, message: 'Message undeliverable' }])).toEqual({ code: '131026', title: 'Message undeliverable', detail: null });
    expect(statusErrorOf([{ code: 130472 }]).title).toBe("User's number is part of an experiment");
    expect(statusErrorOf(undefined)).toEqual({ code: 'unknown', title: 'WhatsApp did not say why', detail: null });
  });
});
