import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isDirectLoopbackCaller } from './access.ts';

const req = (remoteAddress: string, headers: Record<string, string> = { host: '127.0.0.1:3000' }) =>
  ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

describe('isDirectLoopbackCaller', () => {
  it('is a peer on this machine that names it and was not relayed', () => {
    expect(isDirectLoopbackCaller(req('127.0.0.1'))).toBe(true);
    expect(isDirectLoopbackCaller(req('::1', { host: '[::1]:3000' }))).toBe(true);
    expect(isDirectLoopbackCaller(req('::ffff:127.0.0.1', { host: 'localhost:3000', origin: 'http://localhost:3000' }))).toBe(true);
  });

  it('is never a peer elsewhere, whatever the headers say', () => {
    expect(isDirectLoopbackCaller(req('203.0.113.9'))).toBe(false);
    expect(isDirectLoopbackCaller(req('10.0.0.7', { host: 'localhost' }))).toBe(false);
    expect(isDirectLoopbackCaller(req('::ffff:192.168.1.20'))).toBe(false);
  });

  it('is never a proxy on this machine, another site, or a rebound host', () => {
    for (const h of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-proto', 'via']) {
      expect(isDirectLoopbackCaller(req('127.0.0.1', { host: '127.0.0.1:3000', [h]: 'x' })), h).toBe(false);
    }
    expect(isDirectLoopbackCaller(req('127.0.0.1', { host: '127.0.0.1:3000', origin: 'https://evil.example' }))).toBe(false);
    expect(isDirectLoopbackCaller(req('127.0.0.1', { host: 'evil.example:3000' }))).toBe(false);
    expect(isDirectLoopbackCaller(req('127.0.0.1', {}))).toBe(false);
  });

  it('still sees proxy headers that were dropped from an untrusted peer (they stay in rawHeaders)', () => {
    const dropped = {
      socket: { remoteAddress: '127.0.0.1' },
      headers: { host: '127.0.0.1:3000' },
      rawHeaders: ['Host', '127.0.0.1:3000', 'X-Forwarded-For', '203.0.113.9'],
    };
    expect(isDirectLoopbackCaller(dropped as unknown as IncomingMessage)).toBe(false);
    const direct = { ...dropped, rawHeaders: ['Host', '127.0.0.1:3000'] };
    expect(isDirectLoopbackCaller(direct as unknown as IncomingMessage)).toBe(true);
  });
});
