/**
 * Limits shared by every node (REDIS_URL): two servers on one PostgreSQL database and one Redis.
 * An attacker who alternates between the nodes gets exactly as many sign-in tries, new visitors
 * and messages as one who stays on one node — and, for contrast, twice as many sign-in tries from
 * two nodes that count in their own memory. Each scenario comes from its own loopback address
 * (127.0.0.x), so their budgets never mix; each cluster has its own REDIS_PREFIX.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.ts';
import { closeRedis, connectRedis, type Redis } from '../../server/src/redis.ts';
import { requestFrom, type PlainResponse } from '../support/from-address.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { ADMIN, startTestServer, type TestServer } from '../support/server.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const json = { 'content-type': 'application/json' };

/** Requests from `address`, sent to the nodes in turn, until one is refused; the accepted count. */
async function acceptedUntilRefused(
  nodes: TestServer[],
  address: string,
  send: (node: TestServer, i: number) => Promise<PlainResponse>,
  ok: number,
  max = 400,
): Promise<{ accepted: number; refusal: PlainResponse }> {
  for (let i = 0; i < max; i++) {
    const res = await send(nodes[i % nodes.length]!, i);
    if (res.status !== ok) return { accepted: i, refusal: res };
  }
  throw new Error(`nothing was refused after ${max} requests`);
}

const wrongPassword = (address: string) => (node: TestServer) =>
  requestFrom(address, `${node.url}/admin/api/session`, {
    method: 'POST',
    headers: { ...json, origin: node.url },
    body: JSON.stringify({ email: ADMIN.email, password: 'not-the-password' }),
  });

const newVisitorMessage = (address: string) => (node: TestServer, i: number) =>
  requestFrom(address, `${node.url}/api/messages`, { method: 'POST', headers: json, body: JSON.stringify({ text: `new visitor ${i}` }) });

describe('limits shared through Redis by two nodes', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let redis: Redis;
  const prefix = `cd-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    database = await createTestDatabase(PG_URL, { migrated: true });
    const env = { DATABASE_URL: database.url, REDIS_URL, REDIS_PREFIX: prefix, APP_KEY: randomBytes(32).toString('hex') };
    a = await startTestServer(env);
    b = await startTestServer(env);
    redis = await connectRedis(REDIS_URL, createLogger({ level: 'silent' }));
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await closeRedis(redis);
    }
    await database?.drop();
  });

  it('sign-in: alternating nodes gives no more tries than one node', async () => {
    const one = await acceptedUntilRefused([a], '127.0.0.21', wrongPassword('127.0.0.21'), 401);
    const both = await acceptedUntilRefused([a, b], '127.0.0.22', wrongPassword('127.0.0.22'), 401);
    expect(one.refusal.body.error.code).toBe('locked');
    expect(both.refusal.body.error.code).toBe('locked');
    expect(both.accepted).toBe(one.accepted);
    // The delay is shared too: the other node refuses that address for that account as well.
    const other = await wrongPassword('127.0.0.22')(both.accepted % 2 === 0 ? b : a);
    expect(other.body.error.code).toBe('locked');
    expect(Number(other.headers['retry-after'])).toBeGreaterThan(0);
    // The counts live under this cluster's REDIS_PREFIX.
    expect((await redis.keys(`${prefix}:limit:sign-in-*`)).length).toBeGreaterThan(0);
  });

  it('visitor creation: alternating nodes gives no more new visitors than one node', async () => {
    const one = await acceptedUntilRefused([a], '127.0.0.23', newVisitorMessage('127.0.0.23'), 201);
    const both = await acceptedUntilRefused([a, b], '127.0.0.24', newVisitorMessage('127.0.0.24'), 201);
    expect(one.refusal.status).toBe(429);
    expect(both.refusal.body.error.message).toBe(one.refusal.body.error.message);
    expect(both.accepted).toBe(one.accepted);
  });

  it('message flood: one visitor alternating nodes gets no more messages than on one node', async () => {
    const flood = async (nodes: TestServer[], address: string) => {
      const first = await newVisitorMessage(address)(a, 0);
      expect(first.status).toBe(201);
      const token = first.body.visitor_token as string;
      return acceptedUntilRefused(
        nodes,
        address,
        (node, i) =>
          requestFrom(address, `${node.url}/api/messages`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ text: `flood ${i}`, visitor_token: token }),
          }),
        201,
      );
    };
    const one = await flood([a], '127.0.0.25');
    const both = await flood([a, b], '127.0.0.26');
    expect(one.refusal.status).toBe(429);
    expect(both.refusal.body.error.message).toBe('you are sending messages too fast; wait a moment');
    expect(both.accepted).toBe(one.accepted);
  });
});

describe('for contrast: two nodes without Redis count on their own', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase(PG_URL, { migrated: true });
    const env = { DATABASE_URL: database.url, APP_KEY: randomBytes(32).toString('hex') };
    a = await startTestServer(env);
    b = await startTestServer(env);
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
  });

  it('sign-in: alternating nodes doubles the tries', async () => {
    const one = await acceptedUntilRefused([a], '127.0.0.27', wrongPassword('127.0.0.27'), 401);
    const both = await acceptedUntilRefused([a, b], '127.0.0.28', wrongPassword('127.0.0.28'), 401);
    expect(both.accepted).toBe(2 * one.accepted);
  });
});
