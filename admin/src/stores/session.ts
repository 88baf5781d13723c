/** Who is signed in. A 401 anywhere (session expired, signed out elsewhere) returns to sign-in with a notice. */
import type { Api } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { createStore, type Store } from './store.ts';

export interface SessionState {
  status: 'checking' | 'signed-out' | 'signed-in';
  user: User | null;
  /** Why the agent is looking at the sign-in form, when it is not their own doing. */
  notice: string | null;
}

const EXPIRED_NOTICE = 'Your session has expired. Sign in again to continue.';

export class Session {
  readonly state: Store<SessionState> = createStore<SessionState>({ status: 'checking', user: null, notice: null });

  constructor(private readonly api: Api) {}

  async check(): Promise<void> {
    try {
      const { user } = await this.api.currentSession();
      this.state.set(user ? { status: 'signed-in', user, notice: null } : { status: 'signed-out', user: null, notice: null });
    } catch (err) {
      this.state.set({ status: 'signed-out', user: null, notice: (err as Error).message });
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    const { user } = await this.api.signIn(email, password);
    this.state.set({ status: 'signed-in', user, notice: null });
  }

  async signOut(): Promise<void> {
    await this.api.signOut().catch(() => {});
    this.state.set({ status: 'signed-out', user: null, notice: 'You have signed out.' });
  }

  expire(): void {
    if (this.state.get().status !== 'signed-in') return;
    this.state.set({ status: 'signed-out', user: null, notice: EXPIRED_NOTICE });
  }
}
