/**
 * `/visitor`: the widget. Handshake `auth: { visitor_token? }`; a new visitor gets `session`
 * `{ visitor_token }` (stored only once they write). Each visitor joins their own room, so every
 * tab of theirs sees every message. Limits (limits/traffic-limits.ts) key on the client address
 * and never trust a client-chosen token: handshakes count per address (fairly: a known visitor
 * still gets in while the address is busy), a token that is not a stored visitor counts as a new
 * visitor, messages count per visitor and per address, `history` and `identify` per socket and per
 * address, and typing is coalesced before it reaches the agents.
 */
import { newRequestId } from '../requests/request-id.ts';
import type { Namespace, Socket } from 'socket.io';
import type { SurveyAnswer, SurveyJson, VisitorClientToServer, VisitorServerToClient } from '@connectdesk/shared';
import {
  HistoryRequestSchema,
  SurveyAnswerEventSchema,
  VisitorClientInfoSchema,
  VisitorIdentifySchema,
  VisitorReactionSchema,
  VisitorReadSchema,
  VisitorSendSchema,
  VisitorTypingSchema,
} from '@connectdesk/shared';
import type { ChatService } from '../conversations/chat-service.ts';
import type { ContactRow } from '../db/repos/contacts-repo.ts';
import { AppError } from '../errors.ts';
import type { ClientAddresses } from '../requests/client-address.ts';
import { rateLimitedError, type TrafficLimits } from '../limits/traffic-limits.ts';
import type { Logger } from '../logger.ts';
import type { RealtimeHub } from './hub.ts';
import { visitorRoom } from './hub.ts';
import { TypingThrottle } from './typing-throttle.ts';
import { onValidEvent, validateEvent } from './validate-event.ts';
import { newVisitorMeta, type VisitorClient } from '../conversations/visitor-details.ts';

/** The satisfaction survey as the widget meets it (satisfaction/survey-service.ts). */
interface VisitorSurveys {
  pendingForVisitor(contactId: string): Promise<SurveyJson | null>;
  answerFromVisitor(contactId: string, surveyId: string, answer: SurveyAnswer): Promise<SurveyJson>;
}

export interface VisitorNamespaceDeps {
  chat: ChatService;
  surveys?: VisitorSurveys;
  hub: RealtimeHub;
  logger: Logger;
  limits: TrafficLimits;
  addresses: ClientAddresses;
  /** Whether any agent is online, for the widget's "online now" (realtime/presence.ts). */
  presence: { agentsOnline(): boolean };
}

interface VisitorData {
  contact: ContactRow | null;
  /** The token we issued to a new visitor, until their contact exists. */
  issuedToken: string | null;
  /** The client address's limit key (http/client-address.ts). */
  address: string;
  /** What the widget said about its visitor in the handshake: page, browser language, time zone. */
  client: VisitorClient;
}

/** The handshake's page, language and time zone, or the reason they are refused. */
function clientInfo(auth: unknown): { ok: true; client: VisitorClient } | { ok: false; message: string } {
  const { visitor_token: _token, ...rest } = (auth && typeof auth === 'object' ? auth : {}) as Record<string, unknown>;
  const parsed = VisitorClientInfoSchema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid handshake' };
  }
  return { ok: true, client: { pageUrl: parsed.data.page_url, language: parsed.data.language, timeZone: parsed.data.time_zone } };
}

/** A refused handshake: the client sees `connect_error` with this message and `data`. */
function refusedHandshake(message: string, retryAfterSeconds: number): Error {
  return Object.assign(new Error(message), { data: { code: 'rate_limited', retry_after: retryAfterSeconds } });
}

type VisitorSocket = Socket<VisitorClientToServer, VisitorServerToClient, Record<string, never>, VisitorData>;

