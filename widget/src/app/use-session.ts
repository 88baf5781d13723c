import { useEffect, useReducer } from 'preact/hooks';
import type { ChatSession, SessionState } from '../chat/chat-session.ts';

/** Re-renders whenever the session changes. */
export function useSession(session: ChatSession): SessionState {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => session.subscribe(() => rerender(undefined)), [session]);
  return session.state;
}
