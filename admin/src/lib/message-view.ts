/**
 * Reads the type-faithful content of a message (the Cloud API object the server kept) into plain
 * values the components render as text. Tolerant: content may be the whole Cloud API message or
 * just its typed part, and any field may be missing.
 */
import type { MessageJson, MessageStatus } from '../api/types.ts';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v : null;
}

/** The typed part of the content: `content[type]` when present, else the content itself. */
export function typedContent(m: Pick<MessageJson, 'type' | 'content'>): Obj | null {
  if (!isObj(m.content)) return null;
  const inner = m.content[m.type];
  if (isObj(inner)) return inner;
  return m.content;
}

export interface LocationView {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
  coordinates: string;
  mapUrl: string;
}

export function locationView(m: Pick<MessageJson, 'type' | 'content'>): LocationView | null {
  const c = typedContent(m);
  if (!c) return null;
  const latitude = Number(c.latitude);
  const longitude = Number(c.longitude);
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  const lat = latitude.toFixed(6).replace(/\.?0+$/, '');
  const lon = longitude.toFixed(6).replace(/\.?0+$/, '');
  return {
    latitude,
    longitude,
    name: str(c.name),
    address: str(c.address),
    coordinates: `${lat}, ${lon}`,
    mapUrl: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`,
  };
}

export interface ContactCardView {
  name: string;
  phones: string[];
  emails: string[];
  organization: string | null;
}

export function contactCards(m: Pick<MessageJson, 'type' | 'content'>): ContactCardView[] {
  const raw = isObj(m.content) ? (m.content.contacts ?? m.content) : null;
  const list = Array.isArray(raw) ? raw : [];
  return list.filter(isObj).map((c) => {
    const name = isObj(c.name) ? (str(c.name.formatted_name) ?? [str(c.name.first_name), str(c.name.last_name)].filter(Boolean).join(' ')) : str(c.name);
    const phones = (Array.isArray(c.phones) ? c.phones : [])
      .filter(isObj)
      .map((p) => str(p.phone) ?? str(p.wa_id))
      .filter((p): p is string => Boolean(p));
    const emails = (Array.isArray(c.emails) ? c.emails : [])
      .filter(isObj)
      .map((e) => str(e.email))
      .filter((e): e is string => Boolean(e));
    const organization = isObj(c.org) ? str(c.org.company) : null;
    return { name: name || phones[0] || 'Contact', phones, emails, organization };
  });
}

export interface InteractiveView {
  kind: string;
  title: string;
  description: string | null;
}

/** A customer's answer to buttons, a list or a flow; or a template's quick-reply button. */
export function interactiveView(m: Pick<MessageJson, 'type' | 'content' | 'text'>): InteractiveView | null {
  const c = typedContent(m);
  if (m.type === 'button') return { kind: 'Quick reply', title: str(c?.text) ?? m.text, description: null };
  if (!c) return m.text ? { kind: 'Reply', title: m.text, description: null } : null;
  const kind = str(c.type) ?? 'reply';
  const reply = isObj(c[kind]) ? c[kind] : c;
  const title = str(reply.title) ?? str(reply.body) ?? str(reply.name) ?? m.text;
  const labels: Record<string, string> = { button_reply: 'Button reply', list_reply: 'List reply', nfm_reply: 'Form answer' };
  return { kind: labels[kind] ?? 'Reply', title, description: str(reply.description) };
}

export function reactionEmoji(m: Pick<MessageJson, 'type' | 'content' | 'text'>): string | null {
  const c = typedContent(m);
  return str(c?.emoji) ?? (m.text || null);
}

export function unsupportedType(m: Pick<MessageJson, 'type' | 'content'>): string | null {
  const c = typedContent(m);
  return str(c?.type);
}

export const STATUS_LABEL: Record<MessageStatus, string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Failed',
  received: 'Received',
};
