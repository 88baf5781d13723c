/**
 * The Reports API over HTTP against seeded data (a month and a half across the 2026 DST changes,
 * written straight into the database so the server's triggers build the rollups), with every
 * expected figure computed independently from the seed's own record (support/report-expect.ts):
 * exact matches for several periods, time zones, channels and agents; business hours; costs from
 * the configured rates; who may see what; bad input refused with a clear 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../server/src/db/knex.ts';
import {
  businessMinutesMs,
  expectedAgents,
  expectedOwnerPhone,
  expectedResponseTimes,
  expectedSatisfaction,
  expectedVolume,
  expectedWhatsApp,
  type Query,
} from '../support/report-expect.ts';
import { seedReports, type Seed } from '../support/report-seed.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const RATES = [
  { country: '44', category: 'marketing', price: 0.0456 },
  { country: '*', category: 'marketing', price: 0.05 },
  { country: '351', category: 'authentication', price: 0.031 },
  { country: '1', category: 'utility', price: 0.0034 },
];

const QUERIES: Query[] = [
  { from: '2026-03-01', to: '2026-04-10', tz: 'Europe/Lisbon' },
  { from: '2026-03-01', to: '2026-04-10', tz: 'America/New_York', channel: 'web' },
  { from: '2026-03-05', to: '2026-03-31', tz: 'Asia/Kolkata', channel: 'whatsapp' },
  { from: '2026-03-27', to: '2026-03-30', tz: 'Europe/Lisbon' },
  { from: '2026-03-01', to: '2026-03-20', tz: 'Pacific/Chatham' },
];

const qs = (q: Query) =>
  new URLSearchParams({ from: q.from, to: q.to, tz: q.tz, ...(q.channel ? { channel: q.channel } : {}), ...(q.agent ? { agent_id: q.agent } : {}) }).toString();

describe('reports API', () => {
  let s: TestServer;
  let db: ReturnType<typeof createDb>;
  let seed: Seed;
  let agents: { id: string; name: string; cookie: string }[];
  beforeAll(async () => {
    s = await startTestServer();
    db = createDb(s.config.database);
    agents = [];
    for (const name of ['Ana Agent', 'Bruno Agent']) {
      const email = `${name.split(' ')[0]!.toLowerCase()}@example.com`;
      const invite = await s.admin('/admin/api/agents', { body: { email, name } });
      agents.push({ id: invite.body.agent.id, name, cookie: await s.signIn({ email, password: invite.body.password }) });
    }
    seed = await seedReports(
      db,
      agents.map((a) => a.id),
    );
    expect((await s.admin('/admin/api/settings/whatsapp-rates', { method: 'PUT', body: { currency: 'EUR', rates: RATES } })).status).toBe(200);
  });
  afterAll(async () => {
    await db.destroy();
    await s.stop();
  });

  const get = async (report: string, q: Query, cookie?: string) => {
    const res = await s.admin(`/admin/api/reports/${report}?${qs(q)}`, { cookie });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('seeded what the figures need', () => {
    expect(seed.cycles.filter((c) => c.reopened).length).toBeGreaterThan(3);
    expect(seed.surveys.filter((x) => x.comment).length).toBeGreaterThan(3);
    expect(seed.messages.filter((m) => m.waStatus === 'failed').length).toBeGreaterThan(3);
    expect(seed.ownerReplies.length).toBeGreaterThan(3);
  });

  it.each(QUERIES)('volume: conversations and messages per local day ($tz, $from to $to, $channel)', async (q) => {
    const body = await get('volume', q);
    const want = expectedVolume(seed, q);
    expect(body.daily).toEqual(want.daily);
    expect(body.totals).toEqual(want.totals);
    expect(body.by_channel).toEqual(want.by_channel);
    expect(body.period).toMatchObject({ from: q.from, to: q.to, tz: q.tz, days: want.daily.map((d) => d.date) });
    expect(body.totals.messages_in).toBeGreaterThan(0);
  });

  it.each(QUERIES)('response times: median and p90 of first response and resolution ($tz, $from to $to, $channel)', async (q) => {
    const body = await get('response-times', q);
    expect(body.business_hours.enabled).toBe(false);
    const want = expectedResponseTimes(seed, q);
    expect(body.first_response).toEqual(want.first_response);
    expect(body.resolution).toEqual(want.resolution);
  });

  it('response times count business hours when they are set, and all of the time again when not', async () => {
    const q = QUERIES[0]!;
    const widget = (await s.admin('/admin/api/settings/widget')).body.settings;
    const hours = { enabled: true, timezone: 'Europe/Lisbon', days: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })) };
    expect((await s.admin('/admin/api/settings/widget', { method: 'PUT', body: { ...widget, business_hours: hours } })).status).toBe(200);
    try {
      const body = await get('response-times', q);
      expect(body.business_hours).toEqual({ enabled: true, timezone: 'Europe/Lisbon' });
      const want = expectedResponseTimes(seed, q, (c, until) => businessMinutesMs(c.openedAt, until, 'Europe/Lisbon'));
      expect(body.first_response).toEqual(want.first_response);
      expect(body.resolution).toEqual(want.resolution);
      expect(body.resolution.median_ms).toBeLessThan(expectedResponseTimes(seed, q).resolution.median_ms!);
    } finally {
      await s.admin('/admin/api/settings/widget', { method: 'PUT', body: widget });
    }
    expect((await get('response-times', q)).resolution).toEqual(expectedResponseTimes(seed, q).resolution);
  });

  it.each(QUERIES.slice(0, 3))('agents: each agent’s figures ($tz $channel)', async (q) => {
    const body = await get('agents', q);
    const mine = body.data.filter((a: { agent_id: string }) => agents.some((x) => x.id === a.agent_id));
    expect(mine).toEqual(expectedAgents(seed, q, agents));
  });

  it.each(QUERIES)('WhatsApp: delivery, failures with explanations, templates, cost ($tz, $from to $to, $channel)', async (q) => {
    const body = await get('whatsapp', q);
    const want = expectedWhatsApp(seed, q, RATES);
    expect(body.messages).toEqual(want.messages);
    expect(body.daily).toEqual(want.daily);
    expect(body.templates).toEqual(want.templates);
    expect(body.failures.map((f: { code: string; count: number }) => ({ code: f.code, count: f.count }))).toEqual(want.failures);
    for (const f of body.failures) expect(f.explanation.length).toBeGreaterThan(10);
    expect(body.cost).toEqual({ currency: 'EUR', ...want.cost });
  });

  it.each(QUERIES.slice(0, 2))('owner’s phone: forwards, replies and time to answer ($tz)', async (q) => {
    const body = await get('owner-phone', q);
    const want = expectedOwnerPhone(seed, q);
    expect(body.forwards).toEqual(want.forwards);
    expect(body.failures.map((f: { code: string; count: number }) => ({ code: f.code, count: f.count }))).toEqual(want.failures);
    expect(body.replies).toBe(want.replies);
    expect(body.time_to_answer).toEqual(want.time_to_answer);
    expect(body.daily).toEqual(want.daily);
  });

  it.each(QUERIES)('satisfaction: responses, average, distribution, comments ($tz, $from to $to, $channel)', async (q) => {
    const body = await get('satisfaction', q);
    const want = expectedSatisfaction(seed, q);
    const { comments, ...figures } = want;
    expect({
      asked: body.asked,
      responses: body.responses,
      response_rate: body.response_rate,
      average: body.average,
      distribution: body.distribution,
      daily: body.daily,
    }).toEqual(figures);
    const page1 = (await s.admin(`/admin/api/reports/satisfaction/comments?${qs(q)}&limit=3`)).body;
    const rest = page1.next_cursor ? (await s.admin(`/admin/api/reports/satisfaction/comments?${qs(q)}&limit=100&cursor=${page1.next_cursor}`)).body.data : [];
    const all = [...page1.data, ...rest].map((c: any) => ({ rating: c.rating, comment: c.comment, answered_at: c.answered_at, channel: c.channel }));
    expect(all).toEqual(comments);
  });

  it('an agent sees their own figures only; the owner’s phone is for admins', async () => {
    const [ana, bruno] = agents as [(typeof agents)[0], (typeof agents)[0]];
    const q = QUERIES[0]!;
    const own = await get('volume', q, ana.cookie);
    expect(own.filters).toEqual({ channel: null, agent_id: ana.id });
    expect(own.totals).toEqual(expectedVolume(seed, { ...q, agent: ana.id }).totals);
    expect((await get('agents', q, ana.cookie)).data.map((a: { agent_id: string }) => a.agent_id)).toEqual([ana.id]);
    expect((await get('satisfaction', q, ana.cookie)).responses).toBe(expectedSatisfaction(seed, { ...q, agent: ana.id }).responses);
    const other = await s.admin(`/admin/api/reports/volume?${qs({ ...q, agent: bruno.id })}`, { cookie: ana.cookie });
    expect(other.status).toBe(403);
    expect((await s.admin(`/admin/api/reports/owner-phone?${qs(q)}`, { cookie: ana.cookie })).status).toBe(403);
    // Admins pick an agent, or see everyone.
    expect((await get('volume', { ...q, agent: bruno.id })).totals).toEqual(expectedVolume(seed, { ...q, agent: bruno.id }).totals);
    expect((await s.admin(`/admin/api/reports/volume?${qs({ ...q, agent: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })}`)).status).toBe(404);
  });

  it('bad input: a clear 400 naming the field', async () => {
    const bad = async (params: string, field: RegExp) => {
      const res = await s.admin(`/admin/api/reports/volume?${params}`);
      expect(res.status, params).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(field) });
    };
    await bad('from=2026-03-01&to=2026-03-31&tz=Mars/Olympus', /^tz/);
    await bad('from=2026-03-31&to=2026-03-01&tz=UTC', /^to/);
    await bad('from=2025-01-01&to=2026-03-01&tz=UTC', /^to: .*366 days/);
    await bad('from=2026-02-30&to=2026-03-01&tz=UTC', /^from/);
    await bad('from=2026-03-01&tz=UTC', /^to/);
    await bad('from=2026-03-01&to=2026-03-02&tz=UTC&channel=sms', /^channel/);
    const rates = await s.admin('/admin/api/settings/whatsapp-rates', {
      method: 'PUT',
      body: { currency: 'EUR', rates: [{ country: '+44', category: 'marketing', price: 1 }] },
    });
    expect(rates.status).toBe(400);
    const dup = await s.admin('/admin/api/settings/whatsapp-rates', { method: 'PUT', body: { currency: 'EUR', rates: [RATES[0], RATES[0]] } });
    expect(dup.status).toBe(400);
    expect((await s.admin('/admin/api/settings/whatsapp-rates')).body.rates.rates).toEqual(RATES);
  });

  it('API tokens need the reports scope', async () => {
    const without = await s.admin('/admin/api/tokens', { body: { name: 'no reports', scopes: ['conversations:read'] } });
    const withIt = await s.admin('/admin/api/tokens', { body: { name: 'reports', scopes: ['reports'] } });
    const call = (token: string) => s.fetch(`/admin/api/reports/volume?${qs(QUERIES[0]!)}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call(without.body.token)).status).toBe(403);
    expect((await call(withIt.body.token)).status).toBe(200);
  });
});
