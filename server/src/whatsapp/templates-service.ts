/**
 * Message templates: synced from the Cloud API at start, on demand and hourly; kept current by
 * template webhooks (status and lifecycle, category, quality, components); used to validate
 * template sends before anything is stored (exists and sendable in that language → else
 * `template_not_found` with the reason; filled right — parameters by position or name, header
 * media or location, button values → else `template_param_mismatch` naming each problem) and to
 * render their text.
 */
import type { FilledTemplate, TemplateJson, TemplateSend } from '@connectdesk/shared';
import { fillTemplate, templateLifecycle, templateVariables } from '@connectdesk/shared';
import type { CategoryChange, TemplateButton, TemplatePatch, TemplateRecord, TemplateRow, TemplatesRepo } from '../db/repos/templates-repo.ts';
import { templateJson, templateSpec } from '../db/repos/templates-repo.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { CloudApi, GraphTemplate } from './graph-api.ts';
import type { NumberRegistry } from './number-registry.ts';

export interface TemplatesServiceDeps {
  repo: TemplatesRepo;
  numbers: NumberRegistry;
  cloud: CloudApi;
  logger: Logger;
  intervalMs?: number;
}

/** Meta's components → what we store and show. */
function templateRecord(t: GraphTemplate): TemplateRecord {
  const part = (type: string) => t.components.find((c) => c.type.toUpperCase() === type);
  const body = part('BODY')?.text ?? '';
  const header = part('HEADER');
  const headerFormat = header ? (header.format ?? 'TEXT').toUpperCase() : null;
  const headerText = header ? (headerFormat === 'TEXT' ? (header.text ?? '') : `[${headerFormat!.toLowerCase()}]`) : null;
  const parameterFormat = (t.parameter_format ?? 'POSITIONAL').toUpperCase();
  return {
    metaId: t.id,
    name: t.name,
    language: t.language,
    category: t.category.toUpperCase(),
    status: t.status.toUpperCase(),
    components: t.components,
    body,
    header: headerText,
    footer: part('FOOTER')?.text ?? null,
    buttons: (part('BUTTONS')?.buttons ?? []).map(buttonOf),
    parameterCount: templateVariables({ parameter_format: parameterFormat }, body).length,
    quality: t.quality_score?.score ?? null,
    parameterFormat,
    headerFormat,
  };
}

function buttonOf(b: { type: string; text: string; url?: string; phone_number?: string }): TemplateButton {
  return { type: b.type.toUpperCase(), text: b.text, ...(b.url ? { url: b.url } : {}), ...(b.phone_number ? { phone_number: b.phone_number } : {}) };
}

/** A Unix time in seconds (number or string, as Meta sends either) → epoch ms. */
function unixMs(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n * 1000 : null;
}

const FLAG_DAYS = 7;

export class TemplatesService {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  private readonly logger: TemplatesServiceDeps['logger'];
  private readonly intervalMs: TemplatesServiceDeps['intervalMs'];
  private readonly numbers: TemplatesServiceDeps['numbers'];
  private readonly cloud: TemplatesServiceDeps['cloud'];
  private readonly repo: TemplatesServiceDeps['repo'];

  constructor({ logger, intervalMs, numbers, cloud, repo }: TemplatesServiceDeps) {
    this.logger = logger;
    this.intervalMs = intervalMs;
    this.numbers = numbers;
    this.cloud = cloud;
    this.repo = repo;
  }

  /** Sync now and then every hour (the timer never keeps the process alive). */
  async start(): Promise<void> {
    await this.sync().catch((err) => this.logger.warn({ err }, 'template sync at start failed; will retry hourly'));
    this.timer = setInterval(() => {
      this.sync().catch((err) => this.logger.warn({ err }, 'periodic template sync failed'));
    }, this.intervalMs ?? 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
  }

  /** Fetch every template of the default number's WABA; concurrent calls share one sync. */
  sync(): Promise<number> {
    this.running ??= this.doSync().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async doSync(): Promise<number> {
    const number = await this.numbers.defaultNumber();
    if (!number) return 0;
    const wabaId = this.numbers.wabaIdOf(number);
    const templates = await this.cloud.listTemplates({ wabaId, token: this.numbers.tokenFor(number) });
    await this.repo.replaceAll(wabaId, templates.map(templateRecord));
    this.logger.info({ wabaId, count: templates.length }, 'templates synced');
    return templates.length;
  }

  /** A webhook named a template we have not synced: fetch them all shortly. */
  syncSoon(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.sync().catch((err) => this.logger.warn({ err }, 'template sync after a webhook failed'));
    }, 2000);
    this.soon.unref();
  }

  private async wabaId(): Promise<string | null> {
    const number = await this.numbers.defaultNumber();
    return number ? this.numbers.wabaIdOf(number) : null;
  }

  async list(filter: { status?: string; language?: string; name?: string } = {}): Promise<TemplateJson[]> {
    const wabaId = await this.wabaId();
    return wabaId ? (await this.repo.list(wabaId, filter)).map(templateJson) : [];
  }

  /** The sendable template in that language, filled and checked; or a clear 422 naming what is wrong. */
  async validate(wabaId: string, send: TemplateSend): Promise<{ template: TemplateRow; text: string; filled: FilledTemplate }> {
    const template = await this.repo.find(wabaId, send.name, send.language);
    if (!template)
      throw new AppError(
        'template_not_found',
        `template "${send.name}" (${send.language}) does not exist in that language (sync templates if it was just approved)`,
      );
    const lifecycle = templateLifecycle(template);
    if (!lifecycle.sendable) throw new AppError('template_not_found', `template "${send.name}" (${send.language}) is ${lifecycle.warning}`);
    const filled = fillTemplate(templateSpec(template), send);
    if (filled.problems.length) {
      throw new AppError('template_param_mismatch', `template "${send.name}": ${filled.problems.map((p) => p.message).join('; ')}`, {
        problems: filled.problems,
      });
    }
    return { template, text: filled.text, filled };
  }

