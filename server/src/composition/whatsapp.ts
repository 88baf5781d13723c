/**
 * The WhatsApp adapter and the owner console, wired for main.ts from the repositories it built: the
 * bridge the chat domain talks to, webhook intake and applying, the outbox worker, template sync,
 * media downloads and — in sandbox mode — the embedded sandbox. Builds no repository and no router.
 */
import { AccountEvents } from '../whatsapp/account-events.ts';
import { AccountHealth } from '../whatsapp/account-health.ts';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { ConversationLog } from '../conversations/conversation-log.ts';
import { OwnerCommands } from '../conversations/owner/commands.ts';
import { OwnerDispatcher, reserveOf } from '../conversations/owner/dispatcher.ts';
import { OwnerIntake } from '../conversations/owner/intake.ts';
import { OwnerConsole } from '../conversations/owner/owner-console.ts';
import { OwnerOutbox } from '../conversations/owner/owner-outbox.ts';
import { OwnerReplies } from '../conversations/owner/replies.ts';
import { OwnerSettingsStore } from '../conversations/owner/settings-store.ts';
import type { PassRunner } from '../conversations/owner/ports.ts';
import { ownerForwardingStatus } from '../conversations/owner/status.ts';
import { PhoneVerification } from '../conversations/phone-verification.ts';
import { VisitorAttachments, type VisitorAttachmentsDeps } from '../conversations/visitor-attachments.ts';
import type { TxRunner } from '../db/group-commit.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { RealtimeHub } from '../realtime/hub.ts';
import { createSandbox, type Sandbox, type SandboxAccess } from '../sandbox/index.ts';
import type { SecretBox } from '../secret-box.ts';
import { CloudBridge } from '../whatsapp/cloud-bridge.ts';
import { TypingIndicator } from '../whatsapp/typing-indicator.ts';
import { ReactionOutbox } from '../whatsapp/reaction-outbox.ts';
import { DeferredCloudApi } from '../whatsapp/deferred-cloud-api.ts';
import { GraphClient } from '../whatsapp/graph-client.ts';
import { InboundMediaDownloader } from '../whatsapp/inbound-media.ts';
import { InboundMessages, type SurveyAnswers } from '../whatsapp/inbound-messages.ts';
import { MediaStore } from '../whatsapp/media-store.ts';
import { MediaUploads, VISITOR_UPLOADS } from '../whatsapp/media-uploads.ts';
import { MessageChanges } from '../conversations/message-changes.ts';
import { NumberRegistry } from '../whatsapp/number-registry.ts';
import { OutboxDelivery } from '../whatsapp/outbox-delivery.ts';
import { OutboxWorker } from '../whatsapp/outbox-worker.ts';
import { OwnerSendGate } from '../whatsapp/owner-send-gate.ts';
import { MemoryPairBudget, type PairBudget } from '../whatsapp/pair-budget.ts';
import { TokenBucketRateGate, type RateGate } from '../whatsapp/rate-gate.ts';
import { SerialPasses } from '../jobs/serial-passes.ts';
import { StatusUpdates } from '../whatsapp/status-updates.ts';
import { TemplatesService } from '../whatsapp/templates-service.ts';
import { WebhookInbox } from '../whatsapp/webhook-inbox.ts';
import { InboundBulk } from '../whatsapp/inbound-bulk.ts';
import { WebhookIntake } from '../whatsapp/webhook-intake.ts';
import { UserPreferences } from '../whatsapp/user-preferences.ts';
import { WebhookProcessor } from '../whatsapp/webhook-processor.ts';
import type { Repositories } from './repositories.ts';

export interface WhatsAppDeps {
  config: Config;
  repos: Repositories;
  /** Group-committed transactions (db/group-commit.ts). */
  tx: TxRunner;
  logger: Logger;
  hub: RealtimeHub;
  secrets: SecretBox;
  /** Stores messages in their conversations and announces them (the chat domain). */
  log: ConversationLog;
  /** The message as its visitor receives it (visitor links to its file). */
  forVisitor: VisitorAttachmentsDeps['forVisitor'];
  /** Throughput budget per number; in-process by default (a scale-out deployment passes a shared one). */
  rateGate?: RateGate;
  /** Wraps the in-process owner pair budget in one shared by every node (it stands in while Redis is down). */
  sharedPairBudget?: (local: PairBudget) => PairBudget;
  /** Sandbox mode: who may use the embedded sandbox (default: this machine only). */
  sandboxAccess?: SandboxAccess;
  metrics: Metrics;
  /** Customers' answers to the satisfaction survey's list. */
  surveyAnswers?: SurveyAnswers;
}

