/**
 * The checks Meta makes on `POST /{phone-number-id}/messages` before accepting a send, in Meta's
 * order and with Meta's codes, and what the recipient's phone will show for an accepted one.
 */
import { SendMessageSchema, countTemplateParams, renderTemplateText, type SendMessage } from '@connectdesk/shared';
import { metaErrors } from './errors.ts';
import { isBsuid } from './ids.ts';
import { checkInteractive } from './interactive-rules.ts';
import type { InboxEntry, SandboxState } from './state.ts';
import { componentText, findTemplates, templateButtons, type CatalogTemplate } from './templates-catalog.ts';

const SUPPORTED_TYPES = ['text', 'template', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive', 'reaction'];
const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'document', 'sticker']);

export interface CheckedSend {
  /** The phone's address in the sandbox (its number, or the user id of a username-only phone). */
  to: string;
  /** `contacts[0]` of Meta's answer: the input and the id it resolved to. */
  contact: { input: string; wa_id?: string; user_id?: string };
  /** A send to a group (`recipient_type: "group"`, the group id in `to`). */
  group: boolean;
  /** What the phone's inbox will show (status and timestamp are filled by the caller). */
  view: Pick<InboxEntry, 'type' | 'text' | 'template' | 'context' | 'message'>;
  template: CatalogTemplate | null;
}

