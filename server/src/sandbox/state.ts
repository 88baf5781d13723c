/**
 * What the sandbox remembers: simulated phones (what each received, what each sent, its 24-hour
 * window), sent messages by wamid (for statuses), and media. In memory and bounded, so a long
 * load test cannot grow it without limit.
 */
import type { SandboxDeliveryStatus, SandboxInboxEntry } from '@connectdesk/shared';
import { isBsuid, userIdFor } from './ids.ts';

const WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_INBOX_PER_PHONE = 1000;
const MAX_TRACKED_MESSAGES = 50_000;
const MAX_MEDIA_BYTES = 512 * 1024 * 1024;

export type DeliveryStatus = SandboxDeliveryStatus;
const STATUS_RANK: Record<DeliveryStatus, number> = { accepted: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** A message the business sent to a phone, as that phone's inbox shows it (shared/src/contract/sandbox.ts). */
export type InboxEntry = SandboxInboxEntry;

/** A message a phone sent to the business. */
export interface PhoneMessage {
  wamid: string;
  type: string;
  timestamp: string;
  read_by_business: boolean;
  /** The business's reaction to this message (sandbox/business-reactions.ts), when it reacted. */
  business_reaction?: string;
}

export interface Phone {
  /**
   * The phone's address in the sandbox: its number (digits), or for a username user who shares no
   * number (`usernameOnly`) its business-scoped user id.
   */
  waId: string;
  userId: string;
  /** A username user: webhooks carry only `user_id` (no `from`/`wa_id`), sends need `recipient`. */
  usernameOnly: boolean;
  username: string | null;
  /** The phone's user stopped marketing messages from this business (`user_preferences`). */
  marketingStopped: boolean;
  /**
   * Set when this entry is a WhatsApp group the business is in (Groups API): its address is the
   * group id, its inbox what the business posted there, its window opened by members' messages.
   */
  group: { subject: string; participants: string[] } | null;
  profileName: string;
  lastInboundAt: number | null;
  /** When the business last showed this phone its typing indicator (with a read receipt). */
  lastTypingAt: number | null;
  inbox: InboxEntry[];
  sent: PhoneMessage[];
}

export interface StoredMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  sha256: string;
  filename: string | null;
  createdAt: number;
}

export class SandboxState {
  readonly phones = new Map<string, Phone>();
  private readonly outbound = new Map<string, { waId: string; entry: InboxEntry }>();
  private readonly inbound = new Map<string, { waId: string; message: PhoneMessage }>();
  private readonly media = new Map<string, StoredMedia>();
  private mediaBytes = 0;
  /** Meta error code → how many Graph calls the sandbox refused with it (130429, 131056, …). */
  readonly refusals = new Map<number, number>();

  constructor(private readonly now: () => number) {}

  /** The phone, created on first use. */
  phone(waId: string, profileName?: string): Phone {
    let p = this.phones.get(waId);
    if (!p) {
      p = this.peek(waId, profileName);
      this.phones.set(waId, p);
    } else if (profileName) {
      p.profileName = profileName;
    }
    return p;
  }

  /** The phone if it exists, else how a fresh one looks (without creating it). */
  peek(waId: string, profileName?: string): Phone {
    const usernameOnly = isBsuid(waId);
    return (
      this.phones.get(waId) ?? {
        waId,
        userId: usernameOnly ? waId : userIdFor(waId),
        usernameOnly,
        username: usernameOnly ? `sandbox.${waId.slice(-4)}` : null,
        marketingStopped: false,
        group: null,
        profileName: profileName ?? `Sandbox ${waId.slice(-4)}`,
        lastInboundAt: null,
        lastTypingAt: null,
        inbox: [],
        sent: [],
      }
    );
  }

  /** The phone a business-scoped user id belongs to (its address), if the sandbox knows it. */
  addressOfUserId(userId: string): string | null {
    if (this.phones.has(userId)) return userId;
    for (const p of this.phones.values()) if (p.userId === userId) return p.waId;
    return null;
  }

