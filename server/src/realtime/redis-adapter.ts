/**
 * Scale-out realtime: socket.io's Redis Streams adapter, so rooms, broadcasts and fetchSockets()
 * reach sockets on every node. Broadcasts go through a Redis stream that each node reads from its
 * last offset — a Redis restart or a network blip delays packets instead of dropping them — and
 * connection-state recovery keeps working when a client reconnects to another node (sessions live
 * in Redis). Requests that need answers (fetchSockets) use plain pub/sub. See docs/DEPLOYMENT.md.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from '../redis.ts';

export interface RedisAdapterOptions {
  /** Namespaces every key and channel, so several installs can share one Redis. */
  prefix?: string;
  /** Stream length kept for catching up (entries, trimmed approximately). */
  maxLen?: number;
}

export type RedisAdapterFactory = ReturnType<typeof createAdapter>;

export function createRedisAdapter(redis: Redis, opts: RedisAdapterOptions = {}): RedisAdapterFactory {
  const prefix = opts.prefix ?? 'connectdesk';
  return createAdapter(redis, {
    streamName: `${prefix}:socket.io`,
    channelPrefix: `${prefix}:socket.io`,
    sessionKeyPrefix: `${prefix}:sio:session:`,
    maxLen: opts.maxLen ?? 10_000,
    // Our events are JSON; skipping the binary scan saves work on every broadcast.
    onlyPlaintext: true,
  });
}
