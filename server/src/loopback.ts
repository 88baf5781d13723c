/**
 * Is an address, a host name or a URL this machine? Loopback is 127.0.0.0/8, ::1 and IPv4-mapped
 * 127.x (`::ffff:127.0.0.1`, how Node reports an IPv4 peer on a dual-stack socket), and the name
 * `localhost` (with any `.localhost` subdomain, which resolvers keep on this machine too).
 */
import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const ip = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return LOOPBACK.check(mapped, 'ipv4');
  const family = isIP(ip);
  return family === 4 ? LOOPBACK.check(ip, 'ipv4') : family === 6 ? LOOPBACK.check(ip, 'ipv6') : false;
}

/** A host name (no port) that resolves to this machine without asking DNS. */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || isLoopbackAddress(host);
}

/** A `Host` header value (`name[:port]`, `[v6]:port`). */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  if (!header) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(header.trim());
  return m ? isLoopbackHostname(m[1]!) : false;
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}
