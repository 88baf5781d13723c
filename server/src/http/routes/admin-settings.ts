/**
 * Settings: widget appearance, canned responses, the business's WhatsApp numbers (access tokens
 * are write-only: sealed with APP_KEY, never returned) and what to paste into Meta's dashboard.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { WidgetSettingsSchema, normalizeWaId, type WidgetSettings } from '@connectdesk/shared';
import type { Config } from '../../config.ts';
import type { SettingsRepo } from '../../db/repos/settings-repo.ts';
import type { NumberPatch, WhatsAppNumber, WhatsAppNumbersRepo } from '../../db/repos/whatsapp-numbers-repo.ts';
import { AppError, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { SecretBox } from '../../secret-box.ts';
import { requireAdminRole, selfOrigin } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { validateBody } from '../middleware/validate.ts';
import { WEBHOOK_VERIFIED_KEY, WebhookVerifiedSchema } from './admin-checklist.ts';

export const WIDGET_SETTINGS_KEY = 'widget';
export const CANNED_RESPONSES_KEY = 'canned_responses';

export const CannedResponseInputSchema = z.object({
  shortcut: z
    .string()
    .trim()
    .min(1, 'shortcut is required')
    .max(32)
    .regex(/^[\w-]+$/, 'shortcut may use letters, digits, - and _ only'),
  text: z.string().trim().min(1, 'text is required').max(4096),
});
const CannedResponseSchema = CannedResponseInputSchema.extend({ id: z.string() });
export type CannedResponse = z.infer<typeof CannedResponseSchema>;
const CannedListSchema = z.array(CannedResponseSchema).catch([]);

const waDigits = z
  .string()
  .trim()
  .regex(/^\d{1,32}$/, 'must be digits (the id shown in Meta’s WhatsApp Manager)');
const phoneInput = z
  .string()
  .trim()
  .max(32)
  .transform((s, c) => {
    if (s === '') return null;
    const waId = normalizeWaId(s);
    if (!waId) {
      c.addIssue({ code: 'custom', message: 'must be a phone number in international format, like +44 7700 900123' });
      return z.NEVER;
    }
    return waId;
  });
/** A new access token, or null to fall back to WHATSAPP_ACCESS_TOKEN; omitted = keep the stored one. */
const tokenInput = z.string().trim().min(20, 'the access token looks too short').max(4096).nullable();

export const NumberCreateSchema = z.object({
  phone_number_id: waDigits,
  waba_id: waDigits.nullable().optional(),
  display_phone_number: z.string().trim().max(32).nullable().optional(),
  access_token: tokenInput.optional(),
  target_phone: phoneInput.nullable().optional(),
  is_default: z.boolean().optional(),
});
export const NumberUpdateSchema = NumberCreateSchema.omit({ phone_number_id: true }).refine(
  (p) => Object.values(p).some((v) => v !== undefined),
  'nothing to change',
);
type NumberCreate = z.infer<typeof NumberCreateSchema>;
type NumberUpdate = z.infer<typeof NumberUpdateSchema>;

export interface AdminSettingsDeps {
  config: Config;
  settings: SettingsRepo;
  numbers: WhatsAppNumbersRepo;
  secrets: SecretBox;
}

/** A number as the admin app sees it: whether it has a token, never the token. */
export function numberJson(n: WhatsAppNumber) {
  return {
    id: n.id,
    phone_number_id: n.phoneNumberId,
    waba_id: n.wabaId,
    display_phone_number: n.displayPhoneNumber,
    verified_name: n.verifiedName,
    has_token: Boolean(n.accessTokenSealed),
    target_phone: n.targetPhone,
    quality_rating: n.qualityRating,
    messaging_tier: n.messagingTier,
    is_default: n.isDefault,
    updated_at: n.updatedAt,
  };
}

function toPatch(input: NumberUpdate | NumberCreate, secrets: SecretBox): NumberPatch {
  const patch: NumberPatch = {};
  if (input.waba_id !== undefined) patch.wabaId = input.waba_id;
  if (input.display_phone_number !== undefined) patch.displayPhoneNumber = input.display_phone_number || null;
  if (input.target_phone !== undefined) patch.targetPhone = input.target_phone;
  if (input.is_default !== undefined) patch.isDefault = input.is_default;
  if (input.access_token !== undefined) patch.accessTokenSealed = input.access_token === null ? null : secrets.seal(input.access_token);
  return patch;
}

