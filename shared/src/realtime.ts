/**
 * Typed socket.io event maps shared by the server, the widget and the admin app, inferred from the
 * payload schemas in contract/realtime-events.ts. Types only: the widget imports this without zod.
 */
import type { z } from 'zod';
import type { ApiError } from './error-codes.ts';
import type { ADMIN_CLIENT_EVENTS, ADMIN_SERVER_EVENTS, VISITOR_ACKS, VISITOR_CLIENT_EVENTS, VISITOR_SERVER_EVENTS } from './contract/realtime-events.ts';

export type Ack<T> = (res: ({ ok: true } & T) | { ok: false; error: ApiError }) => void;

/** What a client sends: the schema's input (before defaults and trimming). */
type Sent<M, K extends keyof M> = M[K] extends z.ZodType ? z.input<M[K]> : never;
/** What a client receives: the schema's output. */
type Received<M, K extends keyof M> = M[K] extends z.ZodType ? z.output<M[K]> : never;

type VisitorAck<K extends keyof typeof VISITOR_ACKS> = Ack<Received<typeof VISITOR_ACKS, K>>;
type Emit<M, K extends keyof M> = (payload: Received<M, K>) => void;

export interface VisitorClientToServer {
  'message:send': (payload: Sent<typeof VISITOR_CLIENT_EVENTS, 'message:send'>, ack: VisitorAck<'message:send'>) => void;
  typing: (payload: Sent<typeof VISITOR_CLIENT_EVENTS, 'typing'>) => void;
  read: (payload: Sent<typeof VISITOR_CLIENT_EVENTS, 'read'>) => void;
  history: (payload: Sent<typeof VISITOR_CLIENT_EVENTS, 'history'>, ack: VisitorAck<'history'>) => void;
  identify: (payload: Sent<typeof VISITOR_CLIENT_EVENTS, 'identify'>, ack?: VisitorAck<'identify'>) => void;
  /** The visitor's answer to `survey:ask`; refused with `survey_answered` or `survey_expired` once it cannot count. */
  'survey:answer': (payload: Sent<typeof VISITOR_CLIENT_EVENTS, 'survey:answer'>, ack: VisitorAck<'survey:answer'>) => void;
  /** React to an agent's message of the visitor's conversation (`emoji: ""` takes it back). */
  reaction: (payload: Sent<typeof VISITOR_CLIENT_EVENTS, 'reaction'>, ack: VisitorAck<'reaction'>) => void;
}

export type VisitorServerToClient = { [K in keyof typeof VISITOR_SERVER_EVENTS]: Emit<typeof VISITOR_SERVER_EVENTS, K> };

export type AdminClientToServer = { [K in keyof typeof ADMIN_CLIENT_EVENTS]: (payload: Sent<typeof ADMIN_CLIENT_EVENTS, K>) => void };

export type AdminServerToClient = { [K in keyof typeof ADMIN_SERVER_EVENTS]: Emit<typeof ADMIN_SERVER_EVENTS, K> };
