/**
 * Every agent's unread counts (definition: shared/agent-day.ts `UnreadCountsJson`), computed here
 * rather than from whatever the agent's list shows, and pushed to each agent's tabs (`unread`)
 * shortly after any message or conversation change. One grouped query per burst serves everyone.
 */
import type { UnreadCountsJson } from '@connectdesk/shared';
import { countsFor, type UnreadCountsRepo } from '../db/repos/unread-counts-repo.ts';
import type { UsersRepo } from '../db/repos/users-repo.ts';
import type { Logger } from '../logger.ts';
import { coalesce, type Coalesced } from '../realtime/coalesce.ts';
import type { RealtimeHub } from '../realtime/hub.ts';

export interface UnreadCountsDeps {
  repo: UnreadCountsRepo;
  users: Pick<UsersRepo, 'list'>;
  hub: Pick<RealtimeHub, 'toAgent'>;
  logger: Logger;
  /** How long a burst of changes is gathered before one push (default 150 ms). */
  delayMs?: number;
}

export class UnreadCounts {
  private readonly push: Coalesced;

  constructor(private readonly deps: UnreadCountsDeps) {
    this.push = coalesce(
      () => this.pushAll(),
      deps.delayMs ?? 150,
      (err) => deps.logger.warn({ err }, 'could not push unread counts'),
    );
  }

  async forAgent(userId: string): Promise<UnreadCountsJson> {
    return countsFor(await this.deps.repo.byAssignee(), userId);
  }

  /** Something that may change unread counts happened (a message, a read, an assignment). */
  changed(): void {
    this.push.trigger();
  }

  private async pushAll(): Promise<void> {
    const [groups, agents] = await Promise.all([this.deps.repo.byAssignee(), this.deps.users.list()]);
    for (const agent of agents) this.deps.hub.toAgent(agent.id, 'unread', countsFor(groups, agent.id));
  }

  stop(): Promise<void> {
    return this.push.stop();
  }
}
