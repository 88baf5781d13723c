/** The socket event maps are the schemas' types: checked by the type checker (`pnpm typecheck`) and run by vitest. */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ConversationJson, MessageErrorJson, MessageJson, MessageStatus } from './api.ts';
import type { AgentPresenceJson, UnreadCountsJson } from './agent-day.ts';
import type {
  ADMIN_CLIENT_EVENTS,
  ADMIN_SERVER_EVENTS,
  VISITOR_CLIENT_EVENTS,
  VISITOR_SERVER_EVENTS,
  VisitorIdentifySchema,
  VisitorSendSchema,
} from './contract/realtime-events.ts';
import type { AdminClientToServer, AdminServerToClient, VisitorClientToServer, VisitorServerToClient } from './realtime.ts';
import type { SurveyJson } from './satisfaction.ts';

type Payload<F> = F extends (payload: infer P, ...rest: never[]) => void ? P : never;
type AckOf<F> = F extends (payload: never, ack: infer A) => void ? NonNullable<A> : never;
type AckResult<F> = AckOf<F> extends (res: infer R) => void ? R : never;

describe('socket event maps', () => {
  it('name exactly the events that have a payload schema', () => {
    expectTypeOf<keyof VisitorClientToServer>().toEqualTypeOf<keyof typeof VISITOR_CLIENT_EVENTS>();
    expectTypeOf<keyof VisitorServerToClient>().toEqualTypeOf<keyof typeof VISITOR_SERVER_EVENTS>();
    expectTypeOf<keyof AdminClientToServer>().toEqualTypeOf<keyof typeof ADMIN_CLIENT_EVENTS>();
    expectTypeOf<keyof AdminServerToClient>().toEqualTypeOf<keyof typeof ADMIN_SERVER_EVENTS>();
    expectTypeOf<keyof VisitorClientToServer>().toEqualTypeOf<'message:send' | 'typing' | 'read' | 'history' | 'identify' | 'survey:answer' | 'reaction'>();
    expectTypeOf<keyof VisitorServerToClient>().toEqualTypeOf<'session' | 'message:new' | 'message:status' | 'typing' | 'presence' | 'survey:ask'>();
    expectTypeOf<keyof AdminClientToServer>().toEqualTypeOf<'typing' | 'idle'>();
    expectTypeOf<keyof AdminServerToClient>().toEqualTypeOf<'message:new' | 'message:status' | 'conversation:update' | 'typing' | 'unread' | 'presence'>();
  });

  it('/visitor, client → server: payloads are the schemas’ input types, acks carry the documented results', () => {
    expectTypeOf<Payload<VisitorClientToServer['message:send']>>().toEqualTypeOf<z.input<typeof VisitorSendSchema>>();
    expectTypeOf<Payload<VisitorClientToServer['message:send']>>().toEqualTypeOf<{
      text?: string | undefined;
      choice?: { message_id: string; id: string } | undefined;
      client_id: string;
      name?: string | undefined;
      email?: string | undefined;
      phone?: string | undefined;
      whatsapp_consent?: boolean | undefined;
      page_url?: string | undefined;
    }>();
    expectTypeOf<Payload<VisitorClientToServer['identify']>>().toEqualTypeOf<z.input<typeof VisitorIdentifySchema>>();
    expectTypeOf<Payload<VisitorClientToServer['typing']>>().toEqualTypeOf<{ on: boolean }>();
    expectTypeOf<Payload<VisitorClientToServer['read']>>().toEqualTypeOf<{ up_to: string }>();
    expectTypeOf<Payload<VisitorClientToServer['survey:answer']>>().toMatchTypeOf<{ survey_id: string; rating: number; comment?: string | null }>();
    expectTypeOf<AckResult<VisitorClientToServer['message:send']>>().toMatchTypeOf<
      { ok: true; message: MessageJson } | { ok: false; error: { code: string; message: string } }
    >();
    expectTypeOf<Extract<AckResult<VisitorClientToServer['history']>, { ok: true }>['messages']>().toEqualTypeOf<MessageJson[]>();
    expectTypeOf<Extract<AckResult<VisitorClientToServer['survey:answer']>, { ok: true }>['survey']>().toEqualTypeOf<SurveyJson>();
    expectTypeOf<Payload<VisitorClientToServer['reaction']>>().toEqualTypeOf<{ message_id: string; emoji: string }>();
    expectTypeOf<Extract<AckResult<VisitorClientToServer['reaction']>, { ok: true }>['message']>().toEqualTypeOf<MessageJson>();
  });

  it('/visitor, server → client: what the widget receives', () => {
    expectTypeOf<Payload<VisitorServerToClient['session']>>().toEqualTypeOf<{ visitor_token: string }>();
    expectTypeOf<Payload<VisitorServerToClient['message:new']>>().toEqualTypeOf<{ message: MessageJson }>();
    expectTypeOf<Payload<VisitorServerToClient['message:status']>>().toEqualTypeOf<{ id: string; status: MessageStatus }>();
    expectTypeOf<Payload<VisitorServerToClient['typing']>>().toEqualTypeOf<{ on: boolean }>();
    expectTypeOf<Payload<VisitorServerToClient['presence']>>().toEqualTypeOf<{ online: boolean }>();
    expectTypeOf<Payload<VisitorServerToClient['survey:ask']>>().toEqualTypeOf<{ survey: SurveyJson }>();
  });

  it('/admin, both directions', () => {
    expectTypeOf<Payload<AdminClientToServer['typing']>>().toEqualTypeOf<{ conversation_id: string; on: boolean }>();
    expectTypeOf<Payload<AdminClientToServer['idle']>>().toEqualTypeOf<{ idle: boolean }>();
    expectTypeOf<Payload<AdminServerToClient['message:new']>>().toEqualTypeOf<{ message: MessageJson; conversation: ConversationJson }>();
    expectTypeOf<Payload<AdminServerToClient['message:status']>>().toEqualTypeOf<{ id: string; status: MessageStatus; error: MessageErrorJson | null }>();
    expectTypeOf<Payload<AdminServerToClient['conversation:update']>>().toEqualTypeOf<{ conversation: ConversationJson }>();
    expectTypeOf<Payload<AdminServerToClient['typing']>>().toEqualTypeOf<{ conversation_id: string; on: boolean }>();
    expectTypeOf<Payload<AdminServerToClient['unread']>>().toEqualTypeOf<UnreadCountsJson>();
    expectTypeOf<Payload<AdminServerToClient['presence']>>().toEqualTypeOf<{ agents: AgentPresenceJson[] }>();
  });
});
