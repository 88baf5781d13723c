/**
 * The Redis connection for scale-out (REDIS_URL): one client per node, shared by the socket.io
 * adapter and the rate gate. Start-up fails fast when Redis is unreachable; afterwards ioredis
 * reconnects by itself and we log each outage once (never the URL: it may carry a password).
 */
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

export type { Redis };

export class RedisUnavailableError extends Error {
  constructor(target: string, cause: unknown) {
    super(`cannot reach Redis at ${target}: ${(cause as Error)?.message ?? String(cause)}; check REDIS_URL`);
    this.name = 'RedisUnavailableError';
  }
}

/** host:port of a redis:// URL, without credentials, for messages. */
function redisTarget(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '6379'}`;
}

export async function connectRedis(url: string, logger: Logger, opts: { connectTimeoutMs?: number } = {}): Promise<Redis> {
  const target = redisTarget(url);
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: opts.connectTimeoutMs ?? 5_000,
    // Back off up to 2 s between reconnects, forever: a Redis restart must not need a node restart.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    connectionName: 'connectdesk',
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ redis: target, err: err.message }, 'Redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ redis: target }, 'Redis connection restored');
  });
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw new RedisUnavailableError(target, err);
  }
  return client;
}

/** Close politely (QUIT), or drop the socket when Redis is not answering. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await Promise.race([client.quit(), new Promise((_, reject) => setTimeout(() => reject(new Error('quit timed out')), 2_000).unref())]);
  } catch {
    client.disconnect();
  }
}
