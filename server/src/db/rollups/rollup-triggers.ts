/**
 * The triggers that keep report_slots, report_agent_days and report_slot_keys current, generated
 * from facts.ts for SQLite and PostgreSQL. Being triggers, they see every write of every code path (inserts, status
 * webhooks, retries, bulk updates) in the writer's own transaction: the rollups cannot drift from
 * the rows. Rows are never deleted by ConnectDesk; a deletion would leave its counts behind until
 * the next rebuild (rebuild.ts).
 */
import type { Knex } from 'knex';
import { POSTGRES, SQLITE, type Dialect } from './dialect.ts';
import { DAY_MS, SOURCES, type Fact, type Source, type SlotColumn } from './facts.ts';

/**
 * Where a fact is counted: everyone's 15-minute slot, the agent's 15-minute slot, and the agent's
 * UTC day (report_agent_days: a year of per-agent totals reads ~365 rows per agent, not ~35,000).
 */
type Target = 'all' | 'agent' | 'agent-day';
type SlotTarget = Target;
type KeyTarget = Exclude<Target, 'agent-day'>;

const SLOT_TABLES: Record<SlotTarget, { table: string; time: string }> = {
  all: { table: 'report_slots', time: 'slot' },
  agent: { table: 'report_slots', time: 'slot' },
  'agent-day': { table: 'report_agent_days', time: 'day' },
};

/** The targets of slot counters; report_agent_days only once its migration has created it. */
export interface RollupTargets {
  agentDays: boolean;
}

const slotTargets = (targets: RollupTargets): SlotTarget[] => (targets.agentDays ? ['all', 'agent', 'agent-day'] : ['all', 'agent']);
const KEY_TARGETS: KeyTarget[] = ['all', 'agent'];

const nonNull = (cond: string) => `COALESCE((${cond}), FALSE)`;

function lookupFrom(source: Source, r: string): string {
  if (!source.lookup) return '';
  return ` FROM (SELECT c.channel AS ch, c.assignee_id AS assignee FROM conversations c WHERE c.id = ${r}.${source.lookup.column}) l`;
}

function agentOf(fact: Fact, target: Target, r: string): string | null {
  if (target === 'all') return `''`;
  return fact.agent ? fact.agent(r) : null;
}

/** One upsert adding `values` (column → expression) at the fact's slot, channel and agent of row `r`. */
function slotUpsert(source: Source, fact: Fact, target: Target, r: string, values: Partial<Record<SlotColumn, string>>, when: string): string | null {
  const agent = agentOf(fact, target, r);
  const cols = Object.keys(values) as SlotColumn[];
  if (agent === null || cols.length === 0) return null;
  const { table, time } = SLOT_TABLES[target];
  const slot = fact.slot(r);
  const at = target === 'agent-day' ? `(${slot} - (${slot} % ${DAY_MS}))` : slot;
  const inner = `SELECT ${agent} AS agent_id, ${at} AS ${time}, ${fact.channel(r)} AS channel, ${cols.map((c) => `${values[c]} AS ${c}`).join(', ')}${lookupFrom(source, r)} WHERE ${nonNull(when)}`;
  return (
    `INSERT INTO ${table} (agent_id, ${time}, channel, ${cols.join(', ')}) ` +
    `SELECT v.agent_id, v.${time}, v.channel, ${cols.map((c) => `v.${c}`).join(', ')} FROM (${inner}) v ` +
    `WHERE v.agent_id IS NOT NULL AND (${cols.map((c) => `v.${c} <> 0`).join(' OR ')}) ` +
    `ON CONFLICT (agent_id, ${time}, channel) DO UPDATE SET ${cols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`
  );
}

