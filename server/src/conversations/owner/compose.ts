/**
 * What the owner's phone shows: a forward (one conversation, its waiting messages merged, newest
 * last), a digest (one numbered line per conversation), a `#list` answer, and the console's
 * short notices. Free-form bodies stay within WhatsApp's 4,096 characters; template parameters
 * are one line each (no new lines, tabs or runs of spaces: Meta refuses them with 132018).
 */
import { MAX_TEXT, renderTemplateText } from '@connectdesk/shared';
import type { StoredLine } from '../../db/repos/owner-messages-repo.ts';
import { templateParam } from '@connectdesk/shared/cloud-api/send-payloads';

export const FORWARD_TEMPLATE = {
  name: 'connectdesk_new_message',
  language: 'en_US',
  body: 'New message from {{1}} on {{2}}: {{3}} — reply to this message to answer.',
} as const;

export const DIGEST_TEMPLATE = {
  name: 'connectdesk_digest',
  language: 'en_US',
  body: 'ConnectDesk digest: {{1}} conversations are waiting on {{2}}. {{3}} — reply with the line number first to answer, like “1 yes”.',
} as const;

/** A conversation with what waits of it, oldest message first. */
export interface WaitingGroup {
  conversationId: string;
  name: string;
  site: string;
  messages: { id: string; body: string }[];
}

export interface Composed {
  text: string;
  lines: StoredLine[];
}

export interface ComposedTemplate extends Composed {
  parameters: string[];
}

const REPLY_HINT = 'Reply with the line number first, like “1 yes” or “1 yes, 2 no”.';

/** "example.com" from the Origin the visitor wrote from, else the configured site name. */
export function siteLabel(site: string | null, fallback: string): string {
  if (!site) return fallback;
  try {
    return new URL(site).host || fallback;
  } catch {
    return site.slice(0, 100);
  }
}

/** The visitor's name, or a short tag that tells unnamed visitors apart. */
export function visitorLabel(name: string | null, conversationId: string): string {
  return name?.trim().slice(0, 60) || `Visitor ${conversationId.slice(-4)}`;
}

/** One line of text, at most `max` characters. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim() || '…';
  return flat.length > max ? `${flat.slice(0, Math.max(1, max - 1)).trimEnd()}…` : flat;
}

/**
 * Keep the newest parts that fit in `max` characters (joined by `sep`), newest last; when older
 * ones are left out, the first part says how many: "… +3 more in the inbox".
 */
export function newestThatFit(parts: string[], max: number, sep: string): string {
  const kept: string[] = [];
  let used = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const dropped = i + 1;
    const marker = `… +${dropped} more in the inbox${sep}`;
    const add = parts[i]!.length + (kept.length ? sep.length : 0);
    // Room for this part, and for the marker if anything older would still be left out.
    if (used + add + (i > 0 ? marker.length : 0) > max) return `${`… +${dropped} more in the inbox`}${kept.length ? sep : ''}${kept.join(sep)}`;
    kept.unshift(parts[i]!);
    used += add;
  }
  return kept.join(sep);
}

function lineOf(g: WaitingGroup, n: number | null): StoredLine {
  return { n, conversation_id: g.conversationId, message_id: g.messages[g.messages.length - 1]!.id, name: g.name, site: g.site, messages: g.messages.length };
}

/** A forward of one conversation, free-form (the owner's window is open). */
export function forwardText(g: WaitingGroup): Composed {
  const n = g.messages.length;
  if (n === 1) {
    const body = g.messages[0]!.body.length > 3500 ? `${g.messages[0]!.body.slice(0, 3499)}…` : g.messages[0]!.body;
    return { text: `New message from ${g.name} on ${g.site}: ${body} — reply to this message to answer.`, lines: [lineOf(g, null)] };
  }
  const head = `${n} new messages from ${g.name} on ${g.site}:`;
  const foot = '— reply to this message to answer.';
  const room = MAX_TEXT - head.length - foot.length - 2;
  const parts = g.messages.map((m) => `• ${m.body.length > 1500 ? `${m.body.slice(0, 1499)}…` : m.body}`);
  return { text: `${head}\n${newestThatFit(parts, room, '\n')}\n${foot}`, lines: [lineOf(g, null)] };
}

/** A forward of one conversation as connectdesk_new_message (the owner's window is closed). */
export function forwardTemplate(g: WaitingGroup): ComposedTemplate {
  const parts = g.messages.map((m) => oneLine(m.body, 700));
  const parameters = [templateParam(g.name, 60), templateParam(g.site, 100), templateParam(newestThatFit(parts, 700, ' · '), 700)];
  return { parameters, text: renderTemplateText(FORWARD_TEMPLATE.body, parameters), lines: [lineOf(g, null)] };
}

