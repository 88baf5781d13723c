/**
 * Shared set-up for the admin app's browser tests: the built app, a signed-in page that records
 * console errors, screenshots, and ways to make WhatsApp traffic (signed webhooks, sandbox phones).
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN, type TestServer } from '../../support/server.ts';

const DIST = path.resolve(import.meta.dirname, '../../../admin/dist');
const SHOTS = path.resolve(import.meta.dirname, '../../../.tmp');

/** The browser tests run against the built app (CI runs `pnpm build` before `pnpm test`). */
export function requireAdminBuild(): void {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error('admin/dist/index.html is missing: run `pnpm build` (or `pnpm --filter @connectdesk/admin build`) before the browser tests');
  }
}

export const DESKTOP = { width: 1280, height: 800 };
export const TABLET = { width: 768, height: 1024 };

export interface AdminPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught page errors and CSP violations. */
  errors: string[];
}

export async function openAdmin(browser: Browser, server: TestServer, viewport = DESKTOP, pathname = '/admin/'): Promise<AdminPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`.trim());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + pathname);
  return { page, context, errors };
}

export async function signIn(page: Page, creds = ADMIN): Promise<void> {
  await page.getByLabel('Email').fill(creds.email);
  await page.getByLabel('Password').fill(creds.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The header (on a phone the navigation itself is behind the Menu button).
  await page.getByRole('banner').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled' });
}

/** POST a webhook body to the server signed with its app secret, exactly as Meta does. */
export async function postSignedWebhook(server: TestServer, body: unknown): Promise<Response> {
  const raw = JSON.stringify(body);
  const signature = createHmac('sha256', server.config.whatsapp.appSecret).update(raw).digest('hex');
  return server.fetch('/api/whatsapp/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
    body: raw,
  });
}

/** A Cloud API `messages` webhook for one inbound message from `waId`. */
export function inboundWebhook(server: TestServer, m: { waId: string; name: string; wamid: string; timestamp: Date; message: Record<string, unknown> }) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: server.config.whatsapp.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000001', phone_number_id: server.config.whatsapp.phoneNumberId },
              contacts: [{ profile: { name: m.name }, wa_id: m.waId }],
              messages: [{ from: m.waId, id: m.wamid, timestamp: String(Math.floor(m.timestamp.getTime() / 1000)), ...m.message }],
            },
          },
        ],
      },
    ],
  };
}

/** A simulated phone writes to the business (sandbox mode): the sandbox delivers the signed webhook. */
export async function phoneSends(server: TestServer, waId: string, message: Record<string, unknown>): Promise<{ wamid: string }> {
  const res = await server.fetch(`/sandbox/phones/${waId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
  });
  if (res.status !== 200) throw new Error(`sandbox phone send failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { wamid: string };
}

export interface PhoneInboxEntry {
  wamid: string;
  type: string;
  text: string | null;
  template: { name: string; parameters: string[]; text: string } | null;
  status: string;
}

export async function phoneInbox(server: TestServer, waId: string): Promise<PhoneInboxEntry[]> {
  return (await (await server.fetch(`/sandbox/phones/${waId}/inbox`)).json()) as PhoneInboxEntry[];
}

/** The conversation of a contact, once the server has it. */
export async function conversationOf(server: TestServer, match: (c: { contact: { wa_id: string | null; name: string | null } }) => boolean) {
  const list = await server.admin('/admin/api/conversations?limit=100');
  return (list.body.data as { id: string; contact: { wa_id: string | null; name: string | null } }[]).find(match) ?? null;
}
