/**
 * A year of a busy site for the reports benchmark: about 100,000 conversations (a third on
 * WhatsApp) and exactly `messages` messages, ten agents on three shifts, WhatsApp statuses,
 * failures, templates and Meta pricing objects, forwards to the owner's phone, conversation
 * cycles (a tenth reopened) and satisfaction surveys. Bulk-inserted with multi-row INSERTs while
 * the report triggers are off; the caller rebuilds the rollups and turns the triggers back on.
 * Cycle ids are given explicitly (surveys point at them): on PostgreSQL the caller moves the
 * id sequence past them.
 */
import type { Knex } from 'knex';
import { ulidAt } from './seed.ts';

const MIN = 60_000;
const DAY = 86_400_000;
/** The year ends here (a fixed date, so every run seeds the same calendar). */
export const REPORT_SEED_END = Date.UTC(2026, 11, 1);
const REPORT_SEED_START = REPORT_SEED_END - 365 * DAY;
const AGENT_COUNT = 10;

export interface ReportSeedResult {
  agents: string[];
  conversations: number;
  messages: number;
  forwards: number;
  cycles: number;
  surveys: number;
}

function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Multi-row INSERT in chunks under each database's limit of bound parameters. */
async function insertRows(db: Knex, table: string, rows: Record<string, unknown>[], columns: string[]): Promise<void> {
  const perStatement = Math.floor(30_000 / columns.length);
  const tuple = `(${columns.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const bindings: Knex.RawBinding[] = [];
    for (const r of chunk) for (const c of columns) bindings.push((r[c] ?? null) as Knex.RawBinding);
    await db.raw(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${chunk.map(() => tuple).join(',')}`, bindings);
  }
}

const COLUMNS = {
  contacts: ['id', 'wa_id', 'name', 'whatsapp_consent', 'created_at', 'updated_at'],
  conversations: [
    'id',
    'channel',
    'contact_id',
    'assignee_id',
    'status',
    'last_customer_message_at',
    'last_message_at',
    'unread_count',
    'created_at',
    'updated_at',
  ],
  messages: [
    'id',
    'conversation_id',
    'direction',
    'sender',
    'author_id',
    'type',
    'body',
    'wamid',
    'status',
    'error_code',
    'is_note',
    'template_name',
    'template_language',
    'context_message_id',
    'pricing_category',
    'pricing_model',
    'pricing_type',
    'pricing_billable',
    'pricing_country',
    'created_at',
  ],
  forwards: [
    'id',
    'message_id',
    'conversation_id',
    'to_wa_id',
    'wamid',
    'status',
    'error_code',
    'pricing_category',
    'pricing_model',
    'pricing_type',
    'pricing_billable',
    'pricing_country',
    'created_at',
  ],
  conversation_cycles: [
    'id',
    'conversation_id',
    'channel',
    'agent_id',
    'first_responder_id',
    'opened_at',
    'reopened',
    'first_response_at',
    'first_response_by',
    'resolved_at',
    'first_response_ms',
    'resolution_ms',
    'durations_pending',
  ],
  satisfaction_surveys: ['id', 'cycle_id', 'conversation_id', 'channel', 'agent_id', 'asked_at', 'expires_at', 'rating', 'comment', 'answered_at'],
};

const COUNTRIES = ['44', '351', '1', '55', '91', '34'];
const CODES = ['131047', '131026', '130472', '131049'];

