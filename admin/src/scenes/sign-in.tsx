/** Sign in with email and password; says why when the session expired. */
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import type { Session } from '../stores/session.ts';
import { FormError } from '../components/form-error.tsx';

export function SignIn({ session, notice }: { session: Session; notice: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(email.trim(), password);
    } catch (err) {
      const e2 = err as ApiError;
      setError(e2.code === 'unauthorized' ? 'Wrong email or password.' : e2.code === 'rate_limited' || e2.code === 'locked' ? `${e2.message}.` : e2.message);
      setBusy(false);
    }
  }

  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <div class="brand brand-large" aria-hidden="true">
          <span class="brand-mark">C</span> ConnectDesk
        </div>
        <h1 id="sign-in-title">Sign in</h1>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <label class="field">
          <span>Email</span>
          <input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} autoFocus />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <FormError error={error} />
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
