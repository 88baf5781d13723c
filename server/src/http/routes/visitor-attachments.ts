/**
 * `POST /api/messages/attachments`: a file from the widget (multipart: `visitor_token`, optional
 * `client_id` and `caption`, and `file`) → 201 `{ message }`. Open to any origin like
 * /api/messages (no cookies involved). Limits (limits/traffic-limits.ts): uploads per client
 * address before the body is read; once read, per visitor and fairly per address, and a token
 * that is not a stored visitor counts as a new visitor.
 */
import fs from 'node:fs';
import Router from '@koa/router';
import { VisitorAttachmentFieldsSchema } from '@connectdesk/shared';
import type { VisitorAttachments } from '../../conversations/visitor-attachments.ts';
import { rateLimitedError, type TrafficLimits } from '../../limits/traffic-limits.ts';
import { addressKey } from '../../requests/client-address.ts';
import { VISITOR_MAX_BYTES, type UploadedFile } from '../../whatsapp/media-uploads.ts';
import { parseInput } from '../middleware/validate.ts';
import { multipartUpload, uploadedFile } from './admin-media.ts';

export function visitorAttachmentRoutes(deps: {
  attachments: VisitorAttachments;
  uploadDir: string;
  limits: TrafficLimits;
  /** The stored visitor's id for a token, or null. */
  visitorIdFor: (token: string) => Promise<string | null>;
}): Router {
  const router = new Router({ prefix: '/api/messages/attachments' });
  const { limits } = deps;

  router.post(
    '/',
    async (ctx, next) => {
      const limit = await limits.uploads.take(addressKey(ctx.ip));
      if (!limit.allowed) throw rateLimitedError('too many files from this address; wait a minute', limit.retryAfterSeconds);
      await next();
    },
    multipartUpload({ maxBytes: VISITOR_MAX_BYTES, uploadDir: deps.uploadDir }),
    async (ctx) => {
      let file: UploadedFile | null = null;
      try {
        file = uploadedFile(ctx);
        const fields = parseInput(VisitorAttachmentFieldsSchema, (ctx.request as { body?: unknown }).body ?? {});
        const address = addressKey(ctx.ip);
        const visitorId = await deps.visitorIdFor(fields.visitor_token);
        if (!visitorId) {
          const fresh = await limits.newVisitors.take(address);
          if (!fresh.allowed) throw rateLimitedError('too many new visitors from this address; wait a minute', fresh.retryAfterSeconds);
        }
        const limit = await limits.attachments.take(address, visitorId ? `contact:${visitorId}` : `token:${fields.visitor_token}`);
        if (!limit.allowed) {
          throw rateLimitedError(
            limit.scope === 'identity' ? 'you are sending files too fast; wait a minute' : 'too many files from this address; wait a minute',
            limit.retryAfterSeconds,
          );
        }
        const result = await deps.attachments.receive({
          visitorToken: fields.visitor_token,
          clientId: fields.client_id ?? null,
          caption: fields.caption?.trim() || null,
          file,
          site: ctx.get('origin') || null,
          requestId: ctx.state.requestId as string,
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