  /** The text a template would show with these values, and what a send would be refused for. */
  async preview(
    name: string,
    fill: Omit<TemplateSend, 'name'>,
  ): Promise<{
    template: TemplateJson;
    text: string;
    header: string | null;
    missing: number;
    problems: FilledTemplate['problems'];
    components: FilledTemplate['components'];
  }> {
    const wabaId = await this.wabaId();
    const row = wabaId ? await this.repo.find(wabaId, name, fill.language) : null;
    if (!row) throw new AppError('template_not_found', `template "${name}" (${fill.language}) is not synced`);
    const filled = fillTemplate(templateSpec(row), fill);
    const missing = filled.problems.filter((p) => p.field.startsWith('body.') && /is missing$/.test(p.message)).length;
    const count = Number(row.parameter_count);
    const given = Array.isArray(fill.parameters) ? fill.parameters.length : Object.keys(fill.parameters ?? {}).length;
    return {
      template: templateJson(row),
      text: filled.text,
      header: filled.header,
      missing: Math.max(missing, row.parameter_format === 'NAMED' ? 0 : count - given, 0),
      problems: filled.problems,
      components: filled.components,
    };
  }

  /** Template webhooks (the entry id is the WABA). Returns whether it changed something. */
  async applyWebhook(field: string, wabaId: string, value: Record<string, unknown>): Promise<boolean> {
    const name = typeof value.message_template_name === 'string' ? value.message_template_name : null;
    const language = typeof value.message_template_language === 'string' ? value.message_template_language : null;
    if (!name || !language) return false;
    const s = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    let changed = false;
    switch (field) {
      case 'message_template_status_update': {
        const event = s(value.event)?.toUpperCase();
        if (event) changed = await this.repo.patch(wabaId, name, language, statusPatch(event, value, s(value.message_template_category)?.toUpperCase()));
        break;
      }
      case 'template_category_update': {
        const correct = s(value.correct_category)?.toUpperCase();
        const current = s(value.new_category)?.toUpperCase();
        const change: CategoryChange | undefined = correct
          ? { from: current ?? null, to: correct, at: isoOf(unixMs(value.category_update_timestamp)), done: false }
          : current
            ? { from: s(value.previous_category)?.toUpperCase() ?? null, to: current, at: new Date().toISOString(), done: true }
            : undefined;
        changed = await this.repo.patch(wabaId, name, language, { category: current, categoryChange: change });
        break;
      }
      case 'message_template_quality_update':
        changed = await this.repo.patch(wabaId, name, language, { quality: s(value.new_quality_score)?.toUpperCase() });
        break;
      case 'message_template_components_update': {
        const body = s(value.message_template_element);
        const buttons = Array.isArray(value.message_template_buttons)
          ? (value.message_template_buttons as Record<string, unknown>[]).map((b) => ({
              type: typeof b.message_template_button_type === 'string' ? b.message_template_button_type.toUpperCase() : '',
              text: typeof b.message_template_button_text === 'string' ? b.message_template_button_text : '',
              ...(typeof b.message_template_button_url === 'string' ? { url: b.message_template_button_url } : {}),
              ...(typeof b.message_template_button_phone_number === 'string' ? { phone_number: b.message_template_button_phone_number } : {}),
            }))
          : undefined;
        const row = body === undefined ? null : await this.repo.find(wabaId, name, language);
        changed = await this.repo.patch(wabaId, name, language, {
          body,
          parameterCount: body === undefined ? undefined : templateVariables({ parameter_format: row?.parameter_format ?? 'POSITIONAL' }, body).length,
          header: s(value.message_template_title),
          footer: s(value.message_template_footer),
          buttons,
        });
        break;
      }
      default:
        return false;
    }
    if (!changed && wabaId === (await this.wabaId())) this.syncSoon();
    return changed;
  }
}

const isoOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * A `message_template_status_update` event → what changes. FLAGGED keeps the template APPROVED
 * (Meta does, until `disable_info.disable_date`); LOCKED/UNLOCKED only toggle editing;
 * REINSTATED and APPROVED restore it; the others (PAUSED, DISABLED, PENDING_DELETION, REJECTED…)
 * become its status, with Meta's reason.
 */
function statusPatch(event: string, value: Record<string, unknown>, category: string | undefined): TemplatePatch {
  const info = (value.other_info ?? {}) as Record<string, unknown>;
  const reason = [value.reason, info.title, (value.rejection_info as Record<string, unknown> | undefined)?.reason]
    .filter((r): r is string => typeof r === 'string' && r !== '' && r.toUpperCase() !== 'NONE')
    .join(': ');
  const disable = (value.disable_info ?? {}) as Record<string, unknown>;
  switch (event) {
    case 'FLAGGED':
      return { category, disableDate: unixMs(disable.disable_date) ?? Date.now() + FLAG_DAYS * 86_400_000, statusReason: reason || null };
    case 'LOCKED':
      return { category, locked: true };
    case 'UNLOCKED':
      return { category, locked: false };
    case 'APPROVED':
    case 'REINSTATED':
    case 'UNPAUSED':
      return { category, status: 'APPROVED', disableDate: null, statusReason: reason || null };
    default:
      return { category, status: event, disableDate: null, statusReason: reason || null };
  }
}
