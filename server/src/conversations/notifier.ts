/**
 * The port the chat domain tells people through: one visitor (all their tabs) or every agent.
 * realtime/hub.ts implements it with socket.io rooms.
 */
import type { AdminServerToClient, VisitorServerToClient } from '@connectdesk/shared';

export interface ChatNotifier {
  toVisitor<E extends keyof VisitorServerToClient>(contactId: string, event: E, ...args: Parameters<VisitorServerToClient[E]>): void;
  toAgents<E extends keyof AdminServerToClient>(event: E, ...args: Parameters<AdminServerToClient[E]>): void;
  /** Does the visitor have a widget open right now (across nodes)? */
  visitorOnline(contactId: string): Promise<boolean>;
  /** Is any agent signed in to the admin app right now (across nodes)? */
  agentsOnline(): Promise<boolean>;
}
