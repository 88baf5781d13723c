/**
 * The survey as a WhatsApp interactive list (Meta's limits: button ≤ 20 characters, row titles
 * ≤ 24, row descriptions ≤ 72, row ids ≤ 200, at most 10 rows), and reading the customer's
 * `list_reply` back. A row id names the survey and the rating: `csat:<survey id>:<1–5>`.
 */
import { RATING_LABELS, type InboundMessage } from '@connectdesk/shared';

const ROW_ID = /^csat:([0-9A-HJKMNP-TV-Z]{26}):([1-5])$/;
export const SURVEY_QUESTION = 'How did we do?';

export interface SurveyReply {
  surveyId: string;
  rating: number;
}

export function surveyListInteractive(surveyId: string, site: string): Record<string, unknown> {
  return {
    type: 'list',
    header: { type: 'text', text: SURVEY_QUESTION },
    body: { text: `Please rate your conversation with ${site}.`.slice(0, 1024) },
    footer: { text: 'Tap “Rate us” and choose one.' },
    action: {
      button: 'Rate us',
      sections: [
        {
          title: 'Your rating',
          rows: ([5, 4, 3, 2, 1] as const).map((n) => ({ id: `csat:${surveyId}:${n}`, title: `${'★'.repeat(n)} ${n}`, description: RATING_LABELS[n] })),
        },
      ],
    },
  };
}

/** The survey answer a customer's list reply carries, or null when it is not one. */
export function surveyReplyOf(msg: InboundMessage): SurveyReply | null {
  if (msg.type !== 'interactive') return null;
  const i = msg.interactive as { type?: unknown; list_reply?: { id?: unknown } } | undefined;
  if (i?.type !== 'list_reply' || typeof i.list_reply?.id !== 'string') return null;
  const m = ROW_ID.exec(i.list_reply.id);
  return m ? { surveyId: m[1]!, rating: Number(m[2]) } : null;
}

/** The timeline text of an answer: "Rated 4 of 5 (Good)", with the comment when there is one. */
export function answerText(rating: number, comment: string | null): string {
  const label = RATING_LABELS[rating as 1 | 2 | 3 | 4 | 5];
  return `Rated ${rating} of 5 (${label})${comment ? ` — ${comment}` : ''}`;
}
