/**
 * The owner's commands, typed on the phone and never passed on to a visitor: `#list` (who is
 * waiting for an answer, numbered — a reply can start with those numbers), `#mute 1h`,
 * `#unmute`, `#help`. Each is answered with one short message (free-form: the owner just wrote,
 * so their window is open), paid from the part of the pair budget forwards leave alone.
 */
import type { OwnerMessagesRepo } from '../../db/repos/owner-messages-repo.ts';
import type { OwnerKey, OwnerQueueRepo } from '../../db/repos/owner-queue-repo.ts';
import type { OwnerStateRepo } from '../../db/repos/owner-state-repo.ts';
import { textPayload } from '@connectdesk/shared/cloud-api/send-payloads';
import { HELP_TEXT, MUTE_USAGE_TEXT, listText, siteLabel, visitorLabel } from './compose.ts';
import { ago, clockTime } from './hold.ts';
import type { OwnerCommand } from './numbered-reply.ts';
import type { OwnerOutbox } from './owner-outbox.ts';
import type { OwnerSettingsStore } from './settings-store.ts';

/** How far back `#list` looks for unanswered conversations. */
const LIST_SINCE_MS = 7 * 24 * 60 * 60 * 1000;
const LIST_MAX = 50;

export interface OwnerCommandsDeps {
  queue: OwnerQueueRepo;
  ownerMessages: OwnerMessagesRepo;
  state: OwnerStateRepo;
  settings: OwnerSettingsStore;
  sender: OwnerOutbox;
  siteName: string;
  /** The dispatcher: a mute ended. */
  wake: () => void;
  now?: () => number;
}

export class OwnerCommands {
  constructor(private readonly deps: OwnerCommandsDeps) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Run the command the owner's message `wamid` gave — once, however often Meta delivers it. */
  async run(key: OwnerKey, command: OwnerCommand, wamid: string): Promise<void> {
    if (await this.deps.ownerMessages.answered(wamid)) return;
    switch (command.kind) {
      case 'list':
        return this.list(key, wamid);
      case 'mute':
        return this.mute(key, command.ms, wamid);
      case 'unmute':
        return this.unmute(key, wamid);
      case 'help':
      case 'unknown':
        return this.notice(key, HELP_TEXT, wamid);
    }
  }

  /** A short free-form message to the owner, answering their message `inReplyTo`. */
  async notice(key: OwnerKey, text: string, inReplyTo?: string): Promise<void> {
    await this.deps.sender.queue(
      key,
      [{ kind: 'notice', viaTemplate: false, body: text, lines: [], payload: textPayload(key.ownerWaId, text), inReplyTo }],
      this.now,
    );
  }

  private async list(key: OwnerKey, wamid: string): Promise<void> {
    const now = this.now;
    const rows = await this.deps.queue.unanswered(key, now - LIST_SINCE_MS, LIST_MAX);
    const lastAt = new Map(rows.map((r) => [r.conversationId, r.lastAt]));
    const groups = rows.map((r) => ({
      conversationId: r.conversationId,
      name: visitorLabel(r.name, r.conversationId),
      site: siteLabel(r.site, this.deps.siteName),
      // The newest message stands for the rest; `messages` says how many wait.
      messages: Array.from({ length: r.messages }, (_, i) => ({ id: r.messageId, body: i === r.messages - 1 ? r.body : '' })),
    }));
    const c = listText(groups, (id) => ago(lastAt.get(id) ?? now, now));
    await this.deps.sender.queue(
      key,
      [{ kind: 'list', viaTemplate: false, body: c.text, lines: c.lines, payload: textPayload(key.ownerWaId, c.text), inReplyTo: wamid }],
      now,
    );
  }

  private async mute(key: OwnerKey, ms: number | null, wamid: string): Promise<void> {
    if (ms === null) return this.notice(key, MUTE_USAGE_TEXT, wamid);
    const now = this.now;
    const { timeZone } = await this.deps.settings.current();
    await this.deps.state.mute(key, now, now + ms);
    await this.notice(
      key,
      `🔕 Muted until ${clockTime(now + ms, timeZone, now)} (${timeZone}). Visitor messages wait and arrive as one digest then. #unmute to resume.`,
      wamid,
    );
  }

  private async unmute(key: OwnerKey, wamid: string): Promise<void> {
    const now = this.now;
    const state = await this.deps.state.get(key);
    const wasMuted = state.mutedUntil !== null && state.mutedUntil > now;
    if (wasMuted) await this.deps.state.unmute(key, now);
    const waiting = await this.deps.queue.countWaiting(key);
    const after = waiting.conversations
      ? ` ${waiting.conversations} waiting ${waiting.conversations === 1 ? 'conversation follows' : 'conversations follow'}.`
      : '';
    await this.notice(key, `${wasMuted ? '🔔 Forwards are on again.' : 'Forwards were not muted.'}${after}`, wamid);
    this.deps.wake();
  }
}
