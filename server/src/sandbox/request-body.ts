/**
 * Request bodies for the sandbox: the Graph API takes JSON or form-encoded bodies (multipart for
 * media uploads); the sandbox's own endpoints take JSON. Parsing problems come back as the caller's
 * own error style through `onError`.
 */
import getRawBody from 'raw-body';
import type { Context } from 'koa';

async function readRaw(ctx: Context, limitBytes: number, onError: (message: string, status: number) => Error): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit: limitBytes });
  } catch (err) {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') throw onError(`request body is larger than ${limitBytes} bytes`, 413);
    throw onError('could not read the request body', e.status ?? 400);
  }
}

/** JSON, or `application/x-www-form-urlencoded` with JSON-encoded nested values (as Graph accepts). */
export async function readGraphFields(ctx: Context, limitBytes: number, onError: (message: string, status: number) => Error): Promise<Record<string, unknown>> {
  const raw = await readRaw(ctx, limitBytes, onError);
  const text = raw.toString('utf8');
  if (ctx.is('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) out[k] = /^[[{]/.test(v) ? parseJsonOr(v, v) : v;
    return out;
  }
  if (text.trim() === '') return {};
  const parsed = parseJsonOr(text, undefined);
  if (parsed === undefined) throw onError('the request body is not valid JSON', 400);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw onError('the request body must be a JSON object', 400);
  return parsed as Record<string, unknown>;
}

/** Multipart form data, parsed with the platform's own parser. */
export async function readMultipart(ctx: Context, limitBytes: number, onError: (message: string, status: number) => Error): Promise<FormData> {
  const raw = await readRaw(ctx, limitBytes, onError);
  try {
    return await new Response(new Uint8Array(raw), { headers: { 'content-type': ctx.get('content-type') } }).formData();
  } catch {
    throw onError('the request body is not valid multipart/form-data', 400);
  }
}

function parseJsonOr<T>(text: string, fallback: T): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}