export function adminSettingsRoutes(deps: AdminSettingsDeps): Router {
  const router = new Router({ prefix: '/admin/api' });
  const admin = requireAdminRole();

  router.get('/settings/widget', async (ctx) => {
    ctx.body = { settings: await deps.settings.get(WIDGET_SETTINGS_KEY, WidgetSettingsSchema) };
  });

  router.put('/settings/widget', admin, jsonBody('32kb'), validateBody(WidgetSettingsSchema), async (ctx) => {
    const settings = ctx.state.input as WidgetSettings;
    await deps.settings.set(WIDGET_SETTINGS_KEY, settings);
    ctx.body = { settings };
  });

  const cannedList = () => deps.settings.get(CANNED_RESPONSES_KEY, CannedListSchema);

  router.get('/canned-responses', async (ctx) => {
    ctx.body = { data: await cannedList() };
  });

  router.post('/canned-responses', jsonBody('16kb'), validateBody(CannedResponseInputSchema), async (ctx) => {
    const input = ctx.state.input as z.infer<typeof CannedResponseInputSchema>;
    const list = await cannedList();
    if (list.some((c) => c.shortcut === input.shortcut)) throw new AppError('conflict', `the shortcut /${input.shortcut} exists already`);
    if (list.length >= 500) throw new AppError('conflict', 'at most 500 canned responses');
    const created: CannedResponse = { id: newId(), ...input };
    await deps.settings.set(CANNED_RESPONSES_KEY, [...list, created]);
    ctx.status = 201;
    ctx.body = { canned_response: created };
  });

  router.put('/canned-responses/:id', jsonBody('16kb'), validateBody(CannedResponseInputSchema), async (ctx) => {
    const input = ctx.state.input as z.infer<typeof CannedResponseInputSchema>;
    const list = await cannedList();
    const existing = list.find((c) => c.id === ctx.params.id);
    if (!existing) throw notFound('canned response');
    if (list.some((c) => c.shortcut === input.shortcut && c.id !== existing.id)) {
      throw new AppError('conflict', `the shortcut /${input.shortcut} exists already`);
    }
    const updated = { ...existing, ...input };
    await deps.settings.set(CANNED_RESPONSES_KEY, list.map((c) => (c.id === existing.id ? updated : c)));
    ctx.body = { canned_response: updated };
  });

  router.delete('/canned-responses/:id', async (ctx) => {
    const list = await cannedList();
    if (!list.some((c) => c.id === ctx.params.id)) throw notFound('canned response');
    await deps.settings.set(CANNED_RESPONSES_KEY, list.filter((c) => c.id !== ctx.params.id));
    ctx.status = 204;
  });

  router.get('/settings/whatsapp-numbers', async (ctx) => {
    ctx.body = { data: (await deps.numbers.list()).map(numberJson) };
  });

  router.post('/settings/whatsapp-numbers', admin, jsonBody('16kb'), validateBody(NumberCreateSchema), async (ctx) => {
    const input = ctx.state.input as NumberCreate;
    if (await deps.numbers.byPhoneNumberId(input.phone_number_id)) {
      throw new AppError('conflict', `phone number id ${input.phone_number_id} is set up already; edit it instead`);
    }
    const created = await deps.numbers.upsert(input.phone_number_id, toPatch(input, deps.secrets));
    ctx.status = 201;
    ctx.body = { number: numberJson(created) };
  });

  router.patch('/settings/whatsapp-numbers/:id', admin, jsonBody('16kb'), validateBody(NumberUpdateSchema), async (ctx) => {
    const existing = await deps.numbers.byId(ctx.params.id!);
    if (!existing) throw notFound('WhatsApp number');
    const updated = await deps.numbers.upsert(existing.phoneNumberId, toPatch(ctx.state.input as NumberUpdate, deps.secrets));
    ctx.body = { number: numberJson(updated) };
  });

  router.delete('/settings/whatsapp-numbers/:id', admin, async (ctx) => {
    const existing = await deps.numbers.byId(ctx.params.id!);
    if (!existing) throw notFound('WhatsApp number');
    if (existing.phoneNumberId === deps.config.whatsapp.phoneNumberId) {
      throw new AppError('conflict', 'this number comes from WHATSAPP_PHONE_NUMBER_ID; change the environment to remove it');
    }
    await deps.numbers.remove(existing.id);
    ctx.status = 204;
  });

  // What to paste into Meta's dashboard (App → WhatsApp → Configuration → Webhook).
  router.get('/settings/whatsapp-connect', admin, async (ctx) => {
    const base = deps.config.publicUrl ?? selfOrigin(ctx);
    const verified = await deps.settings.get(WEBHOOK_VERIFIED_KEY, WebhookVerifiedSchema);
    ctx.body = {
      webhook_url: `${base}/api/whatsapp/webhook`,
      verify_token: deps.config.whatsapp.verifyToken,
      webhook_fields: ['messages'],
      verified_at: verified.at,
      app_secret_set: deps.config.mode === 'sandbox' || Boolean(deps.config.whatsapp.appSecret),
      mode: deps.config.mode,
      api_version: deps.config.whatsapp.apiVersion,
      env_target_phone: deps.config.whatsapp.targetPhone,
    };
  });

  return router;
}