  /**
   * The phone's user changed their number (Meta issues a new business-scoped user id with it) or,
   * for a username-only phone, their user id: the phone moves to its new address, window and inbox
   * included. Returns the phone, or null when the new address is taken.
   */
  rekey(from: string, to: string): Phone | null {
    const phone = this.phones.get(from);
    if (!phone || this.phones.has(to)) return null;
    this.phones.delete(from);
    phone.waId = to;
    phone.userId = phone.usernameOnly ? to : userIdFor(to);
    this.phones.set(to, phone);
    return phone;
  }

  /** The customer-service window: open for 24 h after the phone last wrote to the business. */
  windowOpen(waId: string): boolean {
    const last = this.phones.get(waId)?.lastInboundAt;
    return last !== null && last !== undefined && this.now() - last < WINDOW_MS;
  }

  windowClosesAt(waId: string): number | null {
    const last = this.phones.get(waId)?.lastInboundAt;
    return last === null || last === undefined ? null : last + WINDOW_MS;
  }

  recordOutbound(waId: string, entry: InboxEntry): void {
    const phone = this.phone(waId);
    phone.inbox.push(entry);
    if (phone.inbox.length > MAX_INBOX_PER_PHONE) phone.inbox.shift();
    this.outbound.set(entry.wamid, { waId, entry });
    evictOldest(this.outbound, MAX_TRACKED_MESSAGES);
  }

  recordInbound(waId: string, message: PhoneMessage): void {
    const phone = this.phone(waId);
    phone.lastInboundAt = this.now();
    phone.sent.push(message);
    if (phone.sent.length > MAX_INBOX_PER_PHONE) phone.sent.shift();
    this.inbound.set(message.wamid, { waId, message });
    evictOldest(this.inbound, MAX_TRACKED_MESSAGES);
  }

  inboundMessage(wamid: string): { waId: string; message: PhoneMessage } | undefined {
    return this.inbound.get(wamid);
  }

  /** A message of this phone's chat with the business: one the phone sent, or one it received. */
  chatMessage(waId: string, wamid: string): PhoneMessage | InboxEntry | undefined {
    const sent = this.inbound.get(wamid);
    if (sent) return sent.waId === waId ? sent.message : undefined;
    const received = this.outbound.get(wamid);
    return received?.waId === waId ? received.entry : undefined;
  }

  /** Moves an outbound message's status forward (never back); `failed` is final. */
  advance(wamid: string, status: DeliveryStatus, error?: { code: number; title: string }): void {
    const found = this.outbound.get(wamid);
    if (!found) return;
    const entry = found.entry;
    if (entry.status === 'failed' || STATUS_RANK[status] <= STATUS_RANK[entry.status]) return;
    entry.status = status;
    if (error) entry.errors.push(error);
  }

  putMedia(media: StoredMedia): void {
    this.media.set(media.id, media);
    this.mediaBytes += media.bytes.length;
    for (const id of this.media.keys()) {
      if (this.mediaBytes <= MAX_MEDIA_BYTES || id === media.id) break;
      this.deleteMedia(id);
    }
  }

  getMedia(id: string): StoredMedia | undefined {
    return this.media.get(id);
  }

  deleteMedia(id: string): boolean {
    const m = this.media.get(id);
    if (!m) return false;
    this.media.delete(id);
    this.mediaBytes -= m.bytes.length;
    return true;
  }

  refused(code: number): void {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
  }

  counts(): { phones: number; received_by_phones: number; sent_by_phones: number; media: number } {
    let received = 0;
    let sent = 0;
    for (const p of this.phones.values()) {
      received += p.inbox.length;
      sent += p.sent.length;
    }
    return { phones: this.phones.size, received_by_phones: received, sent_by_phones: sent, media: this.media.size };
  }
}

function evictOldest<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const first = map.keys().next();
    if (first.done) return;
    map.delete(first.value);
  }
}
