/**
 * A WhatsApp customer's tap in the survey list. Inbound message handling asks `replyIn` whether a
 * message is one, stores it (quietly: it neither reopens the conversation nor counts as unread)
 * and then has it recorded here. Only the first answer to a survey, before it expires, from the
 * survey's own conversation counts; applying the same webhook again changes nothing.
 */
import type { InboundMessage } from '@connectdesk/shared';
import { ms } from '../db/json.ts';
import type { MessageRow } from '../db/repos/messages-repo.ts';
import type { SurveysRepo } from '../db/repos/surveys-repo.ts';
import { surveyReplyOf, type SurveyReply } from './survey-list.ts';

export class WhatsAppSurveyAnswers {
  constructor(private readonly surveys: SurveysRepo) {}

  replyIn(msg: InboundMessage): SurveyReply | null {
    return surveyReplyOf(msg);
  }

  /** Records the reply stored as `row`; false when it counts for nothing (late, repeated, not this conversation's). */
  async record(row: MessageRow, reply: SurveyReply): Promise<boolean> {
    const survey = await this.surveys.byId(reply.surveyId);
    if (!survey || survey.conversation_id !== row.conversation_id || survey.channel !== 'whatsapp') return false;
    if (survey.answer_message_id === row.id) return true; // this very reply, applied again
    // Meta's timestamp says when the customer tapped; a delivery retried later is not late.
    const tappedAt = ms(row.sent_at) ?? ms(row.created_at)!;
    if (survey.rating !== null || tappedAt >= ms(survey.expires_at)!) return false;
    return this.surveys.answer(survey.id, { rating: reply.rating, comment: null, at: tappedAt, messageId: row.id });
  }
}
