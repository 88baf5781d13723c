/**
 * The go-live checklist (`GET /admin/api/checklist`): every step of the guide's "switch to Live"
 * and security checklists, checked against Meta and this server where it can be checked, and
 * left `ok: null` (with where to look) where only Meta's dashboards know.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ChecklistItem } from '@connectdesk/shared/api';
import type { Config } from '../../config.ts';
import type { SettingsRepo } from '../../db/repos/settings-repo.ts';
import type { WhatsAppNumber, WhatsAppNumbersRepo } from '../../db/repos/whatsapp-numbers-repo.ts';
import type { Logger } from '../../logger.ts';
import type { SecretBox } from '../../secret-box.ts';
import type { CloudApi, PhoneNumberInfo, TokenInfo } from '../../whatsapp/graph-api.ts';
import { GraphApiError } from '../../whatsapp/graph-error.ts';
import { requireScope } from '../middleware/scopes.ts';

/** Settings key of the last successful webhook verification handshake. */
export const WEBHOOK_VERIFIED_KEY = 'webhook_verified';
export const WebhookVerifiedSchema = z.object({ at: z.string().nullable().default(null) });

/** For main.ts's `onWebhookVerified`: remember when Meta last verified the webhook. */
export function recordWebhookVerified(settings: SettingsRepo, now = () => new Date()): Promise<void> {
  return settings.set(WEBHOOK_VERIFIED_KEY, { at: now().toISOString() });
}

const REQUIRED_SCOPES = ['whatsapp_business_messaging', 'whatsapp_business_management'];

export interface AdminChecklistDeps {
  cloudApi: CloudApi | null;
  config: Config;
  settings: SettingsRepo;
  numbers: WhatsAppNumbersRepo;
  secrets: SecretBox;
  /** How many synced templates Meta has approved. */
  countApprovedTemplates: () => Promise<number>;
  logger?: Logger;
}

function describeError(err: unknown): string {
  if (err instanceof GraphApiError) return `Meta answered error ${err.code}: ${err.title}`;
  return err instanceof Error ? err.message : String(err);
}

async function attempt<T>(fn: () => Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await fn() };
  } catch (err) {
    return { error: describeError(err) };
  }
}

function tokenItems(result: { value: TokenInfo } | { error: string } | null, source: string): ChecklistItem[] {
  const token: ChecklistItem = {
    id: 'token',
    title: 'Access token is valid and permanent',
    ok: null,
    detail: '',
    fix: 'In Meta Business Settings → Users → System users, create an admin system user, assign the app and the WhatsApp account, and generate a token that never expires. Paste it in Settings → WhatsApp numbers.',
  };
  const scopes: ChecklistItem = {
    id: 'permissions',
    title: 'Token has the WhatsApp permissions',
    ok: null,
    detail: '',
    fix: `Generate the system user token with ${REQUIRED_SCOPES.join(' and ')}.`,
  };
  if (!result) {
    token.detail = scopes.detail = 'The WhatsApp client is not available, so the token could not be checked.';
    return [token, scopes];
  }
  if ('error' in result) {
    token.ok = false;
    token.detail = `Checking the ${source} failed: ${result.error}`;
    scopes.detail = 'Unknown until the token can be checked.';
    return [token, scopes];
  }
  const info = result.value;
  const permanent = info.expires_at === 0;
  const systemUser = info.type === 'SYSTEM_USER';
  token.ok = info.is_valid && permanent && systemUser;
  token.detail = !info.is_valid
    ? `The ${source} is not valid (expired or revoked).`
    : `The ${source} is a ${info.type ?? 'unknown'} token that ${permanent ? 'never expires' : `expires ${new Date(info.expires_at * 1000).toISOString()}`}.` +
      (systemUser ? '' : ' Temporary tokens from the API Setup page last 24 hours.');
  const missing = REQUIRED_SCOPES.filter((s) => !info.scopes.includes(s));
  scopes.ok = info.is_valid && missing.length === 0;
  scopes.detail = missing.length ? `Missing: ${missing.join(', ')}.` : `Has ${REQUIRED_SCOPES.join(' and ')}.`;
  return [token, scopes];
}

