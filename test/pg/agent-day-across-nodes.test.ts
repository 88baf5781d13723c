/**
 * The agent's day with two nodes on one PostgreSQL database and one Redis: an agent whose tab is
 * on node B is "online" for a widget connected to node A (live, and in node A's widget config), and
 * unread counts pushed after a message stored through node A reach that agent's socket on node B.
 */
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A socket recording the last payload of `event`, listening before it connects. */
async function recording<T>(url: string, extraHeaders: Record<string, string>, event: string): Promise<{ socket: Socket; latest: () => T | null }> {
  let latest: T | null = null;
  const socket = io(url, { transports: ['websocket'], extraHeaders, reconnection: false, forceNew: true, autoConnect: false });
  socket.on(event, (p: T) => (latest = p));
  socket.connect();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, latest: () => latest };
}

describe('presence and unread counts across nodes (PostgreSQL + Redis)', () => {
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

  it('a widget on node A hears that an agent on node B came and went; that agent’s counts follow a message stored on A', async () => {
    const visitor = await recording<{ online: boolean }>(`${a.url}/visitor`, {}, 'presence');
    await waitFor(() => visitor.latest()?.online === false, { message: 'nobody online' });

    const cookie = await b.signIn();
    const agent = await recording<{ conversations: number }>(`${b.url}/admin`, { cookie, origin: b.url }, 'unread');
    await waitFor(() => visitor.latest()?.online === true, { message: 'online across nodes' });
    await waitFor(async () => (await (await a.fetch('/api/widget/config')).json()).agents_online === true, { message: 'node A config' });

    const before = await waitFor(() => agent.latest(), { message: 'counts at connect' });
    const res = await a.fetch('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hello node A' }),
    });
    expect(res.status).toBe(201);
    await waitFor(() => agent.latest()!.conversations === before.conversations + 1, { message: 'unread pushed across nodes' });

    agent.socket.disconnect();
    await waitFor(() => visitor.latest()?.online === false, { message: 'offline across nodes' });
    await waitFor(async () => (await (await a.fetch('/api/widget/config')).json()).agents_online === false, { message: 'node A config after' });
    visitor.socket.disconnect();
  });
});
