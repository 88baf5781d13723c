/**
 * Simulated WhatsApp groups (Groups API): `POST /sandbox/groups` `{ subject, participants: [wa_id…] }`
 * makes a group of simulated phones that the business is in; `POST /sandbox/groups/:groupId/messages`
 * `{ from, ...message }` posts a member's message (a webhook with `group_id`); `GET
 * /sandbox/groups/:groupId` shows the group and what the business sent to it (`recipient_type:
 * "group"` sends to the group id).
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { SandboxContext } from './context.ts';
import { SandboxInputError, badInput } from './errors.ts';
import { isBsuid, newGroupId, newWamid } from './ids.ts';
import { PhoneMessageSchema, toWebhookContent } from './phone-message.ts';
import { readGraphFields } from './request-body.ts';
import type { Phone } from './state.ts';
import { groupMessageWebhook } from './webhook-payloads.ts';

const MAX_PARTICIPANTS = 8; // Meta's limit for groups created through the Groups API
const address = (v: unknown) => (typeof v === 'string' ? v.replace(/^\+/, '') : '');
const validAddress = (v: string) => /^\d{7,15}$/.test(v) || isBsuid(v);

async function jsonFields(ctx: Context, max: number): Promise<Record<string, unknown>> {
  if (!ctx.is('application/json')) throw new SandboxInputError(415, 'unsupported_media_type', 'send application/json');
  return readGraphFields(ctx, max, (message) => badInput(message));
}

function groupOf(sb: SandboxContext, ctx: Context): Phone {
  const id = (ctx.params as Record<string, string>).groupId ?? '';
  const g = sb.state.phones.get(id);
  if (!g?.group) throw new SandboxInputError(404, 'not_found', `no group ${id}: create it with POST /sandbox/groups`);
  return g;
}

function describe(g: Phone) {
  return { group_id: g.waId, subject: g.group!.subject, participants: g.group!.participants, inbox: g.inbox };
}

export function groupRoutes(sb: SandboxContext): Router {
  const router = new Router({ prefix: '/sandbox/groups' });

  router.post('/', async (ctx) => {
    const fields = await jsonFields(ctx, 16 * 1024);
    const subject = typeof fields.subject === 'string' ? fields.subject.trim() : '';
    if (!subject || subject.length > 128) throw badInput('subject: 1 to 128 characters');
    const participants = Array.isArray(fields.participants) ? fields.participants.map(address) : [];
    if (participants.length < 1 || participants.length > MAX_PARTICIPANTS || participants.some((p) => !validAddress(p)))
      throw badInput(`participants: 1 to ${MAX_PARTICIPANTS} phone numbers (digits) or business-scoped user ids`);
    const id = newGroupId();
    for (const p of participants) sb.state.phone(p);
    const group = sb.state.phone(id, subject);
    group.group = { subject, participants: [...new Set(participants)] };
    ctx.status = 201;
    ctx.body = describe(group);
  });

  router.get('/:groupId', (ctx) => {
    ctx.body = describe(groupOf(sb, ctx));
  });

  router.post('/:groupId/messages', async (ctx) => {
    const group = groupOf(sb, ctx);
    const { from: rawFrom, ...rest } = await jsonFields(ctx, 64 * 1024);
    const from = address(rawFrom);
    if (!group.group!.participants.includes(from)) throw badInput(`from: must be a participant of the group (${group.group!.participants.join(', ')})`);
    const parsed = PhoneMessageSchema.safeParse(rest);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badInput(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
    }
    if (parsed.data.data_base64 !== undefined) throw badInput('media in groups is not simulated: send text');
    const { content } = toWebhookContent(parsed.data);
    const member = sb.state.phone(from, parsed.data.profile_name);
    const wamid = newWamid(group.waId);
    const now = sb.now();
    // A member writing opens the group's window, not their own 1:1 one.
    sb.state.recordInbound(group.waId, { wamid, type: parsed.data.type, timestamp: new Date(now).toISOString(), read_by_business: false });
    const webhook = await sb.sender.send(groupMessageWebhook(sb.business, group, member, { id: wamid, ...(content as { type: string }) }, now)).first;
    ctx.body = { wamid, group_id: group.waId, webhook };
  });

  return router;
}
