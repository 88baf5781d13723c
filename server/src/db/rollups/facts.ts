/**
 * What each row of messages, forwards, conversation_cycles and satisfaction_surveys adds to the
 * report rollups, as SQL expressions over a row alias (`NEW`/`OLD` in triggers, the table alias in
 * a rebuild). One definition serves the triggers that keep the rollups current and the rebuild
 * that computes them from scratch, so the two can never disagree.
 *
 * report_slots: counters per (agent_id, 15-minute slot, channel); agent_id '' is everyone.
 * report_agent_days: the same counters per (agent_id, UTC day, channel), agents only — what a long
 * period's per-agent totals read, with the period's partial days from report_slots.
 * report_slot_keys: counters per (agent_id, slot, channel, metric, key) — failures by error code,
 * billable messages by country and pricing category.
 */
import type { Dialect } from './dialect.ts';

const SLOT_MS = 15 * 60 * 1000;
/** report_agent_days: per-agent counters per UTC day (a whole number of slots). */
export const DAY_MS = 86_400_000;

export const SLOT_COLUMNS = [
  'msg_in',
  'msg_out',
  'msg_owner',
  'opened',
  'reopened',
  'responded',
  'resolved',
  'wa_queued',
  'wa_sent',
  'wa_delivered',
  'wa_read',
  'wa_failed',
  'tpl_marketing',
  'tpl_utility',
  'tpl_authentication',
  'tpl_other',
  'fw_queued',
  'fw_sent',
  'fw_delivered',
  'fw_read',
  'fw_failed',
  'csat_asked',
  'csat_1',
  'csat_2',
  'csat_3',
  'csat_4',
  'csat_5',
] as const;
export type SlotColumn = (typeof SLOT_COLUMNS)[number];

export type KeyMetric = 'wa_failed' | 'fw_failed' | 'billable';

/** Expressions over row alias `r` and the lookup alias `l` (see `Source.lookup`). */
export interface Fact {
  slot(r: string): string;
  /** The row makes this fact at all (e.g. a resolution time is set). */
  when(r: string, d: Dialect): string;
  channel(r: string): string;
  /** The agent it counts for, besides everyone ('' rows); null: nobody in particular. */
  agent: ((r: string) => string) | null;
  columns(r: string, d: Dialect): Partial<Record<SlotColumn, string>>;
  keys?(r: string, d: Dialect): { metric: KeyMetric; key: string; when: string }[];
  /** Whether an update can change the fact's slot, channel or agent (else one delta upsert). */
  moves: ((o: string, n: string, d: Dialect) => string) | null;
}

export interface Source {
  table: string;
  /** The conversation the row belongs to, as alias `l` (`l.ch` its channel, `l.assignee`); null: not needed. */
  lookup: { column: string } | null;
  facts: Fact[];
  /** Columns whose change can change what the row adds (the update trigger's `OF` list). */
  watch: string[];
  /** A cheap test on the row alone that holds whenever any of its keys can (skips the key statements). */
  keyHint?: (r: string) => string;
}

