/**
 * The owner's phone on a small pair budget (3 at once, one per 2 s; the sandbox's Meta allows 4),
 * so every decision shows: messages that arrive while a forward waits are merged into it, a short
 * budget sends one numbered digest, replies by line number (swipe or plain) reach the right
 * visitors with blue ticks, an unplaceable reply gets one help message, and the commands work
 * without ever reaching a visitor. All against the sandbox over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEXT } from '@connectdesk/shared';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { phoneInbox, phoneSent, sandboxRefusals } from '../support/whatsapp.ts';
import {
  OWNER,
  ownerInboxSize,
  ownerLog,
  ownerQueueDrained,
  ownerReceives,
  ownerRepliesTo,
  ownerSays,
  ownerStatus,
  shown,
  visitorWrites,
  type Visitor,
} from '../support/owner.ts';

const INTERVAL = 2000;

describe('the owner’s phone on a small pair budget', () => {
  let s: TestServer;

  /** The budget is full again (nothing spent in the last few intervals). */
  const budgetFull = () => waitFor(async () => (await ownerStatus(s)).budget.available === 3, { timeout: 15_000, interval: 100, message: 'a full budget' });
  const inboxAfter = async (n: number) => (await phoneInbox(s, OWNER)).slice(n);

  beforeAll(async () => {
    s = await startTestServer({
      WHATSAPP_OWNER_BURST: '3',
      WHATSAPP_OWNER_INTERVAL_MS: String(INTERVAL),
      SANDBOX_PAIR_BURST: '4',
      SANDBOX_PAIR_INTERVAL_MS: String(INTERVAL),
    });
    // The owner writes first, so their own 24-hour window is open: forwards go free-form.
    await ownerSays(s, '#help');
    await ownerReceives(s, (m) => shown(m).startsWith('ConnectDesk on WhatsApp:'), 'the help message');
  });
  afterAll(() => s.stop());

  it('merges what a visitor writes while the next forward waits into it, newest last', async () => {
    await budgetFull();
    const ana = await visitorWrites(s, 'A1: do you ship to Lisbon?', { name: 'Ana' });
    await ownerReceives(s, (m) => shown(m).includes('A1:'));
    const seen = (await phoneInbox(s, OWNER)).length;
    // The forward left 2 of 3 in the budget, both kept for commands: these wait the next interval.
    for (const text of ['A2: and Porto?', 'A3: by Friday?', 'A4: thanks!']) await visitorWrites(s, text, { visitor: ana });
    const merged = await ownerReceives(s, (m) => shown(m).includes('A4:'));
    expect(merged.text).toBe(
      '3 new messages from Ana on shop.example.com:\n• A2: and Porto?\n• A3: by Friday?\n• A4: thanks!\n— reply to this message to answer.',
    );
    expect((await inboxAfter(seen)).filter((m) => shown(m).includes('A3:'))).toHaveLength(1);
    const [latest] = await ownerLog(s);
    expect(latest).toMatchObject({ kind: 'forward', via_template: false, lines: [{ n: null, name: 'Ana', site: 'shop.example.com', messages: 3 }] });
  });

  it('sends one numbered digest when the budget is short; numbered replies, swipe or plain, reach the right visitors', async () => {
    await budgetFull();
    const xavi = await visitorWrites(s, 'X: first one in', { name: 'Xavi' });
    await ownerReceives(s, (m) => shown(m).includes('X: first one in'));
    const seen = (await phoneInbox(s, OWNER)).length;
    const bruno = await visitorWrites(s, 'B: open on Sunday?', { name: 'Bruno' });
    const carla = await visitorWrites(s, 'C: gift wrap?', { name: 'Carla' });
    const dan = await visitorWrites(s, 'D: my order is late', { name: 'Dan' });
    const digest = await ownerReceives(s, (m) => shown(m).startsWith('3 conversations are waiting'));
    expect(digest.text!.split('\n')).toEqual([
      '3 conversations are waiting:',
      '1) Bruno (shop.example.com): B: open on Sunday?',
      '2) Carla (shop.example.com): C: gift wrap?',
      '3) Dan (shop.example.com): D: my order is late',
      'Reply with the line number first, like “1 yes” or “1 yes, 2 no”.',
    ]);
    expect(await inboxAfter(seen)).toHaveLength(1); // one message for three conversations

    // A plain message starting with a line number: the digest is the newest thing the owner got.
    const plain = await ownerSays(s, '2 Yes, for free');
    await waitFor(async () => (await ownerRepliesTo(s, carla)).length === 1);
    // A swipe-reply to the digest answering two visitors at once.
    const swipe = await ownerSays(s, '1 yes, 10 to 4; 3 it ships today', digest);
    await waitFor(async () => (await ownerRepliesTo(s, dan)).length === 1);
    expect(await ownerRepliesTo(s, bruno)).toEqual(['yes, 10 to 4']);
    expect(await ownerRepliesTo(s, carla)).toEqual(['Yes, for free']);
    expect(await ownerRepliesTo(s, dan)).toEqual(['it ships today']);
    // Now a plain message goes to the visitor the owner answered last.
    await ownerSays(s, 'Tracking number follows.');
    await waitFor(async () => (await ownerRepliesTo(s, dan)).length === 2);
    expect(await ownerRepliesTo(s, xavi)).toEqual([]);
    // Passed on: blue ticks, and not one message spent on saying so.
    await waitFor(async () => {
      const sent = await phoneSent(s, OWNER);
      return [plain.wamid, swipe.wamid].every((w) => sent.find((m) => m.wamid === w)?.read_by_business);
    });
    expect(await inboxAfter(seen)).toHaveLength(1);
  });

  it('answers a reply it cannot place with one short help message, and passes nothing on', async () => {
    const digest = (await phoneInbox(s, OWNER)).filter((m) => shown(m).includes('conversations are waiting')).at(-1)!;
    const seen = (await phoneInbox(s, OWNER)).length;
    const unclear = await ownerSays(s, 'ok, see you then', digest);
    const help = await ownerReceives(s, (m) => shown(m).startsWith('Not sent: who is it for?'), 'the help message', seen);
    expect(help.text).toContain('#list');
    await ownerSays(s, 'hello?', digest);
    await ownerSays(s, '#list');
    await ownerReceives(s, (m) => shown(m).includes('waiting for an answer'), 'the #list answer', seen);
    const after = await inboxAfter(seen);
    expect(after.filter((m) => shown(m).startsWith('Not sent'))).toHaveLength(1);
    expect((await phoneSent(s, OWNER)).find((m) => m.wamid === unclear.wamid)?.read_by_business).toBe(false);
  });

  it('keeps a merged forward within 4,096 characters: the newest messages, and how many more wait in the inbox', async () => {
    const seen = await ownerInboxSize(s);
    await ownerSays(s, '#mute 30m');
    await ownerReceives(s, (m) => shown(m).startsWith('🔕 Muted until'), 'the mute confirmation', seen);
    let eve: Visitor | undefined;
    for (let i = 1; i <= 6; i++) eve = await visitorWrites(s, `E${i} ${'lorem ipsum '.repeat(115)}`, { name: 'Eve', visitor: eve });
    expect((await ownerStatus(s)).waiting).toEqual({ conversations: 1, messages: 6 });
    await ownerSays(s, '#unmute');
    const forward = await ownerReceives(s, (m) => shown(m).startsWith('6 new messages from Eve'));
    expect(forward.text!.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(forward.text).toMatch(/\n… \+\d more in the inbox\n/);
    expect(forward.text).toContain('• E6 ');
    expect(forward.text).not.toContain('• E1 ');
  });

  it('#list numbers who waits for an answer, and a reply to it by number reaches that visitor', async () => {
    const fay = await visitorWrites(s, 'F: still there?', { name: 'Fay' });
    await ownerReceives(s, (m) => shown(m).includes('F: still there?'));
    const seen = await ownerInboxSize(s);
    await ownerSays(s, '#list');
    const list = await ownerReceives(s, (m) => shown(m).includes('waiting for an answer'), 'the #list answer', seen);
    const line = list.text!.split('\n').find((l) => l.includes('Fay'))!;
    expect(line).toMatch(/^\d+\) Fay \(shop\.example\.com\): F: still there\? · (just now|\d+ min ago)$/);
    // Those already answered are not listed.
    expect(list.text).not.toMatch(/\) (Bruno|Carla|Dan) /);
    await ownerSays(s, `${line.split(')')[0]} yes, here`, list);
    await waitFor(async () => (await ownerRepliesTo(s, fay)).length === 1);
    expect(await ownerRepliesTo(s, fay)).toEqual(['yes, here']);
  });

  it('#mute holds forwards, #unmute sends what waited as one digest; commands never reach a visitor', async () => {
    let seen = await ownerInboxSize(s);
    await ownerSays(s, '#mute 1h');
    await ownerReceives(s, (m) => /^🔕 Muted until \d\d:\d\d \(UTC\)\. /.test(shown(m)), 'the mute confirmation', seen);
    seen = await ownerInboxSize(s);
    const gus = await visitorWrites(s, 'G: anyone?', { name: 'Gus' });
    const hana = await visitorWrites(s, 'H: hello', { name: 'Hana' });
    const status = await ownerStatus(s);
    expect(status.waiting).toEqual({ conversations: 2, messages: 2 });
    expect(status.muted_until).not.toBeNull();
    expect(await inboxAfter(seen)).toEqual([]);
    await ownerSays(s, '#unmute');
    await ownerReceives(s, (m) => shown(m) === '🔔 Forwards are on again. 2 waiting conversations follow.', 'the unmute confirmation', seen);
    const digest = await ownerReceives(s, (m) => shown(m).startsWith('2 conversations are waiting:'), 'the digest', seen);
    expect(digest.text).toContain('1) Gus (shop.example.com): G: anyone?');
    expect(digest.text).toContain('2) Hana (shop.example.com): H: hello');
    seen = await ownerInboxSize(s);
    await ownerSays(s, '#bogus');
    await ownerReceives(s, (m) => shown(m).startsWith('ConnectDesk on WhatsApp:'), 'help for an unknown command', seen);
    await ownerQueueDrained(s);
    for (const v of [gus, hana]) expect(await ownerRepliesTo(s, v)).toEqual([]);
    const conversations = (await s.admin('/admin/api/conversations?limit=100')).body.data as { id: string }[];
    for (const c of conversations) {
      const messages = (await s.admin(`/admin/api/conversations/${c.id}/messages?limit=200`)).body.data as { text: string }[];
      expect(messages.filter((m) => m.text.startsWith('#'))).toEqual([]);
    }
    expect((await sandboxRefusals(s))['131056']).toBeUndefined();
  });
});
