/**
 * Messages written but not yet acknowledged, persisted so a reload or a lost connection never
 * loses them. Each keeps its client_id: resending it is acknowledged with the same stored message.
 */
import type { QuickReplyChoice } from '@connectdesk/shared';
import { KEYS, type Store } from '../storage.ts';

export interface OutboxEntry {
  client_id: string;
  /** The message, or the title of the quick reply chosen. */
  text: string;
  created_at: string;
  choice?: QuickReplyChoice;
}

export class Outbox {
  constructor(private readonly store: Store) {}

  list(): OutboxEntry[] {
    try {
      const parsed: unknown = JSON.parse(this.store.get(KEYS.outbox) ?? '[]');
      return Array.isArray(parsed)
        ? parsed.filter((e: Partial<OutboxEntry> | null): e is OutboxEntry => typeof e?.client_id === 'string' && typeof e?.text === 'string')
        : [];
    } catch {
      return [];
    }
  }

  add(entry: OutboxEntry): void {
    this.write([...this.list().filter((e) => e.client_id !== entry.client_id), entry]);
  }

  remove(clientId: string): void {
    this.write(this.list().filter((e) => e.client_id !== clientId));
  }

  private write(entries: OutboxEntry[]): void {
    this.store.set(KEYS.outbox, entries.length ? JSON.stringify(entries) : null);
  }
}

/** A random client_id (crypto.randomUUID needs a secure context; host pages may be plain http). */
export function newClientId(cryptoImpl: Crypto): string {
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(12));
  return 'w' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
