import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import type { ConversationJson, InboundMessage } from '@connectdesk/shared';
import { ConversationLog } from '../conversations/conversation-log.ts';
import type { ChatNotifier } from '../conversations/notifier.ts';
import { PhoneVerification } from '../conversations/phone-verification.ts';
import { MessageChanges } from '../conversations/message-changes.ts';
import { createGroupCommit } from '../db/group-commit.ts';
import { ContactsRepo } from '../db/repos/contacts-repo.ts';
import { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import { conversationJson } from '../presentation/conversation-json.ts';
import { MediaRepo } from '../db/repos/media-repo.ts';
import { MessagesRepo } from '../db/repos/messages-repo.ts';
import type { WhatsAppNumber } from '../db/repos/whatsapp-numbers-repo.ts';
import { InboundBulk, type PlainInbound } from './inbound-bulk.ts';
import { InboundMessages, senderOf } from './inbound-messages.ts';
import { useTempSqlite } from '../../test-support/temp-sqlite.ts';

const NUMBER = { id: 'N1', phoneNumberId: '100' } as WhatsAppNumber;

function text(from: string, id: string, body: string, name: string | null, extra: Partial<InboundMessage> = {}) {
  const msg = { from, id, timestamp: String(1_700_000_000 + Number(id.replace(/\D/g, '') || 0)), type: 'text', text: { body }, ...extra } as InboundMessage;
  const contacts = [{ wa_id: from, user_id: `US.${from}`, ...(name ? { profile: { name } } : {}) }];
  return { msg, sender: senderOf(msg, contacts) };
}

/** Everything a customer's message changes, without ids and clock readings. */
async function snapshot(db: Knex) {
  const contacts = await db('contacts').orderBy('wa_id').select('wa_id', 'user_id', 'name', 'phone', 'whatsapp_consent');
  const conversations = await db('conversations as v')
    .join('contacts as c', 'c.id', 'v.contact_id')
    .orderBy('c.wa_id')
    .select('c.wa_id', 'v.channel', 'v.status', 'v.whatsapp_number_id', 'v.unread_count', 'v.last_message_preview', 'v.last_customer_message_at');
  const messages = await db('messages as m')
    .join('conversations as v', 'v.id', 'm.conversation_id')
    .join('contacts as c', 'c.id', 'v.contact_id')
    .orderBy('m.id')
    .select('c.wa_id', 'm.direction', 'm.sender', 'm.type', 'm.body', 'm.content', 'm.wamid', 'm.status', 'm.sent_at', 'm.is_note', 'm.context_wamid');
  // The report rollups the triggers keep, added up over time slots (the clock moves between runs).
  const rollups: Record<string, number> = {};
  for (const r of (await db('report_slots').select('*')) as Record<string, unknown>[]) {
    for (const [k, v] of Object.entries(r))
      if (k !== 'slot' && typeof v === 'number')
        rollups[`${String(r.agent_id)}/${String(r.channel)}/${k}`] = (rollups[`${String(r.agent_id)}/${String(r.channel)}/${k}`] ?? 0) + v;
  }
  const waiting = await db('conversations').whereNotNull('waiting_since').count({ n: '*' });
  return { contacts, conversations, messages, rollups, waiting: Number(waiting[0]!.n) };
}

async function services(db: Knex) {
  await db('whatsapp_numbers').insert({ id: NUMBER.id, phone_number_id: NUMBER.phoneNumberId, is_default: true, created_at: 1, updated_at: 1 });
  const announced: { wamid: string | null; conversation: string; unread: number }[] = [];
  const shown: ConversationJson[] = [];
  const notifier = {
    toAgents: (event: string, payload: { message: { wamid: string | null }; conversation: ConversationJson }) => {
      if (event !== 'message:new') return;
      announced.push({ wamid: payload.message.wamid, conversation: payload.conversation.id, unread: payload.conversation.unread });
      shown.push(payload.conversation);
    },
    toVisitor: () => {},
    visitorOnline: async () => false,
    agentsOnline: async () => false,
  } as unknown as ChatNotifier;
  const tx = createGroupCommit(db);
  const contacts = new ContactsRepo(db);
  const conversations = new ConversationsRepo(db);
  const messages = new MessagesRepo(db);
  const log = new ConversationLog({ conversations, messages, notifier, mediaUrl: () => null, forVisitor: (m) => m });
  const one = new InboundMessages({
    tx,
    contacts,
    conversations,
    messages,
    media: new MediaRepo(db),
    changes: new MessageChanges(tx, messages),
    log,
    onMedia: () => {},
    verification: new PhoneVerification({ contacts, conversations, messages }),
  });
  const bulk = new InboundBulk({ tx, contacts, conversations, messages, log });
  return { one, bulk, announced, shown, contacts, conversations };
}

describe('InboundBulk', () => {
  const a = useTempSqlite();
  const b = useTempSqlite();

  // Known and new customers, several messages per customer, a name change, a repeated wamid
  // (within the batch and stored before), a text from an ad, and a conversation resolved earlier.
  const before = [text('15550001', 'wamid.1', 'first contact', 'Ana'), text('15550002', 'wamid.2', 'hello', 'Bo')];
  const batch = [
    text('15550001', 'wamid.3', 'second', 'Ana'),
    text('15550003', 'wamid.4', 'new here', 'Cy'),
    text('15550001', 'wamid.5', 'third', 'Ana Maria'),
    text('15550002', 'wamid.2', 'hello', 'Bo'),
    text('15550003', 'wamid.4', 'new here', 'Cy'),
    text('15550004', 'wamid.6', 'saw your ad', null, { referral: { headline: 'Spring sale', source_type: 'ad' } } as Partial<InboundMessage>),
    text('15550002', 'wamid.7', 'back again', 'Bo'),
  ];

  it('stores exactly what the message-by-message path stores, and tells the agents of each message', async () => {
    const one = await services(a.db);
    const many = await services(b.db);
    for (const s of [one, many]) for (const { msg, sender } of before) await s.one.store(NUMBER, msg, sender, {});
    for (const db of [a.db, b.db]) await db('conversations').update({ status: 'resolved', unread_count: 0 });

    for (const { msg, sender } of batch) await one.one.store(NUMBER, msg, sender, {});
    const items = batch.map(({ msg, sender }) => ({ key: `c:${msg.from}`, number: NUMBER, msg, sender }) as PlainInbound);
    expect(items.every((i) => many.bulk.isPlain(i.msg, i.sender))).toBe(true);
    const { left } = await many.bulk.apply(items);
    expect(left.size).toBe(0);

    expect(await snapshot(b.db)).toEqual(await snapshot(a.db));
    const told = (s: Awaited<ReturnType<typeof services>>) => s.announced.slice(before.length).map((x) => x.wamid);
    expect(told(many)).toEqual(told(one));
    expect(told(many)).toEqual(['wamid.3', 'wamid.4', 'wamid.5', 'wamid.6', 'wamid.7']);
  });

  it('tells the agents each conversation as committed — new, known and renamed customers — without reading it again', async () => {
    const many = await services(b.db);
    for (const { msg, sender } of before) await many.one.store(NUMBER, msg, sender, {});
    await b.db('conversations').update({ status: 'resolved', unread_count: 0 });
    const items = batch.map(({ msg, sender }) => ({ key: `c:${msg.from}`, number: NUMBER, msg, sender }) as PlainInbound);
    const reads: string[] = [];
    const onQuery = (q: { sql: string }) => {
      if (/from [`"]conversations[`"] as [`"]v[`"]/i.test(q.sql)) reads.push(q.sql);
    };
    b.db.on('query', onQuery);
    try {
      await many.bulk.apply(items);
    } finally {
      b.db.off('query', onQuery);
    }
    expect(reads).toEqual([]);
    const told = many.shown.slice(before.length);
    expect(told.map((c) => c.contact.name)).toEqual(['Ana Maria', 'Cy', 'Ana Maria', null, 'Bo']);
    // Each notice's conversation is the conversation as it is after the batch (one batch, one state).
    const now = new Date();
    const after = await many.conversations.withContactMany(told.map((c) => c.id));
    for (const c of told) expect(c).toEqual(conversationJson(after.get(c.id)!, now));
    expect(told.map((c) => [c.status, c.unread])).toEqual([
      ['open', 2],
      ['open', 1],
      ['open', 2],
      ['open', 1],
      ['open', 1],
    ]);
  });

  it('applies a batch twice as once (deliveries retried after a crash)', async () => {
    const many = await services(b.db);
    const items = batch.map(({ msg, sender }) => ({ key: `c:${msg.from}`, number: NUMBER, msg, sender }) as PlainInbound);
    await many.bulk.apply(items);
    const once = await snapshot(b.db);
    await many.bulk.apply(items);
    expect(await snapshot(b.db)).toEqual(once);
  });

  it('leaves a customer known only by user id, and everything of theirs, to the message-by-message path', async () => {
    const many = await services(b.db);
    await b.db('contacts').insert({
      id: 'C-user-only',
      wa_id: null,
      user_id: 'US.15550009',
      name: 'Only user id',
      whatsapp_consent: true,
      created_at: 1,
      updated_at: 1,
    });
    const mine = [text('15550009', 'wamid.91', 'one', 'Dee'), text('15550009', 'wamid.92', 'two', 'Dee')];
    const other = text('15550008', 'wamid.93', 'other', 'Eve');
    const items = [...mine, other].map(({ msg, sender }) => ({ key: `c:${msg.from}`, number: NUMBER, msg, sender }) as PlainInbound);
    const { left } = await many.bulk.apply(items);
    expect([...left]).toEqual(['c:15550009']);
    expect((await b.db('messages').select('wamid')).map((r) => r.wamid)).toEqual(['wamid.93']);
  });

  it('is not for what needs more than a plain text: media, quotes, groups, verification codes', async () => {
    const { bulk } = await services(a.db);
    const plain = text('15550001', 'wamid.1', 'hi', 'Ana');
    expect(bulk.isPlain(plain.msg, plain.sender)).toBe(true);
    const variants: Partial<InboundMessage>[] = [
      { type: 'image', image: { id: 'M1', mime_type: 'image/jpeg' } } as Partial<InboundMessage>,
      { context: { id: 'wamid.0', from: '15550001' } } as Partial<InboundMessage>,
      { group_id: 'G1' } as Partial<InboundMessage>,
      { text: { body: 'my code is CD-7KQ2MX' } } as Partial<InboundMessage>,
    ];
    for (const v of variants) {
      const t = text('15550001', 'wamid.1', 'hi', 'Ana', v);
      expect(bulk.isPlain(t.msg, t.sender)).toBe(false);
    }
    const noPhone = { ...plain.sender, waId: null };
    expect(bulk.isPlain(plain.msg, noPhone)).toBe(false);
  });
});
