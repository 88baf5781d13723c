import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { fallbackRoute } from '../http/access-log.ts';
import { acceptRequestId, requestInfo } from './request-id.ts';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('request ids', () => {
  it('keeps a caller’s id of 1–128 letters, digits and . _ : -', () => {
    for (const id of ['a', 'req-1', 'trace:1-5f84c7a6-1d2b3c4d5e6f.span_7', 'x'.repeat(128)]) expect(acceptRequestId(id)).toBe(id);
  });

  it('replaces anything else with a new id', () => {
    for (const bad of [undefined, '', 'x'.repeat(129), 'has space', 'semi;colon', 'Root=1-5f84', 'newline\nin', 'ümlaut', ['a', 'b']]) {
      const id = acceptRequestId(bad);
      expect(id, String(bad)).toMatch(ULID);
    }
    expect(acceptRequestId(undefined)).not.toBe(acceptRequestId(undefined));
  });

  it('gives one request the same info wherever it is asked for', () => {
    const req = { headers: { 'x-request-id': 'abc-1' } } as unknown as IncomingMessage;
    const info = requestInfo(req);
    expect(info).toEqual({ id: 'abc-1', route: null });
    info.route = '/healthz';
    expect(requestInfo(req)).toBe(info);
  });

  it('buckets requests no router claimed by area, never by their raw path', () => {
    expect(fallbackRoute('/admin/api/nothing/here')).toBe('/admin/api/*');
    expect(fallbackRoute('/admin/assets/app-1234.js')).toBe('/admin/*');
    expect(fallbackRoute('/api/nope')).toBe('/api/*');
    expect(fallbackRoute('/sandbox/phones/1555/inbox')).toBe('/sandbox/*');
    expect(fallbackRoute('/wp-login.php')).toBe('unmatched');
  });
});
