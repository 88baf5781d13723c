/**
 * `GET /api/openapi.json` serves the document generated from shared/'s schemas, and that document
 * has an entry for every route the running server registered (read from the routers' own layers).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildOpenApiDocument, openApiPath, ROUTES } from '@connectdesk/shared';
import { registeredRoutes, routersOf } from '../../server/src/http/routes/openapi.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// The Koa app main.ts builds, to read its routers' layers.
const apps = vi.hoisted(() => [] as { middleware: unknown[] }[]);
vi.mock('../../server/src/app.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../server/src/app.ts')>();
  return {
    ...original,
    createApp: (deps: Parameters<typeof original.createApp>[0]) => {
      const app = original.createApp(deps);
      apps.push(app);
      return app;
    },
  };
});

/** Routes the document describes that no Koa router serves: node:http takes webhook deliveries, the admin app is static files. */
const OUTSIDE_ROUTERS = new Set(['post /api/whatsapp/webhook', 'get /admin/']);

describe('the OpenAPI document', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.stop());

  it('is served at GET /api/openapi.json: OpenAPI 3.1, the document generated from the schemas', async () => {
    const res = await s.fetch('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as { openapi: string; info: { title: string }; paths: Record<string, object> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe('ConnectDesk');
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('has an entry for every route the server registered, and registers every route it describes', async () => {
    const app = apps.at(-1)!;
    const registered = registeredRoutes(routersOf(app));
    expect(registered.length).toBeGreaterThan(60);
    const doc = buildOpenApiDocument();
    const missing = registered.filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method]);
    expect(missing).toEqual([]);
    const served = new Set(registered.map((r) => `${r.method} ${openApiPath(r.path)}`));
    const unserved = ROUTES.map((r) => `${r.method} ${openApiPath(r.path)}`).filter((k) => !served.has(k) && !OUTSIDE_ROUTERS.has(k));
    expect(unserved).toEqual([]);
    // The two served outside Koa's routers still answer.
    expect((await s.fetch('/admin/')).status).not.toBe(404);
    expect((await s.fetch('/api/whatsapp/webhook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
  });
});