export function attachVisitorNamespace(nsp: Namespace<VisitorClientToServer, VisitorServerToClient>, deps: VisitorNamespaceDeps): void {
  const { limits } = deps;
  const typing = new TypingThrottle(limits.settings.typingGapMs);

  nsp.use(async (socket, next) => {
    try {
      const info = clientInfo(socket.handshake.auth);
      if (!info.ok) {
        next(Object.assign(new Error(info.message), { data: { code: 'validation_failed' } }));
        return;
      }
      const address = deps.addresses.keyOf(socket.request);
      const token = (socket.handshake.auth as { visitor_token?: unknown } | undefined)?.visitor_token;
      const existing = typeof token === 'string' ? await deps.chat.visitorByToken(token) : null;
      const conn = await limits.connections.take(address, existing ? `contact:${existing.id}` : null);
      if (!conn.allowed) {
        next(refusedHandshake('too many connections from this address', conn.retryAfterSeconds));
        return;
      }
      if (!existing) {
        // Any token that is not a stored visitor is a new visitor, whoever chose it.
        const fresh = await limits.newVisitors.take(address);
        if (!fresh.allowed) {
          next(refusedHandshake('too many new connections from this address', fresh.retryAfterSeconds));
          return;
        }
      }
      const data = socket.data as VisitorData;
      data.address = address;
      data.client = info.client;
      if (existing) {
        data.contact = existing;
        data.issuedToken = null;
      } else if (typeof token === 'string' && /^[A-Za-z0-9_-]{24,128}$/.test(token)) {
        // A token we issued earlier whose visitor has not written yet (e.g. a second tab).
        data.contact = null;
        data.issuedToken = token;
        (socket.data as { reused?: boolean }).reused = true;
      } else {
        data.contact = null;
        data.issuedToken = deps.chat.issueVisitorToken();
      }
      next();
    } catch (err) {
      deps.logger.error({ err }, 'visitor handshake failed');
      next(new Error('server error'));
    }
  });

  nsp.on('connection', (raw) => {
    const socket = raw as unknown as VisitorSocket;
    const log = deps.logger.child({ socket: socket.id });
    const adopt = (contact: ContactRow) => {
      if (socket.data.contact?.id !== contact.id) void socket.join(visitorRoom(contact.id));
      socket.data.contact = contact;
      socket.data.issuedToken = null;
    };
    if (socket.data.contact) {
      const contactId = socket.data.contact.id;
      void socket.join(visitorRoom(contactId));
      // A survey still waiting for this visitor's answer is asked again on every connect.
      deps.surveys
        ?.pendingForVisitor(contactId)
        .then((survey) => survey && socket.emit('survey:ask', { survey }))
        .catch((err) => log.warn({ err }, 'could not look up a pending survey'));
    }
    const userAgent = socket.handshake.headers['user-agent'] ?? null;
    const client: VisitorClient = { ...socket.data.client, userAgent };
    if (socket.data.contact) {
      void socket.join(visitorRoom(socket.data.contact.id));
      deps.chat.noteVisitorClient(socket.data.contact, client).catch((err) => log.warn({ err }, 'could not store the visitor details'));
    }
    socket.emit('presence', { online: deps.presence.agentsOnline() });
    if (socket.data.issuedToken && !(socket.data as { reused?: boolean }).reused) socket.emit('session', { visitor_token: socket.data.issuedToken });
    const perSocket = async (limit: TrafficLimits['history'], what: string) => {
      const v = await limit.take(socket.data.address, `socket:${socket.id}`);
      if (!v.allowed) throw rateLimitedError(`too many ${what} requests; wait a moment`, v.retryAfterSeconds);
    };
    // One chain per socket: each signal looks the conversation up first, and two lookups racing
    // could otherwise show an "off" before the "on" it follows.
    let typingChain: Promise<void> = Promise.resolve();
    const sendTyping = (contact: ContactRow) => (on: boolean) => {
      typingChain = typingChain.then(() => deps.chat.visitorTyping(contact, on)).catch((err) => log.warn({ err }, 'typing failed'));
    };

    socket.on(
      'message:send',
      validateEvent(VisitorSendSchema, log, async (p) => {
        const identity = socket.data.contact ? `contact:${socket.data.contact.id}` : `token:${socket.data.issuedToken ?? socket.id}`;
        const limit = await limits.messages.take(socket.data.address, identity);
        if (!limit.allowed) {
          throw rateLimitedError(
            limit.scope === 'identity' ? 'you are sending messages too fast; wait a moment' : 'too many messages from this address; wait a minute',
            limit.retryAfterSeconds,
          );
        }
        // A socket event has no HTTP request: it gets an id of its own for the work it queues.
        const result = await deps.chat.receiveVisitorMessageForContact(socket.data.contact, p, socket.data.issuedToken, client, newRequestId());
        adopt(result.contact);
        return { message: result.message };
      }),
    );

    socket.on(
      'history',
      validateEvent(HistoryRequestSchema, log, async () => {
        await perSocket(limits.history, 'history');
        return { messages: socket.data.contact ? await deps.chat.visitorHistory(socket.data.contact) : [] };
      }),
    );

    socket.on(
      'identify',
      validateEvent(VisitorIdentifySchema, log, async (p) => {
        await perSocket(limits.identify, 'identify');
        const contact = socket.data.contact ?? (await deps.chat.ensureVisitor(socket.data.issuedToken!, newVisitorMeta(client)));
        await deps.chat.identifyVisitor(contact, p);
        adopt((await deps.chat.visitorById(contact.id)) ?? contact);
        return {};
      }),
    );

    socket.on(
      'survey:answer',
      validateEvent(SurveyAnswerEventSchema, log, async (p) => {
        await perSocket(limits.identify, 'survey');
        const contact = socket.data.contact;
        if (!contact || !deps.surveys) throw new AppError('not_found', 'survey not found');
        return { survey: await deps.surveys.answerFromVisitor(contact.id, p.survey_id, { rating: p.rating, comment: p.comment }) };
      }),
    );

    socket.on(
      'reaction',
      validateEvent(VisitorReactionSchema, log, async (p) => {
        await perSocket(limits.history, 'reaction');
        return { message: await deps.chat.visitorReaction(socket.data.contact, p) };
      }),
    );

    socket.on(
      'typing',
      onValidEvent(VisitorTypingSchema, ({ on }) => {
        const contact = socket.data.contact;
        if (contact) typing.signal(contact.id, on, sendTyping(contact));
      }),
    );

    socket.on('disconnect', () => {
      const contact = socket.data.contact;
      if (contact) typing.signal(contact.id, false, sendTyping(contact));
    });

    socket.on(
      'read',
      onValidEvent(VisitorReadSchema, ({ up_to }) => {
        if (socket.data.contact) deps.chat.visitorRead(socket.data.contact, up_to).catch((err) => log.warn({ err }, 'read receipt failed'));
      }),
    );
  });
}
