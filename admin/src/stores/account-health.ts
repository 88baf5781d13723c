/**
 * The business account's health for admins (`GET /admin/api/whatsapp/account`): whether a number's
 * sending is paused by a token problem, and what Meta reported about the account. Asked on every page
 * change (the first render included), when the tab comes back into view, every 30 seconds, and right after a
 * token is saved — agents never ask (the endpoint is for admins).
 */
import type { Api } from '../api/client.ts';
import type { User, WhatsAppAccount } from '../api/types.ts';
import { createStore, type Store } from './store.ts';

const POLL_MS = 30_000;

export class AccountHealthStore {
  readonly state: Store<WhatsAppAccount | null> = createStore<WhatsAppAccount | null>(null);
  private readonly timer: ReturnType<typeof setInterval> | null = null;
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') void this.refresh();
  };
  /** Counts requests: an answer to an older request must not overwrite a newer one. */
  private asked = 0;

  constructor(
    private readonly api: Api,
    private readonly me: User,
  ) {
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  private get enabled(): boolean {
    return this.me.role === 'admin';
  }

  async refresh(): Promise<void> {
    if (!this.enabled) return;
    const ticket = ++this.asked;
    try {
      const account = await this.api.whatsappAccount();
      if (ticket === this.asked) this.state.set(account);
    } catch {
      // Offline or the session ended: keep what was shown; the next ask tries again.
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    document.removeEventListener('visibilitychange', this.onVisible);
  }
}
