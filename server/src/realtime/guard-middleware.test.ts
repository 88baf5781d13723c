import type { Socket } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { guardMiddleware } from './guard-middleware.ts';

const logger = createLogger({ level: 'silent' });
const socket = {} as Socket;

describe('guardMiddleware', () => {
  it('turns an exception in an async middleware into a refused handshake, not an unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (err: unknown) => rejections.push(err);
    process.on('unhandledRejection', onRejection);
    try {
      const refused = await new Promise<Error | undefined>((resolve) => {
        guardMiddleware(logger, 'test handshake', async () => {
          decodeURIComponent('%E0%A4%A');
        })(socket, resolve);
      });
      expect(refused).toBeInstanceOf(Error);
      expect(refused!.message).toBe('server error');
      await new Promise((r) => setImmediate(r));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('passes through what the middleware decides', async () => {
    const allowed = await new Promise<Error | undefined>((resolve) => guardMiddleware(logger, 'x', async (_s, next) => next())(socket, resolve));
    expect(allowed).toBeUndefined();
    const refused = await new Promise<Error | undefined>((resolve) =>
      guardMiddleware(logger, 'x', async (_s, next) => next(new Error('unauthorized')))(socket, resolve),
    );
    expect(refused?.message).toBe('unauthorized');
  });
});
