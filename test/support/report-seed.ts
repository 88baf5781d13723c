/**
 * Seeds a month and a half of activity for the reports tests straight into the database, with
 * chosen timestamps (across the 2026 DST changes in Europe and America), through plain inserts
 * and updates — the server's triggers turn them into the rollups as they would in production.
 * Alongside, it keeps its own plain record of what it wrote, from which the tests compute every
 * expected figure independently.
 */
import type { Knex } from 'knex';
import { newId } from '../../server/src/ids.ts';

const MIN = 60_000;
const SEED_START = Date.UTC(2026, 2, 1, 0, 0); // 2026-03-01
const SEED_DAYS = 41; // through 2026-04-10

export interface SeedCycle {
  channel: 'web' | 'whatsapp';
  agent: string | null;
  openedAt: number;
  reopened: boolean;
  firstResponseAt: number | null;
  resolvedAt: number | null;
}
interface SeedMessage {
  channel: 'web' | 'whatsapp';
  kind: 'in' | 'out' | 'owner' | 'note' | 'system';
  /** The agent it counts for: the author of an agent message, the assignee when a customer wrote. */
  agent: string | null;
  at: number;
  waStatus?: 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
  errorCode?: string;
  templateCategory?: string;
  billable?: { country: string; category: string };
}
interface SeedForward {
  at: number;
  status: 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
  errorCode?: string;
  billable?: { country: string; category: string };
}
interface SeedSurvey {
  channel: 'web' | 'whatsapp';
  agent: string | null;
  askedAt: number;
  rating: number | null;
  answeredAt: number | null;
  comment: string | null;
}
export interface Seed {
  cycles: SeedCycle[];
  messages: SeedMessage[];
  forwards: SeedForward[];
  surveys: SeedSurvey[];
  /** Owner replies from the phone: when, and when the visitor message it answers was written. */
  ownerReplies: { at: number; questionAt: number; question: string }[];
}

/** A small deterministic PRNG (mulberry32), so every run seeds the same data. */
function rng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const STATUSES = ['queued', 'sent', 'delivered', 'read', 'read', 'failed'] as const;
const CODES = ['131047', '131026', '130472'];
const COUNTRIES = ['44', '351', '1', '55'];

