/** The root: checks the session, shows sign-in or the signed-in shell. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api/client.ts';
import { listenToHistory } from './lib/router.ts';
import { Shell } from './components/shell.tsx';
import { SignIn } from './scenes/sign-in.tsx';
import { Session } from './stores/session.ts';
import { useStore } from './stores/store.ts';

export function App() {
  const { api, session } = useMemo(() => {
    let s: Session | null = null;
    const api = createApi({ onUnauthorized: () => s?.expire() });
    s = new Session(api);
    return { api, session: s };
  }, []);
  const state = useStore(session.state);
  const [mode, setMode] = useState<'live' | 'sandbox' | null>(null);

  useEffect(() => {
    void session.check();
    api.health().then(
      (h) => setMode(h.mode),
      () => setMode(null),
    );
    return listenToHistory();
  }, [api, session]);

  if (state.status === 'checking') {
    return (
      <div class="splash" role="status">
        Loading ConnectDesk…
      </div>
    );
  }
  if (state.status === 'signed-out' || !state.user) return <SignIn session={session} notice={state.notice} />;
  return <Shell key={state.user.id} api={api} session={session} me={state.user} mode={mode} />;
}
