/**
 * Settings: widget appearance, canned responses, the business's WhatsApp numbers (access tokens
 * are write-only: sealed with APP_KEY, never returned) and what to paste into Meta's dashboard.
 */
import Router from '@koa/router';
import { z } from 'zod';
import {
  CannedResponseInputSchema,
  CannedResponseSchema,
  NumberCreateSchema,
  NumberUpdateSchema,
  WidgetSettingsSchema,
  type CannedResponse,
  type NumberCreate,
  type NumberUpdate,
} from '@connectdesk/shared';
import type { Config } from '../../config.ts';
import type { SettingsRepo } from '../../db/repos/settings-repo.ts';
import type { NumberPatch, WhatsAppNumbersRepo } from '../../db/repos/whatsapp-numbers-repo.ts';
import { numberJson } from '../../presentation/whatsapp-number-json.ts';
import { AppError, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { SecretBox } from '../../secret-box.ts';
import { requireAdminRole, selfOrigin } from '../middleware/auth.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { requireScope } from '../middleware/scopes.ts';
import { withBody } from '../middleware/validate.ts';
import { WEBHOOK_VERIFIED_KEY, WebhookVerifiedSchema } from './admin-checklist.ts';

export const WIDGET_SETTINGS_KEY = 'widget';
const CANNED_RESPONSES_KEY = 'canned_responses';

const CannedListSchema = z.array(CannedResponseSchema).catch([]);

export interface AdminSettingsDeps {
  config: Config;
  settings: SettingsRepo;
  numbers: WhatsAppNumbersRepo;
  secrets: SecretBox;
  /** A token was saved (or removed) for this number: paused sends may go now. */
  onTokenSaved?: (phoneNumberId: string) => Promise<void>;
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
  const settings = requireScope('settings');

  router.get('/settings/widget', settings, async (ctx) => {
    ctx.body = { settings: await deps.settings.get(WIDGET_SETTINGS_KEY, WidgetSettingsSchema) };
  });

  router.put(
    '/settings/widget',
    settings,
    admin,
    jsonBody('32kb'),
    withBody(WidgetSettingsSchema, async (ctx, input) => {
      await deps.settings.set(WIDGET_SETTINGS_KEY, input);
      ctx.body = { settings: input };
    }),
  );

  const cannedList = () => deps.settings.get(CANNED_RESPONSES_KEY, CannedListSchema);

  router.get('/canned-responses', requireScope('conversations:read', 'settings'), async (ctx) => {
    ctx.body = { data: await cannedList() };
  });

  router.post(
    '/canned-responses',
    settings,
    jsonBody('16kb'),
    withBody(CannedResponseInputSchema, async (ctx, input) => {
      const list = await cannedList();
      if (list.some((c) => c.shortcut === input.shortcut)) throw new AppError('conflict', `the shortcut /${input.shortcut} exists already`);
      if (list.length >= 500) throw new AppError('conflict', 'at most 500 canned responses');
      const created: CannedResponse = { id: newId(), ...input };
      await deps.settings.set(CANNED_RESPONSES_KEY, [...list, created]);
      ctx.status = 201;
      ctx.body = { canned_response: created };
    }),
  );

  router.put(
    '/canned-responses/:id',
    settings,
    jsonBody('16kb'),
    withBody(CannedResponseInputSchema, async (ctx, input) => {
      const list = await cannedList();
      const existing = list.find((c) => c.id === ctx.params.id);
      if (!existing) throw notFound('canned response');
      if (list.some((c) => c.shortcut === input.shortcut && c.id !== existing.id)) {
        throw new AppError('conflict', `the shortcut /${input.shortcut} exists already`);
      }
      const updated: CannedResponse = { id: existing.id, ...input };
      await deps.settings.set(
        CANNED_RESPONSES_KEY,
        list.map((c) => (c.id === existing.id ? updated : c)),
      );
      ctx.body = { canned_response: updated };
    }),
  );

  router.delete('/canned-responses/:id', settings, async (ctx) => {
    const list = await cannedList();
    if (!list.some((c) => c.id === ctx.params.id)) throw notFound('canned response');
    await deps.settings.set(
      CANNED_RESPONSES_KEY,
      list.filter((c) => c.id !== ctx.params.id),
    );
    ctx.status = 204;
  });

  router.get('/settings/whatsapp-numbers', settings, async (ctx) => {
    ctx.body = { data: (await deps.numbers.list()).map(numberJson) };
  });

  router.post(
    '/settings/whatsapp-numbers',
    settings,
    admin,
    jsonBody('16kb'),
    withBody(NumberCreateSchema, async (ctx, input) => {
      if (await deps.numbers.byPhoneNumberId(input.phone_number_id)) {
        throw new AppError('conflict', `phone number id ${input.phone_number_id} is set up already; edit it instead`);
      }
      const created = await deps.numbers.upsert(input.phone_number_id, toPatch(input, deps.secrets));
      if (input.access_token !== undefined) await deps.onTokenSaved?.(created.phoneNumberId);
      ctx.status = 201;
      ctx.body = { number: numberJson(created) };
    }),
  );

  router.patch(
    '/settings/whatsapp-numbers/:id',
    settings,
    admin,
    jsonBody('16kb'),
    withBody(NumberUpdateSchema, async (ctx, input) => {
      const existing = await deps.numbers.byId(ctx.params.id!);
      if (!existing) throw notFound('WhatsApp number');
      let updated = await deps.numbers.upsert(existing.phoneNumberId, toPatch(input, deps.secrets));
      if (input.access_token !== undefined && deps.onTokenSaved) {
        await deps.onTokenSaved(existing.phoneNumberId);
        updated = (await deps.numbers.byId(existing.id)) ?? updated;
      }
      ctx.body = { number: numberJson(updated) };
    }),
  );

  router.delete('/settings/whatsapp-numbers/:id', settings, admin, async (ctx) => {
    const existing = await deps.numbers.byId(ctx.params.id!);
    if (!existing) throw notFound('WhatsApp number');
    if (existing.phoneNumberId === deps.config.whatsapp.phoneNumberId) {
      throw new AppError('conflict', 'this number comes from WHATSAPP_PHONE_NUMBER_ID; change the environment to remove it');
    }
    await deps.numbers.remove(existing.id);
    ctx.status = 204;
  });

  // What to paste into Meta's dashboard (App → WhatsApp → Configuration → Webhook).
  router.get('/settings/whatsapp-connect', settings, admin, async (ctx) => {
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
