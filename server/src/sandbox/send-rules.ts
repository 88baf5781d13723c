/**
 * The checks Meta makes on `POST /{phone-number-id}/messages` before accepting a send, in Meta's
 * order and with Meta's codes, and what the recipient's phone will show for an accepted one.
 */
import { SendMessageSchema, type SendMessage } from '@connectdesk/shared';
import { metaErrors } from './errors.ts';
import { isBsuid } from './ids.ts';
import { checkInteractive } from './interactive-rules.ts';
import type { InboxEntry, SandboxState } from './state.ts';
import type { BookTemplate, TemplateBook } from './template-book.ts';
import { checkTemplate } from './template-rules.ts';

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
  template: BookTemplate | null;
}

/** Parses and checks a send body; throws MetaError exactly as Meta would answer. */
export function checkSend(body: Record<string, unknown>, state: SandboxState, templates: TemplateBook): CheckedSend {
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
    const { template, view } = checkTemplate(msg, templates, state);
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
