/**
 * Sums over the report rollups (report_slots, report_slot_keys — db/rollups/): per day of the
 * period and channel, per agent, and per key (error code, country and pricing category). Each is
 * one GROUP BY over the period's slots through the primary key; nothing is summed in memory.
 */
import type { Knex } from 'knex';
import type { Channel } from '@connectdesk/shared';
import { DAY_MS, type SlotColumn, type KeyMetric } from '../db/rollups/facts.ts';
import type { ReportPeriod } from './report-period.ts';

export interface RollupFilter {
  channel: Channel | null;
  /** One agent's figures; null: everyone. */
  agentId: string | null;
}

export type Sums<C extends SlotColumn> = Record<C, number>;

const num = (v: unknown) => Number(v ?? 0);

function sums<C extends SlotColumn>(row: Record<string, unknown>, columns: readonly C[]): Sums<C> {
  return Object.fromEntries(columns.map((c) => [c, num(row[c])])) as Sums<C>;
}

/** Per day index and channel, the sums of `columns`. */
export async function dailySums<C extends SlotColumn>(
  db: Knex,
  period: ReportPeriod,
  filter: RollupFilter,
  columns: readonly C[],
): Promise<{ day: number; channel: Channel; sums: Sums<C> }[]> {
  const q = db('report_slots')
    .select(db.raw(`${period.dayIndexSql('slot')} AS day`), 'channel', ...columns.map((c) => db.raw(`SUM(??) AS ??`, [c, c])))
    .where('agent_id', filter.agentId ?? '')
    .andWhere('slot', '>=', period.start)
    .andWhere('slot', '<', period.end);
  if (filter.channel) q.andWhere('channel', filter.channel);
  const rows = (await q.groupBy('day', 'channel')) as Record<string, unknown>[];
  return rows.map((r) => ({ day: num(r.day), channel: r.channel as Channel, sums: sums(r, columns) }));
}

/** Per agent (of `agentIds`), the sums of `columns` over the period. */
export async function agentSums<C extends SlotColumn>(
  db: Knex,
  period: ReportPeriod,
  channel: Channel | null,
  agentIds: string[],
  columns: readonly C[],
): Promise<Map<string, Sums<C>>> {
  if (agentIds.length === 0) return new Map();
  // Whole UTC days from report_agent_days, the partial days at either end from report_slots.
  const firstDay = Math.ceil(period.start / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(period.end / DAY_MS) * DAY_MS;
  const pick = (q: Knex.QueryBuilder) => {
    q.select('agent_id', ...columns).whereIn('agent_id', agentIds);
    if (channel) q.andWhere('channel', channel);
    return q;
  };
  const slots = (from: number, to: number) => pick(db('report_slots')).andWhere('slot', '>=', from).andWhere('slot', '<', to);
  const parts =
    firstDay < lastDay
      ? [slots(period.start, firstDay), pick(db('report_agent_days')).andWhere('day', '>=', firstDay).andWhere('day', '<', lastDay), slots(lastDay, period.end)]
      : [slots(period.start, period.end)];
  const rows = (await db
    .select('agent_id', ...columns.map((c) => db.raw(`SUM(??) AS ??`, [c, c])))
    .from(parts[0]!.unionAll(parts.slice(1)).as('u'))
    .groupBy('agent_id')) as Record<string, unknown>[];
  return new Map(rows.map((r) => [String(r.agent_id), sums(r, columns)]));
}

/** Per key of `metric` (error codes, "country:category"), the count over the period. */
export async function keyCounts(db: Knex, period: ReportPeriod, filter: RollupFilter, metric: KeyMetric): Promise<{ key: string; count: number }[]> {
  const q = db('report_slot_keys')
    .select('key', db.raw('SUM(n) AS n'))
    .where('agent_id', filter.agentId ?? '')
    .andWhere('slot', '>=', period.start)
    .andWhere('slot', '<', period.end)
    .andWhere('metric', metric);
  if (filter.channel) q.andWhere('channel', filter.channel);
  const rows = (await q.groupBy('key')) as { key: string; n: unknown }[];
  return rows.map((r) => ({ key: r.key, count: num(r.n) })).filter((r) => r.count !== 0);
}
