/** The 24-hour window as the agent sees it: the server's closes_at, counted down on screen. */
import { formatWindowLeft } from '@connectdesk/shared/window';
import type { ConversationJson } from '../api/types.ts';

export interface WindowView {
  /** false for web chats: no WhatsApp window applies. */
  applies: boolean;
  open: boolean;
  label: string;
  /** Less than an hour left. */
  urgent: boolean;
}

export function windowView(c: Pick<ConversationJson, 'channel' | 'window'>, now: Date = new Date()): WindowView {
  if (c.channel !== 'whatsapp') return { applies: false, open: true, label: '', urgent: false };
  const left = c.window.open ? formatWindowLeft(c.window.closes_at, now) : 'closed';
  const open = left !== 'closed';
  const ms = c.window.closes_at ? Date.parse(c.window.closes_at) - now.getTime() : 0;
  return { applies: true, open, label: open ? left : 'Window closed', urgent: open && ms < 60 * 60_000 };
}

export const WINDOW_CLOSED_TEXT = 'The 24-hour window closed — WhatsApp only allows an approved template now';
