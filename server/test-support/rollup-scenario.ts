/**
 * For tests: a day of activity written the way the server writes it (repositories, status
 * updates, assignments, resolutions, a survey), so the report triggers see every kind of write.
 * Returns the ids it made. Used on SQLite (server unit tests) and PostgreSQL (test/pg).
 */
import type { Knex } from 'knex';
import { ContactsRepo } from '../src/db/repos/contacts-repo.ts';
import { ConversationsRepo } from '../src/db/repos/conversations-repo.ts';
import { MessagesRepo } from '../src/db/repos/messages-repo.ts';
import { OwnerMessagesRepo } from '../src/db/repos/owner-messages-repo.ts';
import { SurveysRepo } from '../src/db/repos/surveys-repo.ts';
import { DAY_MS, SLOT_COLUMNS } from '../src/db/rollups/facts.ts';
import { newId } from '../src/ids.ts';

const T0 = Date.UTC(2026, 2, 10, 9, 0); // a Tuesday, 09:00 UTC
const MIN = 60_000;

export async function writeRollupScenario(db: Knex): Promise<{ agentA: string; agentB: string; web: string; wa: string }> {
  const contacts = new ContactsRepo(db);
  const conversations = new ConversationsRepo(db);
  const messages = new MessagesRepo(db);
  const ownerMessages = new OwnerMessagesRepo(db);
  const surveys = new SurveysRepo(db);
  const [agentA, agentB] = [newId(), newId()];
  for (const [id, email] of [
    [agentA, 'a@example.com'],
    [agentB, 'b@example.com'],
  ]) {
    await db('users').insert({ id, email, name: email, password_hash: 'x', role: 'agent', created_at: T0 });
  }
  await db('templates').insert({
    id: newId(),
    waba_id: 'w',
    name: 'promo',
    language: 'en_US',
    category: 'MARKETING',
    status: 'APPROVED',
    components: '[]',
    body: 'Sale!',
    parameter_count: 0,
    synced_at: T0,
    updated_at: T0,
  });

  // A web chat: the visitor writes, agent A answers, B takes it over, it is resolved, then reopened.
  const visitor = await contacts.createVisitor({ visitorTokenHash: 'h'.repeat(64), meta: {} });
  const web = await conversations.create({ channel: 'web', contactId: visitor.id, at: T0 });
  const asked = await messages.insert({
    conversationId: web.id,
    channel: 'web',
    direction: 'inbound',
    sender: 'visitor',
    type: 'text',
    body: 'hi',
    status: 'received',
    createdAt: T0,
  });
  await messages.insert({
    conversationId: web.id,
    channel: 'web',
    direction: 'outbound',
    sender: 'agent',
    authorId: agentA,
    type: 'text',
    body: 'hello',
    status: 'sent',
    createdAt: T0 + 4 * MIN,
  });
  await messages.insert({
    conversationId: web.id,
    channel: 'web',
    direction: 'outbound',
    sender: 'agent',
    authorId: agentA,
    type: 'text',
    body: 'note',
    status: 'sent',
    isNote: true,
    createdAt: T0 + 5 * MIN,
  });
  await messages.insert({
    conversationId: web.id,
    channel: 'web',
    direction: 'outbound',
    sender: 'owner',
    type: 'text',
    body: 'from the phone',
    status: 'sent',
    contextMessageId: asked.id,
    createdAt: T0 + 7 * MIN,
  });
  const fw = await ownerMessages.create({
    phoneNumberId: '100000000000001',
    ownerWaId: '15550100001',
    kind: 'forward',
    viaTemplate: false,
    body: 'hi',
    lines: [{ n: null, conversation_id: web.id, message_id: asked.id, name: 'Visitor', site: 'example.com', messages: 1 }],
    at: T0 + MIN,
  });
  await ownerMessages.markSent(fw.id, 'wamid.fw1', T0 + MIN);
  await ownerMessages.setPricing(fw.id, {
    pricing_category: 'utility',
    pricing_model: 'PMP',
    pricing_type: 'regular',
    pricing_billable: true,
    pricing_country: '1',
  });
  await ownerMessages.applyStatus(fw.id, 'delivered', null);
  await conversations.update(web.id, { assignee_id: agentB });
  await conversations.update(web.id, { status: 'resolved' });
  const cycle = (await surveys.latestCycle(web.id))!;
  const survey = (await surveys.create({ cycle, askedAt: T0 + 20 * MIN, expiresAt: T0 + 20 * MIN + 86_400_000 }))!;
  await surveys.answer(survey.id, { rating: 4, comment: 'quick', at: T0 + 25 * MIN, messageId: null });
  await conversations.touch(web.id, { at: T0 + 60 * MIN, preview: 'again', inbound: true });

  // A WhatsApp chat: agent A's replies are delivered, read, fail; a marketing template is billed.
  const customer = await contacts.upsertWhatsApp({ waId: '447700900123', userId: null, name: 'Ana' });
  const wa = await conversations.create({ channel: 'whatsapp', contactId: customer.id, at: T0 + 30 * MIN });
  await messages.insert({
    conversationId: wa.id,
    channel: 'whatsapp',
    direction: 'inbound',
    sender: 'customer',
    type: 'text',
    body: 'olá',
    status: 'received',
    createdAt: T0 + 30 * MIN,
  });
  const read = await messages.insert({
    conversationId: wa.id,
    channel: 'whatsapp',
    direction: 'outbound',
    sender: 'agent',
    authorId: agentA,
    type: 'text',
    body: 'r',
    status: 'queued',
    createdAt: T0 + 31 * MIN,
  });
  const failed = await messages.insert({
    conversationId: wa.id,
    channel: 'whatsapp',
    direction: 'outbound',
    sender: 'agent',
    authorId: agentA,
    type: 'text',
    body: 'f',
    status: 'queued',
    createdAt: T0 + 32 * MIN,
  });
  const promo = await messages.insert({
    conversationId: wa.id,
    channel: 'whatsapp',
    direction: 'outbound',
    sender: 'agent',
    authorId: agentA,
    type: 'template',
    body: 'Sale!',
    status: 'queued',
    template: { name: 'promo', language: 'en_US', parameters: [] },
    createdAt: T0 + 33 * MIN,
  });
  for (const m of [read, failed, promo]) await messages.update(m.id, { wamid: `wamid.${m.id}`, status: 'sent' });
  await messages.setPricing(promo.id, {
    pricing_category: 'marketing',
    pricing_model: 'PMP',
    pricing_type: 'regular',
    pricing_billable: true,
    pricing_country: '44',
  });
  await messages.applyStatus(read.id, 'delivered');
  await messages.applyStatus(read.id, 'read');
  await messages.applyStatus(promo.id, 'delivered');
  await messages.applyStatus(failed.id, 'failed', { code: '131047', title: 'Re-engagement message', detail: null });
  await messages.requeue(failed.id); // the agent pressed Retry, and it failed again
  await messages.applyStatus(failed.id, 'failed', { code: '131026', title: 'Message undeliverable', detail: null });
  return { agentA, agentB, web: web.id, wa: wa.id };
}

