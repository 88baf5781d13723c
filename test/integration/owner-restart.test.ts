/**
 * Forwards to the owner survive a restart: what waits in the queue (for the budget, or through a
 * mute) and what was composed but not yet accepted by WhatsApp are sent after the restart, each
 * visitor message once — nothing lost, nothing sent twice. (The embedded sandbox restarts with
 * the server, so its phone shows only what was sent after the restart.)
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { OwnerMessageJson } from '@connectdesk/shared';
import { startTestServer, tempDir, waitFor, type TestServer } from '../support/server.ts';
import { clearFaults, injectFault, phoneInbox } from '../support/whatsapp.ts';
import { OWNER, ownerLog, ownerQueueDrained, ownerReceives, ownerSays, ownerStatus, shown, visitorWrites } from '../support/owner.ts';

/** How many owner messages (forwards and digests) carried each conversation. */
function carriedTimes(log: OwnerMessageJson[]): Map<string, number> {
  const times = new Map<string, number>();
  for (const m of log)
    if (m.kind === 'forward' || m.kind === 'digest') for (const l of m.lines) times.set(l.conversation_id, (times.get(l.conversation_id) ?? 0) + 1);
  return times;
}

describe('forwards waiting across a restart', () => {
  const dataDir = tempDir();
  let s: TestServer | null = null;
  const restart = async (env: Record<string, string>) => {
    await s?.stop();
    s = await startTestServer(env, { dataDir });
    return s;
  };
  afterAll(async () => {
    await s?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends what waited for the budget, once, and not what went before', async () => {
    // 3 at once, 2 kept back, one more a minute later: after the first forward the rest wait.
    let server = await restart({ WHATSAPP_OWNER_BURST: '3', WHATSAPP_OWNER_INTERVAL_MS: '60000' });
    const n = [await visitorWrites(server, 'N1: hello', { name: 'N1' })];
    await ownerReceives(server, (m) => shown(m).includes('N1: hello'));
    for (let i = 2; i <= 4; i++) n.push(await visitorWrites(server, `N${i}: hello`, { name: `N${i}` }));
    expect((await ownerStatus(server)).waiting.conversations).toBe(3);
    expect((await phoneInbox(server, OWNER)).filter((m) => /N[234]:/.test(shown(m)))).toEqual([]);

    server = await restart({ WHATSAPP_OWNER_BURST: '3', WHATSAPP_OWNER_INTERVAL_MS: '500' });
    const digest = await ownerReceives(server, (m) => shown(m).includes('3 conversations are waiting on'));
    for (const name of ['N2', 'N3', 'N4']) expect(shown(digest)).toContain(`${name}: hello`);
    await ownerQueueDrained(server);
    const after = await phoneInbox(server, OWNER);
    expect(after).toHaveLength(1);
    expect(after.some((m) => shown(m).includes('N1:'))).toBe(false);
    const times = carriedTimes(await ownerLog(server));
    expect(n.map((v) => times.get(v.conversation_id))).toEqual([1, 1, 1, 1]);
  });

  it('sends a forward WhatsApp had not accepted yet exactly once, and does not compose it again', async () => {
    let server = await restart({});
    await injectFault(server, 'http_500', 100);
    const paula = await visitorWrites(server, 'P: is my parcel lost?', { name: 'Paula' });
    await waitFor(async () => {
      const log = await ownerLog(server);
      return log.some((m) => m.status === 'queued' && m.lines.some((l) => l.conversation_id === paula.conversation_id));
    });
    // The outbox has tried (the sandbox answered 500) and will try again later.
    await waitFor(async () => ((await (await server.fetch('/sandbox/faults')).json()) as { faults: { remaining: number }[] }).faults[0]!.remaining < 100);
    await clearFaults(server);

    server = await restart({});
    const forward = await ownerReceives(server, (m) => shown(m).includes('P: is my parcel lost?'));
    await ownerQueueDrained(server);
    expect((await phoneInbox(server, OWNER)).filter((m) => shown(m).includes('P:')).map((m) => m.wamid)).toEqual([forward.wamid]);
    expect(carriedTimes(await ownerLog(server)).get(paula.conversation_id)).toBe(1);
  });

  it('keeps a mute across a restart; #unmute then sends what waited as one digest', async () => {
    let server = await restart({});
    await ownerSays(server, '#mute 2h');
    await ownerReceives(server, (m) => shown(m).startsWith('🔕 Muted until'));
    const q = [await visitorWrites(server, 'Q1: hi', { name: 'Quinn' }), await visitorWrites(server, 'Q2: hey', { name: 'Rui' })];

    server = await restart({});
    expect((await ownerStatus(server)).muted_until).not.toBeNull();
    expect((await ownerStatus(server)).waiting).toEqual({ conversations: 2, messages: 2 });
    await ownerSays(server, '#unmute');
    const digest = await ownerReceives(server, (m) => shown(m).startsWith('2 conversations are waiting:'));
    expect(shown(digest)).toContain('1) Quinn (shop.example.com): Q1: hi');
    expect(shown(digest)).toContain('2) Rui (shop.example.com): Q2: hey');
    await ownerQueueDrained(server);
    const times = carriedTimes(await ownerLog(server));
    expect(q.map((v) => times.get(v.conversation_id))).toEqual([1, 1]);
  });
});