/** Per-line text: the newest message, "(+N more)" for the others. */
function lineText(g: WaitingGroup, max: number): string {
  const more = g.messages.length > 1 ? ` (+${g.messages.length - 1} more)` : '';
  return `${g.name} (${g.site}): ${oneLine(g.messages[g.messages.length - 1]!.body, Math.max(20, max - more.length))}${more}`;
}

/**
 * Numbered lines within `room` characters; conversations that do not fit are carried too (they
 * are in the inbox and in #list), summed up in a last unnumbered line.
 */
function numberedLines(
  groups: WaitingGroup[],
  room: number,
  perLine: number,
  sep: string,
  suffix: (g: WaitingGroup) => string = () => '',
): { body: string; lines: StoredLine[] } {
  const out: string[] = [];
  const lines: StoredLine[] = [];
  let used = 0;
  for (let i = 0; i < groups.length; i++) {
    const text = `${i + 1}) ${lineText(groups[i]!, perLine)}${suffix(groups[i]!)}`;
    const left = groups.length - i - 1;
    const tail = left > 0 ? `${sep}… +${left} more conversations in the inbox`.length : 0;
    if (used + text.length + sep.length + tail > room && out.length > 0) {
      out.push(`… +${groups.length - i} more conversations in the inbox`);
      for (const g of groups.slice(i)) lines.push(lineOf(g, null));
      break;
    }
    out.push(text);
    lines.push(lineOf(groups[i]!, i + 1));
    used += text.length + sep.length;
  }
  return { body: out.join(sep), lines };
}

/** A digest of several conversations, free-form. */
export function digestText(groups: WaitingGroup[]): Composed {
  const head = `${groups.length} conversations are waiting:`;
  const perLine = Math.min(300, Math.max(60, Math.floor(3600 / groups.length)));
  const { body, lines } = numberedLines(groups, MAX_TEXT - head.length - REPLY_HINT.length - 4, perLine, '\n');
  return { text: `${head}\n${body}\n${REPLY_HINT}`, lines };
}

/** A digest as connectdesk_digest (the owner's window is closed): the lines in one parameter. */
export function digestTemplate(groups: WaitingGroup[], siteName: string): ComposedTemplate {
  const perLine = Math.min(160, Math.max(40, Math.floor(650 / groups.length)));
  const { body, lines } = numberedLines(groups, 700, perLine, ' · ');
  const parameters = [String(groups.length), templateParam(siteName, 100), templateParam(body, 720)];
  return { parameters, text: renderTemplateText(DIGEST_TEMPLATE.body, parameters), lines };
}

/** The answer to `#list`: numbered like a digest, each line with how long it has waited. */
export function listText(groups: WaitingGroup[], agoOf: (conversationId: string) => string): Composed {
  if (!groups.length) return { text: 'No conversation is waiting for an answer.', lines: [] };
  const head = `${groups.length} ${groups.length === 1 ? 'conversation is' : 'conversations are'} waiting for an answer:`;
  const perLine = Math.min(200, Math.max(60, Math.floor(3000 / groups.length)));
  const { body, lines } = numberedLines(groups, MAX_TEXT - head.length - REPLY_HINT.length - 4, perLine, '\n', (g) => ` · ${agoOf(g.conversationId)}`);
  return { text: `${head}\n${body}\n${REPLY_HINT}`, lines };
}

export const HELP_TEXT = [
  'ConnectDesk on WhatsApp:',
  '• Swipe-reply to a message to answer that visitor.',
  '• In a digest or #list, start with the line number: “2 yes” or “2 yes, 4 left”.',
  '• A plain message goes to the visitor you last answered or heard from.',
  '#list — who is waiting, numbered',
  '#mute 1h — pause forwards (30m, 2h, 1d…); they arrive as one digest after',
  '#unmute — forwards again now',
  '#help — this message',
].join('\n');

export const AMBIGUOUS_TEXT =
  'Not sent: who is it for? Swipe-reply to a message, or start with its line number (“2 yes”). #list shows who is waiting, #help the rest.';
export const NOBODY_TEXT = 'Not sent: there is no visitor conversation to answer yet. Visitor messages will appear here as they arrive. #help for commands.';
export const MUTE_USAGE_TEXT = 'Say for how long: #mute 30m, #mute 2h or #mute 1d (at most 7 days).';