const slotOf = (col: string) => `(${col} - (${col} % ${SLOT_MS}))`;
const flag = (cond: string) => `(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;

// --- messages -----------------------------------------------------------------------------

const waOut = (r: string, d: Dialect) =>
  `(l.ch = 'whatsapp' AND ${r}.direction = 'outbound' AND ${r}.sender IN ('agent', 'system') AND ${r}.is_note = ${d.false})`;
const templateCategory = (r: string) =>
  `(SELECT lower(t.category) FROM templates t WHERE t.name = ${r}.template_name AND t.language = ${r}.template_language ORDER BY t.synced_at DESC LIMIT 1)`;
const billable = (r: string) => `(${r}.pricing_billable = TRUE AND ${r}.status IN ('delivered', 'read'))`;
const billableKey = (r: string) => `(COALESCE(${r}.pricing_country, '') || ':' || COALESCE(${r}.pricing_category, 'unknown'))`;

const messageFact: Fact = {
  slot: (r) => slotOf(`${r}.created_at`),
  when: () => 'l.ch IS NOT NULL',
  channel: () => 'l.ch',
  agent: (r) => `(CASE WHEN ${r}.direction = 'outbound' THEN ${r}.author_id ELSE l.assignee END)`,
  columns: (r, d) => {
    const wa = waOut(r, d);
    const tpl = (cond: string) => flag(`${wa} AND ${r}.type = 'template' AND ${cond}`);
    return {
      msg_in: flag(`${r}.direction = 'inbound' AND ${r}.sender IN ('visitor', 'customer')`),
      msg_out: flag(`${r}.direction = 'outbound' AND ${r}.sender = 'agent' AND ${r}.is_note = ${d.false}`),
      msg_owner: flag(`${r}.sender = 'owner'`),
      wa_queued: flag(`${wa} AND ${r}.status = 'queued'`),
      wa_sent: flag(`${wa} AND ${r}.status = 'sent'`),
      wa_delivered: flag(`${wa} AND ${r}.status = 'delivered'`),
      wa_read: flag(`${wa} AND ${r}.status = 'read'`),
      wa_failed: flag(`${wa} AND ${r}.status = 'failed'`),
      tpl_marketing: tpl(`${templateCategory(r)} = 'marketing'`),
      tpl_utility: tpl(`${templateCategory(r)} = 'utility'`),
      tpl_authentication: tpl(`${templateCategory(r)} = 'authentication'`),
      tpl_other: tpl(`COALESCE(${templateCategory(r)}, '') NOT IN ('marketing', 'utility', 'authentication')`),
    };
  },
  keys: (r, d) => [
    { metric: 'wa_failed', key: `COALESCE(${r}.error_code, 'unknown')`, when: `${waOut(r, d)} AND ${r}.status = 'failed'` },
    { metric: 'billable', key: billableKey(r), when: billable(r) },
  ],
  moves: null, // created_at, conversation and author never change
};

// --- forwards to the owner's phone ---------------------------------------------------------

const forwardFact: Fact = {
  slot: (r) => slotOf(`${r}.created_at`),
  when: () => '1 = 1',
  channel: () => `'web'`,
  agent: null,
  columns: (r) => ({
    fw_queued: flag(`${r}.status = 'queued'`),
    fw_sent: flag(`${r}.status = 'sent'`),
    fw_delivered: flag(`${r}.status = 'delivered'`),
    fw_read: flag(`${r}.status = 'read'`),
    fw_failed: flag(`${r}.status = 'failed'`),
  }),
  keys: (r) => [
    { metric: 'fw_failed', key: `COALESCE(${r}.error_code, 'unknown')`, when: `${r}.status = 'failed'` },
    { metric: 'billable', key: billableKey(r), when: billable(r) },
  ],
  moves: null,
};

/** The owner's phone today: single forwards and digests (owner_messages); command answers and help don't count. */
const ownerMessageFact: Fact = { ...forwardFact, when: (r) => `${r}.kind IN ('forward', 'digest')` };

// --- conversation cycles (open → first response → resolution) ------------------------------

function cycleFact(column: 'opened_at' | 'first_response_at' | 'resolved_at', columns: (r: string, d: Dialect) => Partial<Record<SlotColumn, string>>): Fact {
  return {
    slot: (r) => slotOf(`${r}.${column}`),
    when: (r) => `${r}.${column} IS NOT NULL`,
    channel: (r) => `${r}.channel`,
    agent: (r) => `${r}.agent_id`,
    columns,
    moves: (o, n, d) => `(${d.distinct(`${o}.${column}`, `${n}.${column}`)} OR ${d.distinct(`${o}.agent_id`, `${n}.agent_id`)})`,
  };
}

// --- satisfaction surveys ----------------------------------------------------------------------

const surveyFacts: Fact[] = [
  {
    slot: (r) => slotOf(`${r}.asked_at`),
    when: () => '1 = 1',
    channel: (r) => `${r}.channel`,
    agent: (r) => `${r}.agent_id`,
    columns: () => ({ csat_asked: '1' }),
    moves: (o, n, d) => d.distinct(`${o}.agent_id`, `${n}.agent_id`),
  },
  {
    slot: (r) => slotOf(`${r}.answered_at`),
    when: (r) => `${r}.rating IS NOT NULL AND ${r}.answered_at IS NOT NULL`,
    channel: (r) => `${r}.channel`,
    agent: (r) => `${r}.agent_id`,
    columns: (r) => ({
      csat_1: flag(`${r}.rating = 1`),
      csat_2: flag(`${r}.rating = 2`),
      csat_3: flag(`${r}.rating = 3`),
      csat_4: flag(`${r}.rating = 4`),
      csat_5: flag(`${r}.rating = 5`),
    }),
    moves: (o, n, d) =>
      `(${d.distinct(`${o}.answered_at`, `${n}.answered_at`)} OR ${d.distinct(`${o}.rating`, `${n}.rating`)} OR ${d.distinct(`${o}.agent_id`, `${n}.agent_id`)})`,
  },
];

export const SOURCES: Source[] = [
  {
    table: 'messages',
    lookup: { column: 'conversation_id' },
    facts: [messageFact],
    watch: ['status', 'error_code', 'pricing_billable', 'pricing_country', 'pricing_category'],
    keyHint: (r) => `(${r}.status = 'failed' OR ${r}.pricing_billable = TRUE)`,
  },
  {
    table: 'forwards',
    lookup: null,
    facts: [forwardFact],
    watch: ['status', 'error_code', 'pricing_billable', 'pricing_country', 'pricing_category'],
    keyHint: (r) => `(${r}.status = 'failed' OR ${r}.pricing_billable = TRUE)`,
  },
  {
    table: 'owner_messages',
    lookup: null,
    facts: [ownerMessageFact],
    watch: ['status', 'error_code', 'pricing_billable', 'pricing_country', 'pricing_category'],
    keyHint: (r) => `(${r}.status = 'failed' OR ${r}.pricing_billable = TRUE)`,
  },
  {
    table: 'conversation_cycles',
    lookup: null,
    facts: [
      cycleFact('opened_at', (r) => ({ opened: '1', reopened: flag(`${r}.reopened = TRUE`) })),
      cycleFact('first_response_at', () => ({ responded: '1' })),
      cycleFact('resolved_at', () => ({ resolved: '1' })),
    ],
    watch: ['agent_id', 'first_response_at', 'resolved_at'],
  },
  { table: 'satisfaction_surveys', lookup: null, facts: surveyFacts, watch: ['agent_id', 'rating', 'answered_at'] },
];
