/**
 * Who of the team is here. An agent is `online` with at least one admin tab open and active,
 * `away` when they set it by hand (stored, so it holds across tabs and reloads) or when every tab
 * of theirs reported idle, and `offline` with no tab open. Computed from the admin sockets of every
 * node (fetchSockets reaches them through the Redis adapter) plus the stored manual choices, after
 * any connect, disconnect or change; agents get the whole list (`presence`), widgets only whether
 * anyone is online (`presence { online }`, sent only when that changes).
 *
 * With several nodes, a node that recomputes tells the others to recompute too (serverSideEmit),
 * so each node's idea of "anyone online" — what widgets get at connect — follows within moments.
 */
import type { Namespace } from 'socket.io';
import type { AgentPresenceJson, PresenceStatus } from '@connectdesk/shared';
import type { AgentPreferencesRepo } from '../db/repos/agent-preferences-repo.ts';
import type { UsersRepo } from '../db/repos/users-repo.ts';
import type { Logger } from '../logger.ts';
import { coalesce, type Coalesced } from './coalesce.ts';
import type { RealtimeHub } from './hub.ts';

export interface PresenceDeps {
  /** The `/admin` namespace: its sockets carry `userId` and `idle` in `data`. */
  admins: Namespace;
  hub: Pick<RealtimeHub, 'toAgents' | 'toVisitors'>;
  users: Pick<UsersRepo, 'list'>;
  preferences: Pick<AgentPreferencesRepo, 'manuallyAway'>;
  logger: Logger;
  /** Several nodes share the sockets (the Redis adapter): tell the others to recompute too. */
  clustered: boolean;
  delayMs?: number;
  /** A full recompute this often anyway (a node that missed a change catches up; default 30 s). */
  refreshMs?: number;
}

const SYNC_EVENT = 'presence:recompute';

export class Presence {
  private readonly recompute: Coalesced;
  private agents: AgentPresenceJson[] = [];
  private listJson = '';
  private anyOnline = false;
  private refresh: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly deps: PresenceDeps) {
    this.recompute = coalesce(
      () => this.run(),
      deps.delayMs ?? 100,
      (err) => deps.logger.warn({ err }, 'could not compute presence'),
    );
    if (deps.clustered) (deps.admins as unknown as { on(ev: string, fn: () => void): void }).on(SYNC_EVENT, () => this.recompute.trigger());
  }

  start(): void {
    this.recompute.trigger();
    this.refresh = setInterval(() => this.recompute.trigger(), this.deps.refreshMs ?? 30_000);
    this.refresh.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.refresh);
    await this.recompute.stop();
  }

  /** An agent's tab connected, disconnected or went idle, or an agent set their status. */
  changed(): void {
    this.recompute.trigger();
    if (this.deps.clustered) this.deps.admins.serverSideEmit(SYNC_EVENT);
  }

  /** Whether at least one agent is online (as of the last computation on this node). */
  agentsOnline(): boolean {
    return this.anyOnline;
  }

  list(): AgentPresenceJson[] {
    return this.agents;
  }

  /** Compute now (the HTTP list answers with fresh numbers). */
  async current(): Promise<AgentPresenceJson[]> {
    await this.run();
    return this.agents;
  }

  private async run(): Promise<void> {
    const [sockets, users, manual] = await Promise.all([this.deps.admins.fetchSockets(), this.deps.users.list(), this.deps.preferences.manuallyAway()]);
    const tabs = new Map<string, { open: number; idle: number }>();
    for (const s of sockets) {
      const data = s.data as { userId?: string; idle?: boolean };
      if (!data.userId) continue;
      const t = tabs.get(data.userId) ?? { open: 0, idle: 0 };
      t.open++;
      if (data.idle) t.idle++;
      tabs.set(data.userId, t);
    }
    const status = (id: string): PresenceStatus => {
      const t = tabs.get(id);
      if (!t) return 'offline';
      return manual.has(id) || t.idle === t.open ? 'away' : 'online';
    };
    const agents = users.map((u) => ({ id: u.id, name: u.name, status: status(u.id) }));
    const json = JSON.stringify(agents);
    this.agents = agents;
    if (json !== this.listJson) {
      this.listJson = json;
      this.deps.hub.toAgents('presence', { agents });
    }
    const online = agents.some((a) => a.status === 'online');
    if (online !== this.anyOnline) {
      this.anyOnline = online;
      this.deps.hub.toVisitors('presence', { online });
    }
  }
}
