/**
 * Scale-out end to end: two real server processes on one PostgreSQL database and one Redis, both
 * talking to one standalone sandbox, webhooks spread over both by a round-robin balancer. Chat
 * crosses nodes live; replies posted to both nodes reach the phone exactly once; when a node is
 * SIGKILLed mid-burst the other one takes over its leased sends once the leases expire.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../server/src/db/knex.ts';
import {
  SANDBOX_SECRETS,
  startNode,
  startSandbox,
  startWebhookProxy,
  type InboxItem,
  type NodeProc,
  type SandboxProc,
  type WebhookProxy,
} from '../support/cluster.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { nextEvent, waitFor } from '../support/server.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const OWNER = '15550100001';
// The client gives up on a hung Graph call after TIMEOUT_MS; a dead node's lease runs out after LEASE_MS.
const TIMEOUT_MS = 10_000;
const LEASE_MS = 12_000;

/** A customer phone number nobody used yet in this run. */
const newPhone = () => `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

describe('two nodes on PostgreSQL + Redis sharing one sandbox', () => {
  let database: TestDatabase;
  let db: Db;
  let proxy: WebhookProxy;
  let sandbox: SandboxProc;
  let a: NodeProc;
  let b: NodeProc;

  beforeAll(async () => {
    database = await createTestDatabase(PG_URL);
    db = createDb({ client: 'pg', connectionString: database.url });
    proxy = await startWebhookProxy();
    sandbox = await startSandbox({ webhookUrl: proxy.url });
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      WHATSAPP_GRAPH_URL: sandbox.graphUrl,
      ...SANDBOX_SECRETS,
      WHATSAPP_WEBHOOK_SECRET: 'cluster-verify-token',
      WHATSAPP_TARGET_PHONE_NUMBER: OWNER,
      // Every node must decrypt what another stored.
      APP_KEY: randomBytes(32).toString('hex'),
      // Short leases and timeouts, so a killed node's sends move on within the test.
      OUTBOX_LEASE_MS: String(LEASE_MS),
      WHATSAPP_TIMEOUT_MS: String(TIMEOUT_MS),
      // Paced through the shared Redis budget, so a burst is still in flight when a node dies.
      WHATSAPP_MPS: '8',
    };
    // Both at once: they race for the migrations on the fresh database.
    [a, b] = await Promise.all([startNode('a', env), startNode('b', env)]);
    proxy.setTargets([a.url, b.url]);
  });

  afterAll(async () => {
    await Promise.allSettled([a?.kill(), b?.kill()]);
    await sandbox?.kill();
    await proxy?.close();
    await db?.destroy();
    await database?.drop();
  });

  async function whatsappConversation(node: NodeProc, waId: string): Promise<string> {
    return waitFor(
      async () => {
        const res = await node.admin('/admin/api/conversations?limit=100');
        const c = (res.body.data as { id: string; contact: { wa_id: string | null } }[]).find((x) => x.contact.wa_id === waId);
        return c?.id;
      },
      { timeout: 20_000, message: `the conversation with ${waId} on node ${node.name}` },
    );
  }

  /** A customer writes first (opening the 24-hour window); the webhook lands on either node. */
  async function customerConversation(waId: string): Promise<string> {
    const res = await sandbox.phoneSends(waId, { type: 'text', text: { body: `hello from ${waId}` } });
    expect(res.status).toBeLessThan(300);
    return whatsappConversation(b, waId);
  }

  async function outboxDrained(): Promise<boolean> {
    const [{ n }] = (await db('outbox').where({ status: 'pending' }).count({ n: '*' })) as [{ n: number }];
    return n === 0;
  }

  const texts = (items: InboxItem[]) => items.map((i) => i.text ?? '');

  it('a visitor on node A and an agent on node B chat live both ways', async () => {
    const cookie = await b.signIn();
    const agent: Socket = await b.adminSocket(cookie);
    const { socket: visitor, session } = await a.visitorSocket();

    const seenByAgent = nextEvent<{ message: { text: string; conversation_id: string } }>(agent, 'message:new', (p) => p.message.text === 'Hi from node A');
    const ack = await visitor.timeout(10_000).emitWithAck('message:send', { text: 'Hi from node A', client_id: 'c-1' });
    expect(ack).toMatchObject({ ok: true, message: { text: 'Hi from node A' } });
    expect((await session).visitor_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const { message } = await seenByAgent;

    const seenByVisitor = nextEvent<{ message: { text: string } }>(visitor, 'message:new', (p) => p.message.text === 'Hello from node B');
    const reply = await b.admin(`/admin/api/conversations/${message.conversation_id}/messages`, { body: { message_type: 'text', text: 'Hello from node B' } });
    expect(reply.status).toBeLessThan(300);
    expect((await seenByVisitor).message.text).toBe('Hello from node B');

    // The visitor's message was forwarded to the owner's phone once, by whichever node leased it.
    await waitFor(async () => texts(await sandbox.inbox(OWNER)).some((t) => t.includes('Hi from node A')), {
      timeout: 20_000,
      message: 'the forward to the owner',
    });
    await waitFor(outboxDrained, { timeout: 20_000, message: 'the outbox to drain' });
    expect(texts(await sandbox.inbox(OWNER)).filter((t) => t.includes('Hi from node A'))).toHaveLength(1);
  });

  it('replies posted to both nodes at once reach the phone exactly once each', async () => {
    const phones = [newPhone(), newPhone(), newPhone()];
    const conversations = await Promise.all(phones.map((p) => customerConversation(p)));
    const sent: { phone: string; text: string }[] = [];
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const node = i % 2 === 0 ? a : b;
        const k = i % phones.length;
        const text = `burst ${i} via ${node.name}`;
        const res = await node.admin(`/admin/api/conversations/${conversations[k]}/messages`, { body: { message_type: 'text', text } });
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
        sent.push({ phone: phones[k]!, text });
      }),
    );
    await waitFor(outboxDrained, { timeout: 60_000, message: 'the outbox to drain' });
    for (const phone of phones) {
      const got = texts(await sandbox.inbox(phone)).filter((t) => t.startsWith('burst '));
      const expected = sent.filter((s) => s.phone === phone).map((s) => s.text);
      expect([...got].sort()).toEqual([...expected].sort());
    }
    const [{ n: failed }] = (await db('outbox').where({ status: 'failed' }).count({ n: '*' })) as [{ n: number }];
    expect(failed).toBe(0);
  });

  it('when a node is SIGKILLed mid-burst, the other sends everything it had leased once the leases expire', async () => {
    const phones = [newPhone(), newPhone()];
    const conversations = await Promise.all(phones.map((p) => customerConversation(p)));
    // Nothing else (read receipts of those first messages) may take the faults below.
    await waitFor(outboxDrained, { timeout: 20_000, message: 'the outbox to drain' });
    // The next two Graph calls hang past the client timeout: whoever sends the head of each
    // recipient's queue is stuck holding its lease when we pull the plug.
    const fault = await fetch(`${sandbox.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'timeout', count: 2 }),
    });
    expect(fault.status).toBeLessThan(300);
    const accepted: { phone: string; text: string }[] = [];
    const post = async (node: NodeProc, i: number) => {
      const k = i % phones.length;
      const text = `failover ${i} via ${node.name}`;
      const res = await node.admin(`/admin/api/conversations/${conversations[k]}/messages`, { body: { message_type: 'text', text } });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      accepted.push({ phone: phones[k]!, text });
    };
    for (let i = 0; i < 24; i++) await post(i % 2 === 0 ? a : b, i);
    // Both faults taken and their rows still leased: the sends are hanging right now.
    const leaseOwners = await waitFor(
      async () => {
        const { faults } = (await (await fetch(`${sandbox.url}/sandbox/faults`)).json()) as { faults: unknown[] };
        const owners = (await db('outbox').where({ status: 'pending' }).whereNotNull('lease_owner').pluck('lease_owner')) as string[];
        return faults.length === 0 && owners.length > 0 ? owners : null;
      },
      { timeout: TIMEOUT_MS, message: 'both hanging sends to be under way' },
    );
    const holds = (node: NodeProc) => leaseOwners.some((o) => o.split(':').at(-2) === String(node.child.pid));
    const victim = holds(a) ? a : b;
    const survivor = victim === a ? b : a;
    expect(holds(victim), `leases held: ${leaseOwners.join(', ')}`).toBe(true);
    await victim.kill('SIGKILL');
    proxy.setTargets([survivor.url]);
    for (let i = 24; i < 30; i++) await post(survivor, i);

    await waitFor(outboxDrained, { timeout: 60_000, message: `node ${survivor.name} to finish the outbox` });
    const failed = await db<{ status: string; last_error: string }>('outbox').where({ status: 'failed' }).select('last_error');
    expect(failed).toEqual([]);
    for (const phone of phones) {
      const got = texts(await sandbox.inbox(phone)).filter((t) => t.startsWith('failover '));
      const expected = accepted.filter((s) => s.phone === phone).map((s) => s.text);
      // The hung sends never reached the phone, so even the taken-over ones arrive exactly once.
      expect([...got].sort()).toEqual([...expected].sort());
    }
  });
});