function phoneItems(result: { value: PhoneNumberInfo } | { error: string } | null, phoneNumberId: string): ChecklistItem[] {
  const registered: ChecklistItem = {
    id: 'phone_registered',
    title: 'Phone number is registered with the Cloud API',
    ok: null,
    detail: '',
    fix: 'In WhatsApp Manager add and verify the number, then register it for the Cloud API (POST /{phone-number-id}/register with a 6-digit PIN).',
  };
  const name: ChecklistItem = {
    id: 'display_name',
    title: 'Display name is approved',
    ok: null,
    detail: '',
    fix: 'In WhatsApp Manager → Phone numbers, submit a display name that matches your business and wait for approval.',
  };
  const quality: ChecklistItem = {
    id: 'quality_rating',
    title: 'Quality rating is healthy',
    ok: null,
    detail: '',
    fix: 'Quality drops when customers block or report you: message people who expect it, and keep marketing templates relevant.',
  };
  const tier: ChecklistItem = {
    id: 'messaging_tier',
    title: 'Messaging limit tier',
    ok: null,
    detail: '',
    fix: 'Tiers rise automatically with good quality and volume; Business Verification lifts the starting limit.',
  };
  const items = [registered, name, quality, tier];
  if (!result) {
    for (const i of items) i.detail = 'The WhatsApp client is not available, so the number could not be checked.';
    return items;
  }
  if ('error' in result) {
    registered.ok = false;
    registered.detail = `Looking up phone number id ${phoneNumberId} failed: ${result.error}`;
    for (const i of [name, quality, tier]) i.detail = 'Unknown until the number can be read.';
    return items;
  }
  const p = result.value;
  const verified = p.code_verification_status ? p.code_verification_status === 'VERIFIED' : true;
  const onCloud = p.platform_type ? p.platform_type === 'CLOUD_API' : true;
  registered.ok = verified && onCloud;
  registered.detail = `${p.display_phone_number} (${p.verified_name}): platform ${p.platform_type ?? 'unknown'}, verification ${p.code_verification_status ?? 'unknown'}${p.account_mode ? `, account mode ${p.account_mode}` : ''}.`;
  if (p.name_status) {
    name.ok = p.name_status === 'APPROVED' || p.name_status === 'AVAILABLE_WITHOUT_REVIEW';
    name.detail = `Display name “${p.verified_name}” is ${p.name_status.toLowerCase().replace(/_/g, ' ')}.`;
  } else {
    name.detail = `Meta did not report the name status of “${p.verified_name}”.`;
  }
  const rating = p.quality_rating?.toUpperCase();
  quality.ok = rating === 'GREEN' ? true : rating === 'RED' || rating === 'YELLOW' ? false : null;
  quality.detail = `Quality rating: ${rating ?? 'unknown'}${rating === 'UNKNOWN' ? ' (not enough messages yet)' : ''}.`;
  if (p.messaging_limit_tier) {
    tier.ok = true;
    tier.detail = `${p.messaging_limit_tier.replace(/^TIER_/, '').replace(/_/g, ' ')} business-initiated conversations per 24 hours${p.messaging_limit_tier === 'TIER_250' ? ' (the starting tier)' : ''}.`;
  } else {
    tier.detail = 'Meta did not report a messaging tier.';
  }
  return items;
}

/**
 * HTTPS, as it really is: PUBLIC_URL must be https:// and this very request must have arrived over
 * TLS — directly, or through a proxy whose X-Forwarded-Proto we trust (TRUST_PROXY). A PUBLIC_URL
 * that says https while the page came over plain HTTP means the proxy is bypassed or not believed.
 */
function httpsItem(ctx: Context, config: Pick<Config, 'publicUrl' | 'trustProxy'>): ChecklistItem {
  const item: ChecklistItem = {
    id: 'https',
    title: 'Served over HTTPS',
    ok: false,
    detail: '',
    fix: 'Put ConnectDesk behind a TLS proxy (Caddy, nginx, a load balancer) that sends X-Forwarded-Proto, set PUBLIC_URL=https://… and TRUST_PROXY=true, and open the admin app at PUBLIC_URL.',
  };
  const publicUrl = config.publicUrl;
  const overTls = ctx.protocol === 'https';
  const seen = `${ctx.protocol}://${ctx.host}`;
  if (publicUrl && !publicUrl.startsWith('https://')) {
    item.detail = `PUBLIC_URL is ${publicUrl}: Meta only calls HTTPS webhooks with a valid certificate, and session cookies are not Secure over HTTP.`;
  } else if (overTls) {
    item.ok = true;
    item.detail = `Reached over HTTPS${publicUrl ? ` at ${publicUrl}` : ` at ${seen}`}.`;
  } else if (publicUrl && !config.trustProxy) {
    item.detail = `PUBLIC_URL is ${publicUrl}, but this page reached ConnectDesk over plain HTTP (${seen}) and TRUST_PROXY is off, so a proxy's X-Forwarded-Proto is not believed: session cookies are not Secure.`;
    item.fix = 'Set TRUST_PROXY=true on the node behind your TLS proxy (the proxy must send X-Forwarded-Proto: https), and open the admin app at PUBLIC_URL.';
  } else if (publicUrl) {
    item.detail = `PUBLIC_URL is ${publicUrl}, but this page came over plain HTTP (${seen}): the request bypassed the TLS proxy, or the proxy does not send X-Forwarded-Proto: https.`;
    item.fix = `Open the admin app at ${publicUrl}; make the proxy send X-Forwarded-Proto: https; do not publish ConnectDesk’s own port beside the proxy.`;
  } else {
    item.detail = `This page was served over plain HTTP (${seen}) and PUBLIC_URL is not set. Meta only calls HTTPS webhooks with a valid certificate.`;
  }
  return item;
}

