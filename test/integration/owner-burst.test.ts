/**
 * The "done when": a burst of 100 visitor messages from 30 visitors reaches the owner's
 * phone within the pair budget, every waiting conversation represented, no 131056 from the
 * sandbox (which enforces Meta's pair rate), and every reply — swipe-replies to forwards,
 * numbered replies to digests — reaching the right visitor. Once with the real defaults (40 at
 * once and one per 6 s against Meta's 45), once on a small budget that forces digests. Then a
 * budget set above what "Meta" allows: 131056 comes, the budget is corrected, nothing is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OwnerMessageJson } from '@connectdesk/shared';
import { startTestServer, waitFor, type TestServer } from '../support/server.ts';
import { phoneInbox, sandboxRefusals, type InboxEntry } from '../support/whatsapp.ts';
import {
  OWNER,
  inPool,
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

const name = (i: number) => `V${String(i + 1).padStart(2, '0')}`;

/** 30 visitors write 100 messages: everyone's first, then the rest round-robin, 10 requests at a time. */
async function burst(s: TestServer, visitors = 30, messages = 100): Promise<Map<string, Visitor>> {
  const byName = new Map<string, Visitor>();
  const order = Array.from({ length: messages }, (_, k) => k % visitors);
  await inPool(order.slice(0, visitors), 10, async (i) => void byName.set(name(i), await visitorWrites(s, `${name(i)} message 1`, { name: name(i) })));
  const sent = new Map<number, number>();
  await inPool(order.slice(visitors), 10, async (i) => {
    const n = (sent.get(i) ?? 1) + 1;
    sent.set(i, n);
    await visitorWrites(s, `${name(i)} message ${n}`, { visitor: byName.get(name(i))! });
  });
  return byName;
}

/** Forwards and digests the owner's phone got (not command answers or notices). */
const carriers = (log: OwnerMessageJson[]) => log.filter((m) => m.kind === 'forward' || m.kind === 'digest');

/** Answers every forward by swipe-reply and every digest line by number; returns how many answers each visitor should get. */
async function answerEverything(s: TestServer, received: InboxEntry[]): Promise<Map<string, number>> {
  const expected = new Map<string, number>();
  const add = (n: string) => expected.set(n, (expected.get(n) ?? 0) + 1);
  for (const m of received) {
    const text = shown(m);
    const forwardOf = /from (V\d\d) on /.exec(text)?.[1];
    if (forwardOf && !/conversations are waiting/.test(text)) {
      await ownerSays(s, `for ${forwardOf}`, m);
      add(forwardOf);
      continue;
    }
    const lines = [...text.matchAll(/(?:^|\n|· )(\d+)\) (V\d\d) \(/g)].map((x) => ({ n: x[1]!, who: x[2]! }));
    if (!lines.length) continue;
    await ownerSays(s, lines.map((l) => `${l.n} for ${l.who}`).join(', '), m);
    lines.forEach((l) => add(l.who));
  }
  return expected;
}

async function everyAnswerArrives(s: TestServer, visitors: Map<string, Visitor>, expected: Map<string, number>): Promise<void> {
  await waitFor(
    async () => {
      for (const [who, n] of expected) if ((await ownerRepliesTo(s, visitors.get(who)!)).length < n) return false;
      return true;
    },
    { timeout: 30_000, message: 'every answer to reach its visitor' },
  );
  for (const [who, v] of visitors) {
    const replies = await ownerRepliesTo(s, v);
    expect(replies, who).toEqual(Array.from({ length: expected.get(who) ?? 0 }, () => `for ${who}`));
  }
}

function burstScenario(env: Record<string, string>, budget: { burst: number; intervalMs: number }, expectDigest: boolean) {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(env);
    await ownerSays(s, '#help'); // the owner's own window opens: forwards go free-form
    await ownerReceives(s, (m) => shown(m).startsWith('ConnectDesk on WhatsApp:'));
  });
  afterAll(() => s.stop());

  it('reaches the owner within the budget, every conversation represented, no 131056; every reply routed right', async () => {
    const before = (await phoneInbox(s, OWNER)).length;
    const started = Date.now();
    const visitors = await burst(s);
    await ownerQueueDrained(s, 90_000);
    const elapsed = Date.now() - started;

    const log = carriers(await ownerLog(s));
    // The #help answer spent one message of the budget too.
    expect(log.length + 1).toBeLessThanOrEqual(budget.burst + Math.ceil(elapsed / budget.intervalMs));
    expect((await sandboxRefusals(s))['131056']).toBeUndefined();
    expect((await ownerStatus(s)).pair_limit_hits).toBe(0);
    const lines = log.flatMap((m) => m.lines);
    expect(new Set(lines.map((l) => l.conversation_id))).toEqual(new Set([...visitors.values()].map((v) => v.conversation_id)));
    expect(lines.reduce((n, l) => n + l.messages, 0)).toBe(100);
    expect(log.every((m) => m.status !== 'failed')).toBe(true);
    if (expectDigest) expect(log.some((m) => m.kind === 'digest')).toBe(true);

    const received = (await phoneInbox(s, OWNER)).slice(before);
    expect(received).toHaveLength(log.length);
    await everyAnswerArrives(s, visitors, await answerEverything(s, received));
  });
}

describe('a burst of 100 visitor messages from 30 visitors, default budget (40 at once, one per 6 s; Meta 45)', () => {
  burstScenario({}, { burst: 40, intervalMs: 6000 }, false);
});

describe('the same burst on a small budget (8 at once, one per 1.5 s): digests carry the rest', () => {
  burstScenario(
    { WHATSAPP_OWNER_BURST: '8', WHATSAPP_OWNER_INTERVAL_MS: '1500', SANDBOX_PAIR_BURST: '10', SANDBOX_PAIR_INTERVAL_MS: '1500' },
    { burst: 8, intervalMs: 1500 },
    true,
  );
});

describe('a budget set above what Meta allows', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ WHATSAPP_OWNER_BURST: '10', WHATSAPP_OWNER_INTERVAL_MS: '1000', SANDBOX_PAIR_BURST: '4', SANDBOX_PAIR_INTERVAL_MS: '1000' });
  });
  afterAll(() => s.stop());

  it('gets 131056, corrects the budget from it, and still delivers every conversation', async () => {
    // Seven conversations: a forward each fits the budget ConnectDesk believes in (10, 2 kept
    // back), but not the 4 the sandbox's Meta allows.
    const visitors = await inPool(
      Array.from({ length: 7 }, (_, i) => i),
      7,
      (i) => visitorWrites(s, `${name(i)} hello`, { name: name(i) }),
    );
    await ownerQueueDrained(s, 90_000);
    const refused = (await sandboxRefusals(s))['131056'] ?? 0;
    // Once: the refused forward waits (Meta asks for about 6 s), the budget counts from empty, and
    // the three after it go once "Meta" has room for them again.
    expect(refused).toBe(1);
    const status = await ownerStatus(s);
    expect(status.pair_limit_hits).toBe(refused);
    expect(status.last_pair_limit_at).not.toBeNull();
    const log = carriers(await ownerLog(s));
    expect(log.every((m) => m.status !== 'failed' && m.sent_at !== null)).toBe(true);
    expect(new Set(log.flatMap((m) => m.lines.map((l) => l.conversation_id)))).toEqual(new Set(visitors.map((v) => v.conversation_id)));
    expect((await phoneInbox(s, OWNER)).length).toBe(log.length);
  });
});
