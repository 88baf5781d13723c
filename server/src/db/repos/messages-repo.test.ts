import { beforeEach, describe, expect, it } from 'vitest';
import { ContactsRepo } from './contacts-repo.ts';
import { ConversationsRepo } from './conversations-repo.ts';
import { MessagesRepo, type NewMessage } from './messages-repo.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

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

  const draft = (clientId: string, body: string): NewMessage & { clientId: string } => ({
    conversationId,
    channel: 'web',
    direction: 'inbound',
    sender: 'visitor',
    type: 'text',
    body,
    status: 'received',
    clientId,
  });

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
