/**
 * socket.io ignores the promise a namespace middleware returns, so an exception inside an async
 * one is an unhandled rejection — which ends the process. Wrapped, it is logged and the handshake
 * refused with a plain `server error`.
 */
import type { ExtendedError, Socket } from 'socket.io';
import type { Logger } from '../logger.ts';

type Middleware<S extends Socket> = (socket: S, next: (err?: ExtendedError) => void) => Promise<void>;

export function guardMiddleware<S extends Socket>(logger: Logger, what: string, fn: Middleware<S>): (socket: S, next: (err?: ExtendedError) => void) => void {
  return (socket, next) => {
    fn(socket, next).catch((err: unknown) => {
      logger.error({ err }, `${what} failed`);
      next(new Error('server error'));
    });
  };
}
