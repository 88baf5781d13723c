import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackHostHeader, isLoopbackUrl } from './loopback.ts';

describe('loopback', () => {
  it('knows this machine’s addresses, names and URLs', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '[::1]']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['10.0.0.1', '192.168.1.5', '::ffff:10.0.0.1', '2001:db8::1', '', null, 'localhost']) expect(isLoopbackAddress(a), String(a)).toBe(false);
    for (const h of ['localhost', 'localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'app.localhost']) expect(isLoopbackHostHeader(h), h).toBe(true);
    for (const h of ['evil.example.com', 'evil.example.com:3000', '10.0.0.1', undefined, 'localhost.evil.com'])
      expect(isLoopbackHostHeader(h), String(h)).toBe(false);
    expect(isLoopbackUrl('http://localhost:3000')).toBe(true);
    expect(isLoopbackUrl('https://desk.example.com')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});
