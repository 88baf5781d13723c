/**
 * The dispatcher's decisions on a real (temp SQLite) database with an injected clock: one forward
 * per conversation while the budget pays for it, one digest when it cannot, nothing when it is
 * empty, holds, policy `first`, the owner's window, and two nodes racing for the same queue.
 */
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OwnerForwarding } from '@connectdesk/shared';
import { ContactsRepo } from '../../db/repos/contacts-repo.ts';
import { ConversationsRepo } from '../../db/repos/conversations-repo.ts';
import { ForwardsRepo } from '../../db/repos/forwards-repo.ts';
import { MessagesRepo } from '../../db/repos/messages-repo.ts';
import { OutboxRepo, outboxPayload, type OutboxRow } from '../../db/repos/outbox-repo.ts';
import { OwnerMessagesRepo, linesOf } from '../../db/repos/owner-messages-repo.ts';
import { OwnerQueueRepo, type QueueMode } from '../../db/repos/owner-queue-repo.ts';
import { OwnerStateRepo } from '../../db/repos/owner-state-repo.ts';
import { SettingsRepo } from '../../db/repos/settings-repo.ts';
import { useTempSqlite } from '../../../test-support/temp-sqlite.ts';
import { createLogger } from '../../logger.ts';
import { MESSAGE_LOOK_MS, OwnerDispatcher } from './dispatcher.ts';
import { OwnerOutbox } from './owner-outbox.ts';
import type { OwnerPairBudget } from './ports.ts';
import { OWNER_FORWARDING_KEY, OwnerSettingsStore } from './settings-store.ts';

const KEY = { phoneNumberId: '100000000000001', ownerWaId: '15550100001' };
const START = Date.UTC(2026, 11, 5, 12, 0, 0);

/**
 * The owner pair budget for one pair, as the dispatcher sees it: `burst` messages at once, one
 * more every `intervalMs`. `spend()` is what the outbox does at send time.
 */
class FakePairBudget implements OwnerPairBudget {
  /** When the bucket is full again. */
  private fullAt = -Infinity;

