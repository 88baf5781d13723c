/**
 * This server's own origin — scheme, host and port — as the client addressed it: from the
 * connection and the Host header, or through a trusted proxy from the first X-Forwarded-Proto and
 * X-Forwarded-Host (the way Koa reads them with `proxy: true`). One function for HTTP requests and
 * socket handshakes, so both compare an Origin header against the same thing. `viaTrustedProxy`
 * says whether this request's forwarded headers may be believed: ClientAddresses.peerTrusted (the
 * socket) or Koa's `proxy` once untrusted peers' headers were dropped (HTTP) — the same rule.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',', 1)[0]?.trim();
  return first || undefined;
}

export function requestOrigin(req: Pick<IncomingMessage, 'headers' | 'socket'>, viaTrustedProxy: boolean): string | null {
  const encrypted = Boolean((req.socket as Partial<TLSSocket> | undefined)?.encrypted);
  const proto = encrypted ? 'https' : viaTrustedProxy ? (firstValue(req.headers['x-forwarded-proto'])?.toLowerCase() ?? 'http') : 'http';
  const host = (viaTrustedProxy ? firstValue(req.headers['x-forwarded-host']) : undefined) ?? firstValue(req.headers.host);
  if (!host || (proto !== 'http' && proto !== 'https')) return null;
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return null;
  }
}

/** Is `origin` this server's own (as the client addressed it) or the configured PUBLIC_URL's? */
export function originMatches(origin: string | undefined, self: string | null, publicUrl: string | null): boolean {
  const o = normalOrigin(origin);
  if (!o) return false;
  return o === normalOrigin(self ?? undefined) || (publicUrl !== null && o === normalOrigin(publicUrl));
}

function normalOrigin(value: string | undefined): string | null {
  if (!value || value === 'null') return null;
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
