/**
 * Simulated phones: `POST /sandbox/phones/:waId/messages` (the phone writes to the business — a
 * signed webhook goes out and the phone's 24-hour window opens), `GET /sandbox/phones/:waId/inbox`
 * (what the business sent it, with statuses), `GET /sandbox/phones[/:waId]`.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { SandboxContext } from './context.ts';
import { SandboxInputError, badInput } from './errors.ts';
import { storeMedia } from './graph-media.ts';
import { isBsuid, newWamid } from './ids.ts';
import { PhoneMessageSchema, toWebhookContent } from './phone-message.ts';
import { readGraphFields } from './request-body.ts';
import type { Phone } from './state.ts';
import { identityChangeWebhook, inboundWebhook, userPreferencesWebhook } from './webhook-payloads.ts';
import { completeInteractiveReply } from './interactive-rules.ts';

const MAX_BODY_BYTES = 150 * 1024 * 1024;

function waIdParam(ctx: Context): string {
  const raw = (ctx.params as Record<string, string | undefined>).waId ?? '';
  if (isBsuid(raw)) return raw; // a username user known only by their business-scoped user id
  const waId = raw.replace(/^\+/, '');
  if (!/^\d{7,15}$/.test(waId))
    throw badInput(
      `"${raw}" is not a WhatsApp id: use the phone number in international format, digits only (7 to 15), or a business-scoped user id (US.1234…)`,
    );
  return waId;
}

function describe(sb: SandboxContext, p: Phone) {
  const closes = sb.state.windowClosesAt(p.waId);
  return {
    wa_id: p.usernameOnly ? null : p.waId,
    user_id: p.userId,
    username: p.username,
    profile_name: p.profileName,
    window: { open: sb.state.windowOpen(p.waId), closes_at: closes === null ? null : new Date(closes).toISOString() },
    received: p.inbox.length,
    sent: p.sent.length,
    /** When the business last showed the typing indicator (WhatsApp shows it for 25 s or until its reply). */
    last_typing_at: p.lastTypingAt === null ? null : new Date(p.lastTypingAt).toISOString(),
  };
}

export function phoneRoutes(sb: SandboxContext): Router {
  const router = new Router({ prefix: '/sandbox/phones' });

  router.get('/', (ctx) => {
    ctx.body = [...sb.state.phones.values()].filter((p) => !p.group).map((p) => describe(sb, p));
  });

  router.get('/:waId', (ctx) => {
    const p = sb.state.peek(waIdParam(ctx));
    ctx.body = { ...describe(sb, p), inbox: p.inbox, outbox: p.sent };
  });

  router.get('/:waId/inbox', (ctx) => {
    ctx.body = sb.state.phones.get(waIdParam(ctx))?.inbox ?? [];
  });

  router.post('/:waId/messages', async (ctx) => {
    const waId = waIdParam(ctx);
    if (!ctx.is('application/json')) throw new SandboxInputError(415, 'unsupported_media_type', 'send the message as application/json');
    const fields = await readGraphFields(ctx, MAX_BODY_BYTES, (message, status) =>
      status === 413 ? new SandboxInputError(413, 'payload_too_large', message) : badInput(message),
    );
    const parsed = PhoneMessageSchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badInput(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
    }
    const { content, media, attachMedia } = toWebhookContent(parsed.data);
    let mediaId: string | null = null;
    if (media) {
      mediaId = storeMedia(sb, media.bytes, media.mimeType, media.filename);
      attachMedia(mediaId);
    }
    if (content.context) (content.context as Record<string, unknown>).from = sb.business.displayPhoneNumber;

    if (parsed.data.type === 'interactive') completeInteractiveReply(sb.state.peek(waId), content);
    const phone = sb.state.phone(waId, parsed.data.profile_name);
    const wamid = newWamid(waId);
    const now = sb.now();
    sb.state.recordInbound(waId, { wamid, type: parsed.data.type, timestamp: new Date(now).toISOString(), read_by_business: false });
    const body = inboundWebhook(sb.business, phone, { id: wamid, ...(content as { type: string }) }, now);
    const webhook = await sb.sender.send(body).first;
    ctx.body = { wamid, wa_id: phone.usernameOnly ? null : waId, user_id: phone.userId, ...(mediaId ? { media_id: mediaId } : {}), webhook };
  });

  /**
   * The phone's user changes their number (`{ "new_wa_id" }`) or user id (`{ "new_user_id" }`,
   * username-only phones: their address is the user id): Meta's `system` message goes out.
   */
  router.post('/:waId/identity', async (ctx) => {
    const waId = waIdParam(ctx);
    if (!ctx.is('application/json')) throw new SandboxInputError(415, 'unsupported_media_type', 'send the change as application/json');
    const fields = await readGraphFields(ctx, 4096, (message) => badInput(message));
    const phone = sb.state.phones.get(waId);
    if (!phone) throw new SandboxInputError(404, 'not_found', `no simulated phone ${waId}: it has to write first`);
    const newWaId = typeof fields.new_wa_id === 'string' ? fields.new_wa_id.replace(/^\+/, '') : undefined;
    const newUserId = typeof fields.new_user_id === 'string' ? fields.new_user_id : undefined;
    if ((newWaId === undefined) === (newUserId === undefined))
      throw badInput('give exactly one of new_wa_id (a phone number) or new_user_id (a business-scoped user id)');
    if (newWaId !== undefined && (phone.usernameOnly || !/^\d{7,15}$/.test(newWaId)))
      throw badInput(phone.usernameOnly ? 'a username-only phone has no number to change: use new_user_id' : 'new_wa_id: digits only, 7 to 15');
    if (newUserId !== undefined && !isBsuid(newUserId)) throw badInput('new_user_id: a business-scoped user id such as US.13491208655302741918');
    const before = { waId: phone.usernameOnly ? null : phone.waId, userId: phone.userId, name: phone.profileName };
    if (newWaId !== undefined || phone.usernameOnly) {
      if (!sb.state.rekey(waId, newWaId ?? newUserId!)) throw new SandboxInputError(409, 'conflict', `${newWaId ?? newUserId} is another simulated phone`);
    } else {
      phone.userId = newUserId!;
    }
    const change = newWaId !== undefined ? { kind: 'number' as const, waId: newWaId, userId: phone.userId } : { kind: 'user_id' as const, userId: newUserId! };
    const wamid = newWamid(before.waId ?? before.userId);
    const webhook = await sb.sender.send(identityChangeWebhook(sb.business, before, change, wamid, sb.now())).first;
    ctx.body = { wamid, wa_id: phone.usernameOnly ? null : phone.waId, user_id: phone.userId, webhook };
  });

  /** The phone's user stops or resumes marketing messages: Meta sends a `user_preferences` webhook. */
  router.post('/:waId/preferences', async (ctx) => {
    const waId = waIdParam(ctx);
    if (!ctx.is('application/json')) throw new SandboxInputError(415, 'unsupported_media_type', 'send the preference as application/json');
    const fields = await readGraphFields(ctx, 4096, (message) => badInput(message));
    const value = fields.value;
    if (value !== 'stop' && value !== 'resume') throw badInput('value: must be "stop" or "resume" (marketing messages)');
    const phone = sb.state.phone(waId);
    phone.marketingStopped = value === 'stop';
    const webhook = await sb.sender.send(userPreferencesWebhook(sb.business, phone, value, sb.now())).first;
    ctx.body = { wa_id: phone.usernameOnly ? null : phone.waId, user_id: phone.userId, marketing_stopped: phone.marketingStopped, webhook };
  });

  return router;
}
