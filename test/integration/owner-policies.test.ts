/**
 * Settings → WhatsApp → forwarding to the owner's phone, over the admin API and the sandbox:
 * validated settings (admins only, bad input changes nothing), quiet hours in the site's time
 * zone (messages wait, then one digest — the connectdesk_digest template while the owner's own
 * window is closed), the `offline` and `first` policies, and the log of what was sent and when.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { phoneSent } from '../support/whatsapp.ts';
import {
  OWNER,
  ownerInboxSize,
  ownerLog,
  ownerReceives,
  ownerRepliesTo,
  ownerSays,
  ownerStatus,
  shown,
  visitorWrites,
  type Visitor,
} from '../support/owner.ts';

const PATH = '/admin/api/settings/owner-forwarding';
const TZ = 'Europe/Madrid';
const DEFAULTS = { policy: 'every', quiet_hours: { enabled: false, start: '22:00', end: '07:00' }, digest_minutes: 15 };

/** HH:MM in the site's time zone, `minutes` from now. */
function localTime(minutes: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(Date.now() + minutes * 60_000),
  );
}

describe('forwarding settings and policies', () => {
  let s: TestServer;
  let agentCookie: string;

  const put = (body: unknown, cookie?: string) => s.admin(PATH, { method: 'PUT', body, cookie });

  beforeAll(async () => {
    s = await startTestServer();
    const invite = await s.admin('/admin/api/agents', { body: { email: 'agent@example.com', name: 'Agent' } });
    agentCookie = await s.signIn({ email: 'agent@example.com', password: invite.body.password });
    const widget = (await s.admin('/admin/api/settings/widget')).body.settings;
    await s.admin('/admin/api/settings/widget', { method: 'PUT', body: { ...widget, business_hours: { ...widget.business_hours, timezone: TZ } } });
  });
  afterAll(() => s.stop());

  it('are validated, changed by admins only, and bad input changes nothing', async () => {
    const initial = await s.admin(PATH);
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual({ settings: DEFAULTS, timezone: TZ });
    for (const [bad, field] of [
      [{ ...DEFAULTS, policy: 'sometimes' }, /policy/],
      [{ ...DEFAULTS, quiet_hours: { enabled: true, start: '22:00', end: '22:00' } }, /quiet_hours\.end/],
      [{ ...DEFAULTS, quiet_hours: { enabled: true, start: '25:00', end: '07:00' } }, /quiet_hours\.start/],
      [{ ...DEFAULTS, digest_minutes: 0 }, /digest_minutes/],
      [{ ...DEFAULTS, forward_everything: true }, /forward_everything|unrecognized/i],
    ] as const) {
      const res = await put(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(field);
    }
    expect((await put({ ...DEFAULTS, policy: 'first' }, agentCookie)).status).toBe(403);
    expect((await s.admin(PATH, { cookie: agentCookie })).status).toBe(200);
    expect((await s.admin(PATH)).body.settings).toEqual(DEFAULTS);
    for (const limit of ['0', '201', 'many']) expect((await s.admin(`${PATH}/log?limit=${limit}`)).status).toBe(400);
  });

  it('quiet hours in the site’s time zone hold messages; after them one digest arrives, as connectdesk_digest outside the owner’s window', async () => {
    const quiet = { ...DEFAULTS, quiet_hours: { enabled: true, start: localTime(-60), end: localTime(60) } };
    expect((await put(quiet)).body).toEqual({ settings: quiet, timezone: TZ });
    const jo = await visitorWrites(s, 'J: do you deliver\non weekends?', { name: 'Jo' });
    const kim = await visitorWrites(s, 'K: is the shop open?', { name: 'Kim' });
    const status = await ownerStatus(s);
    expect(status).toMatchObject({ owner: OWNER, timezone: TZ, quiet_now: true, window_open: false, waiting: { conversations: 2, messages: 2 } });
    expect(await ownerInboxSize(s)).toBe(0);

    expect((await put(DEFAULTS)).status).toBe(200);
    const digest = await ownerReceives(s, (m) => m.template?.name === 'connectdesk_digest');
    expect(digest.template!.parameters).toEqual([
      '2',
      'ConnectDesk',
      '1) Jo (shop.example.com): J: do you deliver on weekends? · 2) Kim (shop.example.com): K: is the shop open?',
    ]);
    for (const p of digest.template!.parameters) expect(p).not.toMatch(/[\n\t]| {5,}/);
    expect(digest.template!.text).toBe(
      'ConnectDesk digest: 2 conversations are waiting on ConnectDesk. 1) Jo (shop.example.com): J: do you deliver on weekends? · 2) Kim (shop.example.com): K: is the shop open? — reply with the line number first to answer, like “1 yes”.',
    );
    expect(await ownerInboxSize(s)).toBe(1);

    const reply = await ownerSays(s, '2 Yes, until 8 pm.', digest);
    await waitFor(async () => (await ownerRepliesTo(s, kim)).length === 1);
    expect(await ownerRepliesTo(s, kim)).toEqual(['Yes, until 8 pm.']);
    expect(await ownerRepliesTo(s, jo)).toEqual([]);
    await waitFor(async () => (await phoneSent(s, OWNER)).find((m) => m.wamid === reply.wamid)?.read_by_business);
    const [logged] = await ownerLog(s);
    expect(logged).toMatchObject({ kind: 'digest', via_template: true, status: expect.stringMatching(/^(sent|delivered|read)$/), text: digest.template!.text });
    expect(logged!.lines.map((l) => [l.n, l.name, l.messages])).toEqual([
      [1, 'Jo', 1],
      [2, 'Kim', 1],
    ]);
    expect(Date.parse(logged!.sent_at!)).toBeGreaterThanOrEqual(Date.parse(logged!.created_at));
  });

  it('policy offline: nothing goes to the owner while an agent is signed in to the admin app', async () => {
    expect((await put({ ...DEFAULTS, policy: 'offline' })).status).toBe(200);
    const agent = await s.adminSocket(await s.signIn());
    const before = (await ownerLog(s)).length;
    const lena = await visitorWrites(s, 'L: hello while you are here', { name: 'Lena' });
    // Queued in the visitor message's own transaction, or not at all: nothing waits.
    expect((await ownerStatus(s)).waiting.messages).toBe(0);
    const gone = nextEvent(agent, 'disconnect');
    agent.disconnect();
    await gone;
    // The server notices the socket left a moment after the client does: write until it has.
    let v: Visitor = lena;
    let n = 0;
    await waitFor(async () => {
      v = await visitorWrites(s, `L: anyone there now? (${++n})`, { visitor: v });
      return (await ownerStatus(s)).waiting.messages > 0 || (await ownerLog(s)).length > before;
    });
    const forward = await ownerReceives(s, (m) => shown(m).includes('L: anyone there now?'));
    expect(shown(forward)).not.toContain('while you are here');
  });

  it('policy first: later messages of an unanswered conversation wait, then ride along with its next forward', async () => {
    expect((await put({ ...DEFAULTS, policy: 'first' })).status).toBe(200);
    const mo = await visitorWrites(s, 'M1: hi, a question', { name: 'Mo' });
    const first = await ownerReceives(s, (m) => shown(m).includes('M1: hi'));
    const seen = await ownerInboxSize(s);
    await visitorWrites(s, 'M2: about sizes', { visitor: mo });
    expect((await ownerStatus(s)).waiting).toEqual({ conversations: 1, messages: 1 });
    await ownerSays(s, 'Sure, ask away.', first);
    await waitFor(async () => (await ownerRepliesTo(s, mo)).length === 1);
    await visitorWrites(s, 'M3: do you have XL?', { visitor: mo });
    const next = await ownerReceives(s, (m) => shown(m).includes('M3:'), 'the next forward', seen);
    expect(shown(next)).toBe('2 new messages from Mo on shop.example.com:\n• M2: about sizes\n• M3: do you have XL?\n— reply to this message to answer.');
    expect(await ownerInboxSize(s)).toBe(seen + 1);
  });

  it('the log pages newest first', async () => {
    const all = await ownerLog(s);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const first = await s.admin(`${PATH}/log?limit=2`);
    expect(first.body.data.map((m: { id: string }) => m.id)).toEqual(all.slice(0, 2).map((m) => m.id));
    const second = await s.admin(`${PATH}/log?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.data.map((m: { id: string }) => m.id)).toEqual(all.slice(2, 4).map((m) => m.id));
  });
});
