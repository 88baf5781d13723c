/** What every scene needs, provided once by the signed-in shell. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api/client.ts';
import type { User } from './api/types.ts';
import type { AdminSocket } from './socket.ts';
import type { AccountHealthStore } from './stores/account-health.ts';
import type { AgentDay } from './stores/agent-day.ts';
import type { Inbox } from './stores/inbox.ts';
import type { Session } from './stores/session.ts';

export interface AppContextValue {
  api: Api;
  session: Session;
  me: User;
  socket: AdminSocket | null;
  inbox: Inbox;
  /** Unread counts, presence and notification preferences (stores/agent-day.ts). */
  agentDay: AgentDay;
  /** The business account's health, for admins (stores/account-health.ts). */
  accountHealth: AccountHealthStore;
  mode: 'live' | 'sandbox' | null;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside the signed-in app');
  return ctx;
}