export async function seedReports(db: Knex, agents: string[], opts: { conversations?: number; seed?: number } = {}): Promise<Seed> {
  const r = rng(opts.seed ?? 7);
  const out: Seed = { cycles: [], messages: [], forwards: [], surveys: [], ownerReplies: [] };
  await db('templates').insert(
    ['MARKETING', 'UTILITY', 'AUTHENTICATION'].map((category) => ({
      id: newId(),
      waba_id: 'seed',
      name: `seed_${category.toLowerCase()}`,
      language: 'en_US',
      category,
      status: 'APPROVED',
      components: '[]',
      body: 'x',
      parameter_count: 0,
      synced_at: 1,
      updated_at: 1,
    })),
  );
  const n = opts.conversations ?? 80;
  for (let i = 0; i < n; i++) {
    const channel = r.chance(0.55) ? 'web' : 'whatsapp';
    const opened = SEED_START + r.int(0, (SEED_DAYS - 3) * 1440) * MIN;
    const contactId = newId();
    await db('contacts').insert({
      id: contactId,
      wa_id: channel === 'whatsapp' ? `4477009${String(i).padStart(5, '0')}` : null,
      created_at: opened,
      updated_at: opened,
    });
    const conversationId = newId();
    await db('conversations').insert({
      id: conversationId,
      channel,
      contact_id: contactId,
      status: 'open',
      last_message_at: opened,
      created_at: opened,
      updated_at: opened,
    });
    let assignee: string | null = null;
    const insertMessage = async (m: SeedMessage & { author?: string | null; quoted?: string | null }, extra: Record<string, unknown> = {}) => {
      const id = newId();
      const sender = { in: channel === 'web' ? 'visitor' : 'customer', out: 'agent', owner: 'owner', note: 'agent', system: 'system' }[m.kind];
      await db('messages').insert({
        id,
        conversation_id: conversationId,
        direction: m.kind === 'in' ? 'inbound' : 'outbound',
        sender,
        author_id: m.author ?? null,
        type: m.templateCategory ? 'template' : 'text',
        body: 'x',
        status: m.kind === 'in' ? 'received' : channel === 'whatsapp' && (m.kind === 'out' || m.kind === 'system') ? 'queued' : 'sent',
        is_note: m.kind === 'note',
        template_name: m.templateCategory ? `seed_${m.templateCategory}` : null,
        template_language: m.templateCategory ? 'en_US' : null,
        context_message_id: m.quoted ?? null,
        created_at: m.at,
        ...extra,
      });
      if (m.waStatus && m.waStatus !== 'queued') {
        // As the status webhooks do: the pricing first, then each status in turn.
        if (m.billable)
          await db('messages').where({ id }).update({
            pricing_category: m.billable.category,
            pricing_model: 'PMP',
            pricing_type: 'regular',
            pricing_billable: true,
            pricing_country: m.billable.country,
          });
        for (const st of ['sent', 'delivered', 'read'] as const) {
          if (m.waStatus === 'failed') break;
          await db('messages').where({ id }).update({ status: st });
          if (st === m.waStatus) break;
        }
        if (m.waStatus === 'failed') await db('messages').where({ id }).update({ status: 'failed', error_code: m.errorCode });
      }
      out.messages.push({
        channel: m.channel,
        kind: m.kind,
        agent: m.agent,
        at: m.at,
        waStatus: m.waStatus,
        errorCode: m.errorCode,
        templateCategory: m.templateCategory,
        billable: m.billable,
      });
      return id;
    };

    let t = opened;
    for (let cycleNo = 0; cycleNo < (r.chance(0.2) ? 2 : 1); cycleNo++) {
      const cycle: SeedCycle = { channel, agent: assignee, openedAt: t, reopened: cycleNo > 0, firstResponseAt: null, resolvedAt: null };
      if (cycleNo > 0) await db('conversations').where({ id: conversationId }).update({ status: 'open', updated_at: t });
      let firstResponder: string | null = null;
      const question = await insertMessage({ channel, kind: 'in', agent: assignee, at: t });
      for (let k = r.int(0, 2); k > 0; k--) await insertMessage({ channel, kind: 'in', agent: assignee, at: (t += r.int(1, 30) * MIN) });
      if (channel === 'web' && r.chance(0.6)) {
        const fw = {
          at: t + MIN,
          status: r.pick(STATUSES),
          errorCode: undefined as string | undefined,
          billable: r.chance(0.4) ? { country: '1', category: 'utility' } : undefined,
        };
        if (fw.status === 'failed') fw.errorCode = r.pick(CODES);
        await db('forwards').insert({
          id: newId(),
          message_id: question,
          conversation_id: conversationId,
          to_wa_id: '15550100001',
          status: fw.status,
          error_code: fw.errorCode ?? null,
          created_at: fw.at,
          ...(fw.billable ? { pricing_category: 'utility', pricing_model: 'PMP', pricing_type: 'regular', pricing_billable: true, pricing_country: '1' } : {}),
        });
        out.forwards.push(fw);
      }
      if (r.chance(0.85)) {
        const owner = channel === 'web' && r.chance(0.25);
        t += r.int(2, 900) * MIN;
        if (owner) {
          await insertMessage({ channel, kind: 'owner', agent: null, at: t, quoted: question });
          out.ownerReplies.push({ at: t, questionAt: cycle.openedAt, question });
        } else {
          firstResponder = r.pick(agents);
          await insertMessage({ channel, kind: 'note', agent: firstResponder, author: firstResponder, at: t - MIN });
          const tpl = channel === 'whatsapp' && r.chance(0.3) ? r.pick(['marketing', 'utility', 'authentication']) : undefined;
          const waStatus = channel === 'whatsapp' ? r.pick(STATUSES) : undefined;
          await insertMessage({
            channel,
            kind: 'out',
            agent: firstResponder,
            author: firstResponder,
            at: t,
            waStatus,
            templateCategory: tpl,
            errorCode: waStatus === 'failed' ? r.pick(CODES) : undefined,
            billable:
              tpl && tpl !== 'utility' && (waStatus === 'delivered' || waStatus === 'read' || waStatus === 'failed')
                ? { country: r.pick(COUNTRIES), category: tpl }
                : undefined,
          });
        }
        cycle.firstResponseAt = t;
        cycle.agent = assignee ?? firstResponder;
        for (let k = r.int(0, 3); k > 0; k--) {
          const author = r.pick(agents);
          const waStatus = channel === 'whatsapp' ? r.pick(STATUSES) : undefined;
          await insertMessage({
            channel,
            kind: 'out',
            agent: author,
            author,
            at: (t += r.int(1, 60) * MIN),
            waStatus,
            errorCode: waStatus === 'failed' ? r.pick(CODES) : undefined,
          });
        }
      }
      if (r.chance(0.3)) {
        assignee = r.pick(agents);
        await db('conversations').where({ id: conversationId }).update({ assignee_id: assignee, updated_at: t });
        cycle.agent = assignee;
      }
      if (r.chance(0.75)) {
        t += r.int(5, 2000) * MIN;
        await db('conversations').where({ id: conversationId }).update({ status: 'resolved', updated_at: t });
        cycle.resolvedAt = t;
        const cycleRow = (await db('conversation_cycles').where({ conversation_id: conversationId }).orderBy('id', 'desc').first()) as { id: number };
        if (cycle.firstResponseAt !== null && r.chance(0.7)) {
          const s: SeedSurvey = { channel, agent: cycle.agent, askedAt: t, rating: null, answeredAt: null, comment: null };
          if (r.chance(0.7)) {
            s.rating = r.int(1, 5);
            s.answeredAt = t + r.int(1, 600) * MIN;
            s.comment = r.chance(0.5) ? `comment ${i}.${cycleNo}` : null;
          }
          await db('satisfaction_surveys').insert({
            id: newId(),
            cycle_id: cycleRow.id,
            conversation_id: conversationId,
            channel,
            agent_id: cycle.agent,
            asked_at: s.askedAt,
            expires_at: s.askedAt + 86_400_000,
            rating: s.rating,
            comment: s.comment,
            answered_at: s.answeredAt,
          });
          out.surveys.push(s);
        }
      }
      out.cycles.push(cycle);
      t += r.int(60, 3000) * MIN;
      if (cycle.resolvedAt === null) break;
    }
  }
  return out;
}
