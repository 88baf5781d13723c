/**
 * conversation_cycles: one row per "opened → first answered → resolved" of a conversation,
 * written by triggers on conversations and messages so every code path that opens, answers,
 * assigns or resolves a conversation is seen:
 * - a new conversation opens a cycle; a resolved one that becomes open again (a new message, or an
 *   agent reopening it) opens the next one (`reopened`);
 * - the first agent message (notes aside) or owner reply from the phone in an open cycle is its
 *   first response;
 * - resolving closes the open cycle;
 * - the cycle counts for the conversation's assignee, else whoever answered first.
 * Durations (counting business hours when set) are filled in later by the reports module;
 * `durations_pending` marks the cycles whose times changed since.
 */
import type { Knex } from 'knex';

const isPg = (knex: Knex) => (knex.client as { dialect?: string }).dialect === 'postgresql';

const OPEN_FIRST = `INSERT INTO conversation_cycles (conversation_id, channel, agent_id, opened_at, reopened, durations_pending)
  VALUES (NEW.id, NEW.channel, NEW.assignee_id, NEW.created_at, FALSE, FALSE)`;
const RESOLVE = `UPDATE conversation_cycles SET resolved_at = NEW.updated_at, agent_id = COALESCE(NEW.assignee_id, agent_id), durations_pending = TRUE
  WHERE conversation_id = NEW.id AND resolved_at IS NULL`;
const REOPEN = `INSERT INTO conversation_cycles (conversation_id, channel, agent_id, opened_at, reopened, durations_pending)
  SELECT NEW.id, NEW.channel, NEW.assignee_id, NEW.updated_at, TRUE, FALSE
  WHERE NOT EXISTS (SELECT 1 FROM conversation_cycles WHERE conversation_id = NEW.id AND resolved_at IS NULL)`;
const ASSIGN = `UPDATE conversation_cycles SET agent_id = COALESCE(NEW.assignee_id, first_responder_id)
  WHERE conversation_id = NEW.id AND resolved_at IS NULL`;
const FIRST_RESPONSE = `UPDATE conversation_cycles SET first_response_at = NEW.created_at, first_response_by = NEW.sender,
  first_responder_id = NEW.author_id, agent_id = COALESCE(agent_id, NEW.author_id), durations_pending = TRUE
  WHERE conversation_id = NEW.conversation_id AND resolved_at IS NULL AND first_response_at IS NULL`;
const IS_RESPONSE = `NEW.direction = 'outbound' AND NEW.sender IN ('agent', 'owner') AND NEW.is_note = FALSE`;

const SQLITE = [
  `CREATE TRIGGER cycles_open AFTER INSERT ON conversations BEGIN ${OPEN_FIRST}; END`,
  `CREATE TRIGGER cycles_resolve AFTER UPDATE OF status ON conversations WHEN OLD.status IS NOT 'resolved' AND NEW.status = 'resolved' BEGIN ${RESOLVE}; END`,
  `CREATE TRIGGER cycles_reopen AFTER UPDATE OF status ON conversations WHEN OLD.status = 'resolved' AND NEW.status IS NOT 'resolved' BEGIN ${REOPEN}; END`,
  `CREATE TRIGGER cycles_assign AFTER UPDATE OF assignee_id ON conversations WHEN OLD.assignee_id IS NOT NEW.assignee_id BEGIN ${ASSIGN}; END`,
  `CREATE TRIGGER cycles_first_response AFTER INSERT ON messages WHEN ${IS_RESPONSE} BEGIN ${FIRST_RESPONSE}; END`,
];

const PG = [
  `CREATE FUNCTION cycles_on_conversation() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN
    IF TG_OP = 'INSERT' THEN ${OPEN_FIRST};
    ELSE
      IF NEW.assignee_id IS DISTINCT FROM OLD.assignee_id THEN ${ASSIGN}; END IF;
      IF OLD.status IS DISTINCT FROM 'resolved' AND NEW.status = 'resolved' THEN ${RESOLVE}; END IF;
      IF OLD.status = 'resolved' AND NEW.status IS DISTINCT FROM 'resolved' THEN ${REOPEN}; END IF;
    END IF;
    RETURN NULL; END $fn$`,
  `CREATE TRIGGER cycles_on_conversation AFTER INSERT OR UPDATE OF status, assignee_id ON conversations FOR EACH ROW EXECUTE FUNCTION cycles_on_conversation()`,
  `CREATE FUNCTION cycles_first_response() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN ${FIRST_RESPONSE}; RETURN NULL; END $fn$`,
  `CREATE TRIGGER cycles_first_response AFTER INSERT ON messages FOR EACH ROW WHEN (${IS_RESPONSE}) EXECUTE FUNCTION cycles_first_response()`,
];

export async function createCycleTriggers(knex: Knex): Promise<void> {
  for (const sql of isPg(knex) ? PG : SQLITE) await knex.raw(sql);
}

export async function dropCycleTriggers(knex: Knex): Promise<void> {
  if (isPg(knex)) {
    await knex.raw('DROP TRIGGER IF EXISTS cycles_on_conversation ON conversations');
    await knex.raw('DROP TRIGGER IF EXISTS cycles_first_response ON messages');
    await knex.raw('DROP FUNCTION IF EXISTS cycles_on_conversation()');
    await knex.raw('DROP FUNCTION IF EXISTS cycles_first_response()');
    return;
  }
  for (const name of ['cycles_open', 'cycles_resolve', 'cycles_reopen', 'cycles_assign', 'cycles_first_response'])
    await knex.raw(`DROP TRIGGER IF EXISTS ${name}`);
}

/**
 * Cycles for conversations that existed before the triggers: one per conversation, opened when it
 * was created, first answered by its first agent or owner message, resolved when it was last
 * updated if it is resolved now.
 */
export async function backfillCycles(knex: Knex): Promise<void> {
  await knex.raw(`INSERT INTO conversation_cycles (conversation_id, channel, agent_id, first_responder_id, opened_at, reopened, first_response_at, first_response_by, resolved_at, durations_pending)
    SELECT c.id, c.channel, COALESCE(c.assignee_id, fr.author_id), fr.author_id, c.created_at, FALSE, fr.created_at, fr.sender,
      CASE WHEN c.status = 'resolved' THEN c.updated_at END,
      CASE WHEN fr.created_at IS NOT NULL OR c.status = 'resolved' THEN TRUE ELSE FALSE END
    FROM conversations c
    LEFT JOIN (
      SELECT m.conversation_id, m.created_at, m.sender, m.author_id FROM messages m
      WHERE m.direction = 'outbound' AND m.sender IN ('agent', 'owner') AND m.is_note = FALSE
        AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.conversation_id = m.conversation_id AND e.direction = 'outbound'
          AND e.sender IN ('agent', 'owner') AND e.is_note = FALSE AND (e.created_at < m.created_at OR (e.created_at = m.created_at AND e.id < m.id)))
    ) fr ON fr.conversation_id = c.id`);
}