/** Parses and checks a send body; throws MetaError exactly as Meta would answer. */
export function checkSend(body: Record<string, unknown>, state: SandboxState): CheckedSend {
  if (body.messaging_product !== 'whatsapp') throw metaErrors.invalidParameter('The parameter messaging_product is required and must be "whatsapp".');
  const type = body.type ?? 'text';
  if (typeof type !== 'string') throw metaErrors.invalidParameter('Param type must be a string.');
  if (!SUPPORTED_TYPES.includes(type)) throw metaErrors.unsupportedType(type);
  const parsed = SendMessageSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw metaErrors.invalidParameter(`Param ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const msg = parsed.data;
  const { to, contact, group } = addressOf(msg, state);
  const content = msg[msg.type as keyof SendMessage];
  if (content === undefined) throw metaErrors.missingParameter(`Param ${msg.type} is required for messages of type ${msg.type}.`);

  const { messaging_product: _mp, to: _to, recipient: _r, recipient_type: _rt, ...message } = msg;
  const context = msg.context ? { message_id: msg.context.message_id } : null;
  const base = { type: msg.type, context, message: message as Record<string, unknown> };

  if (msg.type === 'template') {
    const { template, view } = checkTemplate(msg);
    return { to, contact, group, template, view: { ...base, text: view.text, template: view } };
  }
  return { to, contact, group, template: null, view: { ...base, text: summarize(msg, state), template: null } };
}

/**
 * Who the send is for. Meta takes `to` (a phone number) or `recipient` (a business-scoped user id);
 * with both, `to` takes precedence; with neither the send is refused.
 */
function addressOf(msg: SendMessage, state: SandboxState): Pick<CheckedSend, 'to' | 'contact' | 'group'> {
  if (msg.recipient_type === 'group') {
    if (msg.to === undefined) throw metaErrors.missingParameter('Param to (the group id) is required when recipient_type is group.');
    if (!state.phones.get(msg.to)?.group) throw metaErrors.invalidValue(`Param to must be the id of a group this business is in, got "${msg.to}".`);
    return { to: msg.to, contact: { input: msg.to }, group: true };
  }
  if (msg.to !== undefined) {
    const to = msg.to.replace(/[\s+()-]/g, '');
    if (!/^\d{7,15}$/.test(to)) throw metaErrors.invalidValue(`Param to must be a phone number in international format, got "${msg.to}".`);
    return { to, contact: { input: msg.to, wa_id: to }, group: false };
  }
  // Meta answers the envelope's missing address as a bad request (#100), like any malformed body;
  // 131008 is kept for a message's own missing parameters.
  if (msg.recipient === undefined) throw metaErrors.invalidParameter('The parameter to (a phone number) or recipient (a business-scoped user id) is required.');
  if (!isBsuid(msg.recipient))
    throw metaErrors.invalidValue(`Param recipient must be a business-scoped user id (e.g. US.13491208655302741918), got "${msg.recipient}".`);
  return { to: state.addressOfUserId(msg.recipient) ?? msg.recipient, contact: { input: msg.recipient, user_id: msg.recipient }, group: false };
}

function summarize(msg: SendMessage, state: SandboxState): string | null {
  switch (msg.type) {
    case 'text':
      return msg.text!.body;
    case 'location': {
      const l = msg.location!;
      return [l.name, l.address, `${l.latitude},${l.longitude}`].filter(Boolean).join(' — ');
    }
    case 'contacts': {
      if (msg.contacts!.length === 0) throw metaErrors.missingParameter('Param contacts must list at least one contact.');
      const names = msg.contacts!.map((c) => (c as { name?: { formatted_name?: string } }).name?.formatted_name);
      if (names.some((n) => !n)) throw metaErrors.missingParameter('Param contacts[].name.formatted_name is required.');
      return `Contact: ${names.join(', ')}`;
    }
    case 'interactive':
      return checkInteractive(msg.interactive!);
    case 'reaction':
      return msg.reaction!.emoji;
    default: {
      if (!MEDIA_TYPES.has(msg.type)) throw metaErrors.unsupportedType(msg.type);
      const media = msg[msg.type as 'image'] as { id?: string; link?: string; caption?: string; filename?: string };
      if (media.id && !state.getMedia(media.id)) throw metaErrors.invalidParameter(`Param ${msg.type}['id'] is not a valid media id.`);
      if (media.caption && (msg.type === 'audio' || msg.type === 'sticker')) throw metaErrors.invalidParameter(`Param ${msg.type}['caption'] is not allowed.`);
      return media.caption ?? media.filename ?? `[${msg.type}]`;
    }
  }
}

type Param = { type: string; text?: string; payload?: string; currency?: { fallback_value?: string }; date_time?: { fallback_value?: string } };

function checkTemplate(msg: SendMessage): { template: CatalogTemplate; view: NonNullable<InboxEntry['template']> } {
  const t = msg.template!;
  const lang = t.language.code;
  const found = findTemplates(t.name).find((c) => c.language === lang);
  if (!found) throw metaErrors.templateMissing(t.name, lang);
  if (found.status === 'PAUSED') throw metaErrors.templatePaused(t.name);
  if (found.status === 'DISABLED') throw metaErrors.templateDisabled(t.name);
  if (found.status !== 'APPROVED') throw metaErrors.templateMissing(t.name, lang);

  const components = (t.components ?? []) as { type: string; sub_type?: string; index?: string | number; parameters: Param[] }[];
  const paramsOf = (type: string) => components.filter((c) => c.type === type).flatMap((c) => c.parameters);
  const values = (params: Param[], where: string) =>
    params.map((p, i) => {
      const v = p.text ?? p.payload ?? p.currency?.fallback_value ?? p.date_time?.fallback_value;
      if (v === undefined || v === '') throw metaErrors.missingParameter(`${where}: parameter ${i + 1} has no value.`);
      if (where !== 'button' && /[\n\t]| {5,}/.test(v)) throw metaErrors.paramFormat(where, i + 1);
      return v;
    });

  const headerText = componentText(found, 'HEADER');
  const bodyText = componentText(found, 'BODY') ?? '';
  const header = values(paramsOf('header'), 'header');
  const body = values(paramsOf('body'), 'body');
  if (header.length !== countTemplateParams(headerText)) throw metaErrors.paramCount('header', header.length, countTemplateParams(headerText));
  if (body.length !== countTemplateParams(bodyText)) throw metaErrors.paramCount('body', body.length, countTemplateParams(bodyText));
  const buttons = templateButtons(found);
  for (const c of components.filter((c) => c.type === 'button')) {
    if (Number(c.index ?? -1) >= buttons.length || Number(c.index ?? -1) < 0)
      throw metaErrors.invalidParameter(`button at index ${c.index} does not exist in template ${t.name}.`);
    values(c.parameters, 'button');
  }

  const rendered = renderTemplateText(bodyText, body);
  const footer = componentText(found, 'FOOTER');
  return {
    template: found,
    view: {
      name: found.name,
      language: found.language,
      parameters: body,
      text: rendered,
      ...(headerText ? { header: renderTemplateText(headerText, header) } : {}),
      ...(footer ? { footer } : {}),
      ...(buttons.length ? { buttons: buttons.map((b) => b.text) } : {}),
    },
  };
}
