/**
 * Account endpoints: `GET /{phone-number-id}` (number health), `GET /{phone-number-id}/whatsapp_business_profile`,
 * `GET /{waba-id}`, `GET|POST|DELETE /{waba-id}/subscribed_apps` (the app starts subscribed) and `GET /debug_token`.
 */
import type { Context } from 'koa';
import type { SandboxContext } from './context.ts';
import { metaErrors } from './errors.ts';

const SANDBOX_APP_ID = '900000000000001';
const SCOPES = ['whatsapp_business_messaging', 'whatsapp_business_management'];

function pick(ctx: Context, full: Record<string, unknown>, defaults: string[]): Record<string, unknown> {
  const requested = typeof ctx.query.fields === 'string' ? ctx.query.fields.split(',').map((f) => f.trim()) : defaults;
  return Object.fromEntries(Object.entries(full).filter(([k]) => k === 'id' || requested.includes(k)));
}

export function getPhoneNumber(ctx: Context, sb: SandboxContext): void {
  const full = {
    id: sb.business.phoneNumberId,
    display_phone_number: `+${sb.business.displayPhoneNumber}`,
    verified_name: 'ConnectDesk Sandbox',
    quality_rating: 'GREEN',
    messaging_limit_tier: 'TIER_1K',
    code_verification_status: 'VERIFIED',
    name_status: 'APPROVED',
    platform_type: 'CLOUD_API',
    throughput: { level: 'STANDARD' },
    account_mode: sb.allowedRecipients ? 'SANDBOX' : 'LIVE',
    is_official_business_account: false,
    status: 'CONNECTED',
  };
  ctx.body = pick(ctx, full, ['display_phone_number', 'verified_name', 'quality_rating', 'code_verification_status', 'platform_type', 'throughput']);
}

export function getBusinessProfile(ctx: Context, _sb: SandboxContext): void {
  ctx.body = {
    data: [
      {
        about: 'Live chat by ConnectDesk',
        description: 'A simulated business on the ConnectDesk sandbox.',
        email: 'support@example.com',
        websites: ['https://example.com/'],
        vertical: 'PROF_SERVICES',
        messaging_product: 'whatsapp',
      },
    ],
  };
}

export function getWaba(ctx: Context, sb: SandboxContext): void {
  const full = {
    id: sb.business.wabaId,
    name: 'ConnectDesk Sandbox',
    currency: 'USD',
    timezone_id: '1',
    message_template_namespace: 'connectdesk_sandbox',
    account_review_status: 'APPROVED',
  };
  ctx.body = pick(ctx, full, ['name', 'currency', 'timezone_id', 'message_template_namespace']);
}

export function getSubscribedApps(ctx: Context, sb: SandboxContext): void {
  const subscribed = sb.subscription.subscribed && sb.sender.webhookUrl !== null;
  ctx.body = {
    data: subscribed
      ? [{ whatsapp_business_api_data: { id: SANDBOX_APP_ID, link: 'https://www.facebook.com/games/?app_id=' + SANDBOX_APP_ID, name: 'ConnectDesk Sandbox' } }]
      : [],
  };
}

export function postSubscribedApps(ctx: Context, sb: SandboxContext): void {
  sb.subscription.subscribed = true;
  ctx.body = { success: true };
}

export function deleteSubscribedApps(ctx: Context, sb: SandboxContext): void {
  sb.subscription.subscribed = false;
  ctx.body = { success: true };
}

/** Describes `input_token`; invalid tokens are described, not refused (as Graph does). */
export function debugToken(ctx: Context, sb: SandboxContext): void {
  const input = ctx.query.input_token;
  if (typeof input !== 'string' || !input) throw metaErrors.invalidParameter('The parameter input_token is required');
  const valid = sb.accessToken === null || input === sb.accessToken;
  if (!valid) {
    ctx.body = {
      data: { is_valid: false, scopes: [], expires_at: 0, error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' } },
    };
    return;
  }
  ctx.body = {
    data: {
      app_id: SANDBOX_APP_ID,
      type: 'SYSTEM_USER',
      application: 'ConnectDesk Sandbox',
      data_access_expires_at: 0,
      expires_at: 0,
      is_valid: true,
      issued_at: Math.floor(sb.now() / 1000) - 3600,
      scopes: SCOPES,
      granular_scopes: SCOPES.map((scope) => ({ scope, target_ids: [sb.business.wabaId] })),
      user_id: '910000000000001',
    },
  };
}
