/**
 * Message templates: synced from the Cloud API at start, on demand and hourly; kept current by
 * template webhooks (status, category, quality, components); used to validate template sends
 * before anything is stored (exists and APPROVED in that language → else `template_not_found`;
 * the right number of parameters → else `template_param_mismatch`) and to render their text.
 */
import type { TemplateJson, TemplateSend } from '@connectdesk/shared';
import { countTemplateParams, renderTemplateText } from '@connectdesk/shared';
import type { TemplateRecord, TemplateRow, TemplatesRepo } from '../db/repos/templates-repo.ts';
import { templateJson } from '../db/repos/templates-repo.ts';
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
  const headerText = header ? (header.text ?? (header.format ? `[${header.format.toLowerCase()}]` : null)) : null;
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
    buttons: (part('BUTTONS')?.buttons ?? []).map((b) => ({ type: b.type, text: b.text })),
    parameterCount: countTemplateParams(body),
    quality: t.quality_score?.score ?? null,
  };
}

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

  /** The approved template in that language, with the parameter count checked; or a clear 422. */
  async validate(
    wabaId: string,
    send: Pick<TemplateSend, 'name' | 'language' | 'parameters' | 'header_parameters'>,
  ): Promise<{ template: TemplateRow; text: string }> {
    const template = await this.repo.find(wabaId, send.name, send.language);
    if (!template || template.status !== 'APPROVED') {
      const why = !template ? 'does not exist in that language (sync templates if it was just approved)' : `is ${template.status.toLowerCase()}, not approved`;
      throw new AppError('template_not_found', `template "${send.name}" (${send.language}) ${why}`);
    }
    const expected = Number(template.parameter_count);
    const given = send.parameters?.length ?? 0;
    if (given !== expected) {
      throw new AppError('template_param_mismatch', `template "${send.name}" takes ${expected} parameter${expected === 1 ? '' : 's'} ({{1}}…), got ${given}`);
    }
    const headerExpected = countTemplateParams(template.header);
    const headerGiven = send.header_parameters?.length ?? 0;
    if (headerGiven !== headerExpected) {
      throw new AppError('template_param_mismatch', `the header of "${send.name}" takes ${headerExpected} parameter(s), got ${headerGiven}`);
    }
    if (send.parameters?.some((p) => !p.trim())) throw new AppError('template_param_mismatch', 'template parameters must not be empty');
    // Meta refuses these with 132018 once the message is on its way: say so before anything is stored.
    if ([...(send.parameters ?? []), ...(send.header_parameters ?? [])].some((p) => /[\n\t]| {5,}/.test(p))) {
      throw new AppError(
        'template_param_mismatch',
        'template parameters must be one line each: no new lines, tabs or more than 4 spaces in a row (WhatsApp refuses them)',
      );
    }
    return { template, text: renderTemplateText(template.body, send.parameters ?? []) };
  }

  /** The text a template would show with these parameters (missing ones stay as {{n}}). */
  async preview(name: string, language: string, parameters: string[]): Promise<{ template: TemplateJson; text: string; missing: number }> {
    const wabaId = await this.wabaId();
    const row = wabaId ? await this.repo.find(wabaId, name, language) : null;
    if (!row) throw new AppError('template_not_found', `template "${name}" (${language}) is not synced`);
    const count = Number(row.parameter_count);
    return { template: templateJson(row), text: renderTemplateText(row.body, parameters), missing: Math.max(0, count - parameters.length) };
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
        if (event)
          changed = await this.repo.patch(wabaId, name, language, {
            status: event === 'REINSTATED' ? 'APPROVED' : event,
            category: s(value.message_template_category)?.toUpperCase(),
          });
        break;
      }
      case 'template_category_update':
        changed = await this.repo.patch(wabaId, name, language, { category: s(value.new_category)?.toUpperCase() });
        break;
      case 'message_template_quality_update':
        changed = await this.repo.patch(wabaId, name, language, { quality: s(value.new_quality_score)?.toUpperCase() });
        break;
      case 'message_template_components_update': {
        const body = s(value.message_template_element);
        const buttons = Array.isArray(value.message_template_buttons)
          ? (value.message_template_buttons as Record<string, unknown>[]).map((b) => ({
              type: typeof b.message_template_button_type === 'string' ? b.message_template_button_type : '',
              text: typeof b.message_template_button_text === 'string' ? b.message_template_button_text : '',
            }))
          : undefined;
        changed = await this.repo.patch(wabaId, name, language, {
          body,
          parameterCount: body === undefined ? undefined : countTemplateParams(body),
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
