/**
 * `POST /sandbox/account-events`: the sandbox sends the account webhooks Meta sends about a
 * business — `account_update` (a ban, a policy violation, a restriction), `phone_number_quality_update`
 * (FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE, THROUGHPUT_UPGRADE), `phone_number_name_update` (a
 * display-name decision) and `account_alerts` — shaped as Meta's webhook reference shows them:
 * one WABA entry with `time`, the value without `metadata`.
 */
import Router from '@koa/router';
import { z } from 'zod';
import type { SandboxContext } from './context.ts';
import { SandboxInputError, badInput } from './errors.ts';
import { readGraphFields } from './request-body.ts';

const AccountEventBodySchema = z.discriminatedUnion('field', [
  z.object({
    field: z.literal('account_update'),
    event: z.enum(['DISABLED_UPDATE', 'ACCOUNT_VIOLATION', 'ACCOUNT_RESTRICTION', 'VERIFIED_ACCOUNT']),
    ban_state: z.enum(['SCHEDULE_FOR_DISABLE', 'DISABLE', 'REINSTATE']).default('DISABLE'),
    violation_type: z.string().min(1).max(100).default('SCAM'),
    restriction_type: z
      .enum(['RESTRICTED_ADD_PHONE_NUMBER_ACTION', 'RESTRICTED_BIZ_INITIATED_MESSAGING', 'RESTRICTED_CUSTOMER_INITIATED_MESSAGING'])
      .default('RESTRICTED_BIZ_INITIATED_MESSAGING'),
  }),
  z.object({
    field: z.literal('phone_number_quality_update'),
    event: z.enum(['FLAGGED', 'UNFLAGGED', 'UPGRADE', 'DOWNGRADE', 'THROUGHPUT_UPGRADE']),
    current_limit: z.string().min(1).max(32).optional(),
    old_limit: z.string().min(1).max(32).optional(),
  }),
  z.object({
    field: z.literal('phone_number_name_update'),
    decision: z.enum(['APPROVED', 'REJECTED', 'DEFERRED']),
    requested_verified_name: z.string().min(1).max(200).default('ConnectDesk Sandbox'),
    rejection_reason: z.string().min(1).max(100).optional(),
  }),
  z.object({
    field: z.literal('account_alerts'),
    alert_severity: z.enum(['CRITICAL', 'WARNING', 'INFORMATIONAL']).default('WARNING'),
    alert_type: z.string().min(1).max(100).default('INCREASED_CAPABILITIES_ELIGIBILITY_NEEDS_ACTION'),
    alert_description: z.string().min(1).max(500).default('Your business needs to take action to become eligible for higher messaging limits.'),
  }),
]);
type AccountEventBody = z.infer<typeof AccountEventBodySchema>;

const DAY = 24 * 3600_000;

/** The change's value, as Meta's reference for that field shows it. */
function valueOf(body: AccountEventBody, sb: SandboxContext): Record<string, unknown> {
  const display = sb.business.displayPhoneNumber;
  switch (body.field) {
    case 'account_update':
      if (body.event === 'DISABLED_UPDATE') {
        return {
          phone_number: display,
          event: body.event,
          ban_info: { waba_ban_state: [body.ban_state], waba_ban_date: new Date(sb.now() + 7 * DAY).toISOString().slice(0, 10) },
        };
      }
      if (body.event === 'ACCOUNT_VIOLATION') return { phone_number: display, event: body.event, violation_info: { violation_type: body.violation_type } };
      if (body.event === 'ACCOUNT_RESTRICTION') {
        return {
          phone_number: display,
          event: body.event,
          restriction_info: [{ restriction_type: body.restriction_type, expiration: Math.floor((sb.now() + 7 * DAY) / 1000) }],
        };
      }
      return { phone_number: display, event: body.event };
    case 'phone_number_quality_update': {
      const current = body.current_limit ?? (body.event === 'THROUGHPUT_UPGRADE' ? 'TIER_UNLIMITED' : body.event === 'DOWNGRADE' ? 'TIER_250' : 'TIER_10K');
      return {
        display_phone_number: display,
        event: body.event,
        ...(body.old_limit ? { old_limit: body.old_limit } : {}),
        current_limit: current,
        ...(body.event === 'THROUGHPUT_UPGRADE' ? {} : { max_daily_conversations_per_business: current }),
      };
    }
    case 'phone_number_name_update':
      return {
        display_phone_number: display,
        decision: body.decision,
        requested_verified_name: body.requested_verified_name,
        rejection_reason: body.decision === 'REJECTED' ? (body.rejection_reason ?? 'NAME_FORMAT_UNACCEPTABLE') : 'NONE',
      };
    case 'account_alerts':
      return {
        entity_type: 'WABA',
        entity_id: sb.business.wabaId,
        alert_info: { alert_severity: body.alert_severity, alert_status: 'ACTIVE', alert_type: body.alert_type, alert_description: body.alert_description },
      };
  }
}

function accountWebhook(body: AccountEventBody, sb: SandboxContext) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: sb.business.wabaId, time: Math.floor(sb.now() / 1000), changes: [{ value: valueOf(body, sb), field: body.field }] }],
  };
}

export function accountEventRoutes(sb: SandboxContext): Router {
  const router = new Router({ prefix: '/sandbox/account-events' });
  router.post('/', async (ctx) => {
    if (!ctx.is('application/json')) throw new SandboxInputError(415, 'unsupported_media_type', 'send the event as application/json');
    const fields = await readGraphFields(ctx, 4096, (message) => badInput(message));
    const parsed = AccountEventBodySchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw badInput(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
    }
    const payload = accountWebhook(parsed.data, sb);
    const webhook = await sb.sender.send(payload).first;
    ctx.status = 201;
    ctx.body = { field: parsed.data.field, value: payload.entry[0]!.changes[0]!.value, webhook };
  });
  return router;
}
