/**
 * The reports: how busy (volume), how fast (response times, per agent), WhatsApp delivery and
 * cost, the owner's phone, and satisfaction — for a period in a time zone, one channel or both,
 * everyone or one agent. Every figure is an aggregate computed by the database (rollup-queries.ts,
 * duration-queries.ts); this module shapes them into the API's JSON.
 */
import type { Knex } from 'knex';
import type {
  AgentsReportJson,
  BusinessHours,
  Channel,
  DeliveryCounts,
  FailureJson,
  OwnerPhoneReportJson,
  ReportQuery,
  ResponseTimesReportJson,
  SatisfactionReportJson,
  VolumeCounts,
  VolumeReportJson,
  WhatsAppRates,
  WhatsAppReportJson,
} from '@connectdesk/shared';
import { explainMetaError } from '@connectdesk/shared';
import type { SurveysRepo } from '../db/repos/surveys-repo.ts';
import { priceLines } from './cost-estimate.ts';
import type { CycleDurations } from './cycle-durations.ts';
import { cycleDurations, EMPTY_STATS, KEY_ALL, ownerAnswerTimes } from './duration-queries.ts';
import { reportPeriod, type ReportPeriod } from './report-period.ts';
import { agentSums, dailySums, keyCounts, type RollupFilter, type Sums } from './rollup-queries.ts';

export interface ReportsServiceDeps {
  db: Knex;
  durations: CycleDurations;
  surveys: SurveysRepo;
  businessHours(): Promise<BusinessHours>;
  rates(): Promise<WhatsAppRates>;
  /** Everyone who can have figures (agents and admins), by id. */
  agents(): Promise<{ id: string; name: string }[]>;
}

/** A report request after access rules: `agentId` is forced to the caller for agents. */
export interface ReportScope {
  query: ReportQuery;
  agentId: string | null;
}

const VOLUME = ['opened', 'reopened', 'resolved', 'msg_in', 'msg_out', 'msg_owner'] as const;
const WA = ['wa_queued', 'wa_sent', 'wa_delivered', 'wa_read', 'wa_failed'] as const;
const TEMPLATES = ['tpl_marketing', 'tpl_utility', 'tpl_authentication', 'tpl_other'] as const;
const FORWARDS = ['fw_queued', 'fw_sent', 'fw_delivered', 'fw_read', 'fw_failed'] as const;
const CSAT = ['csat_asked', 'csat_1', 'csat_2', 'csat_3', 'csat_4', 'csat_5'] as const;

const zeroVolume = (): VolumeCounts => ({
  conversations_opened: 0,
  conversations_reopened: 0,
  conversations_resolved: 0,
  messages_in: 0,
  messages_out: 0,
  messages_from_owner_phone: 0,
});

function addVolume(into: VolumeCounts, s: Sums<(typeof VOLUME)[number]>): void {
  into.conversations_opened += s.opened;
  into.conversations_reopened += s.reopened;
  into.conversations_resolved += s.resolved;
  into.messages_in += s.msg_in;
  into.messages_out += s.msg_out;
  into.messages_from_owner_phone += s.msg_owner;
}

/** Exclusive current statuses → how far messages got (sent includes delivered and read ones). */
function delivery(queued: number, sent: number, delivered: number, read: number, failed: number): DeliveryCounts {
  return { total: queued + sent + delivered + read + failed, queued, sent: sent + delivered + read, delivered: delivered + read, read, failed };
}