export async function seedReportYear(db: Knex, opts: { messages: number; log(line: string): void }): Promise<ReportSeedResult> {
  const random = rng(21);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const agents = Array.from({ length: AGENT_COUNT }, (_, i) => ulidAt(REPORT_SEED_START + i));
  await insertRows(
    db,
    'users',
    agents.map((id, i) => ({ id, email: `agent${i}@bench.example`, name: `Agent ${i}`, password_hash: 'x', role: 'agent', created_at: REPORT_SEED_START })),
    ['id', 'email', 'name', 'password_hash', 'role', 'created_at'],
  );
  await insertRows(
    db,
    'templates',
    ['MARKETING', 'UTILITY', 'AUTHENTICATION'].map((category, i) => ({
      id: ulidAt(REPORT_SEED_START + i),
      waba_id: 'bench',
      name: `bench_${category.toLowerCase()}`,
      language: 'en_US',
      category,
      status: 'APPROVED',
      components: '[]',
      body: 'x',
      parameter_count: 0,
      synced_at: 1,
      updated_at: 1,
    })),
    ['id', 'waba_id', 'name', 'language', 'category', 'status', 'components', 'body', 'parameter_count', 'synced_at', 'updated_at'],
  );
  /** Ten agents on three 8-hour shifts (UTC): who answers at `ms`. */
  const onShift = (ms: number) => {
    const hour = new Date(ms).getUTCHours();
    const shift = hour < 8 ? 2 : hour < 16 ? 0 : 1;
    const team = shift === 0 ? agents.slice(0, 4) : shift === 1 ? agents.slice(4, 7) : agents.slice(7);
    return pick(team);
  };
  const result: ReportSeedResult = { agents, conversations: 0, messages: 0, forwards: 0, cycles: 0, surveys: 0 };
  const tables: Record<keyof typeof COLUMNS, Record<string, unknown>[]> = {
    contacts: [],
    conversations: [],
    messages: [],
    forwards: [],
    conversation_cycles: [],
    satisfaction_surveys: [],
  };
  let cycleId = 0;
  const flush = async () => {
    await db.transaction(async (trx) => {
      for (const table of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) await insertRows(trx, table, tables[table], COLUMNS[table]);
    });
    for (const table of Object.keys(tables) as (keyof typeof COLUMNS)[]) tables[table] = [];
  };

  while (result.messages < opts.messages) {
    const i = result.conversations++;
    const whatsapp = random() < 0.35;
    const channel = whatsapp ? 'whatsapp' : 'web';
    const opened = REPORT_SEED_START + Math.floor(random() * (365 * DAY - 3 * DAY));
    const contactId = ulidAt(opened);
    const conversationId = ulidAt(opened);
    const country = pick(COUNTRIES);
    tables.contacts.push({
      id: contactId,
      wa_id: whatsapp ? `${country}${String(700000000 + i)}` : null,
      name: `Customer ${i}`,
      whatsapp_consent: false,
      created_at: opened,
      updated_at: opened,
    });
    const responder = onShift(opened + 10 * MIN);
    const assignee = random() < 0.5 ? responder : null;
    let t = opened;
    let lastCustomer = opened;
    let status = 'open';
    const cycles = random() < 0.1 ? 2 : 1;
    for (let c = 0; c < cycles && result.messages < opts.messages; c++) {
      const cycleOpened = t;
      let firstResponse: number | null = null;
      let firstBy: string | null = null;
      const count = between(4, 16);
      let question = '';
      for (let m = 0; m < count && result.messages < opts.messages; m++) {
        const inbound = m % 2 === 0;
        const id = ulidAt(t);
        const row: Record<string, unknown> = {
          id,
          conversation_id: conversationId,
          direction: inbound ? 'inbound' : 'outbound',
          type: 'text',
          body: 'Hello, a message of a typical length.',
          is_note: false,
          created_at: t,
        };
        if (inbound) {
          Object.assign(row, { sender: whatsapp ? 'customer' : 'visitor', status: 'received', author_id: null, wamid: whatsapp ? `wamid.B${id}` : null });
          lastCustomer = t;
          if (m === 0) question = id;
          if (!whatsapp && m === 0 && random() < 0.3) {
            const status = random() < 0.03 ? 'failed' : pick(['delivered', 'read', 'read']);
            const billable = random() < 0.2;
            tables.forwards.push({
              id: ulidAt(t),
              message_id: id,
              conversation_id: conversationId,
              to_wa_id: '15550100001',
              wamid: `wamid.F${id}`,
              status,
              error_code: status === 'failed' ? pick(CODES) : null,
              created_at: t + 2000,
              pricing_category: billable ? 'utility' : 'service',
              pricing_model: 'PMP',
              pricing_type: billable ? 'regular' : 'free_customer_service',
              pricing_billable: billable,
              pricing_country: '1',
            });
            result.forwards++;
          }
        } else {
          const owner = !whatsapp && m === 1 && random() < 0.05;
          const author = owner ? null : m === 1 ? responder : random() < 0.8 ? responder : onShift(t);
          const template = whatsapp && random() < 0.05 ? pick(['marketing', 'utility', 'authentication']) : null;
          const roll = random();
          const status = !whatsapp ? 'sent' : roll < 0.01 ? 'queued' : roll < 0.03 ? 'failed' : roll < 0.07 ? 'sent' : roll < 0.15 ? 'delivered' : 'read';
          const priced = whatsapp && status !== 'queued' && status !== 'failed';
          Object.assign(row, {
            sender: owner ? 'owner' : 'agent',
            author_id: author,
            status,
            wamid: whatsapp || owner ? `wamid.B${id}` : null,
            error_code: status === 'failed' ? pick(CODES) : null,
            type: template ? 'template' : 'text',
            template_name: template ? `bench_${template}` : null,
            template_language: template ? 'en_US' : null,
            context_message_id: owner ? question : null,
            ...(priced
              ? {
                  pricing_category: template ?? 'service',
                  pricing_model: 'PMP',
                  pricing_type: template ? 'regular' : 'free_customer_service',
                  pricing_billable: Boolean(template),
                  pricing_country: country,
                }
              : {}),
          });
          if (firstResponse === null) {
            firstResponse = t;
            firstBy = owner ? 'owner' : 'agent';
          }
        }
        tables.messages.push(row);
        result.messages++;
        t += between(1, 20) * MIN;
      }
      const resolved = random() < 0.85 ? t + between(5, 600) * MIN : null;
      const agent = assignee ?? (firstBy === 'agent' ? responder : null);
      cycleId++;
      tables.conversation_cycles.push({
        id: cycleId,
        conversation_id: conversationId,
        channel,
        agent_id: agent,
        first_responder_id: firstBy === 'agent' ? responder : null,
        opened_at: cycleOpened,
        reopened: c > 0,
        first_response_at: firstResponse,
        first_response_by: firstBy,
        resolved_at: resolved,
        first_response_ms: firstResponse === null ? null : firstResponse - cycleOpened,
        resolution_ms: resolved === null ? null : resolved - cycleOpened,
        durations_pending: false,
      });
      result.cycles++;
      if (resolved !== null && firstResponse !== null && random() < 0.6) {
        const answered = random() < 0.35;
        const rating = Math.min(5, Math.max(1, Math.round(4 + (random() - 0.6) * 3)));
        tables.satisfaction_surveys.push({
          id: ulidAt(resolved),
          cycle_id: cycleId,
          conversation_id: conversationId,
          channel,
          agent_id: agent,
          asked_at: resolved,
          expires_at: resolved + DAY,
          rating: answered ? rating : null,
          comment: answered && random() < 0.3 ? 'Thanks, that was quick.' : null,
          answered_at: answered ? resolved + between(1, 300) * MIN : null,
        });
        result.surveys++;
      }
      status = resolved === null ? 'open' : 'resolved';
      if (resolved === null) break;
      t = resolved + between(1, 3) * DAY;
    }
    tables.conversations.push({
      id: conversationId,
      channel,
      contact_id: contactId,
      assignee_id: assignee,
      status,
      last_customer_message_at: whatsapp ? lastCustomer : null,
      last_message_at: t,
      unread_count: 0,
      created_at: opened,
      updated_at: t,
    });
    if (tables.messages.length >= 50_000) {
      await flush();
      opts.log(`reports: ${result.messages} messages seeded`);
    }
  }
  await flush();
  return result;
}
