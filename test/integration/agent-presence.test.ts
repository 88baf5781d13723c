/**
 * Presence: an agent with an admin tab open is online, away when they say so (it holds across
 * reconnects) or when every tab of theirs is idle, offline with none. Agents see the whole team
 * live; widgets get only "is anyone online" — at connect, in the widget config, and whenever it
 * changes.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';

type Team = { id: string; name: string; status: string }[];

/** A socket that records the last payload of `event`, listening before it connects. */
async function recording<T>(s: TestServer, nsp: '/admin' | '/visitor', event: string, opts: { cookie?: string; auth?: object } = {}) {
  let latest: T | null = null;
  const socket = io(s.url + nsp, {
    transports: ['websocket'],
    extraHeaders: opts.cookie ? { cookie: opts.cookie, origin: s.url } : {},
    auth: opts.auth ?? {},
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  socket.on(event, (p: T) => (latest = p));
  socket.connect();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, latest: () => latest };
}

describe('agent presence', () => {
  let s: TestServer;
  let adminCookie: string;
  let boCookie: string;
  let adminId: string;
  let boId: string;
  beforeAll(async () => {
    s = await startTestServer();
    adminCookie = await s.signIn();
    adminId = (await s.admin('/admin/api/me')).body.user.id;
    const bo = await s.admin('/admin/api/agents', { body: { email: 'bo@example.com', name: 'Bo' } });
    boId = bo.body.agent.id;
    boCookie = await s.signIn({ email: 'bo@example.com', password: bo.body.password });
  });
  afterAll(() => s.stop());

  const statusIn = (team: Team | null, id: string) => team?.find((a) => a.id === id)?.status;
  const widgetSaysOnline = async () => (await (await s.fetch('/api/widget/config')).json()).agents_online as boolean;

  it('shows agents online, idle, away by hand and offline — to the team and, as "anyone online", to widgets', async () => {
    const visitorBefore = await recording<{ online: boolean }>(s, '/visitor', 'presence');
    await waitFor(() => visitorBefore.latest()?.online === false, { message: 'nobody online at first' });
    expect(await widgetSaysOnline()).toBe(false);

    const admin = await recording<{ agents: Team }>(s, '/admin', 'presence', { cookie: adminCookie });
    await waitFor(() => statusIn(admin.latest()?.agents ?? null, adminId) === 'online', { message: 'admin online' });
    expect(statusIn(admin.latest()!.agents, boId)).toBe('offline');
    await waitFor(() => visitorBefore.latest()?.online === true, { message: 'widget told someone is online' });
    expect(await widgetSaysOnline()).toBe(true);
    // A widget connecting now hears it at once.
    const visitorAfter = await recording<{ online: boolean }>(s, '/visitor', 'presence');
    await waitFor(() => visitorAfter.latest()?.online === true, { message: 'online at connect' });

    // Bo opens two tabs; one goes idle: still online. Both idle: away.
    const boTab1 = await recording<{ agents: Team }>(s, '/admin', 'presence', { cookie: boCookie });
    const boTab2 = await recording<{ agents: Team }>(s, '/admin', 'presence', { cookie: boCookie });
    await waitFor(() => statusIn(admin.latest()!.agents, boId) === 'online', { message: 'Bo online' });
    boTab1.socket.emit('idle', { idle: true });
    boTab1.socket.emit('idle', 'nonsense'); // ignored
    const http = async () => (await s.admin('/admin/api/presence')).body.data as Team;
    await waitFor(async () => statusIn(await http(), boId) === 'online' && statusIn(boTab2.latest()!.agents, boId) === 'online', { message: 'one idle tab' });
    boTab2.socket.emit('idle', { idle: true });
    await waitFor(() => statusIn(admin.latest()!.agents, boId) === 'away', { message: 'Bo away when every tab is idle' });
    boTab2.socket.emit('idle', { idle: false });
    await waitFor(() => statusIn(admin.latest()!.agents, boId) === 'online', { message: 'Bo back' });

    // The admin sets themselves away by hand; Bo is idle again: nobody online for widgets.
    boTab2.socket.emit('idle', { idle: true });
    const away = await s.admin('/admin/api/me/status', { method: 'PUT', body: { status: 'away' } });
    expect(away).toMatchObject({ status: 200, body: { status: 'away' } });
    await waitFor(() => visitorAfter.latest()?.online === false && visitorBefore.latest()?.online === false, { message: 'widgets told nobody is online' });
    expect(await widgetSaysOnline()).toBe(false);
    // Manual away holds across a reconnect.
    admin.socket.disconnect();
    const again = await recording<{ agents: Team }>(s, '/admin', 'presence', { cookie: adminCookie });
    await waitFor(() => statusIn(again.latest()?.agents ?? null, adminId) === 'away', { message: 'still away after reconnect' });
    expect(await widgetSaysOnline()).toBe(false);

    const back = await s.admin('/admin/api/me/status', { method: 'PUT', body: { status: 'online' } });
    expect(back.body.status).toBe('online');
    await waitFor(() => visitorAfter.latest()?.online === true, { message: 'widgets told someone is back' });

    // Closing every tab: offline.
    boTab1.socket.disconnect();
    boTab2.socket.disconnect();
    await waitFor(() => statusIn(again.latest()!.agents, boId) === 'offline', { message: 'Bo offline' });
    for (const r of [again, visitorBefore, visitorAfter]) r.socket.disconnect();
  });

  it('refuses a status that is not online or away, and changes nothing', async () => {
    const before = (await s.admin('/admin/api/presence')).body.data as Team;
    for (const body of [{ status: 'busy' }, { status: 'away', extra: 1 }, {}]) {
      const res = await s.admin('/admin/api/me/status', { method: 'PUT', body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await s.admin('/admin/api/presence')).body.data).toEqual(before);
    expect((await s.fetch('/admin/api/presence')).status).toBe(401);
  });
});
