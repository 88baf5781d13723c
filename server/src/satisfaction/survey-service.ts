/**
 * "How did we do?" — asked once per resolution when an agent resolves a conversation someone
 * answered (and the survey is on in Settings): web visitors get `survey:ask` in the widget (now,
 * and whenever they connect until it expires); WhatsApp customers whose 24-hour window is open get
 * an interactive list. The answer lands in the conversation's timeline and in the reports; a late
 * or repeated answer changes neither (web: `survey_expired` / `survey_answered`; WhatsApp: the
 * customer's message is kept in the timeline, quietly, and counts for nothing).
 */
import { SURVEY_TTL_MS, windowState, type SurveyAnswer, type SurveyJson } from '@connectdesk/shared';
import type { SystemMessage } from '../conversations/whatsapp-bridge.ts';
import type { TxRunner } from '../db/group-commit.ts';
import { ms } from '../db/json.ts';
import type { ContactsRepo } from '../db/repos/contacts-repo.ts';
import type { ConversationsRepo } from '../db/repos/conversations-repo.ts';
import type { MessageRow } from '../db/repos/messages-repo.ts';
import { surveyJson, type SurveysRepo } from '../db/repos/surveys-repo.ts';
import { AppError, notFound } from '../errors.ts';
import type { ConversationLog } from '../conversations/conversation-log.ts';
import type { Logger } from '../logger.ts';
import type { RealtimeHub } from '../realtime/hub.ts';
import { answerText, SURVEY_QUESTION, surveyListInteractive } from './survey-list.ts';

/** What the survey needs from WhatsApp: a message of ConnectDesk's own, inside the window (none: no WhatsApp). */
interface SurveySender {
  sendSystemMessage?(input: SystemMessage): Promise<MessageRow>;
}

export interface SurveyServiceDeps {
  tx: TxRunner;
  surveys: SurveysRepo;
  conversations: ConversationsRepo;
  contacts: ContactsRepo;
  hub: RealtimeHub;
  /** Stores messages in their conversation and tells agents (and the visitor of a web chat). */
  log: ConversationLog;
  whatsapp: SurveySender;
  /** Whether the survey is on (Settings → Reports). */
  enabled(): Promise<boolean>;
  siteName: string;
  logger: Logger;
  now?: () => number;
}

export class SurveyService {
  constructor(private readonly deps: SurveyServiceDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** After an agent resolved the conversation: ask, once for this resolution. Null: nothing asked. */
  async offer(conversationId: string): Promise<SurveyJson | null> {
    const { surveys, conversations, contacts } = this.deps;
    if (!(await this.deps.enabled())) return null;
    const cycle = await surveys.latestCycle(conversationId);
    // Only a resolution of a conversation someone answered; a reopened one has an open cycle.
    if (!cycle || cycle.resolved_at === null || cycle.first_response_at === null) return null;
    const conversation = await conversations.byId(conversationId);
    const contact = conversation ? await contacts.byId(conversation.contact_id) : null;
    if (!conversation || !contact) return null;
    if (conversation.channel === 'whatsapp' && (!contact.wa_id || !windowState(ms(conversation.last_customer_message_at), new Date(this.now())).open))
      return null;
    const now = this.now();
    const survey = await surveys.create({ cycle, askedAt: now, expiresAt: now + SURVEY_TTL_MS });
    if (!survey) return null; // this resolution was surveyed already
    if (conversation.channel === 'web') {
      const json = surveyJson(survey, now);
      this.deps.hub.toVisitor(contact.id, 'survey:ask', { survey: json });
      return json;
    }
    try {
      if (!this.deps.whatsapp.sendSystemMessage) throw new Error('WhatsApp is not configured');
      const row = await this.deps.whatsapp.sendSystemMessage({
        conversation,
        contact,
        type: 'interactive',
        body: SURVEY_QUESTION,
        content: { interactive: surveyListInteractive(survey.id, this.deps.siteName), survey: { id: survey.id } },
      });
      await surveys.setMessage(survey.id, row.id);
      await this.deps.log.announce(row);
    } catch (err) {
      // Not asked after all: a later resolution may try again.
      await surveys.remove(survey.id);
      this.deps.logger.warn({ err, conversationId }, 'could not send the satisfaction survey on WhatsApp');
      return null;
    }
    return surveyJson(survey, now);
  }

  /** The survey a web visitor can still answer (shown when their widget connects). */
  async pendingForVisitor(contactId: string): Promise<SurveyJson | null> {
    const conversation = await this.deps.conversations.latestFor(contactId, 'web');
    if (!conversation) return null;
    const now = this.now();
    const row = await this.deps.surveys.openFor(conversation.id, now);
    return row ? surveyJson(row, now) : null;
  }

  /** A web visitor's answer, from the widget's socket or plain HTTP. */
  async answerFromVisitor(contactId: string, surveyId: string, answer: SurveyAnswer): Promise<SurveyJson> {
    const { surveys, conversations, log } = this.deps;
    const survey = await surveys.byId(surveyId);
    const conversation = survey ? await conversations.byId(survey.conversation_id) : null;
    if (!survey || !conversation || conversation.contact_id !== contactId || survey.channel !== 'web') throw notFound('survey');
    if (survey.rating !== null) throw new AppError('survey_answered', 'this survey was answered already; the first answer counts');
    const now = this.now();
    if (now >= ms(survey.expires_at)!) throw new AppError('survey_expired', 'this survey can no longer be answered');
    const comment = answer.comment?.trim() || null;
    const row = await this.deps.tx(async (trx) => {
      // Into the timeline without reopening the conversation or counting as unread.
      const message = await log.append(
        {
          conversationId: conversation.id,
          channel: 'web',
          direction: 'inbound',
          sender: 'visitor',
          type: 'interactive',
          body: answerText(answer.rating, comment),
          content: { interactive: { type: 'survey_reply', survey_reply: { id: survey.id, rating: answer.rating, comment } }, survey: { id: survey.id } },
          status: 'received',
          createdAt: now,
        },
        trx,
        { unread: false, answered: true },
      );
      if (!(await surveys.answer(survey.id, { rating: answer.rating, comment, at: now, messageId: message.id }, trx))) {
        throw new AppError('survey_answered', 'this survey was answered already; the first answer counts');
      }
      return message;
    });
    await this.deps.log.announce(row);
    return surveyJson((await surveys.byId(survey.id))!, now);
  }
}
