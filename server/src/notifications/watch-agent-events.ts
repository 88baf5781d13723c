/**
 * A hub that also tells `onChange` whenever agents are sent something that can change unread
 * counts (`message:new`, `conversation:update`). Every path that stores a message or changes a
 * conversation already pushes one of those, so wrapping the hub catches them all — web chats,
 * WhatsApp webhooks, owner replies, reads, assignments — without each path knowing about it.
 */
import type { RealtimeHub } from '../realtime/hub.ts';

const CHANGES = new Set<string>(['message:new', 'conversation:update']);

export function watchAgentEvents(hub: RealtimeHub, onChange: () => void): RealtimeHub {
  return {
    ...hub,
    toAgents(event, ...args) {
      hub.toAgents(event, ...args);
      if (CHANGES.has(event)) onChange();
    },
  };
}
