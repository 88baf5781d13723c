/**
 * Expected report figures, computed from a seed's own record (report-seed.ts) with nothing of the
 * server's: local dates from Intl.DateTimeFormat, business time minute by minute, percentiles by
 * sorting. The tests compare the API's answers with these, exactly.
 */
import type { Seed, SeedCycle } from './report-seed.ts';

export interface Query {
  from: string;
  to: string;
  tz: string;
  channel?: 'web' | 'whatsapp';
  agent?: string;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function localDate(ms: number, tz: string): string {
  let f = dateFormats.get(tz);
  if (!f) dateFormats.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(new Date(ms));
}

export function daysOf(q: Query): string[] {
  const out: string[] = [];
  for (let d = new Date(`${q.from}T00:00:00Z`); d.toISOString().slice(0, 10) <= q.to; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

const inPeriod = (q: Query, ms: number | null) => ms !== null && localDate(ms, q.tz) >= q.from && localDate(ms, q.tz) <= q.to;
const matches = (q: Query, x: { channel: string; agent: string | null }) => (!q.channel || x.channel === q.channel) && (!q.agent || x.agent === q.agent);

/** Nearest-rank percentile: the ⌈p·n⌉-th smallest. */
function stats(values: number[]): { count: number; median_ms: number | null; p90_ms: number | null } {
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => (v.length ? v[Math.ceil((p * v.length) / 100) - 1]! : null);
  return { count: v.length, median_ms: at(50), p90_ms: at(90) };
}

export function expectedVolume(seed: Seed, q: Query) {
  const zero = () => ({
    conversations_opened: 0,
    conversations_reopened: 0,
    conversations_resolved: 0,
    messages_in: 0,
    messages_out: 0,
    messages_from_owner_phone: 0,
  });
  const daily = daysOf(q).map((date) => ({ date, web: zero(), whatsapp: zero() }));
  const day = (ms: number) => daily.find((d) => d.date === localDate(ms, q.tz));
  for (const c of seed.cycles.filter((c) => matches(q, c))) {
    const o = day(c.openedAt);
    if (o) {
      o[c.channel].conversations_opened++;
      if (c.reopened) o[c.channel].conversations_reopened++;
    }
    const r = c.resolvedAt === null ? undefined : day(c.resolvedAt);
    if (r) r[c.channel].conversations_resolved++;
  }
  for (const m of seed.messages.filter((m) => matches(q, m))) {
    const d = day(m.at);
    if (!d) continue;
    if (m.kind === 'in') d[m.channel].messages_in++;
    if (m.kind === 'out') d[m.channel].messages_out++;
    if (m.kind === 'owner') d[m.channel].messages_from_owner_phone++;
  }
  const sum = (pick: (d: (typeof daily)[number]) => ReturnType<typeof zero>[]) => {
    const total = zero();
    for (const d of daily) for (const part of pick(d)) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += part[k];
    return total;
  };
  return { totals: sum((d) => [d.web, d.whatsapp]), by_channel: { web: sum((d) => [d.web]), whatsapp: sum((d) => [d.whatsapp]) }, daily };
}

/** Business hours Mon–Fri 09:00–17:00 in `tz`, counted minute by minute. */
export function businessMinutesMs(from: number, to: number, tz: string): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  let open = 0;
  for (let t = from; t < to; t += 60_000) {
    const parts = Object.fromEntries(f.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    const minute = Number(parts.hour) * 60 + Number(parts.minute);
    if (!['Sat', 'Sun'].includes(parts.weekday!) && minute >= 9 * 60 && minute < 17 * 60) open += 60_000;
  }
  return open;
}

type Duration = (c: SeedCycle, until: number) => number;
const wall: Duration = (c, until) => until - c.openedAt;

export function expectedResponseTimes(seed: Seed, q: Query, duration: Duration = wall) {
  const metric = (at: (c: SeedCycle) => number | null) => {
    const of = (channel?: string) =>
      stats(
        seed.cycles
          .filter((c) => matches({ ...q, channel: (channel ?? q.channel) as Query['channel'] }, c) && inPeriod(q, at(c)))
          .map((c) => duration(c, at(c)!)),
      );
    return { ...of(), by_channel: { web: q.channel === 'whatsapp' ? stats([]) : of('web'), whatsapp: q.channel === 'web' ? stats([]) : of('whatsapp') } };
  };
  return { first_response: metric((c) => c.firstResponseAt), resolution: metric((c) => c.resolvedAt) };
}

export function expectedAgents(seed: Seed, q: Query, agents: { id: string; name: string }[]) {
  return agents.map((a) => {
    const mine = { ...q, agent: a.id };
    const cycles = seed.cycles.filter((c) => matches(mine, c));
    const answered = seed.surveys.filter((s) => matches(mine, s) && s.rating !== null && inPeriod(q, s.answeredAt));
    const rt = expectedResponseTimes(seed, mine);
    return {
      agent_id: a.id,
      name: a.name,
      conversations_opened: cycles.filter((c) => inPeriod(q, c.openedAt)).length,
      conversations_resolved: cycles.filter((c) => inPeriod(q, c.resolvedAt)).length,
      messages_out: seed.messages.filter((m) => matches(mine, m) && m.kind === 'out' && inPeriod(q, m.at)).length,
      first_response: { count: rt.first_response.count, median_ms: rt.first_response.median_ms, p90_ms: rt.first_response.p90_ms },
      resolution: { count: rt.resolution.count, median_ms: rt.resolution.median_ms, p90_ms: rt.resolution.p90_ms },
      satisfaction: { responses: answered.length, average: answered.length ? answered.reduce((n, s) => n + s.rating!, 0) / answered.length : null },
    };
  });
}

function delivery(statuses: string[]) {
  const n = (s: string) => statuses.filter((x) => x === s).length;
  return {
    total: statuses.length,
    queued: n('queued'),
    sent: n('sent') + n('delivered') + n('read'),
    delivered: n('delivered') + n('read'),
    read: n('read'),
    failed: n('failed'),
  };
}

const billed = (x: { waStatus?: string; status?: string; billable?: { country: string; category: string } }) =>
  x.billable && ['delivered', 'read'].includes(x.waStatus ?? x.status ?? '') ? `${x.billable.country}:${x.billable.category}` : null;

export function expectedWhatsApp(seed: Seed, q: Query, rates: { country: string; category: string; price: number }[]) {
  const out = seed.messages.filter((m) => matches(q, m) && m.channel === 'whatsapp' && m.kind === 'out' && inPeriod(q, m.at));
  const codes = new Map<string, number>();
  for (const m of out) if (m.waStatus === 'failed') codes.set(m.errorCode!, (codes.get(m.errorCode!) ?? 0) + 1);
  const keys = new Map<string, number>();
  for (const m of seed.messages.filter((m) => matches(q, m) && inPeriod(q, m.at))) {
    const k = billed(m);
    if (k) keys.set(k, (keys.get(k) ?? 0) + 1);
  }
  if (!q.agent && q.channel !== 'whatsapp') {
    for (const f of seed.forwards.filter((f) => inPeriod(q, f.at))) {
      const k = billed(f);
      if (k) keys.set(k, (keys.get(k) ?? 0) + 1);
    }
  }
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const lines = [...keys]
    .map(([key, messages]) => {
      const [country, category] = key.split(':') as [string, string];
      const rate =
        rates.find((r) => r.country === country && r.category === category)?.price ??
        rates.find((r) => r.country === '*' && r.category === category)?.price ??
        null;
      return { country, category, messages, rate, cost: rate === null ? null : round(rate * messages) };
    })
    .sort((a, b) => a.country.localeCompare(b.country) || a.category.localeCompare(b.category));
  return {
    messages: delivery(out.map((m) => m.waStatus!)),
    failures: [...codes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    templates: ['marketing', 'utility', 'authentication', 'other'].map((category) => ({
      category,
      count: out.filter((m) => m.templateCategory === category).length,
    })),
    cost: {
      total: round(lines.reduce((s, l) => s + (l.cost ?? 0), 0)),
      lines,
      unpriced_messages: lines.filter((l) => l.rate === null).reduce((s, l) => s + l.messages, 0),
    },
    daily: daysOf(q).map((date) => ({ date, ...delivery(out.filter((m) => localDate(m.at, q.tz) === date).map((m) => m.waStatus!)) })),
  };
}

export function expectedOwnerPhone(seed: Seed, q: Query) {
  const forwards = seed.forwards.filter((f) => inPeriod(q, f.at));
  const replies = seed.ownerReplies.filter((r) => inPeriod(q, r.at));
  const first = new Map<string, { at: number; questionAt: number }>();
  for (const r of replies) if (!first.has(r.question) || first.get(r.question)!.at > r.at) first.set(r.question, r);
  const codes = new Map<string, number>();
  for (const f of forwards) if (f.status === 'failed') codes.set(f.errorCode!, (codes.get(f.errorCode!) ?? 0) + 1);
  return {
    forwards: delivery(forwards.map((f) => f.status)),
    failures: [...codes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    replies: replies.length,
    time_to_answer: stats([...first.values()].map((r) => r.at - r.questionAt)),
    daily: daysOf(q).map((date) => ({
      date,
      forwards: forwards.filter((f) => localDate(f.at, q.tz) === date).length,
      replies: replies.filter((r) => localDate(r.at, q.tz) === date).length,
    })),
  };
}

export function expectedSatisfaction(seed: Seed, q: Query) {
  const surveys = seed.surveys.filter((s) => matches(q, s));
  const asked = surveys.filter((s) => inPeriod(q, s.askedAt));
  const answered = surveys.filter((s) => s.rating !== null && inPeriod(q, s.answeredAt));
  const avg = (xs: typeof answered) => (xs.length ? xs.reduce((n, s) => n + s.rating!, 0) / xs.length : null);
  return {
    asked: asked.length,
    responses: answered.length,
    response_rate: asked.length ? answered.length / asked.length : null,
    average: avg(answered),
    distribution: Object.fromEntries([1, 2, 3, 4, 5].map((k) => [String(k), answered.filter((s) => s.rating === k).length])),
    daily: daysOf(q).map((date) => {
      const day = answered.filter((s) => localDate(s.answeredAt!, q.tz) === date);
      return { date, asked: asked.filter((s) => localDate(s.askedAt, q.tz) === date).length, responses: day.length, average: avg(day) };
    }),
    comments: answered
      .filter((s) => s.comment)
      .sort((a, b) => b.answeredAt! - a.answeredAt!)
      .map((s) => ({ rating: s.rating, comment: s.comment, answered_at: new Date(s.answeredAt!).toISOString(), channel: s.channel })),
  };
}
