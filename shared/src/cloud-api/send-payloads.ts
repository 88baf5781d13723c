/**
 * Bodies for `POST /{phone-number-id}/messages`, as stored in the outbox. Media payloads are
 * stored without Meta's media id: the worker uploads the file on first send and fills it in.
 */
import { MAX_TEXT, type TemplateSend } from '../api.ts';
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

export function templatePayload(
  to: string,
  t: Pick<TemplateSend, 'name' | 'language' | 'parameters' | 'header_parameters' | 'button_parameters'>,
): SendMessage {
  const text = (values: string[]) => values.map((v) => ({ type: 'text', text: v }));
  const components: { type: 'header' | 'body' | 'button'; sub_type?: string; index?: string; parameters: { type: string; text: string }[] }[] = [];
  if (t.header_parameters?.length) components.push({ type: 'header', parameters: text(t.header_parameters) });
  if (t.parameters?.length) components.push({ type: 'body', parameters: text(t.parameters) });
  t.button_parameters?.forEach((value, index) => components.push({ type: 'button', sub_type: 'url', index: String(index), parameters: text([value]) }));
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: { name: t.name, language: { code: t.language }, ...(components.length ? { components } : {}) },
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
