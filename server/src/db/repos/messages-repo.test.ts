import { beforeEach, describe, expect, it } from 'vitest';
import { ContactsRepo } from './contacts-repo.ts';
import { ConversationsRepo } from './conversations-repo.ts';
import { MessagesRepo, type NewMessage } from './messages-repo.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

/** A visitor's text as the widget sends it, before it has a conversation. */
const visitorText = (clientId: string | null, body: string): Omit<NewMessage, 'conversationId'> => ({
  channel: 'web',
  direction: 'inbound',
  sender: 'visitor',
  type: 'text',
  body,
  status: 'received',
  clientId,
});

describe('a message the widget named by client_id is stored once (SQLite)', () => {
  const tmp = useTempSqlite();
  let messages: MessagesRepo;
  let stored: string[];
  let conversationId: string;

  beforeEach(async () => {
    stored = [];
    messages = new MessagesRepo(tmp.db, { onStored: (m) => stored.push(m.direction) });
    const contact = await new ContactsRepo(tmp.db).createVisitor({ visitorTokenHash: 'h' });
    conversationId = (await new ConversationsRepo(tmp.db).create({ channel: 'web', contactId: contact.id })).id;
  });

  const draft = (clientId: string, body: string): NewMessage & { clientId: string } => ({ ...visitorText(clientId, body), conversationId, clientId });

  it('stores a new client_id and answers null, storing and counting nothing, for one seen already', async () => {
    const first = await tmp.db.transaction((trx) => messages.insertUnlessClientId(draft('c-1', 'Hello'), trx));
    expect(first).toMatchObject({ conversation_id: conversationId, client_id: 'c-1', body: 'Hello' });
    const again = await tmp.db.transaction((trx) => messages.insertUnlessClientId(draft('c-1', 'Hello, edited'), trx));
    expect(again).toBeNull();
    const other = await tmp.db.transaction((trx) => messages.insertUnlessClientId(draft('c-2', 'Still there?'), trx));
    expect(other?.client_id).toBe('c-2');
    expect(await tmp.db('messages').orderBy('created_at').select('client_id', 'body')).toEqual([
      { client_id: 'c-1', body: 'Hello' },
      { client_id: 'c-2', body: 'Still there?' },
    ]);
    expect(stored).toEqual(['inbound', 'inbound']);
  });

  it('skips only the client_id conflict: another unique key taken still fails the insert', async () => {
    await tmp.db.transaction((trx) => messages.insertUnlessClientId({ ...draft('c-1', 'Hello'), wamid: 'wamid.A' }, trx));
    await expect(tmp.db.transaction((trx) => messages.insertUnlessClientId({ ...draft('c-2', 'Hi'), wamid: 'wamid.A' }, trx))).rejects.toThrow(/UNIQUE/);
    expect(await tmp.db('messages').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('stores a wamid once: a delivery seen again stores and counts nothing, and the transaction goes on', async () => {
    const inbound = (wamid: string, body: string) => ({ ...draft(`c-${body}`, body), channel: 'whatsapp' as const, sender: 'customer' as const, wamid });
    const [first, again, after] = await tmp.db.transaction(async (trx) => [
      await messages.insertOnce(inbound('wamid.A', 'Hello'), trx),
      await messages.insertOnce(inbound('wamid.A', 'Hello, delivered twice'), trx),
      await messages.insertOnce(inbound('wamid.B', 'Are you there?'), trx),
    ]);
    expect(first?.wamid).toBe('wamid.A');
    expect(again).toBeNull();
    expect(after?.wamid).toBe('wamid.B');
    expect(await tmp.db('messages').orderBy('created_at').pluck('body')).toEqual(['Hello', 'Are you there?']);
    expect(stored).toEqual(['inbound', 'inbound']);
    // Only the wamid conflict is skipped: a client_id taken in that conversation still fails.
    await expect(tmp.db.transaction((trx) => messages.insertOnce({ ...inbound('wamid.C', 'Hello'), clientId: 'c-Hello' }, trx))).rejects.toThrow(/UNIQUE/);
  });
});

describe("a visitor's message finds its conversation in its insert (SQLite)", () => {
  const tmp = useTempSqlite();
  let messages: MessagesRepo;
  let conversations: ConversationsRepo;
  let stored: string[];
  let contactId: string;

  beforeEach(async () => {
    stored = [];
    messages = new MessagesRepo(tmp.db, { onStored: (m) => stored.push(m.channel) });
    conversations = new ConversationsRepo(tmp.db);
    contactId = (await new ContactsRepo(tmp.db).createVisitor({ visitorTokenHash: 'h' })).id;
  });

  const draft = (clientId: string | null, body: string) => ({ ...visitorText(clientId, body), createdAt: 5_000 });

  it("stores into the contact's latest conversation on the message's channel, as the read it replaces finds it", async () => {
    await conversations.create({ channel: 'web', contactId, at: 1_000 });
    const latest = await conversations.create({ channel: 'web', contactId, at: 2_000 });
    await conversations.create({ channel: 'whatsapp', contactId, at: 3_000 });
    expect((await conversations.latestFor(contactId, 'web'))?.id).toBe(latest.id);

    const row = await tmp.db.transaction((trx) => messages.insertIntoLatest(draft('c-1', 'Hello'), contactId, trx));
    expect(row?.conversation_id).toBe(latest.id);
    // The row handed back is the row stored (which has columns set only later, like pricing, too).
    const read = await messages.byId(row!.id);
    expect({ ...read, is_note: Boolean(read!.is_note) }).toMatchObject(row!);
    expect(stored).toEqual(['web']);
  });

  it('stores nothing, counts nothing and answers null when the contact has no conversation on that channel', async () => {
    await conversations.create({ channel: 'whatsapp', contactId, at: 1_000 });
    expect(await tmp.db.transaction((trx) => messages.insertIntoLatest(draft('c-1', 'Hello'), contactId, trx))).toBeNull();
    expect(await tmp.db('messages').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(stored).toEqual([]);
  });

  it('skips a client_id that conversation holds already, and stores a message without one every time', async () => {
    await conversations.create({ channel: 'web', contactId, at: 1_000 });
    const [first, again, bare, bareAgain] = await tmp.db.transaction(async (trx) => [
      await messages.insertIntoLatest(draft('c-1', 'Hello'), contactId, trx),
      await messages.insertIntoLatest(draft('c-1', 'Hello, sent again'), contactId, trx),
      await messages.insertIntoLatest(draft(null, 'No id'), contactId, trx),
      await messages.insertIntoLatest(draft(null, 'No id'), contactId, trx),
    ]);
    expect(first?.body).toBe('Hello');
    expect(again).toBeNull();
    expect(bare?.id).not.toBe(bareAgain?.id);
    expect(await tmp.db('messages').orderBy('id').pluck('body')).toEqual(['Hello', 'No id', 'No id']);
    expect(stored).toEqual(['web', 'web', 'web']);
  });
});
