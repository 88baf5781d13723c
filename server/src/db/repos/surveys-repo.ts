/**
 * Satisfaction surveys: at most one per conversation cycle (the unique cycle_id is what makes it
 * one per resolution, even when two agents resolve at once), answered at most once.
 */
import type { Knex } from 'knex';
import type { Channel, SurveyCommentJson, SurveyJson } from '@connectdesk/shared';
import { newId } from '../../ids.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { iso, ms } from '../json.ts';

export interface SurveyRow {
  id: string;
  cycle_id: number;
  conversation_id: string;
  channel: Channel;
  agent_id: string | null;
  asked_at: number | string;
  expires_at: number | string;
  message_id: string | null;
  rating: number | null;
  comment: string | null;
  answered_at: number | string | null;
  answer_message_id: string | null;
}

export interface CycleRow {
  id: number;
  conversation_id: string;
  channel: Channel;
  agent_id: string | null;
  opened_at: number | string;
  first_response_at: number | string | null;
  resolved_at: number | string | null;
}

export function surveyJson(r: SurveyRow, now = Date.now()): SurveyJson {
  const status = r.rating !== null ? 'answered' : now >= ms(r.expires_at)! ? 'expired' : 'asked';
  return {
    id: r.id,
    conversation_id: r.conversation_id,
    status,
    asked_at: iso(r.asked_at)!,
    expires_at: iso(r.expires_at)!,
    rating: r.rating === null ? null : Number(r.rating),
    comment: r.comment,
    answered_at: iso(r.answered_at),
  };
}

export class SurveysRepo {
  constructor(private readonly db: Knex) {}

  /** The conversation's latest cycle (the one a resolution just closed, or the open one). */
  async latestCycle(conversationId: string, trx: Knex = this.db): Promise<CycleRow | null> {
    return (await trx<CycleRow>('conversation_cycles').where({ conversation_id: conversationId }).orderBy('id', 'desc').first()) ?? null;
  }

  /** Null when this cycle has a survey already. */
  async create(input: { cycle: CycleRow; askedAt: number; expiresAt: number }, trx: Knex = this.db): Promise<SurveyRow | null> {
    const row: SurveyRow = {
      id: newId(),
      cycle_id: input.cycle.id,
      conversation_id: input.cycle.conversation_id,
      channel: input.cycle.channel,
      agent_id: input.cycle.agent_id,
      asked_at: input.askedAt,
      expires_at: input.expiresAt,
      message_id: null,
      rating: null,
      comment: null,
      answered_at: null,
      answer_message_id: null,
    };
    const inserted = (await trx('satisfaction_surveys').insert(row).onConflict('cycle_id').ignore().returning('id')) as unknown[];
    // SQLite answers an ignored insert with no row; PostgreSQL too (RETURNING nothing).
    return inserted.length > 0 ? row : null;
  }

  async remove(id: string, trx: Knex = this.db): Promise<void> {
    await trx('satisfaction_surveys').where({ id }).delete();
  }

  async setMessage(id: string, messageId: string, trx: Knex = this.db): Promise<void> {
    await trx('satisfaction_surveys').where({ id }).update({ message_id: messageId });
  }

  async byId(id: string, trx: Knex = this.db): Promise<SurveyRow | null> {
    return (await trx<SurveyRow>('satisfaction_surveys').where({ id }).first()) ?? null;
  }

  /** The newest survey of a conversation still waiting for its answer. */
  async openFor(conversationId: string, now: number, trx: Knex = this.db): Promise<SurveyRow | null> {
    return (
      (await trx<SurveyRow>('satisfaction_surveys')
        .where({ conversation_id: conversationId })
        .whereNull('rating')
        .andWhere('expires_at', '>', now)
        .orderBy('asked_at', 'desc')
        .first()) ?? null
    );
  }

  /** Records the answer unless one is there already; false when another answer won. */
  async answer(id: string, a: { rating: number; comment: string | null; at: number; messageId: string | null }, trx: Knex = this.db): Promise<boolean> {
    const n = await trx('satisfaction_surveys')
      .where({ id })
      .whereNull('rating')
      .update({ rating: a.rating, comment: a.comment, answered_at: a.at, answer_message_id: a.messageId });
    return n > 0;
  }

  /** Answered surveys with a comment in [start, end), newest first. */
  async comments(q: {
    start: number;
    end: number;
    channel: Channel | null;
    agentId: string | null;
    limit: number;
    cursor?: string | null;
  }): Promise<{ data: SurveyCommentJson[]; next_cursor: string | null }> {
    const query = this.db<SurveyRow>('satisfaction_surveys')
      .where('answered_at', '>=', q.start)
      .andWhere('answered_at', '<', q.end)
      .whereNotNull('comment')
      .andWhere('comment', '<>', '');
    if (q.channel) query.andWhere('channel', q.channel);
    if (q.agentId) query.andWhere('agent_id', q.agentId);
    const c = decodeCursor(q.cursor);
    if (c) query.andWhere((w) => w.where('answered_at', '<', c.at).orWhere((w2) => w2.where('answered_at', c.at).andWhere('id', '<', c.id)));
    const rows = await query
      .orderBy([
        { column: 'answered_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => ({
        survey_id: r.id,
        conversation_id: r.conversation_id,
        channel: r.channel,
        agent_id: r.agent_id,
        rating: Number(r.rating),
        comment: r.comment!,
        answered_at: iso(r.answered_at)!,
      })),
      next_cursor: rows.length > q.limit && last ? encodeCursor(ms(last.answered_at)!, last.id) : null,
    };
  }
}
