/**
 * The agent's day beside the inbox: unread counts and the team's presence as the server computes
 * them (pushed over the socket, loaded over HTTP at start and after a reconnect), and this agent's
 * notification preferences.
 */
import type { Api } from '../api/client.ts';
import type { AgentPreferences, AgentPresenceJson, PresenceStatus, UnreadCountsJson, User } from '../api/types.ts';
import type { AdminSocket } from '../socket.ts';
import { createStore, type Store } from './store.ts';

export interface AgentDayState {
  unread: UnreadCountsJson | null;
  team: AgentPresenceJson[];
  preferences: AgentPreferences | null;
  /** SMTP is set up on the server (e-mail notifications can be sent at all). */
  emailConfigured: boolean;
}

export class AgentDay {
  readonly state: Store<AgentDayState> = createStore<AgentDayState>({ unread: null, team: [], preferences: null, emailConfigured: false });
  private readonly offs: (() => void)[] = [];
  /** Counts socket pushes: an HTTP answer computed before a push must not overwrite it. */
  private pushes = 0;

  constructor(
    private readonly api: Api,
    private readonly me: User,
    socket: AdminSocket | null,
  ) {
    if (!socket) return;
    const onUnread = (unread: UnreadCountsJson) => {
      this.pushes++;
      this.state.set((s) => ({ ...s, unread }));
    };
    const onPresence = ({ agents }: { agents: AgentPresenceJson[] }) => {
      this.pushes++;
      this.state.set((s) => ({ ...s, team: agents }));
    };
    // Pushes sent while disconnected are gone: ask again.
    const onReconnect = () => void this.refresh();
    socket.on('unread', onUnread);
    socket.on('presence', onPresence);
    socket.io.on('reconnect', onReconnect);
    this.offs.push(() => {
      socket.off('unread', onUnread);
      socket.off('presence', onPresence);
      socket.io.off('reconnect', onReconnect);
    });
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  async load(): Promise<void> {
    await Promise.all([
      this.refresh(),
      this.api.preferences().then(
        (r) => this.state.set((s) => ({ ...s, preferences: r.preferences, emailConfigured: r.email_configured })),
        () => {},
      ),
    ]);
  }

  private async refresh(): Promise<void> {
    const seen = this.pushes;
    const [unread, team] = await Promise.all([this.api.unread().catch(() => null), this.api.presence().catch(() => null)]);
    if (this.pushes !== seen) return; // the socket said something newer meanwhile
    this.state.set((s) => ({ ...s, unread: unread?.unread ?? s.unread, team: team?.data ?? s.team }));
  }

  /** Shown at once; put back as it was if the server refuses. */
  async savePreferences(patch: Partial<AgentPreferences>): Promise<void> {
    const before = this.state.get().preferences;
    if (before) this.state.set((s) => ({ ...s, preferences: { ...before, ...patch } }));
    try {
      const r = await this.api.savePreferences(patch);
      this.state.set((s) => ({ ...s, preferences: r.preferences, emailConfigured: r.email_configured }));
    } catch (err) {
      this.state.set((s) => ({ ...s, preferences: before }));
      throw err;
    }
  }

  myStatus(): PresenceStatus {
    return this.state.get().team.find((a) => a.id === this.me.id)?.status ?? 'online';
  }

  async setStatus(status: 'online' | 'away'): Promise<void> {
    const r = await this.api.setStatus(status);
    this.state.set((s) => ({ ...s, team: s.team.map((a) => (a.id === this.me.id ? { ...a, status: r.status } : a)) }));
  }
}
