/**
 * The OpenAPI 3.1 document of ConnectDesk's HTTP API, generated from the same zod schemas the
 * server validates with (contract/routes.ts lists the routes). zod's own `z.toJSONSchema` emits
 * JSON Schema 2020-12, the dialect OpenAPI 3.1 uses, so no converter library is involved.
 * Served at `GET /api/openapi.json`; a copy is committed at docs/openapi.json (`pnpm openapi`).
 */
import { z } from 'zod';
import { ErrorBodySchema } from './contract/common.ts';
import { ROUTES, type RouteSpec } from './contract/routes.ts';

export const OPENAPI_VERSION = '3.1.0';
/** The version of the API described (changes when the contract does). */
export const API_DOCUMENT_VERSION = '1.0.0';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  jsonSchemaDialect: string;
  tags: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}

/** `/admin/api/conversations/:id` → `/admin/api/conversations/{id}`; `/widget/*file` → `/widget/{file}`. */
export function openApiPath(routerPath: string): string {
  return routerPath.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathParameters(routerPath: string): string[] {
  return [...routerPath.matchAll(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

const stable = (v: unknown): string => JSON.stringify(v);

/** Turns zod schemas into JSON Schema, collecting named ones (`.meta({ id })`) as shared components. */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: Io): JsonSchema {
    const raw = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      // Responses may gain fields (DESIGN.md: "at least"): clients must not refuse unknown ones.
      override: ({ jsonSchema }) => {
        if (io === 'output' && jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
      },
    }) as JsonSchema;
    const { $schema: _dialect, $defs, ...root } = raw as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const renamed = new Map<string, string>();
    for (const [id, def] of Object.entries($defs ?? {})) renamed.set(id, this.add(id, def, io));
    let text = stable(root);
    let defs = stable($defs ?? {});
    for (const [id, name] of renamed) {
      const from = JSON.stringify(`#/$defs/${id}`);
      const to = JSON.stringify(`#/components/schemas/${name}`);
      text = text.split(from).join(to);
      defs = defs.split(from).join(to);
    }
    // Components refer to each other too: store them with rewritten refs.
    for (const [id, def] of Object.entries(JSON.parse(defs) as Record<string, JsonSchema>)) this.components[renamed.get(id)!] = def;
    return JSON.parse(text) as JsonSchema;
  }

  /** The component's name: its id, or `<id>Input` when the request form differs from the response form. */
  private add(id: string, def: JsonSchema, io: Io): string {
    const existing = this.components[id];
    if (!existing || stable(existing) === stable(def)) return id;
    return io === 'input' ? `${id}Input` : id;
  }
}

function queryParameters(collector: SchemaCollector, schema: z.ZodType): unknown[] {
  const js = collector.convert(schema, 'input');
  const parts = (Array.isArray(js.allOf) ? (js.allOf as JsonSchema[]) : [js]).filter((p) => p.properties);
  const out: unknown[] = [];
  for (const part of parts) {
    const required = new Set((part.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(part.properties as Record<string, JsonSchema>)) {
      if (out.some((p) => (p as { name: string }).name === name)) continue;
      const { description, ...rest } = prop;
      out.push({ name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  return out;
}

const ERROR_RESPONSE = {
  description: 'An error: `{ "error": { "code", "message" } }` with a fitting status (docs/API.md lists the codes).',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

function security(route: RouteSpec): unknown[] | undefined {
  switch (route.access) {
    case 'agent':
      return [{ session: [] }, { apiToken: route.scopes ?? [] }];
    case 'session':
      return [{ session: [] }];
    case 'metrics':
      return [{ metricsToken: [] }];
    default:
      return undefined;
  }
}

function describe(route: RouteSpec): string | undefined {
  const notes: string[] = [];
  if (route.access === 'agent' && route.scopes?.length) notes.push(`API tokens need the scope ${route.scopes.map((s) => `\`${s}\``).join(' or ')}.`);
  if (route.access === 'agent' && !route.scopes?.length) notes.push('Any signed-in agent or API token.');
  if (route.access === 'session') notes.push('A signed-in browser session only (API tokens are refused).');
  if (route.adminOnly) notes.push('Admins only.');
  if (route.access === 'meta_signature')
    notes.push('`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>` is required whenever an app secret is configured.');
  return notes.length ? notes.join(' ') : undefined;
}

function operation(collector: SchemaCollector, route: RouteSpec): Record<string, unknown> {
  const parameters: unknown[] = pathParameters(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (route.query) parameters.push(...queryParameters(collector, route.query));
  if (route.access === 'meta_signature') {
    parameters.push({ name: 'X-Hub-Signature-256', in: 'header', required: false, schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' } });
  }
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const contentType = spec.contentType ?? (spec.schema ? 'application/json' : null);
    responses[status] = {
      description: spec.description,
      ...(contentType ? { content: { [contentType]: { schema: spec.schema ? collector.convert(spec.schema, 'output') : {} } } } : {}),
    };
  }
  responses.default = ERROR_RESPONSE;
  const description = describe(route);
  const sec = security(route);
  return {
    operationId: `${route.method}${openApiPath(route.path)
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('')}`,
    summary: route.summary,
    ...(description ? { description } : {}),
    tags: [route.tag],
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { [route.bodyType === 'multipart' ? 'multipart/form-data' : 'application/json']: { schema: collector.convert(route.body, 'input') } },
          },
        }
      : {}),
    responses,
    ...(sec ? { security: sec } : {}),
  };
}

export function buildOpenApiDocument(routes: readonly RouteSpec[] = ROUTES): OpenApiDocument {
  const collector = new SchemaCollector();
  collector.convert(ErrorBodySchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method] = operation(collector, route);
  }
  const tags = [...new Set(routes.map((r) => r.tag))].map((name) => ({ name }));
  const schemas = Object.fromEntries(Object.entries(collector.components).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'ConnectDesk',
      version: API_DOCUMENT_VERSION,
      description:
        'Self-hosted live chat bridged to WhatsApp. The public routes serve visitors and Meta; the admin REST API under /admin/api/ takes the session cookie (the admin app) or `Authorization: Bearer <api token>` (scripts). Realtime events (socket.io namespaces /visitor and /admin) are typed in shared/src/realtime.ts. Generated from the zod schemas in shared/src; do not edit by hand (`pnpm openapi`).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags,
    paths,
    components: {
      schemas,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'cd_session', description: 'The admin app session (same Origin required for changes).' },
        apiToken: { type: 'http', scheme: 'bearer', description: 'An API token created in the admin app (Settings → API tokens), limited to its scopes.' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN.' },
      },
    },
  };
}

/** The document as committed at docs/openapi.json (two-space JSON and a final newline). */
export function openApiJson(routes: readonly RouteSpec[] = ROUTES): string {
  return JSON.stringify(buildOpenApiDocument(routes), null, 2) + '\n';
}