/** Sending is not paused by a token problem on any number (190 and kin stop the outbox until a token is saved). */
function sendingItem(numbers: WhatsAppNumber[]): ChecklistItem {
  const paused = numbers.filter((n) => n.tokenProblem);
  return {
    id: 'sending_not_paused',
    title: 'Sending is not paused by an access token problem',
    ok: paused.length === 0,
    detail:
      paused.length === 0
        ? 'Every number’s sends are going out.'
        : paused
            .map(
              (n) =>
                `${n.displayPhoneNumber ? `+${n.displayPhoneNumber.replace(/^\+/, '')}` : n.phoneNumberId}: paused since ${n.tokenProblem!.at.slice(0, 16).replace('T', ' ')} UTC (error ${n.tokenProblem!.code}).`,
            )
            .join(' '),
    fix: 'Create a permanent System User token in Meta Business Settings and save it in Settings → WhatsApp numbers; queued messages then go out on their own.',
  };
}

/** The app receives the account's webhooks only while it is subscribed to the WABA (`GET /{waba-id}/subscribed_apps`). */
function subscriptionItem(result: { value: { id: string; name?: string }[] } | { error: string } | null, wabaId: string): ChecklistItem {
  const item: ChecklistItem = {
    id: 'webhook_subscribed',
    title: 'The app is subscribed to the WhatsApp Business Account’s webhooks',
    ok: null,
    detail: 'The WhatsApp client is not available, so the subscription could not be checked.',
    fix: 'Press “Subscribe” (POST /admin/api/whatsapp/subscription), or call POST /{waba-id}/subscribed_apps with the system user token.',
  };
  if (!result) return item;
  if ('error' in result) return { ...item, ok: false, detail: `Checking GET /${wabaId}/subscribed_apps failed: ${result.error}` };
  const apps = result.value;
  return {
    ...item,
    ok: apps.length > 0,
    detail:
      apps.length > 0
        ? `Subscribed: ${apps.map((a) => a.name ?? a.id).join(', ')}.`
        : `No app is subscribed to account ${wabaId}: Meta sends no webhooks (no customer messages, no statuses).`,
  };
}