function failures(rows: { key: string; count: number }[]): FailureJson[] {
  return rows
    .map((r) => {
      const info = explainMetaError(r.key);
      return { code: r.key, title: info.title, explanation: info.explanation, count: r.count };
    })
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

function satisfaction(s: Sums<(typeof CSAT)[number]>): { responses: number; average: number | null } {
  const responses = s.csat_1 + s.csat_2 + s.csat_3 + s.csat_4 + s.csat_5;
  const points = s.csat_1 + 2 * s.csat_2 + 3 * s.csat_3 + 4 * s.csat_4 + 5 * s.csat_5;
  return { responses, average: responses === 0 ? null : points / responses };
}

export class ReportsService {
  constructor(private readonly deps: ReportsServiceDeps) {}

  private scope(req: ReportScope): {
    period: ReportPeriod;
    filter: RollupFilter;
    base: { period: ReturnType<ReportPeriod['json']>; filters: { channel: Channel | null; agent_id: string | null } };
  } {
    const period = reportPeriod(req.query.from, req.query.to, req.query.tz);
    const filter: RollupFilter = { channel: req.query.channel ?? null, agentId: req.agentId };
    return { period, filter, base: { period: period.json(), filters: { channel: filter.channel, agent_id: filter.agentId } } };
  }

  private async daily<C extends (typeof VOLUME | typeof WA | typeof TEMPLATES | typeof FORWARDS | typeof CSAT)[number]>(
    period: ReportPeriod,
    filter: RollupFilter,
    columns: readonly C[],
  ) {
    return dailySums(this.deps.db, period, filter, columns);
  }

  async volume(req: ReportScope): Promise<VolumeReportJson> {
    const { period, filter, base } = this.scope(req);
    const totals = zeroVolume();
    const byChannel: Record<Channel, VolumeCounts> = { web: zeroVolume(), whatsapp: zeroVolume() };
    const daily = period.days.map((date) => ({ date, web: zeroVolume(), whatsapp: zeroVolume() }));
    for (const row of await this.daily(period, filter, VOLUME)) {
      addVolume(totals, row.sums);
      addVolume(byChannel[row.channel], row.sums);
      addVolume(daily[row.day]![row.channel], row.sums);
    }
    return { ...base, totals, by_channel: byChannel, daily };
  }

  async responseTimes(req: ReportScope): Promise<ResponseTimesReportJson> {
    const { period, filter, base } = this.scope(req);
    await this.deps.durations.fill();
    const hours = await this.deps.businessHours();
    const metric = async (m: 'first_response' | 'resolution') => {
      const all = await cycleDurations(this.deps.db, period, m, filter, null);
      const byChannel = await cycleDurations(this.deps.db, period, m, filter, 'channel');
      return {
        ...(all.get(KEY_ALL) ?? EMPTY_STATS),
        by_channel: { web: byChannel.get('web') ?? EMPTY_STATS, whatsapp: byChannel.get('whatsapp') ?? EMPTY_STATS },
      };
    };
    return {
      ...base,
      business_hours: { enabled: hours.enabled, timezone: hours.timezone },
      first_response: await metric('first_response'),
      resolution: await metric('resolution'),
    };
  }

  async agents(req: ReportScope): Promise<AgentsReportJson> {
    const { period, filter, base } = this.scope(req);
    await this.deps.durations.fill();
    const everyone = await this.deps.agents();
    const agents = req.agentId ? everyone.filter((a) => a.id === req.agentId) : everyone;
    const ids = agents.map((a) => a.id);
    const sums = await agentSums(this.deps.db, period, filter.channel, ids, ['opened', 'resolved', 'msg_out', ...CSAT] as const);
    const frt = await cycleDurations(this.deps.db, period, 'first_response', filter, 'agent_id');
    const res = await cycleDurations(this.deps.db, period, 'resolution', filter, 'agent_id');
    const data = agents.map((a) => {
      const s = sums.get(a.id);
      return {
        agent_id: a.id,
        name: a.name,
        conversations_opened: s?.opened ?? 0,
        conversations_resolved: s?.resolved ?? 0,
        messages_out: s?.msg_out ?? 0,
        first_response: frt.get(a.id) ?? EMPTY_STATS,
        resolution: res.get(a.id) ?? EMPTY_STATS,
        satisfaction: s ? satisfaction(s) : { responses: 0, average: null },
      };
    });
    return { ...base, data };
  }

  async whatsapp(req: ReportScope): Promise<WhatsAppReportJson> {
    const { period, filter, base } = this.scope(req);
    const daily = period.days.map((date) => ({ date, ...delivery(0, 0, 0, 0, 0) }));
    const sums = { wa_queued: 0, wa_sent: 0, wa_delivered: 0, wa_read: 0, wa_failed: 0, tpl_marketing: 0, tpl_utility: 0, tpl_authentication: 0, tpl_other: 0 };
    for (const row of await this.daily(period, filter, [...WA, ...TEMPLATES] as const)) {
      for (const c of Object.keys(sums) as (keyof typeof sums)[]) sums[c] += row.sums[c];
      const d = daily[row.day]!;
      const add = delivery(row.sums.wa_queued, row.sums.wa_sent, row.sums.wa_delivered, row.sums.wa_read, row.sums.wa_failed);
      for (const k of ['total', 'queued', 'sent', 'delivered', 'read', 'failed'] as const) d[k] += add[k];
    }
    const templates = sums;
    const billable = await keyCounts(this.deps.db, period, filter, 'billable');
    return {
      ...base,
      messages: delivery(sums.wa_queued, sums.wa_sent, sums.wa_delivered, sums.wa_read, sums.wa_failed),
      failures: failures(await keyCounts(this.deps.db, period, filter, 'wa_failed')),
      templates: TEMPLATES.map((c) => ({ category: c.slice(4), count: templates[c] })),
      cost: priceLines(billable, await this.deps.rates()),
      daily,
    };
  }

  async ownerPhone(req: ReportScope): Promise<OwnerPhoneReportJson> {
    const { period, filter, base } = this.scope(req);
    const daily = period.days.map((date) => ({ date, forwards: 0, replies: 0 }));
    const sums = { fw_queued: 0, fw_sent: 0, fw_delivered: 0, fw_read: 0, fw_failed: 0, msg_owner: 0 };
    for (const row of await this.daily(period, filter, [...FORWARDS, 'msg_owner'] as const)) {
      for (const c of Object.keys(sums) as (keyof typeof sums)[]) sums[c] += row.sums[c];
      daily[row.day]!.forwards += FORWARDS.reduce((n, c) => n + row.sums[c], 0);
      daily[row.day]!.replies += row.sums.msg_owner;
    }
    return {
      ...base,
      forwards: delivery(sums.fw_queued, sums.fw_sent, sums.fw_delivered, sums.fw_read, sums.fw_failed),
      failures: failures(await keyCounts(this.deps.db, period, filter, 'fw_failed')),
      replies: sums.msg_owner,
      time_to_answer: filter.channel === 'whatsapp' ? EMPTY_STATS : await ownerAnswerTimes(this.deps.db, period),
      daily,
    };
  }

  async satisfaction(req: ReportScope): Promise<SatisfactionReportJson> {
    const { period, filter, base } = this.scope(req);
    const totals = { csat_asked: 0, csat_1: 0, csat_2: 0, csat_3: 0, csat_4: 0, csat_5: 0 };
    const perDay = period.days.map(() => ({ ...totals }));
    for (const row of await this.daily(period, filter, CSAT)) {
      for (const c of CSAT) {
        totals[c] += row.sums[c];
        perDay[row.day]![c] += row.sums[c];
      }
    }
    const overall = satisfaction(totals);
    return {
      ...base,
      asked: totals.csat_asked,
      responses: overall.responses,
      response_rate: totals.csat_asked === 0 ? null : overall.responses / totals.csat_asked,
      average: overall.average,
      distribution: { '1': totals.csat_1, '2': totals.csat_2, '3': totals.csat_3, '4': totals.csat_4, '5': totals.csat_5 },
      daily: period.days.map((date, i) => ({ date, asked: perDay[i]!.csat_asked, ...satisfaction(perDay[i]!) })),
    };
  }

  async comments(req: ReportScope, page: { limit: number; cursor?: string | null }) {
    const { period, filter } = this.scope(req);
    return this.deps.surveys.comments({ start: period.start, end: period.end, channel: filter.channel, agentId: filter.agentId, ...page });
  }
}
