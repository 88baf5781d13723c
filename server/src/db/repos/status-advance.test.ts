/**
 * A status webhook moves a message, a message to the owner or a legacy forward forward only, in one
 * conditional UPDATE (no read first): the same order for all three (shared/src/status-order.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ContactsRepo } from './contacts-repo.ts';
import { ConversationsRepo } from './conversations-repo.ts';
import { ForwardsRepo } from './forwards-repo.ts';
import { MessagesRepo } from './messages-repo.ts';
import { OwnerMessagesRepo } from './owner-messages-repo.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';

type Apply = (id: string, to: string, error: { code: string; title: string } | null) => Promise<boolean>;

describe('status advances, one statement each (SQLite)', () => {
  const tmp = useTempSqlite();
  let messageId: string;
  let conversationId: string;
  let messages: MessagesRepo;

  beforeEach(async () => {
    messages = new MessagesRepo(tmp.db);
    const contact = await new ContactsRepo(tmp.db).createVisitor({ visitorTokenHash: 'h' });
    conversationId = (await new ConversationsRepo(tmp.db).create({ channel: 'web', contactId: contact.id })).id;
    messageId = (
      await messages.insert({ conversationId, channel: 'web', direction: 'outbound', sender: 'agent', type: 'text', body: 'Hello', status: 'queued' })
    ).id;
  });

  /** Two rows of one table, queued; `apply` advances one, `status` reads one back. */
  const tables: Record<string, () => Promise<{ ids: [string, string]; apply: Apply; status: (id: string) => Promise<unknown> }>> = {
    messages: async () => {
      const other = await messages.insert({
        conversationId,
        channel: 'web',
        direction: 'outbound',
        sender: 'agent',
        type: 'text',
        body: 'Hi',
        status: 'queued',
      });
      return {
        ids: [messageId, other.id],
        apply: (id, to, error) => messages.applyStatus(id, to as 'sent', error && { ...error, detail: null }),
        status: async (id) => (await tmp.db('messages').where({ id }).first('status', 'error_code')) as unknown,
      };
    },
    owner_messages: async () => {
      const ids: [string, string] = ['om-1', 'om-2'];
      for (const id of ids)
        await tmp
          .db('owner_messages')
          .insert({ id, phone_number_id: 'p', owner_wa_id: '447700900001', kind: 'forward', body: 'x', lines: '[]', created_at: 1 });
      const repo = new OwnerMessagesRepo(tmp.db);
      return {
        ids,
        apply: (id, to, error) => repo.applyStatus(id, to, error),
        status: async (id) => (await tmp.db('owner_messages').where({ id }).first('status', 'error_code')) as unknown,
      };
    },
    forwards: async () => {
      const ids: [string, string] = ['fw-1', 'fw-2'];
      for (const id of ids)
        await tmp.db('forwards').insert({ id, message_id: messageId, conversation_id: conversationId, to_wa_id: '447700900001', created_at: 1 });
      const repo = new ForwardsRepo(tmp.db);
      return {
        ids,
        apply: (id, to, error) => repo.applyStatus(id, to, error),
        status: async (id) => (await tmp.db('forwards').where({ id }).first('status', 'error_code')) as unknown,
      };
    },
  };

  for (const [table, setUp] of Object.entries(tables)) {
    it(`${table}: forward only, read final against a later failed, failed final, an unknown status ignored`, async () => {
      const { ids, apply, status } = await setUp();
      const [a, b] = ids;
      const steps: [string, string, boolean][] = [
        [a, 'delivered', true],
        [a, 'sent', false],
        [a, 'delivered', false],
        [a, 'deleted', false],
        [a, 'read', true],
        [a, 'failed', false],
        [b, 'sent', true],
        [b, 'failed', true],
        [b, 'read', false],
        ['no-such-row', 'sent', false],
      ];
      for (const [id, to, changed] of steps)
        expect(await apply(id, to, to === 'failed' ? { code: '131026', title: 'Message undeliverable' } : null), `${id} → ${to}`).toBe(changed);
      expect(await status(a)).toEqual({ status: 'read', error_code: null });
      expect(await status(b)).toEqual({ status: 'failed', error_code: '131026' });
    });
  }
});
