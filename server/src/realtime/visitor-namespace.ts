/**
 * `/visitor`: the widget. Handshake `auth: { visitor_token? }`; a new visitor gets `session`
 * `{ visitor_token }` (stored only once they write). Each visitor joins their own room, so every
 * tab of theirs sees every message. New-visitor handshakes are rate-limited per IP.
 */
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import type { VisitorClientToServer, VisitorServerToClient } from '@connectdesk/shared';
import { MAX_TEXT, normalizeWaId } from '@connectdesk/shared';
import type { ChatService } from '../conversations/chat-service.ts';
import type { ContactRow } from '../db/repos/contacts-repo.ts';
import { AppError } from '../errors.ts';
import { RateLimiter } from '../http/rate-limiter.ts';
import type { Logger } from '../logger.ts';
import type { RealtimeHub } from './hub.ts';
import { visitorRoom } from './hub.ts';
import { validateEvent } from './validate-event.ts';
import { newVisitorMeta } from '../conversations/visitor-details.ts';

const SendSchema = z.object({
  text: z.string().max(MAX_TEXT, `text must be at most ${MAX_TEXT} characters`).refine((s) => s.trim().length > 0, 'text must not be empty'),
  client_id: z.string().min(1).max(64),
  name: z.string().trim().max(100).optional(),
  email: z.string().trim().max(254).optional(),
  phone: z.string().trim().max(32).optional(),
  whatsapp_consent: z.boolean().optional(),
  page_url: z.string().max(2048).optional(),
});
const TypingSchema = z.object({ on: z.boolean() });
const ReadSchema = z.object({ up_to: z.string().min(1).max(64) });
const IdentifySchema = z.object({
  name: z.string().trim().max(100).optional(),
  email: z.string().trim().max(254).optional(),
  // Checked here, before a new visitor's contact is created for it.
  phone: z
    .string()
    .trim()
    .max(32)
    .refine((p) => !p || normalizeWaId(p) !== null, 'phone must be a number in international format, like +44 7700 900123')
    .optional(),
  whatsapp_consent: z.boolean().optional(),
});

export interface VisitorNamespaceDeps {
  chat: ChatService;
  hub: RealtimeHub;
  logger: Logger;
  /** Messages per visitor per minute. */
  messagesPerMinute?: number;
  /** New visitor identities per IP per minute. */
  newVisitorsPerMinute?: number;
}

interface VisitorData {
  contact: ContactRow | null;
  /** The token we issued to a new visitor, until their contact exists. */
  issuedToken: string | null;
}

type VisitorSocket = Socket<VisitorClientToServer, VisitorServerToClient, Record<string, never>, VisitorData>;

export function attachVisitorNamespace(nsp: Namespace<VisitorClientToServer, VisitorServerToClient>, deps: VisitorNamespaceDeps): void {
  const perVisitor = new RateLimiter(deps.messagesPerMinute ?? 30, 60_000);
  const newPerIp = new RateLimiter(deps.newVisitorsPerMinute ?? 120, 60_000);

  nsp.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { visitor_token?: unknown } | undefined)?.visitor_token;
      const existing = typeof token === 'string' ? await deps.chat.visitorByToken(token) : null;
      const data = socket.data as VisitorData;
      if (existing) {
        data.contact = existing;
        data.issuedToken = null;
      } else if (typeof token === 'string' && /^[A-Za-z0-9_-]{24,128}$/.test(token)) {
        // A token we issued earlier whose visitor has not written yet (e.g. a second tab).
        data.contact = null;
        data.issuedToken = token;
        (socket.data as { reused?: boolean }).reused = true;
      } else {
        if (!newPerIp.hit(socket.handshake.address).allowed) {
          next(Object.assign(new Error('too many new connections from this address'), { data: { code: 'rate_limited' } }));
          return;
        }
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
    if (socket.data.contact) void socket.join(visitorRoom(socket.data.contact.id));
    const userAgent = socket.handshake.headers['user-agent'] ?? null;
    if (socket.data.issuedToken && !(socket.data as { reused?: boolean }).reused) socket.emit('session', { visitor_token: socket.data.issuedToken });

    socket.on(
      'message:send',
      validateEvent(SendSchema, log, async (p) => {
        const key = socket.data.contact?.id ?? socket.data.issuedToken ?? socket.id;
        if (!perVisitor.hit(key).allowed) throw new AppError('rate_limited', 'you are sending messages too fast; wait a moment');
        const result = await deps.chat.receiveVisitorMessageForContact(socket.data.contact, p, socket.data.issuedToken, userAgent);
        adopt(result.contact);
        return { message: result.message };
      }) as VisitorClientToServer['message:send'],
    );

    socket.on(
      'history',
      validateEvent(z.object({}).passthrough(), log, async () => ({
        messages: socket.data.contact ? await deps.chat.visitorHistory(socket.data.contact) : [],
      })) as VisitorClientToServer['history'],
    );

    socket.on(
      'identify',
      validateEvent(IdentifySchema, log, async (p) => {
        const contact = socket.data.contact ?? (await deps.chat.ensureVisitor(socket.data.issuedToken!, newVisitorMeta({ userAgent })));
        await deps.chat.identifyVisitor(contact, p);
        adopt((await deps.chat.visitorById(contact.id)) ?? contact);
        return {};
      }) as VisitorClientToServer['identify'],
    );

    socket.on('typing', (p: unknown) => {
      const parsed = TypingSchema.safeParse(p);
      if (!parsed.success || !socket.data.contact) return;
      void deps.chat.visitorTyping(socket.data.contact, parsed.data.on);
    });

    socket.on('read', (p: unknown) => {
      const parsed = ReadSchema.safeParse(p);
      if (!parsed.success || !socket.data.contact) return;
      deps.chat.visitorRead(socket.data.contact, parsed.data.up_to).catch((err) => log.warn({ err }, 'read receipt failed'));
    });
  });
}
