/**
 * The Cloud API going away entirely, and the server going away while it is gone. The standalone
 * sandbox is killed (every Graph call: connection refused), replies queue and say they are
 * retrying, the server is killed -9 and restarted meanwhile, then the sandbox comes back on the
 * same port: each reply arrives exactly once. And a graceful stop: SIGTERM while HTTP requests
 * and a Graph send are in flight lets them finish, records their outcome and exits 0.
 * (HTTP 500, timeouts, 130429 and reset connections are covered in-process by
 * whatsapp-outbox.test.ts; this file is about processes dying.)
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/cluster.ts';
import { SandboxProcess, ServerProcess, withDatabase, type InboxItem } from '../support/process.ts';
import { waitFor } from '../support/server.ts';

const CUSTOMER = '4915112340002';

interface Message {
  id: string;
  text: string;
  wamid: string | null;
  status: string;
  error: { code: string; title: string; detail: string | null; retryable?: boolean } | null;
}

describe('reliability: the Cloud API and the server go down', () => {
  let sandbox: SandboxProcess;
  let server: ServerProcess;
  let conversationId: string;

  const reply = (body: object) => server.admin(`/admin/api/conversations/${conversationId}/messages`, { body });
  const welcome = (name: string) => ({ message_type: 'template', template: { name: 'connectdesk_welcome', language: 'en_US', parameters: [name] } });
  const copies = (inbox: InboxItem[], marker: string) => inbox.filter((m) => m.text?.includes(marker)).length;

  async function messages(): Promise<Message[]> {
    const r = await server.admin(`/admin/api/conversations/${conversationId}/messages?limit=200`);
    expect(r.status).toBe(200);
    return r.body.data;
  }

  beforeAll(async () => {
    const serverPort = await freePort();
    sandbox = await SandboxProcess.create({ webhookUrl: `http://127.0.0.1:${serverPort}/api/whatsapp/webhook` });
    await sandbox.start();
    server = await ServerProcess.create({
      port: serverPort,
      env: { WHATSAPP_GRAPH_URL: sandbox.graphUrl, WHATSAPP_TIMEOUT_MS: '8000', OUTBOX_LEASE_MS: '20000' },
    });
    await server.start();
    await sandbox.phoneSends(CUSTOMER, { type: 'text', text: { body: 'Hi, I have a question' } });
    conversationId = await waitFor(
      async () => {
        const r = await server.admin('/admin/api/conversations?channel=whatsapp&limit=100');
        return (r.body.data as { id: string; contact: { wa_id: string } }[]).find((c) => c.contact.wa_id === CUSTOMER)?.id;
      },
      { timeout: 30_000, message: 'the customer conversation' },
    );
  });

  afterAll(async () => {
    await server?.dispose();
    await sandbox?.dispose();
  });

  it('connection refused: replies queue and show they are retrying, survive kill -9, and arrive exactly once when the API is back', async () => {
    expect((await reply(welcome('before-outage'))).status).toBe(201);
    await waitFor(async () => copies(await sandbox.inbox(CUSTOMER), 'before-outage') === 1, { timeout: 20_000, message: 'the reply before the outage' });

    await sandbox.kill9(); // nothing listens on the Graph port any more
    const agent: Socket = await server.adminSocket();
    const retryingPushed = new Map<string, { status: string; error: Message['error'] }>();
    agent.on('message:status', (p: { id: string; status: string; error: Message['error'] }) => {
      if (p.status === 'queued' && p.error) retryingPushed.set(p.id, p);
    });

    const ids: string[] = [];
    for (const name of ['outage-1', 'outage-2', 'outage-3']) {
      const r = await reply(welcome(name));
      expect(r.status).toBe(201);
      ids.push(r.body.message.id);
    }
    // Meanwhile they are queued, not failed; the head of this customer's queue (replies go out in
    // order) says it is retrying and why — in the API and live to agents.
    const head = await waitFor(
      async () => {
        const all = (await messages()).filter((m) => ids.includes(m.id));
        expect(all.map((m) => m.status)).toEqual(['queued', 'queued', 'queued']);
        return all[0]!.error ? all[0]! : null;
      },
      { timeout: 20_000, message: 'the first queued reply showing its retry' },
    );
    expect(head.error).toMatchObject({ code: 'network', retryable: true, detail: expect.stringMatching(/^Attempt \d+ failed; retrying at /) });
    await waitFor(() => retryingPushed.has(ids[0]!), { message: 'message:status while retrying' });
    expect(retryingPushed.get(ids[0]!)!.error).toMatchObject({ code: 'network' });

    // The server dies with the replies queued, and comes back while the API is still down.
    await server.kill9();
    await server.start();
    for (const m of (await messages()).filter((x) => ids.includes(x.id))) expect(m.status).toBe('queued');

    await sandbox.start(); // the API is back, with an empty inbox
    const inbox = await waitFor(
      async () => {
        const all = await sandbox.inbox(CUSTOMER);
        return ['outage-1', 'outage-2', 'outage-3'].every((n) => copies(all, n) > 0) ? all : null;
      },
      { timeout: 60_000, interval: 250, message: 'every reply on the phone once the API is back' },
    );
    const sent = await waitFor(
      async () => {
        const all = (await messages()).filter((m) => ids.includes(m.id));
        return all.every((m) => m.wamid && m.status !== 'queued') ? all : null;
      },
      { message: 'every reply marked sent' },
    );
    expect(inbox.map((m) => m.text?.match(/Hello (\S+)!/)?.[1])).toEqual(['outage-1', 'outage-2', 'outage-3']);
    expect(copies(inbox, 'before-outage')).toBe(0); // delivered before the outage, not sent again
    for (const m of sent) {
      expect(m.error).toBeNull();
      expect(inbox.filter((x) => x.wamid === m.wamid)).toHaveLength(1);
    }
  });

  it('SIGTERM with requests and a Graph send in flight: they finish, their outcome is on disk, the process exits 0', async () => {
    // The next Graph call hangs until the client's 8 s timeout: a send is in flight, its outbox
    // row leased (read from the live database file; WAL lets another process read).
    await sandbox.fault('timeout', 1);
    const held = await reply(welcome('held-at-shutdown'));
    expect(held.status).toBe(201);
    await waitFor(async () => ((await (await fetch(`${sandbox.url}/sandbox/faults`)).json()) as { faults: unknown[] }).faults.length === 0, {
      message: 'the held send to start',
    });
    const inFlight = await withDatabase(server.dataDir, (db) => db('outbox').where({ message_id: held.body.message.id }).first());
    expect(inFlight).toMatchObject({ status: 'pending', attempts: 1, lease_owner: expect.any(String) });

    const answered: { id: string; kind: 'visitor' | 'reply'; text: string }[] = [];
    const statuses: number[] = [];
    let terminating: Promise<number | null> | null = null;
    const stop = () => (terminating ??= server.terminate());
    const visitors = Array.from({ length: 8 }, async (_, i) => {
      const text = `visitor at shutdown ${i}`;
      const res = await server
        .fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })
        .catch(() => null);
      if (!res) return;
      statuses.push(res.status);
      if (res.status === 201) answered.push({ id: ((await res.json()) as { message_id: string }).message_id, kind: 'visitor', text });
      void stop();
    });
    const replies = Array.from({ length: 4 }, async (_, i) => {
      const text = `reply-at-shutdown-${i}`;
      const res = await reply(welcome(text)).catch(() => null);
      if (!res) return;
      statuses.push(res.status);
      if (res.status === 201) answered.push({ id: res.body.message.id, kind: 'reply', text });
      void stop();
    });
    await Promise.all([...visitors, ...replies]);
    expect(await stop()).toBe(0);
    expect(
      statuses.every((s) => s < 500),
      `statuses ${statuses.join(',')}`,
    ).toBe(true);
    expect(answered.length).toBeGreaterThan(0);

    const disk = await withDatabase(server.dataDir, async (db) => ({
      messages: await db('messages')
        .whereIn(
          'id',
          answered.map((a) => a.id),
        )
        .select<{ id: string; body: string }[]>('id', 'body'),
      leased: (await db('outbox').whereNotNull('lease_owner').count({ n: '*' }).first()) as { n: number },
      held: (await db('outbox').where({ message_id: held.body.message.id }).first()) as { status: string; attempts: number; last_error: string | null },
    }));
    expect(disk.messages.map((m) => m.id).sort()).toEqual(answered.map((a) => a.id).sort());
    // The send that was in flight finished before the exit and recorded its outcome (a timeout, to
    // be retried): no row is left leased by the exited process.
    expect(Number(disk.leased.n)).toBe(0);
    expect(disk.held).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/^timeout/) });

    await server.start();
    const expected = ['held-at-shutdown', ...answered.filter((a) => a.kind === 'reply').map((a) => a.text)];
    const inbox = await waitFor(
      async () => {
        const all = await sandbox.inbox(CUSTOMER);
        return expected.every((n) => copies(all, `Hello ${n}!`) > 0) ? all : null;
      },
      { timeout: 30_000, interval: 250, message: 'the held send and the accepted replies delivered after the restart' },
    );
    // A send held by a timeout fault never reaches the phone, so the retry is the only copy.
    for (const n of expected) expect(copies(inbox, `Hello ${n}!`), n).toBe(1);
  });
});
