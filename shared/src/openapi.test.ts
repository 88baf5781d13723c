import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from './contract/routes.ts';
import { buildOpenApiDocument, openApiJson, openApiPath } from './openapi.ts';

const COMMITTED = new URL('../../docs/openapi.json', import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every `$ref` in a JSON value. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument();

  it('docs/openapi.json is the document generated from the schemas now (run `pnpm openapi` after changing them)', () => {
    expect(fs.readFileSync(COMMITTED, 'utf8')).toBe(openApiJson());
  });

  it('is OpenAPI 3.1: version, info, JSON Schema 2020-12, paths with operations that all have responses', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe('ConnectDesk');
    expect(doc.info.version).toMatch(/\S/);
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(doc.paths).length).toBeGreaterThan(50);
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith('/'), path).toBe(true);
      const ops = Object.entries(item);
      expect(ops.length, path).toBeGreaterThan(0);
      for (const [method, op] of ops) {
        expect(METHODS, `${method} ${path}`).toContain(method);
        const operation = op as { operationId: string; responses: Record<string, { description: string }>; parameters?: { name: string; in: string }[] };
        expect(operationIds.has(operation.operationId), operation.operationId).toBe(false);
        operationIds.add(operation.operationId);
        const statuses = Object.keys(operation.responses);
        expect(
          statuses.some((s) => /^[1-5]\d\d$/.test(s)),
          `${method} ${path}`,
        ).toBe(true);
        for (const s of statuses) expect(s === 'default' || /^[1-5]\d\d$/.test(s)).toBe(true);
        for (const r of Object.values(operation.responses)) expect(r.description).toMatch(/\S/);
        // Each {param} of the path is declared, in the path.
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          expect(
            operation.parameters?.some((p) => p.name === name && p.in === 'path'),
            `${method} ${path} {${name}}`,
          ).toBe(true);
        }
      }
    }
  });

  it('every $ref points at a schema it defines', () => {
    const defined = new Set(Object.keys(doc.components.schemas).map((id) => `#/components/schemas/${id}`));
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(0);
    for (const ref of all) expect(defined.has(ref), ref).toBe(true);
  });

  it('describes each route of the route table once, with the public contract of DESIGN.md among them', () => {
    const keys = ROUTES.map((r) => `${r.method} ${openApiPath(r.path)}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of [
      'get /healthz',
      'get /api/whatsapp/webhook',
      'post /api/whatsapp/webhook',
      'post /api/messages',
      'get /api/messages',
      'post /admin/api/session',
      'get /admin/api/conversations',
      'get /admin/api/conversations/{id}/messages',
      'post /admin/api/conversations/{id}/messages',
      'get /admin/api/templates',
      'get /api/openapi.json',
    ]) {
      expect(keys).toContain(key);
    }
    const send = doc.paths['/admin/api/conversations/{id}/messages']!.post as { requestBody: unknown; responses: Record<string, unknown> };
    expect(JSON.stringify(send.requestBody)).toContain('"template"');
    expect(send.responses['201']).toBeDefined();
  });
});
