/**
 * Every inbound Cloud API message type as ConnectDesk stores it: the Cloud API type, a readable
 * plain-text summary for `body` ("📍 Location: Name (lat, lon)", "Contact card: Ana +1555…",
 * "📷 Image: caption") and the media it carries. The type-faithful object itself goes to `content`.
 */
import type { InboundMessage } from './webhook.ts';

interface InboundMedia {
  metaMediaId: string;
  mime: string | null;
  sha256: string | null;
  filename: string | null;
}

export interface InboundSummary {
  type: string;
  body: string;
  media: InboundMedia | null;
}

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

type Loose = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);

export function isMediaType(type: string): type is MediaType {
  return (MEDIA_TYPES as readonly string[]).includes(type);
}

/** "📷 Image: caption" and friends, for a media object of the given type. */
export function mediaSummary(type: MediaType, media: { caption?: string | null; filename?: string | null; voice?: boolean; animated?: boolean } = {}): string {
  const caption = str(media.caption);
  const withCaption = (label: string) => (caption ? `${label}: ${caption}` : label);
  switch (type) {
    case 'image':
      return withCaption('📷 Image');
    case 'video':
      return withCaption('🎥 Video');
    case 'audio':
      return media.voice ? '🎤 Voice message' : '🎵 Audio';
    case 'sticker':
      return media.animated ? 'Animated sticker' : 'Sticker';
    case 'document': {
      const name = str(media.filename);
      const label = name ? `📄 Document: ${name}` : '📄 Document';
      return caption ? `${label} — ${caption}` : label;
    }
  }
}

export function locationSummary(l: Loose): string {
  const lat = num(l.latitude);
  const lon = num(l.longitude);
  const where = lat !== undefined && lon !== undefined ? ` (${lat}, ${lon})` : '';
  const label = [str(l.name), str(l.address)].filter(Boolean).join(', ');
  return label ? `📍 Location: ${label}${where}` : `📍 Location${where}`;
}

function contactsSummary(cards: unknown[]): string {
  const names = cards.map((c) => {
    const card = obj(c) ?? {};
    const name = obj(card.name);
    const display = str(name?.formatted_name) ?? [str(name?.first_name), str(name?.last_name)].filter(Boolean).join(' ');
    const phones = Array.isArray(card.phones) ? card.phones : [];
    const phone = str(obj(phones[0])?.phone) ?? str(obj(phones[0])?.wa_id);
    return [display, phone].filter(Boolean).join(' ') || 'unnamed';
  });
  return names.length === 1 ? `Contact card: ${names[0]}` : `Contact cards: ${names.join(', ')}`;
}

function interactiveSummary(i: Loose | undefined): string {
  if (!i) return 'Interactive reply (could not be read)';
  const type = str(i.type);
  const reply = obj(type ? i[type] : undefined);
  switch (type) {
    case 'button_reply':
      return str(reply?.title) ?? 'Button reply';
    case 'list_reply': {
      const title = str(reply?.title) ?? 'List reply';
      const description = str(reply?.description);
      return description ? `${title} — ${description}` : title;
    }
    case 'nfm_reply': {
      const name = str(reply?.name);
      const body = str(reply?.body);
      return `📝 Form response${name && name !== 'flow' ? ` (${name})` : ''}${body ? `: ${body}` : ''}`;
    }
    default:
      return str(reply?.title) ?? `Interactive reply${type ? ` (${type})` : ''}`;
  }
}

function orderSummary(o: Loose): string {
  const items = Array.isArray(o.product_items) ? o.product_items.map((x) => obj(x) ?? {}) : [];
  const parts = items.map((it) => `${num(it.quantity) ?? 1} × ${str(it.product_retailer_id) ?? 'item'}`);
  const currencies = new Set(items.map((it) => str(it.currency)).filter(Boolean));
  const total = items.reduce((sum, it) => sum + (num(it.item_price) ?? 0) * (num(it.quantity) ?? 1), 0);
  const totalText = currencies.size === 1 && items.length ? ` (total ${Math.round(total * 100) / 100} ${[...currencies][0]})` : '';
  const note = str(o.text);
  return `🛒 Order: ${parts.join(', ') || 'no items'}${totalText}${note ? ` — ${note}` : ''}`;
}

function unsupportedSummary(m: Loose): string {
  const kind = str(obj(m.unsupported)?.type);
  const err = obj(Array.isArray(m.errors) ? m.errors[0] : undefined);
  const detail = str(obj(err?.error_data)?.details) ?? str(err?.title);
  return `Unsupported message${kind ? ` (${kind})` : ''}${detail ? `: ${detail}` : ''}`;
}

function mediaOf(type: MediaType, m: Loose): InboundMedia | null {
  const media = obj(m[type]);
  const id = str(media?.id);
  if (!media || !id) return null;
  return { metaMediaId: id, mime: str(media.mime_type) ?? null, sha256: str(media.sha256) ?? null, filename: str(media.filename) ?? null };
}

/** The summary of one message object (also used for the new content of an `edit`). */
export function summarizeMessage(msg: InboundMessage | Loose): InboundSummary {
  const m = msg as Loose;
  const type = str(m.type) ?? 'unknown';
  if (isMediaType(type)) {
    const media = obj(m[type]) ?? {};
    return {
      type,
      body: mediaSummary(type, {
        caption: str(media.caption),
        filename: str(media.filename),
        voice: media.voice === true,
        animated: media.animated === true,
      }),
      media: mediaOf(type, m),
    };
  }
  const plain = (body: string) => ({ type, body, media: null });
  switch (type) {
    case 'text': {
      const body = str(obj(m.text)?.body) ?? '';
      const headline = str(obj(m.referral)?.headline);
      return plain(headline ? `${body}\n↪ From the ad “${headline}”` : body);
    }
    case 'location':
      return plain(locationSummary(obj(m.location) ?? {}));
    case 'contacts':
      return plain(contactsSummary(Array.isArray(m.contacts) ? m.contacts : []));
    case 'interactive':
      return plain(interactiveSummary(obj(m.interactive)));
    case 'button':
      return plain(str(obj(m.button)?.text) ?? str(obj(m.button)?.payload) ?? 'Button reply');
    case 'reaction': {
      const emoji = str(obj(m.reaction)?.emoji);
      return plain(emoji ? `Reacted ${emoji}` : 'Removed a reaction');
    }
    case 'order':
      return plain(orderSummary(obj(m.order) ?? {}));
    case 'system':
      return plain(str(obj(m.system)?.body) ?? 'System notice');
    case 'unsupported':
      return plain(unsupportedSummary(m));
    case 'revoke':
      return plain('This message was deleted');
    case 'edit': {
      const inner = obj(obj(m.edit)?.message);
      return inner ? summarizeMessage(inner) : plain('Edited message');
    }
    case 'request_welcome':
      return plain('Opened the chat');
    default:
      return plain(`${type} message`);
  }
}
