/**
 * Everything WhatsApp, assembled for main.ts: the bridge the chat domain talks to, the webhook
 * intake and admin routes, the outbox worker, template sync and — in sandbox mode — the sandbox.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import type { WhatsAppBridge } from '../conversations/whatsapp-bridge.ts';
import { noWhatsApp } from '../conversations/whatsapp-bridge.ts';
import type { Logger } from '../logger.ts';
import type { RealtimeHub } from '../realtime/hub.ts';
import type { SecretBox } from '../secret-box.ts';

export interface WhatsAppModuleDeps {
  config: Config;
  db: Knex;
  logger: Logger;
  hub: RealtimeHub;
  secrets: SecretBox;
}

export interface WhatsAppModule {
  bridge: WhatsAppBridge;
  publicRouters: Router[];
  adminRouters: Router[];
  sandbox: Middleware | null;
  /** Called once the HTTP server listens (the embedded sandbox needs our own URL). */
  start(selfUrl: string): Promise<void>;
  /** Stop workers and timers; in-flight sends finish first. */
  stop(): Promise<void>;
}

export async function createWhatsAppModule(_deps: WhatsAppModuleDeps): Promise<WhatsAppModule> {
  return {
    bridge: noWhatsApp,
    publicRouters: [],
    adminRouters: [],
    sandbox: null,
    async start() {},
    async stop() {},
  };
}
