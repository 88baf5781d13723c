/**
 * Seeds a big inbox straight into a SQLite file (migrations first, then batched multi-row inserts
 * in large transactions): N contacts, N conversations and M messages, plus one long conversation.
 * Ids are ULID-shaped (time + random, Crockford base32) like the server's own.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createDb, migrate } from '../../server/src/db/knex.ts';

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function ulidAt(ms: number): string {
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = B32[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const rnd = randomBytes(16);
  let tail = '';
  for (let i = 0; i < 16; i++) tail += B32[rnd[i]! % 32]!;
  return time + tail;
}

export interface SeedPlan {
  filename: string;
  conversations: number;
  messages: number;
  /** Messages in the one long conversation (part of `messages`). */
  longConversation: number;
  log(line: string): void;
}

export interface SeedResult {
  longConversationId: string;
  /** A conversation with a typical number of messages. */
  typicalConversationId: string;
  ms: number;
}

const BODIES = [
  'Hello! I have a question about my order.',
  'Sure, let me check that for you.',
  'Thanks a lot',
  'When will it ship?',
  'It left our warehouse this morning; you will get a tracking link by email.',
  'Can I pay on delivery?',
  'Yes, cash or card.',
  'Perfect 👍',
];

/** Multi-row `INSERT ... VALUES (...), (...)` (knex's SQLite insert is a UNION ALL capped at 500 rows). */
async function insertRows(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const perStatement = Math.floor(30_000 / columns.length);
  const tuple = `(${columns.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const bindings: unknown[] = [];
    for (const r of chunk) for (const c of columns) bindings.push(r[c] ?? null);
    await trx.raw(`insert into ${table} (${columns.join(',')}) values ${chunk.map(() => tuple).join(',')}`, bindings as Knex.RawBinding[]);
  }
}

export async function seedInbox(plan: SeedPlan): Promise<SeedResult> {
  const t0 = performance.now();
  const db = createDb({ client: 'sqlite', filename: plan.filename });
  try {
    await migrate(db);
    // Seeding only: the benchmark's database is disposable, so skip the per-commit fsync here.
    await db.raw('PRAGMA synchronous = OFF');
    const now = Date.now();
    const span = 90 * 24 * 3600 * 1000;
    const perConversation = Math.floor((plan.messages - plan.longConversation) / (plan.conversations - 1));
    let extra = plan.messages - plan.longConversation - perConversation * (plan.conversations - 1);
    const BATCH = 5_000; // conversations per transaction (≈ 50,000 messages)
    let longConversationId = '';
    let typicalConversationId = '';
    let inserted = 0;
    for (let start = 0; start < plan.conversations; start += BATCH) {
      const contacts: Record<string, unknown>[] = [];
      const conversations: Record<string, unknown>[] = [];
      const messages: Record<string, unknown>[] = [];
      for (let i = start; i < Math.min(plan.conversations, start + BATCH); i++) {
        const whatsapp = i % 2 === 0;
        const createdAt = now - span + Math.floor((i / plan.conversations) * span);
        const contactId = ulidAt(createdAt);
        contacts.push({
          id: contactId,
          wa_id: whatsapp ? String(4470_0000_0000 + i) : null,
          name: `Customer ${i}`,
          email: whatsapp ? null : `visitor${i}@example.com`,
          visitor_token_hash: whatsapp ? null : randomBytes(32).toString('hex'),
          whatsapp_consent: false,
          created_at: createdAt,
          updated_at: createdAt,
        });
        const conversationId = ulidAt(createdAt);
        let count = i === 0 ? plan.longConversation : perConversation;
        if (i !== 0 && extra > 0) {
          count += 1;
          extra -= 1;
        }
        if (i === 0) longConversationId = conversationId;
        if (i === Math.floor(plan.conversations / 2)) typicalConversationId = conversationId;
        // Messages every few minutes (the long one over days), the last one at most 90 days old.
        const step = i === 0 ? Math.floor(span / Math.max(1, count)) : 90_000;
        let at = createdAt;
        let lastBody = '';
        for (let m = 0; m < count; m++) {
          at += step + (m % 7) * 1000;
          const inbound = m % 2 === 0;
          lastBody = BODIES[(i + m) % BODIES.length]!;
          messages.push({
            id: ulidAt(at),
            conversation_id: conversationId,
            direction: inbound ? 'inbound' : 'outbound',
            sender: inbound ? (whatsapp ? 'customer' : 'visitor') : 'agent',
            type: 'text',
            body: lastBody,
            wamid: whatsapp ? `wamid.SEED${conversationId}${m}` : null,
            status: inbound ? 'received' : 'read',
            is_note: false,
            sent_at: at,
            created_at: at,
          });
        }
        conversations.push({
          id: conversationId,
          channel: whatsapp ? 'whatsapp' : 'web',
          contact_id: contactId,
          status: i % 3 === 0 ? 'open' : 'resolved',
          last_customer_message_at: whatsapp ? at : null,
          last_message_at: at,
          last_message_preview: lastBody,
          unread_count: i % 5 === 0 ? 1 : 0,
          created_at: createdAt,
          updated_at: at,
        });
      }
      await db.transaction(async (trx) => {
        await insertRows(trx, 'contacts', contacts);
        await insertRows(trx, 'conversations', conversations);
        await insertRows(trx, 'messages', messages);
      });
      inserted += messages.length;
      if ((start / BATCH) % 4 === 3 || start + BATCH >= plan.conversations) {
        plan.log(
          `  seeded ${Math.min(plan.conversations, start + BATCH)} conversations, ${inserted} messages (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
        );
      }
    }
    await db.raw('PRAGMA synchronous = FULL');
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    return { longConversationId, typicalConversationId, ms: performance.now() - t0 };
  } finally {
    await db.destroy();
  }
}
