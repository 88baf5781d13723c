import Router from '@koa/router';
import { describe, expect, it } from 'vitest';
import { assertEveryRouteDocumented, registeredRoutes, undocumentedRoutes } from './openapi.ts';

describe('assertEveryRouteDocumented', () => {
  it('passes for documented routes, prefixes and path parameters included (HEAD and router middleware ignored)', () => {
    const r = new Router({ prefix: '/admin/api' });
    r.use((_ctx, next) => next());
    r.get('/conversations/:id', () => {});
    r.post('/conversations/:id/messages', () => {});
    const messages = new Router({ prefix: '/api/messages' });
    messages.post('/', () => {});
    expect(registeredRoutes([r, messages])).toEqual([
      { method: 'get', path: '/admin/api/conversations/:id' },
      { method: 'post', path: '/admin/api/conversations/:id/messages' },
      { method: 'post', path: '/api/messages' },
    ]);
    expect(() => assertEveryRouteDocumented([r, messages])).not.toThrow();
  });

  it('refuses a route the API contract does not describe, naming it', () => {
    const r = new Router({ prefix: '/admin/api' });
    r.get('/conversations', () => {});
    r.delete('/conversations/:id', () => {});
    expect(undocumentedRoutes([r])).toEqual([{ method: 'delete', path: '/admin/api/conversations/:id' }]);
    expect(() => assertEveryRouteDocumented([r])).toThrow('DELETE /admin/api/conversations/:id');
  });
});
