/**
 * Puts the real client address on `ctx.ip` (so every limit and the session record use it), and
 * drops `X-Forwarded-*` headers that did not come from a trusted proxy, so Koa's `proxy` mode never
 * believes a scheme or host that a client wrote itself. main.ts's HTTP server already dropped them
 * before any handler ran (socket.io's included); this keeps createApp safe on its own.
 */
import type { Middleware } from 'koa';
import type { ClientAddresses } from '../../requests/client-address.ts';

export function clientAddress(addresses: ClientAddresses): Middleware {
  return async (ctx, next) => {
    addresses.dropUntrustedForwarding(ctx.req);
    ctx.request.ip = addresses.of(ctx.req);
    await next();
  };
}
