/**
 * Flow 1, second half: turns what waits in `owner_queue` into messages to the owner's phone,
 * within the owner pair budget (whatsapp/pair-budget.ts).
 *
 * - While a forward or digest to the owner is on its way, nothing new is composed: later
 *   visitor messages wait and are merged into the next one (coalescing).
 * - When the budget can pay for one forward per waiting conversation (keeping a couple of
 *   messages back for the owner's commands), each conversation gets its own forward; when it
 *   cannot, one numbered digest carries them all. Nothing is composed the budget cannot pay for:
 *   the dispatcher looks again when the next message is due.
 * - Quiet hours and mutes hold everything back; what waited through them goes as one digest.
 * - Policy `first`: later messages of an unanswered conversation go in a digest every
 *   `digest_minutes` (or with any digest that goes out earlier).
 *
 * Several nodes may run this at once: carrying queue rows is conditional, so each visitor message
 * is sent once, and the budget is taken again at send time by the outbox.
 */
import { windowState } from '@connectdesk/shared';
import type { ForwardsRepo } from '../../db/repos/forwards-repo.ts';
import type { OwnerMessagesRepo, StoredLine } from '../../db/repos/owner-messages-repo.ts';
import type { OwnerKey, OwnerQueueRepo, WaitingItem } from '../../db/repos/owner-queue-repo.ts';
import type { OwnerStateRepo } from '../../db/repos/owner-state-repo.ts';
import type { Logger } from '../../logger.ts';
import { templatePayload, textPayload } from '@connectdesk/shared/cloud-api/send-payloads';
import {
  DIGEST_TEMPLATE,
  FORWARD_TEMPLATE,
  digestTemplate,
  digestText,
  forwardTemplate,
  forwardText,
  siteLabel,
  visitorLabel,
  type WaitingGroup,
} from './compose.ts';
import { arrivedWhileMuted, holdUntil } from './hold.ts';
import type { OwnerOutbox, OwnerSend } from './owner-outbox.ts';
import type { OwnerPairBudget, PassRunner } from './ports.ts';
import type { OwnerSettingsStore } from './settings-store.ts';

/** Messages forwards and digests leave in the budget for the owner's commands and help. */
export function reserveOf(budget: Pick<OwnerPairBudget, 'burst'>): number {
  return Math.min(2, budget.burst - 1);
}

export interface OwnerDispatcherDeps {
  queue: OwnerQueueRepo;
  ownerMessages: OwnerMessagesRepo;
  state: OwnerStateRepo;
  /** The owner's own 24-hour window (free-form inside it, templates outside). */
  forwards: ForwardsRepo;
  budget: OwnerPairBudget;
  settings: OwnerSettingsStore;
  sender: OwnerOutbox;
  siteName: string;
  logger: Logger;
  /** Runs the dispatcher's passes one at a time (jobs/serial-passes.ts). */
  passes: (pass: () => Promise<void>) => PassRunner;
  /** Upper bound between looks at the queue (other nodes' messages, timers lost in a crash). */
  pollMs?: number;
  now?: () => number;
}

interface Group extends WaitingGroup {
  items: WaitingItem[];
}

function groupsOf(items: WaitingItem[], siteName: string): Group[] {
  const byConversation = new Map<string, Group>();
  for (const i of items) {
    let g = byConversation.get(i.conversationId);
    if (!g) {
      g = { conversationId: i.conversationId, name: visitorLabel(i.name, i.conversationId), site: siteLabel(i.site, siteName), messages: [], items: [] };
      byConversation.set(i.conversationId, g);
    }
    g.items.push(i);
    g.messages.push({ id: i.messageId, body: i.body });
  }
  return [...byConversation.values()];
}

/**
 * Visitor messages queued for the owner within this long of the last look share one pass. Under
 * load every message would otherwise start a pass (a few queries each) while the pair budget lets
 * a forward out only every few seconds; the first message after a quiet spell is looked at at once.
 */
export const MESSAGE_LOOK_MS = 250;

export class OwnerDispatcher {
  private readonly passes: PassRunner;
  private timer: NodeJS.Timeout | null = null;
  private messageTimer: NodeJS.Timeout | null = null;
  private lastMessageLook = -Infinity;

  constructor(private readonly deps: OwnerDispatcherDeps) {
    this.passes = deps.passes(() => this.pass());
  }

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  start(): void {
    this.passes.start();
  }

  /** Look now (something was queued, sent, or a setting changed). */
  wake(): void {
    this.passes.request();
  }

