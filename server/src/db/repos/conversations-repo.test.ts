import { beforeEach, describe, expect, it } from 'vitest';
import { ContactsRepo, type ContactRow } from './contacts-repo.ts';
import { ConversationsRepo, withContactRow } from './conversations-repo.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

describe('a touched conversation read back without a second query (SQLite)', () => {
  const tmp = useTempSqlite();
  let contacts: ContactsRepo;
  let conversations: ConversationsRepo;
  let contact: ContactRow;
  let id: string;

  beforeEach(async () => {
    contacts = new ContactsRepo(tmp.db);
    conversations = new ConversationsRepo(tmp.db);
    contact = await contacts.createVisitor({ visitorTokenHash: 'h' });
    await contacts.update(contact.id, { name: 'Ada', email: 'ada@example.com', phone: '+447700900123', whatsapp_consent: true });
    id = (await conversations.create({ channel: 'web', contactId: contact.id, at: 1_000 })).id;
  });

  it('touchAndRead answers the row a read after touch would, and null for no such conversation', async () => {
    const touched = await tmp.db.transaction((trx) => conversations.touchAndRead(id, { at: 2_000, preview: 'Hello', inbound: true }, trx));
    expect(touched).toEqual(await conversations.byId(id));
    expect(touched).toMatchObject({ last_message_preview: 'Hello', unread_count: 1, waiting_since: 2_000, status: 'open' });
    const again = await conversations.touchAndRead(id, { at: 1_500, preview: 'Older', inbound: true });
    expect(again).toMatchObject({ last_message_at: 2_000, unread_count: 2, waiting_since: 2_000 });
    expect(await conversations.touchAndRead('no-such-id', { at: 3_000, preview: 'x', inbound: true })).toBeNull();
  });

  it('touch changes what each shape of input says, one compiled statement per shape (compiled-statement.ts)', async () => {
    await tmp.db('conversations').where({ id }).update({ status: 'resolved' });
    // A customer's message that must not reopen (a reaction), counted twice, with WhatsApp's timestamp.
    await conversations.touch(id, { at: 2_000, preview: 'x'.repeat(300), inbound: true, reopen: false, unreadBy: 2, customerTimestamp: 1_900 });
    expect(await conversations.byId(id)).toMatchObject({
      status: 'resolved',
      unread_count: 2,
      waiting_since: 2_000,
      last_customer_message_at: 1_900,
      last_message_at: 2_000,
      last_message_preview: 'x'.repeat(200),
    });
    // An older customer timestamp does not move the window back; this one reopens.
    await conversations.touch(id, { at: 2_100, preview: 'again', inbound: true, customerTimestamp: 1_800 });
    expect(await conversations.byId(id)).toMatchObject({ status: 'open', unread_count: 3, waiting_since: 2_000, last_customer_message_at: 1_900 });
    // Our side writing something that is not an answer (an automatic message) keeps the waiting stretch…
    await conversations.touch(id, { at: 2_200, preview: 'auto', inbound: false, answered: false });
    expect(await conversations.byId(id)).toMatchObject({ waiting_since: 2_000, unread_count: 3, last_message_preview: 'auto' });
    // …an answer ends it, and touchAndRead of the same shape answers the row.
    expect(await conversations.touchAndRead(id, { at: 2_300, preview: 'answer', inbound: false })).toMatchObject({
      waiting_since: null,
      unread_count: 3,
      last_message_at: 2_300,
    });
  });

  it('withContactRow joins a conversation and its contact exactly as withContact reads them', async () => {
    const conversation = (await conversations.byId(id))!;
    const stored = (await contacts.byId(contact.id))!;
    expect(withContactRow(conversation, stored)).toEqual(await conversations.withContact(id));
  });
});
