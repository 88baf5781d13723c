/** Display formatting for people, numbers, times and sizes. Plain strings only (rendered as text). */
import { generatedVisitorName } from '@connectdesk/shared/visitor-names';
import type { ConversationJson, MessageJson } from '../api/types.ts';

type Contact = ConversationJson['contact'];

export function contactNumber(c: Contact): string | null {
  if (c.wa_id) return `+${c.wa_id}`;
  return c.phone ?? null;
}

/** A name the contact gave wins; then their number or e-mail; then the stable generated one ("Amber Falcon"). */
export function contactName(c: Contact): string {
  return c.name?.trim() || contactNumber(c) || c.email || c.generated_name || generatedVisitorName(c.id);
}

export function initials(name: string): string {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return '#';
  return (words[0]![0]! + (words.length > 1 ? words[words.length - 1]![0]! : '')).toUpperCase();
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "14:05" today, "Mon" this week, "3 Mar" this year, "3 Mar 2025" before. */
export function formatListTime(iso: string | null, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (sameDay(d, now)) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const days = (now.getTime() - d.getTime()) / 86_400_000;
  if (days < 6 && days > 0) return d.toLocaleDateString(undefined, { weekday: 'short' });
  if (d.getFullYear() === now.getFullYear()) return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/**
 * When a message was written: the customer's own time for inbound WhatsApp (Meta's timestamp; the
 * webhook may come much later), else when we stored it.
 */
export function messageAt(m: Pick<MessageJson, 'direction' | 'sent_at' | 'created_at'>): string {
  return m.direction === 'inbound' && m.sent_at ? m.sent_at : m.created_at;
}

export function formatMessageTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** The local calendar day: "Today", "Yesterday", else the date. */
export function formatDay(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (sameDay(d, now)) return 'Today';
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (sameDay(d, y)) return 'Yesterday';
  return d.toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric',
  });
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function channelLabel(channel: 'web' | 'whatsapp'): string {
  return channel === 'whatsapp' ? 'WhatsApp' : 'Website';
}