/** The rollups as comparable text: every non-zero counter, sorted. */
export async function rollupSnapshot(db: Knex): Promise<string[]> {
  const out: string[] = [];
  for (const r of (await db('report_slots').select('*')) as Record<string, unknown>[]) {
    for (const [k, v] of Object.entries(r)) {
      if (['agent_id', 'slot', 'channel'].includes(k) || Number(v) === 0) continue;
      out.push(`${r.agent_id}|${r.slot}|${r.channel}|${k}=${Number(v)}`);
    }
  }
  for (const r of (await db('report_slot_keys').select('*')) as Record<string, unknown>[]) {
    if (Number(r.n) !== 0) out.push(`${r.agent_id}|${r.slot}|${r.channel}|${r.metric}:${r.key}=${Number(r.n)}`);
  }
  return out.sort();
}

/**
 * report_agent_days as stored, and as it should be (each agent's report_slots summed per UTC day),
 * both as "agent|day|channel|counter=n" lines without zeros, sorted.
 */
export async function agentDayLines(db: Knex): Promise<{ stored: string[]; fromSlots: string[] }> {
  const lines = (rows: Record<string, unknown>[]) =>
    rows
      .flatMap((r) =>
        SLOT_COLUMNS.filter((c) => Number(r[c]) !== 0).map((c) => `${String(r.agent_id)}|${Number(r.day)}|${String(r.channel)}|${c}=${Number(r[c])}`),
      )
      .sort();
  const stored = (await db('report_agent_days').select('*')) as Record<string, unknown>[];
  const fromSlots = await db<Record<string, unknown>, Record<string, unknown>[]>('report_slots')
    .whereNot('agent_id', '')
    .select('agent_id', db.raw(`slot - (slot % ${DAY_MS}) AS day`), 'channel', ...SLOT_COLUMNS.map((c) => db.raw(`SUM(${c}) AS ${c}`)))
    .groupByRaw(`agent_id, slot - (slot % ${DAY_MS}), channel`);
  return { stored: lines(stored), fromSlots: lines(fromSlots) };
}
