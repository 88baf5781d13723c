/**
 * Median and p90 of durations, as nearest-rank percentiles (the ⌈p·n⌉-th smallest value), by the
 * database. PostgreSQL: percentile_disc over the period's rows (time index). SQLite has no
 * percentile function: it counts the period's rows, then walks an index in duration order to the
 * ⌈p·n⌉-th one that falls in the period — no sort, no rows brought into memory.
 */
import type { Knex } from 'knex';
import type { Channel, DurationStatsJson } from '@connectdesk/shared';
import { isPostgres } from '../db/knex.ts';
import type { ReportPeriod } from './report-period.ts';
import type { RollupFilter } from './rollup-queries.ts';

export type DurationMetric = 'first_response' | 'resolution';
export type DurationGroup = 'channel' | 'agent_id' | null;

const COLUMNS = {
  first_response: { at: 'first_response_at', ms: 'first_response_ms', index: 'frt' },
  resolution: { at: 'resolved_at', ms: 'resolution_ms', index: 'res' },
} as const;

/** 1-based rank of the nearest-rank percentile `percent` of n values (exact integer arithmetic). */
function nearestRank(percent: number, n: number): number {
  return Math.max(1, Math.floor((percent * n + 99) / 100));
}

export const EMPTY_STATS: DurationStatsJson = { count: 0, median_ms: null, p90_ms: null };

type Stats = Map<string, DurationStatsJson>;
/** The key of the one group when durations are not grouped. */
export const KEY_ALL = '*';

function filtered(q: Knex.QueryBuilder, filter: RollupFilter): Knex.QueryBuilder {
  if (filter.channel) q.andWhere('channel', filter.channel);
  if (filter.agentId) q.andWhere('agent_id', filter.agentId);
  return q;
}

/** Stats per group value ('*' when not grouped) of cycles whose `at` falls in the period. */
export async function cycleDurations(db: Knex, period: ReportPeriod, metric: DurationMetric, filter: RollupFilter, group: DurationGroup): Promise<Stats> {
  const { at, ms } = COLUMNS[metric];
  const base = () => filtered(db('conversation_cycles').whereNotNull(ms).andWhere(at, '>=', period.start).andWhere(at, '<', period.end), filter);
  if (isPostgres(db)) {
    // 0.5 − ε: percentile_disc takes ⌈p·n⌉ in floating point, where 0.9 · 30 is 27.000000000000004.
    const q = base().select(
      db.raw('COUNT(*) AS n'),
      db.raw(`percentile_disc(0.499999999) WITHIN GROUP (ORDER BY ??) AS p50`, [ms]),
      db.raw(`percentile_disc(0.899999999) WITHIN GROUP (ORDER BY ??) AS p90`, [ms]),
    );
    if (group) q.select(db.raw('?? AS g', [group])).groupBy(group);
    const rows = (await q) as { n: unknown; p50: unknown; p90: unknown; g?: string | null }[];
    return new Map(
      rows
        .filter((r) => Number(r.n) > 0 && !(group && r.g === null))
        .map((r) => [group ? String(r.g) : KEY_ALL, { count: Number(r.n), median_ms: Number(r.p50), p90_ms: Number(r.p90) }]),
    );
  }
  const out: Stats = new Map();
  for (const row of await sqliteCounts(db, period, metric, filter, group)) {
    const n = Number(row.n);
    if (n === 0 || (group && row.g === null)) continue;
    const key = group ? String(row.g) : KEY_ALL;
    const groupFilter: RollupFilter = {
      channel: group === 'channel' ? (key as Channel) : filter.channel,
      agentId: group === 'agent_id' ? key : filter.agentId,
    };
    out.set(key, {
      count: n,
      median_ms: await nth(db, period, metric, groupFilter, nearestRank(50, n)),
      p90_ms: await nth(db, period, metric, groupFilter, nearestRank(90, n)),
    });
  }
  return out;
}

/** The index whose leading column is `lead`, in duration order after it. */
function durationIndex(metric: DurationMetric, lead: 'agent_id' | 'channel' | null): string {
  const { index } = COLUMNS[metric];
  return lead === 'agent_id' ? `cycles_${index}_agent_ms` : lead === 'channel' ? `cycles_${index}_channel_ms` : `cycles_${index}_ms`;
}

/**
 * SQLite: the period's cycle counts, per group. Grouped counts read the index that leads with the
 * group column, so rows arrive in group order (left to itself, the planner may scan by time and
 * sort every row into a temporary tree).
 */
