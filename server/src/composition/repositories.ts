/**
 * Every repository, built once for main.ts (the composition root) and handed to whoever needs one.
 */
import type { Knex } from 'knex';
import type { TxRunner } from '../db/group-commit.ts';
import { AgentPreferencesRepo } from '../db/repos/agent-preferences-repo.ts';
import { ApiTokensRepo } from '../db/repos/api-tokens-repo.ts';
import { ContactsRepo } from '../db/repos/contacts-repo.ts';
import { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import { ForwardsRepo } from '../db/repos/forwards-repo.ts';
import { MediaRepo } from '../db/repos/media-repo.ts';
import { MessagesRepo, type MessagesRepoOptions } from '../db/repos/messages-repo.ts';
import { OutboxRepo } from '../db/repos/outbox-repo.ts';
import { OwnerMessagesRepo } from '../db/repos/owner-messages-repo.ts';
import { OwnerQueueRepo } from '../db/repos/owner-queue-repo.ts';
import { OwnerStateRepo } from '../db/repos/owner-state-repo.ts';
import { SessionsRepo } from '../db/repos/sessions-repo.ts';
import { SettingsRepo } from '../db/repos/settings-repo.ts';
import { SurveysRepo } from '../db/repos/surveys-repo.ts';
import { TemplatesRepo } from '../db/repos/templates-repo.ts';
import { UnansweredAlertsRepo } from '../db/repos/unanswered-alerts-repo.ts';
import { UnreadCountsRepo } from '../db/repos/unread-counts-repo.ts';
import { UsersRepo } from '../db/repos/users-repo.ts';
import { WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import { WhatsAppNumbersRepo } from '../db/repos/whatsapp-numbers-repo.ts';
import { AccountEventsRepo } from '../db/repos/account-events-repo.ts';

export type Repositories = ReturnType<typeof createRepositories>;

export function createRepositories(db: Knex, opts: { onMessageStored?: MessagesRepoOptions['onStored']; tx?: TxRunner } = {}) {
  return {
    agentPreferences: new AgentPreferencesRepo(db),
    apiTokens: new ApiTokensRepo(db),
    contacts: new ContactsRepo(db),
    conversations: new ConversationsRepo(db),
    forwards: new ForwardsRepo(db),
    media: new MediaRepo(db),
    messages: new MessagesRepo(db, { onStored: opts.onMessageStored }),
    outbox: new OutboxRepo(db),
    ownerMessages: new OwnerMessagesRepo(db),
    ownerQueue: new OwnerQueueRepo(db),
    ownerState: new OwnerStateRepo(db),
    sessions: new SessionsRepo(db),
    settings: new SettingsRepo(db),
    surveys: new SurveysRepo(db),
    templates: new TemplatesRepo(db),
    unansweredAlerts: new UnansweredAlertsRepo(db),
    unreadCounts: new UnreadCountsRepo(db),
    users: new UsersRepo(db),
    webhookEvents: new WebhookEventsRepo(db, { tx: opts.tx }),
    whatsappNumbers: new WhatsAppNumbersRepo(db),
    accountEvents: new AccountEventsRepo(db),
  };
}
