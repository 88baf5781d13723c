/**
 * `GET /{waba-id}/message_templates`: the catalog, filtered (`name`, `status`, `language`,
 * `category`), projected (`fields`) and paged like Graph: `limit` (default 25), cursors in
 * `paging.cursors.before/after`, and `paging.next` only when there is a next page.
 */
import type { Context } from 'koa';
import type { SandboxContext } from './context.ts';
import { metaErrors } from './errors.ts';
import type { BookTemplate } from './template-book.ts';

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;

const encodeCursor = (index: number) => Buffer.from(`idx:${index}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const m = /^idx:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw metaErrors.invalidParameter(`Invalid cursor: ${cursor}`);
  return Number(m[1]);
}

export function listTemplates(ctx: Context, sb: SandboxContext): void {
  const q = ctx.query;
  const str = (k: string) => (typeof q[k] === 'string' ? q[k] : undefined);
  const limitRaw = str('limit');
  if (limitRaw !== undefined && !/^\d+$/.test(limitRaw)) throw metaErrors.invalidParameter('Param limit must be a positive integer.');
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number(limitRaw ?? DEFAULT_LIMIT)));

  const matches = sb.templates
    .all()
    .filter(
      (t) =>
        (!str('name') || t.name.includes(str('name')!)) &&
        (!str('status') || t.status === str('status')!.toUpperCase()) &&
        (!str('language') || t.language === str('language')) &&
        (!str('category') || t.category === str('category')!.toUpperCase()),
    );

  const after = str('after');
  const before = str('before');
  let start = 0;
  if (after) start = decodeCursor(after) + 1;
  else if (before) start = Math.max(0, decodeCursor(before) - limit);
  const page = matches.slice(start, start + limit);
  const fields = str('fields')
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);

  const body: Record<string, unknown> = { data: page.map((t) => project(t, fields)) };
  if (page.length > 0) {
    const last = start + page.length - 1;
    const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(last) } };
    if (last < matches.length - 1) {
      const next = new URL(ctx.path, `${ctx.protocol}://${ctx.host}`);
      for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && k !== 'after' && k !== 'before' && k !== 'access_token') next.searchParams.set(k, v);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('after', encodeCursor(last));
      paging.next = next.toString();
    }
    if (start > 0) {
      const previous = new URL(ctx.path, `${ctx.protocol}://${ctx.host}`);
      previous.searchParams.set('limit', String(limit));
      previous.searchParams.set('before', encodeCursor(start));
      paging.previous = previous.toString();
    }
    body.paging = paging;
  }
  ctx.body = body;
}

function project(t: BookTemplate, fields: string[] | undefined): Record<string, unknown> {
  const { disableDate: _d, locked: _l, ...full } = t;
  const keep = fields ?? ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'id'];
  return Object.fromEntries(Object.entries(full as Record<string, unknown>).filter(([k]) => k === 'id' || keep.includes(k)));
}
