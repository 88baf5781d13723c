/**
 * What the domain needs from realtime: push to one visitor (all their tabs) or to all agents.
 * Backed by socket.io rooms, so with the Redis adapter it reaches sockets on every node.
 */
import type { Server } from 'socket.io';
import type { AdminServerToClient, VisitorServerToClient } from '@connectdesk/shared';

export interface RealtimeHub {
  toVisitor<E extends keyof VisitorServerToClient>(contactId: string, event: E, ...args: Parameters<VisitorServerToClient[E]>): void;
  toAgents<E extends keyof AdminServerToClient>(event: E, ...args: Parameters<AdminServerToClient[E]>): void;
  /** How many sockets a visitor has open right now (across nodes with the Redis adapter). */
  visitorOnline(contactId: string): Promise<boolean>;
}

export const visitorRoom = (contactId: string) => `visitor:${contactId}`;
export const AGENTS_ROOM = 'agents';

export function createHub(io: Server): RealtimeHub {
  const visitors = io.of('/visitor');
  const admins = io.of('/admin');
  return {
    toVisitor(contactId, event, ...args) {
      (visitors.to(visitorRoom(contactId)).emit as (ev: string, ...a: unknown[]) => boolean)(event, ...args);
    },
    toAgents(event, ...args) {
      (admins.to(AGENTS_ROOM).emit as (ev: string, ...a: unknown[]) => boolean)(event, ...args);
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
  };
}

/** A hub that goes nowhere, for code paths (CLI, tests) without sockets. */
export const silentHub: RealtimeHub = {
  toVisitor() {},
  toAgents() {},
  async visitorOnline() {
    return false;
  },
};