function keyUpsert(source: Source, fact: Fact, target: KeyTarget, r: string, metric: string, key: string, when: string, sign: 1 | -1): string | null {
  const agent = agentOf(fact, target, r);
  if (agent === null) return null;
  const inner = `SELECT ${agent} AS agent_id, ${fact.slot(r)} AS slot, ${fact.channel(r)} AS channel, ${key} AS k${lookupFrom(source, r)} WHERE ${nonNull(when)}`;
  return (
    `INSERT INTO report_slot_keys (agent_id, slot, channel, metric, key, n) ` +
    `SELECT v.agent_id, v.slot, v.channel, '${metric}', v.k, ${sign} FROM (${inner}) v WHERE v.agent_id IS NOT NULL ` +
    `ON CONFLICT (agent_id, slot, channel, metric, key) DO UPDATE SET n = report_slot_keys.n + excluded.n`
  );
}

const scaled = (values: Partial<Record<SlotColumn, string>>, sign: 1 | -1) =>
  Object.fromEntries(Object.entries(values).map(([c, e]) => [c, sign === 1 ? e : `-(${e})`])) as Partial<Record<SlotColumn, string>>;

interface Statements {
  slots: string[];
  /** Statements of report_slot_keys, run only when the source's key hint holds. */
  keys: string[];
}

const present = (xs: (string | null)[]) => xs.filter((s): s is string => s !== null);

/** What row `r` adds (sign 1) or takes back (sign -1). */
function factStatements(source: Source, fact: Fact, r: string, sign: 1 | -1, d: Dialect, targets: RollupTargets, extra = '1 = 1'): Statements {
  return {
    slots: present(
      slotTargets(targets).map((target) => slotUpsert(source, fact, target, r, scaled(fact.columns(r, d), sign), `${fact.when(r, d)} AND ${extra}`)),
    ),
    keys: present(
      KEY_TARGETS.flatMap((target) =>
        (fact.keys?.(r, d) ?? []).map((k) => keyUpsert(source, fact, target, r, k.metric, k.key, `${fact.when(r, d)} AND ${k.when} AND ${extra}`, sign)),
      ),
    ),
  };
}

const merge = (all: Statements[]): Statements => ({ slots: all.flatMap((s) => s.slots), keys: all.flatMap((s) => s.keys) });

/** An update: facts that cannot move add NEW − OLD in one upsert; others take OLD back and add NEW. */
function updateStatements(source: Source, d: Dialect, targets: RollupTargets): Statements {
  const out: Statements = { slots: [], keys: [] };
  for (const fact of source.facts) {
    if (fact.moves) {
      const moved = fact.moves('OLD', 'NEW', d);
      const both = merge([factStatements(source, fact, 'OLD', -1, d, targets, moved), factStatements(source, fact, 'NEW', 1, d, targets, moved)]);
      out.slots.push(...both.slots);
      out.keys.push(...both.keys);
      continue;
    }
    const o = fact.columns('OLD', d);
    const n = fact.columns('NEW', d);
    const delta = Object.fromEntries(Object.keys(n).map((c) => [c, `(${n[c as SlotColumn]}) - (${o[c as SlotColumn]})`])) as Partial<
      Record<SlotColumn, string>
    >;
    const oldKeys = fact.keys?.('OLD', d) ?? [];
    for (const target of slotTargets(targets)) {
      const s = slotUpsert(source, fact, target, 'NEW', delta, fact.when('NEW', d));
      if (s) out.slots.push(s);
    }
    for (const target of KEY_TARGETS) {
      (fact.keys?.('NEW', d) ?? []).forEach((nk, i) => {
        const ok = oldKeys[i]!;
        const same = `(${nonNull(nk.when)} AND ${nonNull(ok.when)} AND ${nk.key} = ${ok.key})`;
        const taken = keyUpsert(source, fact, target, 'OLD', ok.metric, ok.key, `${fact.when('NEW', d)} AND ${ok.when} AND NOT ${same}`, -1);
        const added = keyUpsert(source, fact, target, 'NEW', nk.metric, nk.key, `${fact.when('NEW', d)} AND ${nk.when} AND NOT ${same}`, 1);
        out.keys.push(...present([taken, added]));
      });
    }
  }
  return out;
}

