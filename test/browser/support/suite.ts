/**
 * What every browser suite starts in `beforeAll` and stops in `afterAll`: the built app checked,
 * a fresh server, Debian's Chromium — and for the widget, a hostile host page on another origin.
 *
 *   beforeAll(async () => ({ server: s, browser } = await startAdminSuite()));
 *   afterAll(() => stopSuite({ server: s, browser }));
 */
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { startHostServer, type HostServer } from '../pages/host-server.ts';
import { requireWidgetBuild } from '../pages/widget-harness.ts';
import { requireAdminBuild } from './admin-app.ts';
import { launchBrowser } from './browser.ts';

export interface AdminSuite {
  server: TestServer;
  browser: Browser;
}

export interface WidgetSuite extends AdminSuite {
  host: HostServer;
}

export async function startAdminSuite(): Promise<AdminSuite> {
  requireAdminBuild();
  const server = await startTestServer();
  try {
    return { server, browser: await launchBrowser() };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

export async function startWidgetSuite(): Promise<WidgetSuite> {
  requireWidgetBuild();
  const server = await startTestServer();
  let host: HostServer | null = null;
  try {
    host = await startHostServer(server.url);
    return { server, host, browser: await launchBrowser() };
  } catch (err) {
    await host?.close();
    await server.stop();
    throw err;
  }
}

/** Stops whatever of a suite was started (a failed `beforeAll` leaves some of it undefined). */
export async function stopSuite(suite: Partial<WidgetSuite>): Promise<void> {
  await suite.browser?.close();
  await suite.host?.close();
  await suite.server?.stop();
}
