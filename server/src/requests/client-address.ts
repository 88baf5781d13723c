/**
 * Who stands behind a request, by one rule (TRUST_PROXY hop count, TRUSTED_PROXIES list):
 * - the client address every per-IP limit keys on, for HTTP requests and socket.io handshakes
 *   alike: `X-Forwarded-For` read right to left, the first hop that is not a trusted proxy is the
 *   client — never the leftmost entry, which whoever sends the request writes;
 * - whose `X-Forwarded-*` headers count at all: the server drops them from every request and
 *   WebSocket upgrade whose TCP peer is not a trusted proxy (`dropUntrustedForwarding`, before
 *   socket.io, Koa or anything else reads them), so Koa's `proxy` mode (ctx.protocol, ctx.host,
 *   ctx.secure: HSTS, Secure cookies, the checklist), the same-origin checks of the admin API and
 *   the /admin socket all see the same, trusted, headers.
 * Without trusted proxies the TCP peer is the client and no forwarded header counts.
 */
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/** Which hops may tell us about the client (see TRUST_PROXY and TRUSTED_PROXIES). */
export interface ProxyTrust {
  /** How many proxies stand in front of the server; null = as many as `proxies` match. 0 = none. */
  hops: number | null;
  /** Addresses / CIDRs (or proxy-addr's `loopback`, `linklocal`, `uniquelocal`) of trusted proxies; null = any address. */
  proxies: string[] | null;
}

/** The headers a proxy uses to tell us about the client; only a trusted peer's are kept. */
const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded'] as const;

type TrustFn = (addr: string, hop: number) => boolean;

/** Throws a readable error for a malformed proxy list (config.ts reports it). */
export function compileTrust(trust: ProxyTrust): TrustFn {
  const inList: TrustFn = trust.proxies ? proxyaddr.compile(trust.proxies) : () => true;
  const hops = trust.hops ?? Number.POSITIVE_INFINITY;
  if (hops === 0) return () => false;
  return (addr, hop) => hop < hops && inList(addr, hop);
}

/**
 * The key for per-address limits: IPv4 as is (IPv4-mapped IPv6 folded to IPv4), IPv6 by its /64
 * (one subscriber gets a whole /64, so single IPv6 addresses are free to rotate through).
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return `other:${address.slice(0, 64)}`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  if (ip.kind() === 'ipv4') return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}

export class ClientAddresses {
  private readonly trust: TrustFn;

  constructor(trust: ProxyTrust) {
    this.trust = compileTrust(trust);
  }

  /** Whether the TCP peer is a trusted proxy (so its X-Forwarded-* headers may be believed). */
  peerTrusted(req: IncomingMessage): boolean {
    const peer = req.socket.remoteAddress;
    return Boolean(peer && this.trust(peer, 0));
  }

  /**
   * Removes `X-Forwarded-*` / `Forwarded` unless the TCP peer is a trusted proxy, so nothing that
   * reads the headers later can believe what a client wrote itself. (They stay in `req.rawHeaders`,
   * what was on the wire: the sandbox's loopback check looks there for any sign of a relay.)
   */
  dropUntrustedForwarding(req: IncomingMessage): void {
    if (this.peerTrusted(req)) return;
    for (const h of FORWARDED_HEADERS) delete req.headers[h];
  }

  /** Whether a raw TCP peer address is a trusted proxy (before any request was read). */
  trustsPeer(address: string | undefined): boolean {
    return Boolean(address && this.trust(address, 0));
  }

  /** The client's address: the rightmost hop that is not a trusted proxy. */
  of(req: IncomingMessage): string {
    return proxyaddr(req, this.trust) || req.socket.remoteAddress || 'unknown';
  }

  /** `of(req)` as a per-address limit key. */
  keyOf(req: IncomingMessage): string {
    return addressKey(this.of(req));
  }
}