const META_GRAPH_URL = 'https://graph.facebook.com';

/** The owner dispatcher's passes, one at a time, on the workers' serial runner. */
const serialPasses = (pass: () => Promise<void>): PassRunner => new SerialPasses(pass);

export async function createWhatsApp(deps: WhatsAppDeps) {
  const { config, repos, tx, hub, secrets, metrics } = deps;
  const logger = deps.logger.child({ module: 'whatsapp' });
  const wa = config.whatsapp;
  const sandboxMode = config.mode === 'sandbox';
  // The embedded Graph API's bearer token: new on every boot, known only to this process's client.
  const sandboxToken = sandboxMode ? randomBytes(32).toString('base64url') : null;

  const sandbox: Sandbox | null = sandboxMode
    ? createSandbox({
        phoneNumberId: wa.phoneNumberId,
        wabaId: wa.wabaId,
        appSecret: wa.appSecret,
        accessToken: sandboxToken,
        access: deps.sandboxAccess,
        webhookUrl: null,
        chaos: config.sandbox.duplicateAndReorder,
        allowedRecipients: null,
        pairRate: config.sandbox.pairRate,
        logger,
      })
    : null;

  const { contacts, conversations, messages, outbox, forwards, ownerQueue, ownerMessages, ownerState } = repos;
  const events = repos.webhookEvents;
  const mediaRepo = repos.media;
  const ownerSettings = new OwnerSettingsStore(repos.settings);

  const numbers = new NumberRegistry({ repo: repos.whatsappNumbers, secrets, config, sandboxToken });
  await numbers.seed();
  const cloud = new DeferredCloudApi();
  const store = new MediaStore(path.join(config.dataDir, 'media'));
  const uploads = new MediaUploads(mediaRepo, store);
  const { log, forVisitor } = deps;
  const changes = new MessageChanges(tx, messages);
  const statuses = new StatusUpdates({ tx, messages, forwards, ownerMessages, events, conversations, log });
  const templates = new TemplatesService({ repo: repos.templates, numbers, cloud, logger });

  // The owner pair budget: rebuilt from what was sent after a restart, shared through Redis when configured.
  const localBudget = new MemoryPairBudget({
    burst: wa.ownerBurst,
    intervalMs: wa.ownerIntervalMs,
    history: (key, since) => ownerMessages.sentTimes({ phoneNumberId: key.phoneNumberId, ownerWaId: key.waId }, since),
  });
  const budget = deps.sharedPairBudget?.(localBudget) ?? localBudget;
  const ownerGate = new OwnerSendGate({ budget, ownerMessages, state: ownerState, reserve: reserveOf(budget), logger });
  const worker = new OutboxWorker({
    outbox,
    handler: new OutboxDelivery({
      tx,
      outbox,
      messages,
      forwards,
      media: mediaRepo,
      store,
      numbers,
      cloud,
      statuses,
      push: log,
      ownerMessages,
      ownerGate,
      onOwnerMessageDone: () => dispatcher.wake(),
    }),
    gate: deps.rateGate ?? new TokenBucketRateGate({ perSecond: wa.messagesPerSecond }),
    logger,
    leaseMs: wa.outboxLeaseMs,
  });
  const wake = () => worker.wake();
  const downloads = new InboundMediaDownloader({ media: mediaRepo, store, numbers, cloud, push: log, logger });
  const onMedia = () => downloads.wake();

  const siteName = config.siteName;
  const ownerOutbox = new OwnerOutbox({ tx, ownerMessages, queue: ownerQueue, outbox, wake });
  const dispatcher = new OwnerDispatcher({
    queue: ownerQueue,
    ownerMessages,
    state: ownerState,
    forwards,
    budget,
    settings: ownerSettings,
    sender: ownerOutbox,
    siteName,
    logger,
    passes: serialPasses,
  });
  const wakeDispatcher = () => dispatcher.wake();
  const intake = new OwnerIntake({
    tx,
    numbers,
    queue: ownerQueue,
    settings: ownerSettings,
    agentsOnline: () => hub.agentsOnline(),
    wake: () => dispatcher.messageQueued(),
  });
  const commands = new OwnerCommands({
    queue: ownerQueue,
    ownerMessages,
    state: ownerState,
    settings: ownerSettings,
    sender: ownerOutbox,
    siteName,
    wake: wakeDispatcher,
  });
  const markRead = async (key: { phoneNumberId: string }, wamid: string) => {
    await outbox.enqueue({
      kind: 'mark_read',
      phoneNumberId: key.phoneNumberId,
      toWaId: null,
      payload: { messaging_product: 'whatsapp', status: 'read', message_id: wamid },
    });
    wake();
  };
  const replies = new OwnerReplies({
    tx,
    messages,
    log,
    media: mediaRepo,
    ownerMessages,
    legacyForwards: forwards,
    state: ownerState,
    onMedia,
    markRead,
    notice: (key, text, inReplyTo) => commands.notice(key, text, inReplyTo),
  });
  const owner = new OwnerConsole({ numbers, forwards, ownerMessages, commands, replies, changes, log, markRead });
  const verification = new PhoneVerification({ contacts, conversations, messages });
  const inbound = new InboundMessages({
    tx,
    contacts,
    conversations,
    messages,
    media: mediaRepo,
    changes,
    log,
    onMedia,
    verification,
    surveyAnswers: deps.surveyAnswers,
  });
  // The inbox wakes the processor once deliveries are stored.
  const processor = new WebhookProcessor({
    events,
    numbers,
    owner,
    inbound,
    bulk: new InboundBulk({ tx, contacts, conversations, messages, log, surveyAnswers: deps.surveyAnswers }),
    statuses,
    templates,
    preferences: new UserPreferences({ tx, contacts }),
    account: new AccountEvents({ repo: repos.accountEvents, numbers }),
    logger,
    onApplied: (lag) => metrics.webhookApplied(lag),
  });
  const inbox = new WebhookInbox({ events, onStored: () => processor.wake() });
  const typing = new TypingIndicator({ messages, numbers, cloud, logger });
  const bridge = new CloudBridge({
    tx,
    numbers,
    outbox,
    messages,
    conversations,
    log,
    contacts,
    media: mediaRepo,
    templates,
    owner: intake,
    wake,
    siteName,
    typing,
  });
  const attachments = new VisitorAttachments({
    tx,
    contacts,
    conversations,
    messages,
    uploads: { accept: (file) => uploads.accept(file, VISITOR_UPLOADS), discard: (file) => uploads.discard(file) },
    log,
    bridge,
    logger,
    forVisitor,
  });

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
    /** Stored messages' reactions, edits and deletions. */
    changes,
    /** Agents' reactions on their way to WhatsApp. */
    reactions: new ReactionOutbox({ numbers, outbox, wake }),
    /** Proves visitors' WhatsApp numbers (the chat domain asks, webhooks confirm). */
    verification,
    /** `POST /api/whatsapp/webhook`, served from node:http ahead of the Koa app. */
    /** Paused sends, account events, the webhook subscription (admin app). */
    accountHealth: new AccountHealth({ numbers, outbox, events: repos.accountEvents, cloud, wakeOutbox: () => worker.wake(), logger }),
    webhookIntake: new WebhookIntake({ appSecret: wa.appSecret, inbox, logger }),
    attachments,
    mediaStore: store,
    uploads,
    templates,
    processor,
    ownerSettings,
    ownerStatus: () => ownerForwardingStatus({ numbers, queue: ownerQueue, ownerMessages, state: ownerState, forwards, budget, settings: ownerSettings }),
    /** Forwarding settings changed: forwards may go (or hold) now. */
    ownerSettingsChanged: wakeDispatcher,
    sandbox: sandbox?.middleware ?? null,
    /** The Cloud API client (usable once start() ran). */
    cloudApi: cloud,
    /** Called once the HTTP server listens (the embedded sandbox needs our own URL). */
    async start(selfUrl: string): Promise<void> {
      sandbox?.setWebhookUrl(`${selfUrl}/api/whatsapp/webhook`);
      const number = await numbers.defaultNumber();
      cloud.use(
        new GraphClient({
          baseUrl: wa.graphUrl ?? (sandboxMode ? `${selfUrl}/sandbox/graph` : META_GRAPH_URL),
          version: wa.apiVersion,
          token: number ? numbers.tokenFor(number) : (wa.accessToken ?? sandboxToken ?? ''),
          phoneNumberId: number?.phoneNumberId ?? wa.phoneNumberId,
          wabaId: number ? numbers.wabaIdOf(number) : wa.wabaId,
          timeoutMs: wa.requestTimeoutMs,
          observe: (call) => metrics.graphRequest(call),
        }),
      );
      processor.start();
      worker.start();
      dispatcher.start();
      downloads.start();
      await Promise.all([templates.start(), refreshNumberInfo()]);
    },
    /** Stop workers and timers; in-flight sends finish first. */
    async stop(): Promise<void> {
      templates.stop();
      await processor.stop();
      await dispatcher.stop();
      await worker.stop();
      await downloads.stop();
      await sandbox?.stop();
    },
  };
}