async function sqliteCounts(
  db: Knex,
  period: ReportPeriod,
  metric: DurationMetric,
  filter: RollupFilter,
  group: DurationGroup,
): Promise<{ n: unknown; g?: string | null }[]> {
  const { at, ms } = COLUMNS[metric];
  const where: string[] = [`${ms} IS NOT NULL`, `${at} >= ?`, `${at} < ?`];
  const bindings: (string | number)[] = [period.start, period.end];
  if (filter.agentId) {
    where.push('agent_id = ?');
    bindings.push(filter.agentId);
  }
  if (filter.channel) {
    where.push('channel = ?');
    bindings.push(filter.channel);
  }
  const indexed = group ? ` INDEXED BY ${durationIndex(metric, group)}` : '';
  const select = group ? `COUNT(*) AS n, ${group} AS g` : 'COUNT(*) AS n';
  return (await db.raw(`SELECT ${select} FROM conversation_cycles${indexed} WHERE ${where.join(' AND ')}${group ? ` GROUP BY ${group}` : ''}`, bindings)) as {
    n: unknown;
    g?: string | null;
  }[];
}

/** SQLite: the rank-th smallest duration of the period's cycles, walking an index in duration order. */
async function nth(db: Knex, period: ReportPeriod, metric: DurationMetric, filter: RollupFilter, rank: number): Promise<number | null> {
  const { at, ms } = COLUMNS[metric];
  const name = durationIndex(metric, filter.agentId ? 'agent_id' : filter.channel ? 'channel' : null);
  const where: string[] = [];
  const bindings: (string | number)[] = [];
  if (filter.agentId) {
    where.push('agent_id = ?');
    bindings.push(filter.agentId);
  }
  if (filter.channel) {
    where.push('channel = ?');
    bindings.push(filter.channel);
  }
  // The unary + keeps the period out of the index choice: with it, SQLite's planner may prefer a
  // skip-scan on the time column and then sort every row of the year (hundreds of ms); without it,
  // the walk goes in duration order and tests the time on each index entry.
  where.push(`${ms} IS NOT NULL`, `+${at} >= ?`, `+${at} < ?`);
  bindings.push(period.start, period.end, rank - 1);
  const rows = (await db.raw(
    `SELECT ${ms} AS v FROM conversation_cycles INDEXED BY ${name} WHERE ${where.join(' AND ')} ORDER BY ${ms} LIMIT 1 OFFSET ?`,
    bindings,
  )) as { v: unknown }[];
  return rows[0] ? Number(rows[0].v) : null;
}

/**
 * The owner's time to answer from the phone: per visitor message the owner replied to in the
 * period, from that message to the owner's first reply in the period.
 */
export async function ownerAnswerTimes(db: Knex, period: ReportPeriod): Promise<DurationStatsJson> {
  const answers = `SELECT MIN(r.created_at) - q.created_at AS v FROM messages r JOIN messages q ON q.id = r.context_message_id
    WHERE r.sender = 'owner' AND r.created_at >= ? AND r.created_at < ? GROUP BY r.context_message_id, q.created_at`;
  const range = [period.start, period.end];
  if (isPostgres(db)) {
    const { rows } = (await db.raw(
      `SELECT COUNT(*) AS n, percentile_disc(0.499999999) WITHIN GROUP (ORDER BY v) AS p50, percentile_disc(0.899999999) WITHIN GROUP (ORDER BY v) AS p90 FROM (${answers}) a`,
      range,
    )) as { rows: { n: unknown; p50: unknown; p90: unknown }[] };
    const r = rows[0]!;
    return Number(r.n) === 0 ? EMPTY_STATS : { count: Number(r.n), median_ms: Number(r.p50), p90_ms: Number(r.p90) };
  }
  // One pass: number the answers in order, then pick the two nearest ranks (integer arithmetic as in nearestRank).
  const rows = (await db.raw(
    `SELECT MAX(n) AS n, MAX(CASE WHEN rn = MAX(1, (50 * n + 99) / 100) THEN v END) AS p50, MAX(CASE WHEN rn = MAX(1, (90 * n + 99) / 100) THEN v END) AS p90
     FROM (SELECT v, ROW_NUMBER() OVER (ORDER BY v) AS rn, COUNT(*) OVER () AS n FROM (${answers}) a) ranked`,
    range,
  )) as { n: number | null; p50: number | null; p90: number | null }[];
  const r = rows[0];
  return !r || !r.n ? EMPTY_STATS : { count: Number(r.n), median_ms: Number(r.p50), p90_ms: Number(r.p90) };
}
