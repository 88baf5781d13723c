/**
 * Everything WhatsApp, assembled for main.ts: the bridge the chat domain talks to, the webhook
 * intake and admin routes, the outbox worker, template sync, media downloads and — in sandbox
 * mode — the embedded sandbox. The only place these instances are built and wired.
 */
import type { MessageJson } from '@connectdesk/shared';
import type { TxRunner } from '../db/group-commit.ts';
import path from 'node:path';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { OwnerConsole } from '../conversations/owner-console.ts';
import { VisitorAttachments } from '../conversations/visitor-attachments.ts';
import type { WhatsAppBridge } from '../conversations/whatsapp-bridge.ts';
import { ContactsRepo } from '../db/repos/contacts-repo.ts';
import { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import { ForwardsRepo } from '../db/repos/forwards-repo.ts';
import { MediaRepo } from '../db/repos/media-repo.ts';
import { MessagesRepo } from '../db/repos/messages-repo.ts';
import { OutboxRepo } from '../db/repos/outbox-repo.ts';
import { TemplatesRepo } from '../db/repos/templates-repo.ts';
import { WebhookEventsRepo } from '../db/repos/webhook-events-repo.ts';
import { WhatsAppNumbersRepo } from '../db/repos/whatsapp-numbers-repo.ts';
import { adminMediaRoutes } from '../http/routes/admin-media.ts';
import { adminTemplateRoutes } from '../http/routes/admin-templates.ts';
import { visitorAttachmentRoutes } from '../http/routes/visitor-attachments.ts';
import { visitorMediaRoutes } from '../http/routes/visitor-media.ts';
import type { VisitorMediaLinks } from '../conversations/visitor-media-links.ts';
import { adminWebhookEventRoutes } from '../http/routes/whatsapp-webhook.ts';
import type { Logger } from '../logger.ts';
import type { RealtimeHub } from '../realtime/hub.ts';
import { createSandbox, SANDBOX_ACCESS_TOKEN, type Sandbox } from '../sandbox/index.ts';
import type { SecretBox } from '../secret-box.ts';
import { CloudBridge } from './cloud-bridge.ts';
import { DeferredCloudApi } from './deferred-cloud-api.ts';
import type { CloudApi } from './graph-api.ts';
import { GraphClient } from './graph-client.ts';
import { InboundMediaDownloader } from './inbound-media.ts';
import { InboundMessages } from './inbound-messages.ts';
import { MediaStore } from './media-store.ts';
import { MediaUploads } from './media-uploads.ts';
import { MessageChanges } from './message-changes.ts';
import { MessagePush } from './message-push.ts';
import { NumberRegistry } from './number-registry.ts';
import { OutboxDelivery } from './outbox-delivery.ts';
import { OutboxWorker } from './outbox-worker.ts';
import { TokenBucketRateGate, type RateGate } from './rate-gate.ts';
import { StatusUpdates } from './status-updates.ts';
import { TemplatesService } from './templates-service.ts';
import { WebhookInbox } from './webhook-inbox.ts';
import { WebhookIntake } from './webhook-intake.ts';
import { WebhookProcessor } from './webhook-processor.ts';

export interface WhatsAppModuleDeps {
  config: Config;
  db: Knex;
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  logger: Logger;
  hub: RealtimeHub;
  secrets: SecretBox;
  /** Where stored messages link their media (the admin route). */
  mediaUrl?: (mediaId: string) => string | null;
  /** Signed links to their own conversation's files, for visitors (and the route that opens them). */
  visitorMedia: VisitorMediaLinks;
  /** Throughput budget per number; in-process by default (a scale-out deployment passes a shared one). */
  rateGate?: RateGate;
}

export interface WhatsAppModule {
  bridge: WhatsAppBridge;
  /** `POST /api/whatsapp/webhook`, served from node:http ahead of the Koa app. */
  webhookIntake: WebhookIntake;
  publicRouters: Router[];
  adminRouters: Router[];
  sandbox: Middleware | null;
  /** The Cloud API client (usable once start() ran). */
  cloudApi: CloudApi;
  /** Called once the HTTP server listens (the embedded sandbox needs our own URL). */
  start(selfUrl: string): Promise<void>;
  /** Stop workers and timers; in-flight sends finish first. */
  stop(): Promise<void>;
}

const META_GRAPH_URL = 'https://graph.facebook.com';

export async function createWhatsAppModule(deps: WhatsAppModuleDeps): Promise<WhatsAppModule> {
  const { config, db, tx, hub, secrets } = deps;
  const logger = deps.logger.child({ module: 'whatsapp' });
  const wa = config.whatsapp;
  const sandboxMode = config.mode === 'sandbox';

  const sandbox: Sandbox | null = sandboxMode
    ? createSandbox({
        phoneNumberId: wa.phoneNumberId,
        wabaId: wa.wabaId,
        appSecret: wa.appSecret,
        accessToken: SANDBOX_ACCESS_TOKEN,
        webhookUrl: null,
        chaos: config.sandbox.duplicateAndReorder,
        allowedRecipients: null,
        logger,
      })
    : null;

  const contacts = new ContactsRepo(db);
  const conversations = new ConversationsRepo(db);
  const messages = new MessagesRepo(db);
  const outbox = new OutboxRepo(db);
  const events = new WebhookEventsRepo(db);
  const forwards = new ForwardsRepo(db);
  const mediaRepo = new MediaRepo(db);

  const numbers = new NumberRegistry({ repo: new WhatsAppNumbersRepo(db), secrets, config, sandboxToken: sandboxMode ? SANDBOX_ACCESS_TOKEN : null });
  await numbers.seed();
  const cloud = new DeferredCloudApi();
  const store = new MediaStore(path.join(config.dataDir, 'media'));
  const uploads = new MediaUploads(mediaRepo, store);
  const forVisitor = (m: MessageJson) => deps.visitorMedia.forVisitor(m);
  const push = new MessagePush({ hub, messages, conversations, mediaUrl: deps.mediaUrl ?? ((id) => `/admin/api/media/${id}`), forVisitor });
  const changes = new MessageChanges(tx, messages);
  const statuses = new StatusUpdates({ messages, forwards, events, push });
  const templates = new TemplatesService({ repo: new TemplatesRepo(db), numbers, cloud, logger });

  const worker = new OutboxWorker({
    outbox,
    handler: new OutboxDelivery({ tx, outbox, messages, forwards, media: mediaRepo, store, numbers, cloud, statuses, push }),
    gate: deps.rateGate ?? new TokenBucketRateGate({ perSecond: wa.messagesPerSecond }),
    logger,
    leaseMs: wa.outboxLeaseMs,
  });
  const wake = () => worker.wake();
  const downloads = new InboundMediaDownloader({ media: mediaRepo, store, numbers, cloud, push, logger });
  const onMedia = () => downloads.kick();

  const owner = new OwnerConsole({ tx, numbers, forwards, outbox, messages, conversations, contacts, media: mediaRepo, changes, push, wake, onMedia, siteName: config.siteName, logger });
  const inbound = new InboundMessages({ tx, contacts, conversations, messages, media: mediaRepo, changes, push, onMedia });
  // The inbox wakes the processor; the processor gives way while the inbox is busy acknowledging.
  const processor = new WebhookProcessor({ events, numbers, owner, inbound, statuses, templates, logger, foreground: { isQuiet: (ms) => inbox.isQuiet(ms), quiet: (ms) => inbox.quiet(ms) } });
  const inbox = new WebhookInbox({ events, onStored: () => processor.kick() });
  const bridge = new CloudBridge({ tx, numbers, outbox, messages, conversations, contacts, media: mediaRepo, templates, owner, wake, siteName: config.siteName });
  const attachments = new VisitorAttachments({ tx, contacts, conversations, messages, uploads, push, bridge, logger, forVisitor });

  /** Best effort: the number's display name, quality and tier, for the settings page. */
  async function refreshNumberInfo(): Promise<void> {
    const number = await numbers.defaultNumber();
    if (!number) return;
    try {
      const info = await cloud.getPhoneNumber({ phoneNumberId: number.phoneNumberId, token: numbers.tokenFor(number) });
      await numbers.update(number.phoneNumberId, {
        displayPhoneNumber: info.display_phone_number,
        verifiedName: info.verified_name,
        qualityRating: info.quality_rating,
        ...(info.messaging_limit_tier ? { messagingTier: info.messaging_limit_tier } : {}),
      });
    } catch (err) {
      logger.warn({ err }, 'could not read the WhatsApp number from the Cloud API');
    }
  }

  return {
    bridge,
    webhookIntake: new WebhookIntake({ appSecret: wa.appSecret, inbox, logger }),
    publicRouters: [visitorAttachmentRoutes({ attachments, uploadDir: store.incomingDir }), visitorMediaRoutes({ media: mediaRepo, store, links: deps.visitorMedia })],
    adminRouters: [adminTemplateRoutes(templates), adminMediaRoutes({ media: mediaRepo, store, uploads }), adminWebhookEventRoutes({ events, processor })],
    sandbox: sandbox?.middleware ?? null,
    cloudApi: cloud,
    async start(selfUrl) {
      sandbox?.setWebhookUrl(`${selfUrl}/api/whatsapp/webhook`);
      const number = await numbers.defaultNumber();
      cloud.use(
        new GraphClient({
          baseUrl: wa.graphUrl ?? (sandboxMode ? `${selfUrl}/sandbox/graph` : META_GRAPH_URL),
          version: wa.apiVersion,
          token: number ? numbers.tokenFor(number) : (wa.accessToken ?? SANDBOX_ACCESS_TOKEN),
          phoneNumberId: number?.phoneNumberId ?? wa.phoneNumberId,
          wabaId: number ? numbers.wabaIdOf(number) : wa.wabaId,
          timeoutMs: wa.requestTimeoutMs,
        }),
      );
      processor.start();
      worker.start();
      downloads.start();
      await Promise.all([templates.start(), refreshNumberInfo()]);
    },
    async stop() {
      templates.stop();
      await processor.stop();
      await worker.stop();
      await downloads.stop();
      await sandbox?.stop();
    },
  };
}
