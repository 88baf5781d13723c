/**
 * `/visitor`: the widget. Handshake `auth: { visitor_token? }`; a new visitor gets `session`.
 * Each visitor joins their own room, so every tab of theirs sees every message.
 */
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import type { VisitorClientToServer, VisitorServerToClient } from '@connectdesk/shared';
import { MAX_TEXT } from '@connectdesk/shared';
import type { ChatService } from '../conversations/chat-service.ts';
import type { ContactRow } from '../db/repos/contacts-repo.ts';
import { AppError } from '../errors.ts';
import { RateLimiter } from '../http/rate-limiter.ts';
import type { Logger } from '../logger.ts';
import type { RealtimeHub } from './hub.ts';
import { visitorRoom } from './hub.ts';
import { validateEvent } from './validate-event.ts';

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
  phone: z.string().trim().max(32).optional(),
  whatsapp_consent: z.boolean().optional(),
});

export interface VisitorNamespaceDeps {
  chat: ChatService;
  hub: RealtimeHub;
  logger: Logger;
  /** Messages per visitor per minute. */
  messagesPerMinute?: number;
}

type VisitorSocket = Socket<VisitorClientToServer, VisitorServerToClient, Record<string, never>, { contact: ContactRow }>;

export function attachVisitorNamespace(nsp: Namespace<VisitorClientToServer, VisitorServerToClient>, deps: VisitorNamespaceDeps): void {
  const perVisitor = new RateLimiter(deps.messagesPerMinute ?? 30, 60_000);

  nsp.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { visitor_token?: unknown } | undefined)?.visitor_token;
      const existing = typeof token === 'string' ? await deps.chat.visitorByToken(token) : null;
      if (existing) {
        socket.data.contact = existing;
      } else {
        const { contact, visitorToken } = await deps.chat.createVisitor({ user_agent: socket.handshake.headers['user-agent']?.slice(0, 255) });
        socket.data.contact = contact;
        (socket.data as { newToken?: string }).newToken = visitorToken;
      }
      next();
    } catch (err) {
      deps.logger.error({ err }, 'visitor handshake failed');
      next(new Error('server error'));
    }
  });

  nsp.on('connection', (raw) => {
    const socket = raw as unknown as VisitorSocket;
    const contact = () => socket.data.contact;
    const log = deps.logger.child({ visitor: contact().id });
    void socket.join(visitorRoom(contact().id));
    const newToken = (socket.data as { newToken?: string }).newToken;
    if (newToken) socket.emit('session', { visitor_token: newToken });

    socket.on(
      'message:send',
      validateEvent(SendSchema, log, async (p) => {
        if (!perVisitor.hit(contact().id).allowed) throw new AppError('rate_limited', 'you are sending messages too fast; wait a moment');
        const token = (socket.handshake.auth as { visitor_token?: string }).visitor_token;
        const result = await deps.chat.receiveVisitorMessageForContact(contact(), p, token ?? newToken ?? null);
        socket.data.contact = result.contact;
        return { message: result.message };
      }) as VisitorClientToServer['message:send'],
    );

    socket.on(
      'history',
      validateEvent(z.object({}).passthrough(), log, async () => ({ messages: await deps.chat.visitorHistory(contact()) })) as VisitorClientToServer['history'],
    );

    socket.on(
      'identify',
      validateEvent(IdentifySchema, log, async (p) => {
        await deps.chat.identifyVisitor(contact(), p);
        socket.data.contact = (await deps.chat.visitorById(contact().id)) ?? contact();
        return {};
      }) as VisitorClientToServer['identify'],
    );

    socket.on('typing', (p: unknown) => {
      const parsed = TypingSchema.safeParse(p);
      if (!parsed.success) return;
      void deps.chat.visitorTyping(contact(), parsed.data.on);
    });

    socket.on('read', (p: unknown) => {
      const parsed = ReadSchema.safeParse(p);
      if (!parsed.success) return;
      deps.chat.visitorRead(contact(), parsed.data.up_to).catch((err) => log.warn({ err }, 'read receipt failed'));
    });
  });
}
