/**
 * What runs beside every screen of the signed-in app: the tab title from the server's unread
 * count, desktop notifications and the chime for new messages that are this agent's or nobody's
 * (as their preferences say), and telling the server when this tab goes idle (automatic away).
 */
import { useEffect } from 'preact/hooks';
import type { ConversationJson, MessageJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { alertFor } from '../lib/alerts.ts';
import { createChime } from '../lib/chime.ts';
import { trackIdle } from '../lib/idle-tracker.ts';
import { currentRoute, navigate } from '../lib/router.ts';
import { useStore } from '../stores/store.ts';

const SEEN_MAX = 500;

export function AgentDayEffects() {
  const { socket, me, agentDay } = useApp();
  const unread = useStore(agentDay.state, (s) => s.unread?.conversations ?? 0);

  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ConnectDesk` : 'ConnectDesk';
  }, [unread]);

  useEffect(() => {
    void agentDay.load();
  }, [agentDay]);

  // Desktop notifications and the chime.
  useEffect(() => {
    if (!socket) return;
    const chime = createChime(window);
    const unlock = () => chime.unlock();
    window.addEventListener('pointerdown', unlock, { once: true, capture: true });
    window.addEventListener('keydown', unlock, { once: true, capture: true });
    // message:new also carries changes (reactions, edits, media ready): alert once per message.
    const seen = new Set<string>();
    const onNew = ({ message, conversation }: { message: MessageJson; conversation: ConversationJson }) => {
      if (seen.has(message.id)) return;
      seen.add(message.id);
      if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value!);
      const alert = alertFor(message, conversation, me.id);
      const prefs = agentDay.state.get().preferences;
      if (!alert || !prefs) return;
      const route = currentRoute.get();
      const looking = document.visibilityState === 'visible' && document.hasFocus() && route.name === 'inbox' && route.conversationId === alert.conversationId;
      if (looking) return;
      if (prefs.desktop && typeof Notification === 'function' && Notification.permission === 'granted') {
        const n = new Notification(alert.title, { body: alert.body, tag: `conversation-${alert.conversationId}` });
        n.onclick = () => {
          window.focus();
          navigate({ name: 'inbox', conversationId: alert.conversationId });
          n.close();
        };
      }
      if (prefs.sound) chime.play();
    };
    socket.on('message:new', onNew);
    return () => {
      socket.off('message:new', onNew);
      window.removeEventListener('pointerdown', unlock, { capture: true });
      window.removeEventListener('keydown', unlock, { capture: true });
    };
  }, [socket, me.id, agentDay]);

  // Automatic away: this tab tells the server when it goes idle and back (again after a reconnect).
  useEffect(() => {
    if (!socket) return;
    const tracker = trackIdle(
      window,
      () => agentDay.state.get().preferences?.away_after_minutes ?? 10,
      (idle) => socket.emit('idle', { idle }),
    );
    const onConnect = () => {
      if (tracker.idle()) socket.emit('idle', { idle: true });
    };
    socket.on('connect', onConnect);
    return () => {
      tracker.stop();
      socket.off('connect', onConnect);
    };
  }, [socket, agentDay]);

  return null;
}
