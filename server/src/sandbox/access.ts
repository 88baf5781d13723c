/**
 * Who may use the sandbox. Its controls — the simulated phones (they read what the business sent
 * and write as any number, the owner's included), fault injection and the overview — are for this
 * machine or for whoever the embedder vouches for (the server: a signed-in admin; the standalone
 * sandbox: a holder of its token). The Graph API checks its bearer token like Meta; an embedder may
 * narrow it further.
 *
 * "This machine" means a direct loopback caller: the TCP peer is 127.0.0.0/8 or ::1, the request
 * names a loopback host, carries no proxy headers (a proxy on this host would make every client
 * look local) and, from a browser, comes from a loopback page (no other site, and no DNS
 * rebinding, gets in through a developer's browser).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import { isLoopbackAddress, isLoopbackHostHeader, isLoopbackUrl } from '../loopback.ts';
import { SandboxInputError } from './errors.ts';

export interface SandboxAccess {
  /** Phones, faults and the overview (`/sandbox/`): throws a SandboxInputError to refuse. */
  control(ctx: Context): void | Promise<void>;
  /** The Graph API and media downloads, before faults and the bearer check. */
  graph?(ctx: Context): void | Promise<void>;
}

/** Headers that say a proxy relayed the request (de-facto and RFC 7239). */
const PROXY_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'x-cluster-client-ip',
  'via',
];

/**
 * Whether the request carries any proxy header as it arrived. `rawHeaders` is what was on the wire:
 * the server drops `X-Forwarded-*` from peers that are not trusted proxies (http/client-address.ts)
 * before anything reads `headers`, and a proxy on this machine that nobody configured as trusted
 * is exactly such a peer — its headers must still count as proof that it relayed the request.
 */
function relayed(req: Pick<IncomingMessage, 'headers' | 'rawHeaders'>): boolean {
  if (PROXY_HEADERS.some((h) => req.headers[h] !== undefined)) return true;
  const raw = req.rawHeaders ?? [];
  for (let i = 0; i < raw.length; i += 2) if (PROXY_HEADERS.includes(raw[i]!.toLowerCase())) return true;
  return false;
}

export function isDirectLoopbackCaller(req: IncomingMessage): boolean {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return false;
  if (relayed(req)) return false;
  if (!isLoopbackHostHeader(req.headers.host)) return false;
  const origin = req.headers.origin;
  return origin === undefined || isLoopbackUrl(origin);
}

export const NOT_FOR_YOU =
  'the sandbox controls need a signed-in admin (Admin → Simulated phones) or a direct call from this machine (127.0.0.1 or ::1, not through a proxy)';

export function requireDirectLoopback(message = NOT_FOR_YOU): (ctx: Context) => void {
  return (ctx) => {
    if (!isDirectLoopbackCaller(ctx.req)) throw new SandboxInputError(401, 'unauthorized', message);
  };
}

/** The default: this machine only. */
export const loopbackOnly: SandboxAccess = { control: requireDirectLoopback() };

/**
 * The standalone sandbox: this machine, or `Authorization: Bearer <its WHATSAPP_ACCESS_TOKEN>` —
 * whoever may send as the business may also play its customers. Without a token, this machine only.
 */
export function loopbackOrBearer(token: string | null): SandboxAccess {
  const message = token
    ? 'the sandbox controls need its access token (Authorization: Bearer …) or a direct call from this machine'
    : 'the sandbox controls answer only direct calls from this machine (set WHATSAPP_ACCESS_TOKEN to allow others with it)';
  const local = requireDirectLoopback(message);
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const expected = token ? digest(token) : null;
  return {
    control(ctx) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1];
      if (expected && given && timingSafeEqual(digest(given), expected)) return;
      local(ctx);
    },
  };
}
