/**
 * The sandbox account's templates as they are now: the catalog, then whatever lifecycle, quality
 * and category events `POST /sandbox/templates/events` applied. Each event changes the template
 * the way Meta does and yields the webhook Meta sends for it (`message_template_status_update`,
 * `message_template_quality_update`, `template_category_update`). A FLAGGED template stays
 * APPROVED (sendable) until its disable date; LOCKED only stops edits.
 */
import { z } from 'zod';
import { badInput } from './errors.ts';
import { TEMPLATE_CATALOG, type CatalogComponent, type CatalogTemplate } from './templates-catalog.ts';

export interface BookTemplate extends CatalogTemplate {
  /** FLAGGED: when Meta disables it (ms). */
  disableDate: number | null;
  locked: boolean;
}

const STATUS_EVENTS = ['APPROVED', 'REJECTED', 'PENDING', 'FLAGGED', 'PAUSED', 'DISABLED', 'PENDING_DELETION', 'LOCKED', 'UNLOCKED', 'REINSTATED'] as const;

const target = { name: z.string().min(1).max(512), language: z.string().min(2).max(15) };
export const TemplateEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    ...target,
    event: z.enum(STATUS_EVENTS),
    reason: z.string().max(64).optional(),
    /** FLAGGED: the Unix time (s) Meta will disable it; default in 7 days. */
    disable_date: z.number().int().positive().optional(),
  }),
  z.object({ kind: z.literal('quality'), ...target, score: z.enum(['GREEN', 'YELLOW', 'RED', 'UNKNOWN']) }),
  z.object({
    kind: z.literal('category'),
    ...target,
    category: z.enum(['UTILITY', 'MARKETING', 'AUTHENTICATION']),
    /** Announce the change (Meta does 24 hours ahead) instead of making it. */
    impending: z.boolean().default(false),
    /** Impending: the Unix time (s) it happens; default in 24 hours. */
    at: z.number().int().positive().optional(),
  }),
]);
export type TemplateEvent = z.infer<typeof TemplateEventSchema>;

const PAUSE_TEXT = 'Your WhatsApp message template has been paused because of low quality.';

export class TemplateBook {
  private readonly templates: BookTemplate[];

  constructor(private readonly now: () => number) {
    this.templates = TEMPLATE_CATALOG.map((t) => ({ ...structuredClone(t), disableDate: null, locked: false }));
  }

  all(): readonly BookTemplate[] {
    return this.templates;
  }

  find(name: string, language: string): BookTemplate | undefined {
    return this.templates.find((t) => t.name === name && t.language === language);
  }

  /** Apply an event; returns the `value` and `field` of the webhook Meta sends for it. */
  apply(e: TemplateEvent): { field: string; value: Record<string, unknown> } {
    const t = this.find(e.name, e.language);
    if (!t) throw badInput(`no template ${e.name} in ${e.language} (GET /sandbox/graph/v24.0/{waba-id}/message_templates lists them)`);
    const ids = { message_template_id: Number(t.id), message_template_name: t.name, message_template_language: t.language };
    const nowS = Math.floor(this.now() / 1000);
    switch (e.kind) {
      case 'quality': {
        const previous = t.quality_score.score;
        t.quality_score = { score: e.score };
        return { field: 'message_template_quality_update', value: { previous_quality_score: previous, new_quality_score: e.score, ...ids } };
      }
      case 'category': {
        if (e.impending) {
          return {
            field: 'template_category_update',
            value: { ...ids, correct_category: e.category, new_category: t.category, category_update_timestamp: e.at ?? nowS + 86_400 },
          };
        }
        const previous = t.category;
        t.category = e.category;
        return { field: 'template_category_update', value: { ...ids, previous_category: previous, new_category: t.category } };
      }
      case 'status':
        return { field: 'message_template_status_update', value: { event: e.event, ...ids, ...this.status(t, e, nowS) } };
    }
  }

  private status(t: BookTemplate, e: Extract<TemplateEvent, { kind: 'status' }>, nowS: number): Record<string, unknown> {
    const category = { message_template_category: t.category };
    switch (e.event) {
      case 'FLAGGED': {
        const disable = e.disable_date ?? nowS + 7 * 86_400;
        t.disableDate = disable * 1000;
        return { reason: e.reason ?? 'NONE', ...category, disable_info: { disable_date: disable } };
      }
      case 'LOCKED':
      case 'UNLOCKED':
        t.locked = e.event === 'LOCKED';
        return {
          reason: e.reason ?? 'NONE',
          ...category,
          other_info: { title: e.event, description: `Your WhatsApp message template has been ${e.event === 'LOCKED' ? 'locked' : 'unlocked'} for editing.` },
        };
      case 'APPROVED':
      case 'REINSTATED': {
        const wasPaused = t.status === 'PAUSED';
        t.status = 'APPROVED';
        t.disableDate = null;
        return {
          reason: e.reason ?? 'NONE',
          ...category,
          ...(wasPaused ? { other_info: { title: 'UNPAUSE', description: 'Your WhatsApp message template has been unpaused.' } } : {}),
        };
      }
      case 'PAUSED':
        t.status = 'PAUSED';
        return { reason: e.reason ?? 'NONE', ...category, other_info: { title: 'FIRST_PAUSE', description: PAUSE_TEXT } };
      case 'DISABLED':
        t.status = 'DISABLED';
        t.disableDate = null;
        return { reason: e.reason ?? 'NONE', ...category, disable_info: { disable_date: nowS } };
      case 'PENDING_DELETION':
        t.status = 'PENDING_DELETION';
        return { reason: null, ...category };
      case 'REJECTED': {
        t.status = 'REJECTED';
        const reason = e.reason ?? 'INVALID_FORMAT';
        return {
          reason,
          ...category,
          ...(reason === 'INVALID_FORMAT'
            ? {
                rejection_info: {
                  reason: 'Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.',
                  recommendation: 'Separate parameters with descriptive text and ensure each parameter is clearly contextualized.',
                },
              }
            : {}),
        };
      }
      case 'PENDING':
        t.status = 'PENDING';
        return { reason: e.reason ?? 'NONE', ...category };
    }
  }
}

export function componentOf(t: CatalogTemplate, type: CatalogComponent['type']): CatalogComponent | undefined {
  return t.components.find((c) => c.type === type);
}

/** A template webhook: the WABA's entry with one change, as Meta sends it (no metadata). */
export function templateWebhook(wabaId: string, change: { field: string; value: Record<string, unknown> }, nowMs: number) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, time: Math.floor(nowMs / 1000), changes: [{ value: change.value, field: change.field }] }],
  };
}