  constructor(
    readonly burst: number,
    readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  spend(): void {
    this.fullAt = Math.max(this.fullAt, this.now()) + this.intervalMs;
  }

  async peek(): Promise<{ tokens: number; nextAt: number }> {
    const now = this.now();
    const owed = Math.max(0, Math.ceil((this.fullAt - now) / this.intervalMs));
    return { tokens: this.burst - owed, nextAt: owed === 0 ? now : this.fullAt - (owed - 1) * this.intervalMs };
  }
}

describe('OwnerDispatcher', () => {
  const tmp = useTempSqlite();
  let db: Knex;
  let t: number;
  let queue: OwnerQueueRepo;
  let ownerMessages: OwnerMessagesRepo;
  let settings: SettingsRepo;

  beforeEach(() => {
    db = tmp.db;
    t = START;
    queue = new OwnerQueueRepo(db);
    ownerMessages = new OwnerMessagesRepo(db);
    settings = new SettingsRepo(db);
  });

  const dispatcher = (burst: number, intervalMs = 6000, budget: OwnerPairBudget = new FakePairBudget(burst, intervalMs, () => t)) =>
    new OwnerDispatcher({
      queue,
      ownerMessages,
      state: new OwnerStateRepo(db),
      forwards: new ForwardsRepo(db),
      budget,
      settings: new OwnerSettingsStore(settings, 0),
      sender: new OwnerOutbox({ tx: (fn) => db.transaction(fn), ownerMessages, queue, outbox: new OutboxRepo(db), wake: () => {} }),
      siteName: 'Shop',
      logger: createLogger({ level: 'silent' }),
      passes: () => ({ running: false, start() {}, request() {}, async stop() {} }),
      now: () => t,
    });

  /** A visitor conversation with these messages waiting for the owner. */
  async function visitor(name: string, bodies: string[], mode: QueueMode = 'forward', conversationId?: string): Promise<string> {
    if (!conversationId) {
      const contact = await new ContactsRepo(db).createVisitor({ visitorTokenHash: `hash-${name}`, name });
      conversationId = (await new ConversationsRepo(db).create({ channel: 'web', contactId: contact.id, site: 'https://example.com' })).id;
    }
    for (const body of bodies) {
      const m = await new MessagesRepo(db).insert({
        conversationId,
        channel: 'web',
        direction: 'inbound',
        sender: 'visitor',
        type: 'text',
        body,
        status: 'received',
        createdAt: t,
      });
      await queue.add({ ...KEY, conversationId, messageId: m.id, mode, at: t });
      t += 1;
    }
    return conversationId;
  }

  const sentToOwner = async () =>
    (await db('owner_messages').orderBy('id')) as { id: string; kind: string; body: string; lines: string; via_template: number }[];
  const payloads = async () =>
    ((await db('outbox').where({ kind: 'owner' }).orderBy('id')) as OutboxRow[]).map((r) => outboxPayload<{ type: string; template?: { name: string } }>(r));
  const deliverAll = async () => {
    for (const m of await sentToOwner()) await ownerMessages.markSent(m.id, `wamid.${m.id}`, t);
  };
  const setForwarding = (patch: Partial<OwnerForwarding>) =>
    settings.set(OWNER_FORWARDING_KEY, { policy: 'every', quiet_hours: { enabled: false, start: '22:00', end: '07:00' }, digest_minutes: 15, ...patch });

  it('sends one forward per conversation while the budget pays for it, merging each conversation’s messages', async () => {
    const ana = await visitor('Ana', ['hi', 'do you ship to Lisbon?']);
    await visitor('Bruno', ['open on Sunday?']);
    const d = dispatcher(10);
    expect(await d.dispatch(KEY)).toBeNull();
    const sent = await sentToOwner();
    expect(sent.map((m) => m.kind)).toEqual(['forward', 'forward']);
    // The owner never wrote: their window is closed, so these go as templates, merged on one line.
    expect(sent[0]!.body).toBe('New message from Ana on example.com: hi · do you ship to Lisbon? — reply to this message to answer.');
    expect(linesOf(sent[0]!)).toMatchObject([{ n: null, conversation_id: ana, messages: 2 }]);
    expect(await queue.countWaiting(KEY)).toEqual({ conversations: 0, messages: 0 });
    expect((await payloads()).map((p) => p.template?.name)).toEqual(['connectdesk_new_message', 'connectdesk_new_message']);

    // While those are on their way, what arrives waits to be merged into the next one.
    await visitor('Ana', ['and to Porto?'], 'forward', ana);
    await visitor('Ana', ['or Faro?'], 'forward', ana);
    expect(await d.dispatch(KEY)).toBeNull();
    expect(await sentToOwner()).toHaveLength(2);
    await deliverAll();
    await d.dispatch(KEY);
    const third = (await sentToOwner())[2]!;
    expect(third.body).toBe('New message from Ana on example.com: and to Porto? · or Faro? — reply to this message to answer.');
    expect(linesOf(third)).toMatchObject([{ conversation_id: ana, messages: 2 }]);
  });

  it('sends one numbered digest when the budget cannot pay for a forward each', async () => {
    await new ForwardsRepo(db).touchOwnerWindow(KEY.phoneNumberId, KEY.ownerWaId, t - 60_000); // the owner wrote a minute ago
    const ids = [await visitor('Ana', ['a?']), await visitor('Bruno', ['b?', 'b2?']), await visitor('Carla', ['c?'])];
    await dispatcher(4).dispatch(KEY); // 4 at once, 2 kept back: 2 for forwards, 3 conversations wait
    const [digest, ...rest] = await sentToOwner();
    expect(rest).toEqual([]);
    expect(digest!.kind).toBe('digest');
    expect(digest!.body.split('\n')).toEqual([
      '3 conversations are waiting:',
      '1) Ana (example.com): a?',
      '2) Bruno (example.com): b2? (+1 more)',
      '3) Carla (example.com): c?',
      'Reply with the line number first, like “1 yes” or “1 yes, 2 no”.',
    ]);
    expect(linesOf(digest!).map((l) => [l.n, l.conversation_id])).toEqual(ids.map((id, i) => [i + 1, id]));
    expect((await payloads())[0]!.type).toBe('text');
    const carried = (await db('owner_queue').select('owner_message_id')) as { owner_message_id: string }[];
    expect(carried.map((r) => r.owner_message_id)).toEqual([digest!.id, digest!.id, digest!.id, digest!.id]);
  });

  it('composes nothing the budget cannot pay for, and says when to look again', async () => {
    const budget = new FakePairBudget(3, 6000, () => t);
    const d = dispatcher(3, 6000, budget);
    await visitor('Ana', ['first']);
    await d.dispatch(KEY);
    await deliverAll();
    // The outbox pays at send time; spend the one forward here as it would.
    const spentAt = t;
    budget.spend();
    await visitor('Bruno', ['second']);
    const next = await d.dispatch(KEY);
    expect(next).toBe(spentAt + 6000); // 3 at once, 1 spent, 2 kept back: the next one is due an interval after
    expect(await sentToOwner()).toHaveLength(1);
    t = next!;
    expect(await d.dispatch(KEY)).toBeNull();
    expect((await sentToOwner()).map((m) => m.kind)).toEqual(['forward', 'forward']);
  });

  it('holds everything in quiet hours, and what waited through them goes as one digest', async () => {
    await setForwarding({ quiet_hours: { enabled: true, start: '11:00', end: '13:00' } });
    await visitor('Ana', ['a'], 'held');
    await visitor('Bruno', ['b'], 'held');
    const d = dispatcher(40);
    expect(await d.dispatch(KEY)).toBe(Date.UTC(2026, 11, 5, 13, 0, 0));
    expect(await sentToOwner()).toEqual([]);
    t = Date.UTC(2026, 11, 5, 13, 0, 0);
    await d.dispatch(KEY);
    expect((await sentToOwner()).map((m) => m.kind)).toEqual(['digest']);
    expect((await payloads())[0]!.template?.name).toBe('connectdesk_digest');
  });

  it('policy first: later messages wait for the digest every digest_minutes, or ride along with a forward', async () => {
    await setForwarding({ policy: 'first', digest_minutes: 10 });
    const ana = await visitor('Ana', ['more', 'and more'], 'digest');
    const d = dispatcher(40);
    const due = await d.dispatch(KEY);
    expect(due).toBe(START + 10 * 60_000);
    expect(await sentToOwner()).toEqual([]);
    await visitor('Bruno', ['new question']);
    await d.dispatch(KEY);
    expect(linesOf((await sentToOwner())[0]!)[0]!.name).toBe('Bruno');
    await deliverAll();
    t = due!;
    await d.dispatch(KEY);
    const last = (await sentToOwner()).at(-1)!;
    expect([last.kind, linesOf(last)[0]!.conversation_id, linesOf(last)[0]!.messages]).toEqual(['forward', ana, 2]);
  });

  it('two nodes racing for the same queue send each visitor message once', async () => {
    for (let i = 0; i < 8; i++) await visitor(`V${i}`, [`q${i}`, `r${i}`]);
    const a = dispatcher(40);
    const b = dispatcher(40);
    await Promise.all([a.dispatch(KEY), b.dispatch(KEY), a.dispatch(KEY), b.dispatch(KEY)]);
    const carried = (await db('owner_queue').select('owner_message_id')) as { owner_message_id: string | null }[];
    expect(carried.every((r) => r.owner_message_id !== null)).toBe(true);
    const lines = (await sentToOwner()).flatMap((m) => linesOf(m));
    expect(lines.reduce((n, l) => n + l.messages, 0)).toBe(16);
    expect(new Set(lines.map((l) => l.conversation_id)).size).toBe(lines.length);
  });

  describe('visitor messages queued in a burst', () => {
    afterEach(() => vi.useRealTimers());

    it('look at once after a quiet spell, then share one pass per MESSAGE_LOOK_MS', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      let passes = 0;
      const d = new OwnerDispatcher({
        queue,
        ownerMessages,
        state: new OwnerStateRepo(db),
        forwards: new ForwardsRepo(db),
        budget: new FakePairBudget(3, 6000, () => t),
        settings: new OwnerSettingsStore(settings, 0),
        sender: new OwnerOutbox({ tx: (fn) => db.transaction(fn), ownerMessages, queue, outbox: new OutboxRepo(db), wake: () => {} }),
        siteName: 'Shop',
        logger: createLogger({ level: 'silent' }),
        passes: () => ({ running: true, start() {}, request: () => void (passes += 1), async stop() {} }),
        now: () => t,
      });
      d.messageQueued();
      expect(passes).toBe(1);
      for (let i = 0; i < 50; i += 1) d.messageQueued();
      expect(passes).toBe(1);
      t += MESSAGE_LOOK_MS;
      await vi.advanceTimersByTimeAsync(MESSAGE_LOOK_MS);
      expect(passes).toBe(2);
      // Quiet again: the next message is looked at without waiting.
      t += 10 * MESSAGE_LOOK_MS;
      d.messageQueued();
      expect(passes).toBe(3);
      // stop() drops a look still pending.
      d.messageQueued();
      await d.stop();
      await vi.advanceTimersByTimeAsync(MESSAGE_LOOK_MS);
      expect(passes).toBe(3);
    });
  });
});
