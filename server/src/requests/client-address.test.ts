import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { addressKey, ClientAddresses, type ProxyTrust } from './client-address.ts';

const req = (peer: string, xff?: string) =>
  ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;
const client = (trust: ProxyTrust, peer: string, xff?: string) => new ClientAddresses(trust).of(req(peer, xff));

describe('ClientAddresses', () => {
  it('without proxies the TCP peer is the client, whatever X-Forwarded-For says', () => {
    expect(client({ hops: 0, proxies: null }, '10.0.0.5', '1.2.3.4')).toBe('10.0.0.5');
    expect(new ClientAddresses({ hops: 0, proxies: null }).peerTrusted(req('127.0.0.1'))).toBe(false);
  });

  it('with N hops takes the rightmost untrusted entry, never the leftmost', () => {
    // The client wrote "6.6.6.6"; the proxy appended the address it saw (203.0.113.9).
    expect(client({ hops: 1, proxies: null }, '10.0.0.2', '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    // Two proxies: CDN appended the client, the load balancer appended the CDN.
    expect(client({ hops: 2, proxies: null }, '10.0.0.2', '6.6.6.6, 203.0.113.9, 198.51.100.1')).toBe('203.0.113.9');
    // Fewer entries than hops: the last one there.
    expect(client({ hops: 3, proxies: null }, '10.0.0.2', '203.0.113.9')).toBe('203.0.113.9');
    // No header at all behind the proxy: the proxy's own address.
    expect(client({ hops: 1, proxies: null }, '10.0.0.2')).toBe('10.0.0.2');
  });

  it('with a proxy list trusts only hops in it, however many', () => {
    const trust: ProxyTrust = { hops: null, proxies: ['10.0.0.0/8', '::1'] };
    expect(client(trust, '10.0.0.2', '6.6.6.6, 203.0.113.9, 10.1.2.3')).toBe('203.0.113.9');
    // A client reaching the server directly: its header is not read at all.
    expect(client(trust, '203.0.113.50', '10.9.9.9')).toBe('203.0.113.50');
    expect(new ClientAddresses(trust).peerTrusted(req('203.0.113.50'))).toBe(false);
    expect(new ClientAddresses(trust).peerTrusted(req('10.0.0.2'))).toBe(true);
    // A list and a hop count: both must hold.
    expect(client({ hops: 1, proxies: ['10.0.0.0/8'] }, '10.0.0.2', '203.0.113.9, 10.1.2.3')).toBe('10.1.2.3');
  });

  it('keeps forwarded headers only from a trusted proxy', () => {
    const forwarded = (peer: string) =>
      ({
        socket: { remoteAddress: peer },
        headers: {
          host: 'desk',
          'x-forwarded-for': '6.6.6.6',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'evil.example',
          'x-forwarded-port': '443',
          forwarded: 'for=6.6.6.6',
        },
      }) as unknown as IncomingMessage;
    const addresses = new ClientAddresses({ hops: null, proxies: ['10.0.0.2'] });
    const stranger = forwarded('10.0.0.9');
    addresses.dropUntrustedForwarding(stranger);
    expect(stranger.headers).toEqual({ host: 'desk' });
    const proxied = forwarded('10.0.0.2');
    addresses.dropUntrustedForwarding(proxied);
    expect(proxied.headers['x-forwarded-proto']).toBe('https');
    expect(proxied.headers['x-forwarded-host']).toBe('evil.example');
    const none = forwarded('127.0.0.1');
    new ClientAddresses({ hops: 0, proxies: null }).dropUntrustedForwarding(none);
    expect(none.headers).toEqual({ host: 'desk' });
  });

  it('keys IPv4 as is, IPv4-mapped IPv6 as IPv4 and IPv6 by its /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:bbbb::2'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('not an address')).toBe('other:not an address');
  });
});

describe('TRUST_PROXY and TRUSTED_PROXIES', () => {
  const trustOf = (env: Record<string, string>) => loadConfig(env, '/srv').proxyTrust;

  it('defaults to no proxy; true means one proxy; a number means that many', () => {
    expect(trustOf({})).toEqual({ hops: 0, proxies: null });
    expect(loadConfig({}, '/srv').trustProxy).toBe(false);
    expect(trustOf({ TRUST_PROXY: 'false' })).toEqual({ hops: 0, proxies: null });
    expect(trustOf({ TRUST_PROXY: 'true' })).toEqual({ hops: 1, proxies: null });
    expect(trustOf({ TRUST_PROXY: '2' })).toEqual({ hops: 2, proxies: null });
    expect(loadConfig({ TRUST_PROXY: 'true' }, '/srv').trustProxy).toBe(true);
  });

  it('TRUSTED_PROXIES alone trusts the listed proxies at any depth', () => {
    expect(trustOf({ TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.4,loopback' })).toEqual({ hops: null, proxies: ['10.0.0.0/8', '192.168.1.4', 'loopback'] });
    expect(trustOf({ TRUSTED_PROXIES: '10.0.0.0/8', TRUST_PROXY: '2' })).toEqual({ hops: 2, proxies: ['10.0.0.0/8'] });
  });

  it('refuses nonsense with one readable line each', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env, '/srv');
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ TRUST_PROXY: 'maybe' })[0]).toMatch(/TRUST_PROXY must be true, false or the number of proxies/);
    expect(problems({ TRUST_PROXY: '11' })[0]).toMatch(/TRUST_PROXY/);
    expect(problems({ TRUSTED_PROXIES: '10.0.0.0/99' })[0]).toMatch(/TRUSTED_PROXIES must be addresses or CIDRs/);
    expect(problems({ TRUSTED_PROXIES: 'proxy.example.com' })[0]).toMatch(/TRUSTED_PROXIES/);
    expect(problems({ TRUSTED_PROXIES: '10.0.0.1', TRUST_PROXY: 'false' })[0]).toMatch(/TRUST_PROXY says there are none/);
    expect(problems({ MAX_CONNECTIONS_PER_IP: '-1' })[0]).toMatch(/MAX_CONNECTIONS_PER_IP/);
  });
});