export function adminChecklistRoutes(deps: AdminChecklistDeps): Router {
  const router = new Router({ prefix: '/admin/api' });

  async function defaultNumber(): Promise<{ number: WhatsAppNumber | null; token: string | undefined; tokenSource: string }> {
    const number = (await deps.numbers.byPhoneNumberId(deps.config.whatsapp.phoneNumberId)) ?? (await deps.numbers.defaultNumber());
    // The token sends actually use: a saved one first, else WHATSAPP_ACCESS_TOKEN (the sandbox always uses its own).
    if (deps.config.mode === 'live' && number?.accessTokenSealed) {
      try {
        return { number, token: deps.secrets.open(number.accessTokenSealed), tokenSource: 'token saved in Settings' };
      } catch (err) {
        deps.logger?.warn({ err }, 'a stored access token could not be opened (APP_KEY changed?)');
      }
    }
    return { number, token: undefined, tokenSource: deps.config.mode === 'live' ? 'WHATSAPP_ACCESS_TOKEN' : 'sandbox token' };
  }

  router.get('/checklist', requireScope('settings'), async (ctx) => {
    const { config } = deps;
    const { number, token, tokenSource } = await defaultNumber();
    const phoneNumberId = number?.phoneNumberId ?? config.whatsapp.phoneNumberId;
    const api = deps.cloudApi;
    const wabaId = number?.wabaId ?? config.whatsapp.wabaId;
    const [tokenResult, phoneResult, verified, approved, subscribed, numbers] = await Promise.all([
      api ? attempt(() => api.debugToken(token ? { token } : {})) : Promise.resolve(null),
      api ? attempt(() => api.getPhoneNumber({ phoneNumberId, ...(token ? { token } : {}) })) : Promise.resolve(null),
      deps.settings.get(WEBHOOK_VERIFIED_KEY, WebhookVerifiedSchema),
      deps.countApprovedTemplates(),
      api ? attempt(() => api.subscribedApps({ wabaId, ...(token ? { token } : {}) })) : Promise.resolve(null),
      deps.numbers.list(),
    ]);
    const targetPhone = number?.targetPhone ?? config.whatsapp.targetPhone;
    const live = config.mode === 'live';

    const items: ChecklistItem[] = [
      {
        id: 'live_mode',
        title: 'Connected to Meta (sandbox and test routes off)',
        ok: live,
        detail: live
          ? `Sending through Meta's Cloud API ${config.whatsapp.apiVersion}; the sandbox and its test routes are not mounted.`
          : 'Sandbox mode: WhatsApp is simulated at /sandbox/ and nothing reaches Meta.',
        fix: 'Set WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_WEBHOOK_SECRET and WHATSAPP_APP_SECRET, then restart.',
      },
      ...tokenItems(tokenResult, tokenSource),
      sendingItem(numbers),
      ...phoneItems(phoneResult, phoneNumberId),
      {
        id: 'webhook_verified',
        title: 'Webhook URL is configured and verified',
        ok: verified.at !== null,
        detail: verified.at ? `Meta verified the webhook at ${verified.at}.` : 'Meta has not completed the verification handshake with this server yet.',
        fix: 'In the app dashboard → WhatsApp → Configuration, enter the webhook URL and verify token from Settings → WhatsApp, press “Verify and save”, then subscribe to the “messages” field.',
      },
      subscriptionItem(subscribed, wabaId),
      {
        id: 'app_secret',
        title: 'App secret is set (webhook signatures are checked)',
        ok: live,
        detail: live
          ? 'Every webhook delivery must carry a valid X-Hub-Signature-256; unsigned or wrongly signed ones are refused.'
          : 'The sandbox signs with a generated secret; Meta will sign with your app’s secret.',
        fix: 'Copy the App secret from App dashboard → Settings → Basic into WHATSAPP_APP_SECRET.',
      },
      {
        id: 'template_approved',
        title: 'At least one message template is approved',
        ok: approved > 0,
        detail: approved > 0 ? `${approved} approved template${approved === 1 ? '' : 's'} synced.` : 'No approved template has been synced yet.',
        fix: 'Create templates in WhatsApp Manager → Message templates (submit connectdesk_new_message and connectdesk_digest for owner notifications), wait for approval, then press Sync on the Templates page.',
      },
      httpsItem(ctx, config),
      {
        id: 'target_phone',
        title: 'Owner’s phone for notifications is set',
        ok: targetPhone ? true : false,
        detail: targetPhone ? `Visitor messages are forwarded to +${targetPhone}.` : 'Visitor messages are only shown in the admin app.',
        fix: 'Set the target phone in Settings → WhatsApp numbers (or WHATSAPP_TARGET_PHONE_NUMBER).',
      },
      {
        id: 'business_verification',
        title: 'Business verification is approved',
        ok: null,
        detail: 'Only Meta Business Settings can tell.',
        fix: 'Meta Business Settings → Security Center → Start verification; upload the documents Meta asks for.',
      },
      {
        id: 'payment_method',
        title: 'A payment method is added',
        ok: null,
        detail: 'Templates are charged per delivered message by category and country; Meta needs a payment method first.',
        fix: 'Meta Business Settings → Billing & payments → WhatsApp Business account → add a payment method.',
      },
      {
        id: 'privacy_policy',
        title: 'Privacy policy URL is set and the app is Live',
        ok: null,
        detail: 'Only the app dashboard can tell.',
        fix: 'App dashboard → Settings → Basic: add the privacy policy URL, then switch App Mode from Development to Live.',
      },
      {
        id: 'two_factor',
        title: 'Two-factor authentication is on',
        ok: null,
        detail: 'Protects the Meta accounts that control this number.',
        fix: 'Meta Business Settings → Security Center → require two-factor authentication for everyone.',
      },
    ];
    ctx.body = {
      mode: config.mode,
      ready: items.every((i) => i.ok !== false),
      data: items,
    };
  });

  return router;
}
