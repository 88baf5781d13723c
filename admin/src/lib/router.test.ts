import { describe, expect, it } from 'vitest';
import { parseRoute, routePath } from './router.ts';

describe('admin routes', () => {
  it('parses and prints every route below /admin/', () => {
    expect(parseRoute('/admin/')).toEqual({ name: 'inbox', conversationId: null });
    expect(parseRoute('/admin')).toEqual({ name: 'inbox', conversationId: null });
    expect(parseRoute('/admin/conversations/01ABC')).toEqual({ name: 'inbox', conversationId: '01ABC' });
    expect(parseRoute('/admin/settings')).toEqual({ name: 'settings' });
    expect(parseRoute('/admin/nope/x')).toEqual({ name: 'not-found' });
    for (const r of [{ name: 'inbox', conversationId: 'a b' }, { name: 'templates' }, { name: 'checklist' }, { name: 'phones' }] as const) {
      expect(parseRoute(routePath(r))).toEqual(r);
    }
  });
});
