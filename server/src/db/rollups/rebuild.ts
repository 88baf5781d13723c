/**
 * Computes report_slots and report_slot_keys from the rows, from scratch, with the same facts the
 * triggers apply one row at a time: what the migration runs for data from before the triggers,
 * and what a bulk load (the bench) runs after inserting with the triggers off.
 */
import type { Knex } from 'knex';
import { POSTGRES, SQLITE, type Dialect } from './dialect.ts';
import { DAY_MS, SLOT_COLUMNS, SOURCES, type Fact, type Source } from './facts.ts';
import { rollupTargets } from './rollup-triggers.ts';

const isPg = (knex: Knex) => (knex.client as { dialect?: string }).dialect === 'postgresql';

function fromClause(source: Source): string {
  const join = source.lookup
    ? ` JOIN (SELECT id AS conversation_key, channel AS ch, assignee_id AS assignee FROM conversations) l ON l.conversation_key = r.${source.lookup.column}`
    : '';
  return `FROM ${source.table} r${join}`;
}

function agents(fact: Fact): string[] {
  return fact.agent ? [`''`, fact.agent('r')] : [`''`];
}

function slotParts(d: Dialect): string[] {
  const parts: string[] = [];
  for (const source of SOURCES) {
    for (const fact of source.facts) {
      const cols = fact.columns('r', d);
      const values = SLOT_COLUMNS.map((c) => `${cols[c] ?? '0'} AS ${c}`).join(', ');
      for (const agent of agents(fact)) {
        parts.push(
          `SELECT ${agent} AS agent_id, ${fact.slot('r')} AS slot, ${fact.channel('r')} AS channel, ${values} ${fromClause(source)} WHERE ${fact.when('r', d)}`,
        );
      }
    }
  }
  return parts;
}

function keyParts(d: Dialect): string[] {
  const parts: string[] = [];
  for (const source of SOURCES) {
    for (const fact of source.facts) {
      for (const k of fact.keys?.('r', d) ?? []) {
        for (const agent of agents(fact)) {
          parts.push(
            `SELECT ${agent} AS agent_id, ${fact.slot('r')} AS slot, ${fact.channel('r')} AS channel, '${k.metric}' AS metric, ${k.key} AS k ${fromClause(source)} WHERE ${fact.when('r', d)} AND COALESCE((${k.when}), FALSE)`,
          );
        }
      }
    }
  }
  return parts;
}

export async function rebuildRollups(knex: Knex): Promise<void> {
  const d = isPg(knex) ? POSTGRES : SQLITE;
  await knex('report_slots').delete();
  await knex('report_slot_keys').delete();
  const sums = SLOT_COLUMNS.map((c) => `SUM(${c})`).join(', ');
  const anyNonZero = SLOT_COLUMNS.map((c) => `SUM(${c}) <> 0`).join(' OR ');
  await knex.raw(
    `INSERT INTO report_slots (agent_id, slot, channel, ${SLOT_COLUMNS.join(', ')})
     SELECT agent_id, slot, channel, ${sums} FROM (${slotParts(d).join(' UNION ALL ')}) u
     WHERE agent_id IS NOT NULL GROUP BY agent_id, slot, channel HAVING ${anyNonZero}`,
  );
  if ((await rollupTargets(knex)).agentDays) await rebuildAgentDays(knex);
  await knex.raw(
    `INSERT INTO report_slot_keys (agent_id, slot, channel, metric, key, n)
     SELECT agent_id, slot, channel, metric, k, COUNT(*) FROM (${keyParts(d).join(' UNION ALL ')}) u
     WHERE agent_id IS NOT NULL GROUP BY agent_id, slot, channel, metric, k`,
  );
}

/** report_agent_days from report_slots: each agent's slots summed per UTC day. */
export async function rebuildAgentDays(knex: Knex): Promise<void> {
  await knex('report_agent_days').delete();
  const sums = SLOT_COLUMNS.map((c) => `SUM(${c})`).join(', ');
  const anyNonZero = SLOT_COLUMNS.map((c) => `SUM(${c}) <> 0`).join(' OR ');
  await knex.raw(
    `INSERT INTO report_agent_days (agent_id, day, channel, ${SLOT_COLUMNS.join(', ')})
     SELECT agent_id, slot - (slot % ${DAY_MS}) AS day, channel, ${sums} FROM report_slots
     WHERE agent_id <> '' GROUP BY agent_id, slot - (slot % ${DAY_MS}), channel HAVING ${anyNonZero}`,
  );
}
