/**
 * Ending access reaches sockets on every node: two servers on one PostgreSQL database and one
 * Redis; signing out or removing an agent through node A disconnects their admin sockets held by
 * node B at once (socket.io rooms through the Redis adapter), and leaves other sessions alone.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { nextEvent, startTestServer, type TestServer } from '../support/server.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function track(sock: Socket): { texts: string[]; disconnected(): Promise<string> } {
  const texts: string[] = [];
  sock.on('message:new', (p: { message: { text: string } }) => texts.push(p.message.text));
  const reason = new Promise<string>((resolve) => sock.once('disconnect', resolve));
  return {
    texts,
    disconnected: () =>
      Promise.race([reason, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('socket still connected')), 5_000).unref())]),
  };
}

describe('ending access across nodes (PostgreSQL + Redis)', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase(PG_URL, { migrated: true });
    const env = { DATABASE_URL: database.url, REDIS_URL, APP_KEY: randomBytes(32).toString('hex') };
    a = await startTestServer(env);
    b = await startTestServer(env);
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
  });

  async function invite(email: string): Promise<{ id: string; creds: { email: string; password: string } }> {
    const res = await a.admin('/admin/api/agents', { body: { email, name: email.split('@')[0] } });
    expect(res.status).toBe(201);
    return { id: res.body.agent.id, creds: { email, password: res.body.password } };
  }

  it('signing out on node A disconnects that session’s socket on node B; another session’s socket stays', async () => {
    const { creds } = await invite('nodes-out@example.com');
    const ended = await a.signIn(creds);
    const kept = await a.signIn(creds);
    const gone = track(await b.adminSocket(ended));
    const keptSocket = await b.adminSocket(kept);
    const stays = track(keptSocket);

    expect((await a.fetch('/admin/api/session', { method: 'DELETE', headers: { cookie: ended, origin: a.url } })).status).toBe(204);
    expect(await gone.disconnected()).toBe('io server disconnect');

    const seen = nextEvent(keptSocket, 'message:new', (p: { message: { text: string } }) => p.message.text === 'across nodes');
    const res = await a.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'across nodes' }),
    });
    expect(res.status).toBe(201);
    await seen;
    expect(gone.texts).not.toContain('across nodes');
    expect(stays.texts).toContain('across nodes');
  });

  it('removing an agent on node A disconnects their sockets on both nodes', async () => {
    const { id, creds } = await invite('nodes-removed@example.com');
    const cookie = await b.signIn(creds);
    const onA = track(await a.adminSocket(cookie));
    const onB = track(await b.adminSocket(cookie));
    expect((await a.admin(`/admin/api/agents/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await onA.disconnected()).toBe('io server disconnect');
    expect(await onB.disconnected()).toBe('io server disconnect');
    expect((await b.admin('/admin/api/me', { cookie })).status).toBe(401);
  });
});
