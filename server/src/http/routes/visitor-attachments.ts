/**
 * `POST /api/messages/attachments`: a file from the widget (multipart: `visitor_token`, optional
 * `client_id` and `caption`, and `file`) → 201 `{ message }`. Open to any origin like
 * /api/messages (no cookies involved); rate-limited per address and per visitor.
 */
import fs from 'node:fs';
import Router from '@koa/router';
import { z } from 'zod';
import type { VisitorAttachments } from '../../conversations/visitor-attachments.ts';
import { AppError } from '../../errors.ts';
import { VISITOR_MAX_BYTES, type UploadedFile } from '../../whatsapp/media-uploads.ts';
import { parseInput } from '../middleware/validate.ts';
import { RateLimiter } from '../rate-limiter.ts';
import { multipartUpload, uploadedFile } from './admin-media.ts';

const Fields = z.object({
  visitor_token: z.string({ error: 'visitor_token is required' }).min(1, 'visitor_token is required').max(128),
  client_id: z.string().min(1).max(64).optional(),
  caption: z.string().max(1024, 'caption must be at most 1024 characters').optional(),
});

export function visitorAttachmentRoutes(deps: {
  attachments: VisitorAttachments;
  uploadDir: string;
  limits?: { perIpPerMinute?: number; perVisitorPerMinute?: number };
}): Router {
  const router = new Router({ prefix: '/api/messages/attachments' });
  const perIp = new RateLimiter(deps.limits?.perIpPerMinute ?? 20, 60_000);
  const perVisitor = new RateLimiter(deps.limits?.perVisitorPerMinute ?? 10, 60_000);

  const cors = (ctx: { set(k: string, v: string): void }) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Allow-Headers', 'Content-Type');
    ctx.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
  };

  router.options('/', (ctx) => {
    cors(ctx);
    ctx.status = 204;
  });

  router.post(
    '/',
    async (ctx, next) => {
      cors(ctx);
      const limit = perIp.hit(ctx.ip);
      if (!limit.allowed) throw new AppError('rate_limited', 'too many files from this address; wait a minute', { retry_after: limit.retryAfterSeconds });
      await next();
    },
    multipartUpload({ maxBytes: VISITOR_MAX_BYTES, uploadDir: deps.uploadDir }),
    async (ctx) => {
      let file: UploadedFile | null = null;
      try {
        file = uploadedFile(ctx);
        const fields = parseInput(Fields, (ctx.request as { body?: unknown }).body ?? {});
        const limit = perVisitor.hit(fields.visitor_token);
        if (!limit.allowed) throw new AppError('rate_limited', 'you are sending files too fast; wait a minute', { retry_after: limit.retryAfterSeconds });
        const result = await deps.attachments.receive({
          visitorToken: fields.visitor_token,
          clientId: fields.client_id ?? null,
          caption: fields.caption?.trim() || null,
          file,
          site: ctx.get('origin') || null,
        });
        file = null; // the service owns it now (stored or removed)
        ctx.status = result.created ? 201 : 200;
        ctx.body = { message: result.message };
      } finally {
        if (file) fs.rmSync(file.filepath, { force: true });
      }
    },
  );

  return router;
}