  /** A visitor message was queued for the owner: look now, or with the others of this moment. */
  messageQueued(): void {
    if (this.messageTimer) return;
    const wait = this.lastMessageLook + MESSAGE_LOOK_MS - this.now;
    if (wait <= 0) {
      this.lastMessageLook = this.now;
      return this.wake();
    }
    this.messageTimer = setTimeout(() => {
      this.messageTimer = null;
      this.lastMessageLook = this.now;
      this.wake();
    }, wait);
    this.messageTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.messageTimer) clearTimeout(this.messageTimer);
    this.timer = null;
    this.messageTimer = null;
    await this.passes.stop();
  }

  private async pass(): Promise<void> {
    let next = this.now + (this.deps.pollMs ?? 2_000);
    try {
      for (const key of await this.deps.queue.ownersWaiting()) {
        try {
          const at = await this.dispatch(key);
          if (at !== null) next = Math.min(next, at);
        } catch (err) {
          this.deps.logger.error({ err, owner: key.ownerWaId }, 'could not forward to the owner; trying again shortly');
          next = Math.min(next, this.now + 1_000);
        }
      }
    } catch (err) {
      this.deps.logger.error({ err }, 'could not read the owner queue');
    }
    if (this.timer) clearTimeout(this.timer);
    if (!this.passes.running) return;
    this.timer = setTimeout(() => this.wake(), Math.max(10, next - this.now));
    this.timer.unref();
  }

  /** Compose what can go to this owner now; returns when to look again (null: when woken). */
  async dispatch(key: OwnerKey): Promise<number | null> {
    if (await this.deps.ownerMessages.forwardInFlight(key)) return null;
    const now = this.now;
    const { settings, timeZone } = await this.deps.settings.current();
    const state = await this.deps.state.get(key);
    const hold = holdUntil(now, { quiet: settings.quiet_hours, timeZone, state });
    if (hold !== null) return hold;
    // The budget first: while it is spent, every visitor message that arrives asks again, and
    // reading what waits would cost far more than this.
    const reserve = reserveOf(this.deps.budget);
    const view = await this.deps.budget.peek({ phoneNumberId: key.phoneNumberId, waId: key.ownerWaId });
    const usable = view.tokens - reserve;
    if (usable < 1) return Math.max(now + 10, view.nextAt + Math.max(0, reserve - view.tokens) * this.deps.budget.intervalMs);
    const items = await this.deps.queue.waiting(key);
    if (!items.length) return null;

    const groups = groupsOf(items, this.deps.siteName);
    const urgent = groups.filter((g) => g.items.some((i) => i.mode !== 'digest'));
    const later = groups.filter((g) => g.items.every((i) => i.mode === 'digest'));
    const digestEvery = settings.digest_minutes * 60_000;
    const oldestLater = later.length ? Math.min(...later.flatMap((g) => g.items.map((i) => i.createdAt))) : null;
    const laterDue = oldestLater !== null && now - oldestLater >= digestEvery;
    if (!urgent.length && !laterDue) return oldestLater! + digestEvery;

    const held = items.some((i) => i.mode === 'held' || arrivedWhileMuted(i.createdAt, state));
    const digestAll = held || laterDue || urgent.length > usable;
    const chosen = digestAll ? groups : urgent;
    const windowOpen = windowState(await this.deps.forwards.ownerLastInboundAt(key.phoneNumberId, key.ownerWaId), new Date(now)).open;
    const sends = digestAll && chosen.length > 1 ? [this.digest(key, chosen, windowOpen)] : chosen.map((g) => this.forward(key, g, windowOpen));
    const queued = await this.deps.sender.queue(key, sends, now);
    if (!queued) return now + 100; // another node carried some of them: look again
    this.deps.logger.debug(
      { owner: key.ownerWaId, forwards: sends.length, conversations: chosen.length, digest: digestAll && chosen.length > 1 },
      'forwarding to the owner',
    );
    return null;
  }

  private forward(key: OwnerKey, g: Group, windowOpen: boolean): OwnerSend {
    const carries = g.items.map((i) => i.id);
    if (windowOpen) {
      const c = forwardText(g);
      return { kind: 'forward', viaTemplate: false, body: c.text, lines: c.lines, payload: textPayload(key.ownerWaId, c.text), carries };
    }
    const t = forwardTemplate(g);
    return {
      kind: 'forward',
      viaTemplate: true,
      body: t.text,
      lines: t.lines,
      payload: templatePayload(key.ownerWaId, { ...FORWARD_TEMPLATE, parameters: t.parameters }),
      carries,
    };
  }

  private digest(key: OwnerKey, groups: Group[], windowOpen: boolean): OwnerSend {
    const byConversation = new Map(groups.map((g) => [g.conversationId, g]));
    const carriesOf = (lines: StoredLine[]) => lines.flatMap((l) => byConversation.get(l.conversation_id)!.items.map((i) => i.id));
    if (windowOpen) {
      const c = digestText(groups);
      return { kind: 'digest', viaTemplate: false, body: c.text, lines: c.lines, payload: textPayload(key.ownerWaId, c.text), carries: carriesOf(c.lines) };
    }
    const t = digestTemplate(groups, this.deps.siteName);
    const payload = templatePayload(key.ownerWaId, { ...DIGEST_TEMPLATE, parameters: t.parameters });
    return { kind: 'digest', viaTemplate: true, body: t.text, lines: t.lines, payload, carries: carriesOf(t.lines) };
  }
}
