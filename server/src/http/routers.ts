/**
 * The routers createApp mounts besides its own (health, webhook verification, visitor messages,
 * sessions, conversations, the widget), built from the services main.ts wired.
 */
import type Router from '@koa/router';
import type { OwnerForwardingStatusJson } from '@connectdesk/shared';
import type { AuthService } from '../auth/auth-service.ts';
import type { Repositories } from '../composition/repositories.ts';
import type { Config } from '../config.ts';
import type { ContactRow } from '../db/repos/contacts-repo.ts';
import type { OwnerSettingsStore } from '../conversations/owner/settings-store.ts';
import type { VisitorAttachments } from '../conversations/visitor-attachments.ts';
import type { VisitorMediaLinks } from '../conversations/visitor-media-links.ts';
import type { TrafficLimits } from '../limits/traffic-limits.ts';
import type { Logger } from '../logger.ts';
import type { UnreadCounts } from '../notifications/unread-counts.ts';
import type { Presence } from '../realtime/presence.ts';
import type { ReportsService } from '../reports/reports-service.ts';
import type { SurveyService } from '../satisfaction/survey-service.ts';
import type { SecretBox } from '../secret-box.ts';
import type { CloudApi } from '../whatsapp/graph-api.ts';
import type { MediaStore } from '../whatsapp/media-store.ts';
import type { MediaUploads } from '../whatsapp/media-uploads.ts';
import type { TemplatesService } from '../whatsapp/templates-service.ts';
import type { WebhookProcessor } from '../whatsapp/webhook-processor.ts';
import type { AccountHealth } from '../whatsapp/account-health.ts';
import { adminWhatsAppAccountRoutes } from './routes/admin-whatsapp-account.ts';
import { sha256Hex } from '../auth/tokens.ts';
import { adminChecklistRoutes } from './routes/admin-checklist.ts';
import { adminMediaRoutes } from './routes/admin-media.ts';
import { adminNotificationRoutes } from './routes/admin-notifications.ts';
import { adminOwnerForwardingRoutes } from './routes/admin-owner-forwarding.ts';
import { adminPresenceRoutes } from './routes/admin-presence.ts';
import { adminReportSettingsRoutes } from './routes/admin-report-settings.ts';
import { adminReportRoutes } from './routes/admin-reports.ts';
import { adminSettingsRoutes } from './routes/admin-settings.ts';
import { adminTeamRoutes } from './routes/admin-team.ts';
import { adminTemplateRoutes } from './routes/admin-templates.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { publicSurveyRoutes } from './routes/public-surveys.ts';
import { visitorAttachmentRoutes } from './routes/visitor-attachments.ts';
import { visitorMediaRoutes } from './routes/visitor-media.ts';
import { adminWebhookEventRoutes } from './routes/whatsapp-webhook.ts';
import { widgetConfigRoutes } from './routes/widget-config.ts';

export interface RouterDeps {
  config: Config;
  logger: Logger;
  repos: Repositories;
  auth: AuthService;
  secrets: SecretBox;
  limits: TrafficLimits;
  visitorMedia: VisitorMediaLinks;
  attachments: VisitorAttachments;
  mediaStore: MediaStore;
  uploads: MediaUploads;
  templates: TemplatesService;
  webhookProcessor: WebhookProcessor;
  cloudApi: CloudApi;
  accountHealth: AccountHealth;
  ownerForwarding: { settings: OwnerSettingsStore; status: () => Promise<OwnerForwardingStatusJson>; changed: () => void };
  surveys: SurveyService;
  /** The visitor behind a widget token (the chat domain's rule). */
  visitorByToken: (token: string) => Promise<ContactRow | null>;
  reports: ReportsService;
  presence: Presence;
  unread: UnreadCounts;
  notifications: { emailConfigured: boolean; settingsChanged: () => void };
  renderMetrics: () => Promise<{ contentType: string; body: string }>;
}

export function createRouters(deps: RouterDeps): { publicRouters: Router[]; adminRouters: Router[] } {
  const { config, repos } = deps;
  const visitorIdFor = async (token: string) => (token.length >= 16 ? ((await repos.contacts.byVisitorTokenHash(sha256Hex(token)))?.id ?? null) : null);
  const publicRouters = [
    visitorAttachmentRoutes({ attachments: deps.attachments, uploadDir: deps.mediaStore.incomingDir, limits: deps.limits, visitorIdFor }),
    visitorMediaRoutes({ media: repos.media, store: deps.mediaStore, links: deps.visitorMedia }),
    widgetConfigRoutes({ settings: repos.settings, numbers: repos.whatsappNumbers, siteName: config.siteName, presence: deps.presence }),
    metricsRoutes({ token: config.metricsToken, render: deps.renderMetrics }),
    publicSurveyRoutes({
      surveys: deps.surveys,
      limits: deps.limits,
      visitorByToken: deps.visitorByToken,
    }),
  ];
  const adminRouters = [
    adminTemplateRoutes(deps.templates),
    adminMediaRoutes({ media: repos.media, store: deps.mediaStore, uploads: deps.uploads }),
    adminWebhookEventRoutes({ events: repos.webhookEvents, processor: deps.webhookProcessor }),
    adminOwnerForwardingRoutes({ ownerMessages: repos.ownerMessages, ...deps.ownerForwarding }),
    adminReportRoutes({ reports: deps.reports, users: repos.users }),
    adminReportSettingsRoutes({ settings: repos.settings }),
    adminTeamRoutes({ auth: deps.auth, users: repos.users, apiTokens: repos.apiTokens }),
    adminSettingsRoutes({
      config,
      settings: repos.settings,
      numbers: repos.whatsappNumbers,
      secrets: deps.secrets,
      onTokenSaved: (id) => deps.accountHealth.tokenSaved(id),
    }),
    adminWhatsAppAccountRoutes(deps.accountHealth),
    adminChecklistRoutes({
      cloudApi: deps.cloudApi,
      config,
      settings: repos.settings,
      numbers: repos.whatsappNumbers,
      secrets: deps.secrets,
      logger: deps.logger,
      countApprovedTemplates: async () => (await repos.templates.list(config.whatsapp.wabaId, { status: 'APPROVED' })).length,
    }),
    adminNotificationRoutes({
      preferences: repos.agentPreferences,
      settings: repos.settings,
      unread: deps.unread,
      emailConfigured: deps.notifications.emailConfigured,
      onSettingsChanged: deps.notifications.settingsChanged,
    }),
    adminPresenceRoutes({ presence: deps.presence, preferences: repos.agentPreferences }),
  ];
  return { publicRouters, adminRouters };
}