const changed = (source: Source, d: Dialect) => source.watch.map((c) => d.distinct(`OLD.${c}`, `NEW.${c}`)).join(' OR ');

const body = (stmts: string[]) => stmts.map((s) => `${s};`).join(' ');

/** When the key statements may matter: the source's hint on either row; always without a hint. */
const keysMatter = (source: Source, rows: string[]) => (source.keyHint ? rows.map((r) => source.keyHint!(r)).join(' OR ') : '1 = 1');

/** SQLite: the key statements in triggers of their own, whose WHEN skips them for most writes. */
function sqliteTriggers(source: Source, targets: RollupTargets): string[] {
  const insert = merge(source.facts.map((f) => factStatements(source, f, 'NEW', 1, SQLITE, targets)));
  const update = updateStatements(source, SQLITE, targets);
  const on = (event: string, when: string, name: string, stmts: string[]) =>
    stmts.length ? [`CREATE TRIGGER rollup_${source.table}_${name} AFTER ${event} ON ${source.table} WHEN ${when} BEGIN ${body(stmts)} END`] : [];
  const updateOf = `UPDATE OF ${source.watch.join(', ')}`;
  return [
    ...on('INSERT', '1 = 1', 'insert', insert.slots),
    ...on('INSERT', keysMatter(source, ['NEW']), 'insert_keys', insert.keys),
    ...on(updateOf, changed(source, SQLITE), 'update', update.slots),
    ...on(updateOf, `(${changed(source, SQLITE)}) AND (${keysMatter(source, ['OLD', 'NEW'])})`, 'update_keys', update.keys),
  ];
}

function pgTriggers(source: Source, targets: RollupTargets): string[] {
  const insert = merge(source.facts.map((f) => factStatements(source, f, 'NEW', 1, POSTGRES, targets)));
  const update = updateStatements(source, POSTGRES, targets);
  const fn = `rollup_${source.table}`;
  const keys = (stmts: string[], rows: string[]) => (stmts.length ? `IF ${keysMatter(source, rows)} THEN ${body(stmts)} END IF;` : '');
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN IF TG_OP = 'INSERT' THEN ${body(insert.slots)} ${keys(insert.keys, ['NEW'])} ELSE ${body(update.slots)} ${keys(update.keys, ['OLD', 'NEW'])} END IF; RETURN NULL; END $fn$`,
    `CREATE TRIGGER ${fn}_insert AFTER INSERT ON ${source.table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${fn}_update AFTER UPDATE OF ${source.watch.join(', ')} ON ${source.table} FOR EACH ROW WHEN (${changed(source, POSTGRES)}) EXECUTE FUNCTION ${fn}()`,
  ];
}

const isPg = (knex: Knex) => (knex.client as { dialect?: string }).dialect === 'postgresql';

/** What exists to count into: the migration that adds report_agent_days runs after the one that added the triggers. */
export async function rollupTargets(knex: Knex): Promise<RollupTargets> {
  return { agentDays: await knex.schema.hasTable('report_agent_days') };
}

export async function createRollupTriggers(knex: Knex): Promise<void> {
  const targets = await rollupTargets(knex);
  for (const source of SOURCES) for (const sql of isPg(knex) ? pgTriggers(source, targets) : sqliteTriggers(source, targets)) await knex.raw(sql);
}

export async function dropRollupTriggers(knex: Knex): Promise<void> {
  for (const source of SOURCES) {
    if (isPg(knex)) {
      await knex.raw(`DROP TRIGGER IF EXISTS rollup_${source.table}_insert ON ${source.table}`);
      await knex.raw(`DROP TRIGGER IF EXISTS rollup_${source.table}_update ON ${source.table}`);
      await knex.raw(`DROP FUNCTION IF EXISTS rollup_${source.table}()`);
    } else {
      for (const name of ['insert', 'insert_keys', 'update', 'update_keys']) await knex.raw(`DROP TRIGGER IF EXISTS rollup_${source.table}_${name}`);
    }
  }
}
