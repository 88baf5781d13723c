/**
 * The agent's day, wired for main.ts: unread counts per agent, presence, notification preferences,
 * and — with SMTP_URL — e-mails about conversations nobody answered. `hub` is the realtime hub every
 * other service should use: it keeps the unread counts current.
 */
import type { Server } from 'socket.io';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createSmtpMailer } from '../notifications/mailer.ts';
import { UnansweredAlerts } from '../notifications/unanswered-alerts.ts';
import { UnreadCounts } from '../notifications/unread-counts.ts';
import { watchAgentEvents } from '../notifications/watch-agent-events.ts';
import type { RealtimeHub } from '../realtime/hub.ts';
import { Presence } from '../realtime/presence.ts';
import type { Repositories } from './repositories.ts';

export interface AgentDayDeps {
  config: Config;
  repos: Repositories;
  io: Server;
  /** The plain hub (realtime/hub.ts); this hands back one that also updates unread counts. */
  hub: RealtimeHub;
  /** Several nodes share sockets through Redis. */
  clustered: boolean;
  logger: Logger;
}

export function createAgentDay(deps: AgentDayDeps) {
  const { config, repos, logger } = deps;
  const unread = new UnreadCounts({ repo: repos.unreadCounts, users: repos.users, hub: deps.hub, logger });
  const hub = watchAgentEvents(deps.hub, () => unread.changed());
  const presence = new Presence({
    admins: deps.io.of('/admin'),
    hub,
    users: repos.users,
    preferences: repos.agentPreferences,
    clustered: deps.clustered,
    logger,
  });
  const mailer = config.smtp ? createSmtpMailer(config.smtp) : null;
  let adminBase = config.publicUrl ?? '';
  const alerts = mailer
    ? new UnansweredAlerts({
        alerts: repos.unansweredAlerts,
        conversations: repos.conversations,
        preferences: repos.agentPreferences,
        settings: repos.settings,
        mailer,
        adminBase: () => adminBase,
        siteName: config.siteName,
        logger: logger.child({ part: 'unanswered-email' }),
      })
    : null;
  return {
    hub,
    presence,
    unread,
    emailConfigured: mailer !== null,
    /** Notification settings changed: the unanswered-conversation e-mails re-read them. */
    notificationSettingsChanged: () => alerts?.wake(),
    /** `url`: where this server listens, for e-mail links when PUBLIC_URL is unset (development). */
    start(url: string): void {
      adminBase = config.publicUrl ?? url;
      presence.start();
      alerts?.start();
    },
    async stop(): Promise<void> {
      await alerts?.stop();
      await presence.stop();
      await unread.stop();
      mailer?.close();
    },
  };
}
