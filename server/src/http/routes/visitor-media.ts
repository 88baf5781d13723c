/**
 * `GET /api/media/:id?exp=…&sig=…`: a file of a visitor's conversation, for the widget — opened by
 * the signed, expiring link the visitor was given with the message (conversations/
 * visitor-media-links.ts), with no session. A missing, altered or expired link is 403 and serves
 * nothing; the file is served exactly as agents get it.
 */
import Router from '@koa/router';
import type { VisitorMediaLinks } from '../../conversations/visitor-media-links.ts';
import { VISITOR_MEDIA_PATH } from '../../conversations/visitor-media-links.ts';
import type { MediaRepo } from '../../db/repos/media-repo.ts';
import { AppError } from '../../errors.ts';
import type { MediaStore } from '../../whatsapp/media-store.ts';
import { serveMedia } from './admin-media.ts';

export function visitorMediaRoutes(deps: { media: MediaRepo; store: MediaStore; links: VisitorMediaLinks }): Router {
  const router = new Router({ prefix: VISITOR_MEDIA_PATH });
  router.get('/:id', async (ctx) => {
    const id = ctx.params.id!;
    if (!deps.links.verify(id, ctx.query.exp, ctx.query.sig))
      throw new AppError('forbidden', 'this file link is not valid or has expired; reload the chat for a new one');
    await serveMedia(ctx, deps, id);
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin'); // shown in the widget, on the site's pages
  });
  return router;
}
