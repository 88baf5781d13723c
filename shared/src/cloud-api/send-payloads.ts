/**
 * Bodies for `POST /{phone-number-id}/messages`, as stored in the outbox. Media payloads are
 * stored without Meta's media id: the worker uploads the file on first send and fills it in.
 */
import { MAX_TEXT } from '../api.ts';
import type { TemplateComponent } from '../template-fill.ts';
import type { SendMessage } from './send.ts';
import type { MediaType } from './inbound-summary.ts';

const URL_IN_TEXT = /\bhttps?:\/\/\S/i;

export function textPayload(to: string, body: string, replyToWamid?: string | null): SendMessage {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'text',
    text: { body: body.slice(0, MAX_TEXT), preview_url: URL_IN_TEXT.test(body) },
    ...(replyToWamid ? { context: { message_id: replyToWamid } } : {}),
  };
}

/** A positional text-only template (the owner's forward and digest, the web chat's continuation). */
export function templatePayload(
  to: string,
  t: { name: string; language: string; parameters?: readonly string[]; header_parameters?: readonly string[] },
): SendMessage {
  const text = (values: readonly string[]) => values.map((v) => ({ type: 'text', text: v }));
  const components: TemplateComponent[] = [];
  if (t.header_parameters?.length) components.push({ type: 'header', parameters: text(t.header_parameters) });
  if (t.parameters?.length) components.push({ type: 'body', parameters: text(t.parameters) });
  return filledTemplatePayload(to, t.name, t.language, components);
}

/** Any template, with the `components` fillTemplate built. */
export function filledTemplatePayload(to: string, name: string, language: string, components: readonly TemplateComponent[]): SendMessage {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: { name, language: { code: language }, ...(components.length ? { components: components.map((c) => ({ ...c })) } : {}) },
  };
}

/** Caption only where WhatsApp shows one; filename only for documents. */
export function mediaPayload(
  to: string,
  kind: MediaType,
  opts: { caption?: string | null; filename?: string | null; replyToWamid?: string | null },
): Record<string, unknown> {
  const media: Record<string, unknown> = {};
  if (opts.caption && (kind === 'image' || kind === 'video' || kind === 'document')) media.caption = opts.caption.slice(0, 1024);
  if (opts.filename && kind === 'document') media.filename = opts.filename;
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: kind,
    [kind]: media,
    ...(opts.replyToWamid ? { context: { message_id: opts.replyToWamid } } : {}),
  };
}

/**
 * A template parameter must be one line: Meta refuses new lines, tabs and runs of more than
 * four spaces (132007). Long values are cut with an ellipsis.
 */
export function templateParam(value: string, max: number): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  if (!flat) return '…';
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}
