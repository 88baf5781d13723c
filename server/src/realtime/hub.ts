/**
 * The chat domain's notifier (conversations/notifier.ts) and more: push to one visitor (all their
 * tabs), to all agents, to one agent, or to every widget. Backed by socket.io rooms, so with the
 * Redis adapter it reaches sockets on every node.
 */
import type { Server } from 'socket.io';
import type { AdminServerToClient, VisitorServerToClient } from '@connectdesk/shared';
import type { ChatNotifier } from '../conversations/notifier.ts';

export interface RealtimeHub extends ChatNotifier {
  /** Every admin tab of one agent. */
  toAgent<E extends keyof AdminServerToClient>(userId: string, event: E, ...args: Parameters<AdminServerToClient[E]>): void;
  /** Every connected widget (small payloads only: it reaches every visitor on the site). */
  toVisitors<E extends keyof VisitorServerToClient>(event: E, ...args: Parameters<VisitorServerToClient[E]>): void;
}

export const visitorRoom = (contactId: string) => `visitor:${contactId}`;
export const AGENTS_ROOM = 'agents';
/** Every admin socket of one agent, and of one session: what ending access disconnects. */
export const agentRoom = (userId: string) => `agent:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/** How long "no agent online" found by asking every node holds (asking is a round trip to all of them). */
const AGENTS_ONLINE_TTL_MS = 2_000;

export function createHub(io: Server, now: () => number = Date.now): RealtimeHub {
  const visitors = io.of('/visitor');
  const admins = io.of('/admin');
  let agentsAnswer: { online: boolean; until: number } | null = null;
  return {
    toVisitor(contactId, event, ...args) {
      (visitors.to(visitorRoom(contactId)).emit as (ev: string, ...a: unknown[]) => boolean)(event, ...args);
    },
    toAgents(event, ...args) {
      (admins.to(AGENTS_ROOM).emit as (ev: string, ...a: unknown[]) => boolean)(event, ...args);
    },
    toAgent(userId, event, ...args) {
      (admins.to(agentRoom(userId)).emit as (ev: string, ...a: unknown[]) => boolean)(event, ...args);
    },
    toVisitors(event, ...args) {
      (visitors.emit as (ev: string, ...a: unknown[]) => boolean)(event, ...args);
    },
    async visitorOnline(contactId) {
      // Across nodes this asks every node; one that hangs makes it time out. Unknown counts as
      // offline, so a visitor who asked to continue on WhatsApp still gets the reply there.
      try {
        const sockets = await visitors.in(visitorRoom(contactId)).fetchSockets();
        return sockets.length > 0;
      } catch {
        return false;
      }
    },
    async agentsOnline() {
      // An agent on this node answers at once; otherwise ask every node, and keep that answer a
      // moment (it is asked for every visitor message under the `offline` forwarding policy).
      if ((admins.adapter.rooms.get(AGENTS_ROOM)?.size ?? 0) > 0) return true;
      if (agentsAnswer && agentsAnswer.until > now()) return agentsAnswer.online;
      let online = false;
      try {
        online = (await admins.in(AGENTS_ROOM).fetchSockets()).length > 0;
      } catch {
        // A node that does not answer counts as nobody there: the owner is told rather than not.
      }
      agentsAnswer = { online, until: now() + AGENTS_ONLINE_TTL_MS };
      return online;
    },
  };
}
