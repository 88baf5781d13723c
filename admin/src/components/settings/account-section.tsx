/**
 * The signed-in agent's own account: change the password. Every other session and every API token
 * of this agent ends; this browser stays signed in with a fresh session.
 */
import { useState } from 'preact/hooks';
import { useApp } from '../../context.ts';
import { FormError } from '../form-error.tsx';
import { chooseTheme, savedTheme, type ThemeChoice } from '../../lib/theme.ts';

export function AccountSection() {
  const { api, me } = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [theme, setTheme] = useState<ThemeChoice>(() => savedTheme());

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    setDone(false);
    if (next !== again) {
      setError('The new passwords do not match.');
      return;
    }
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(true);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="settings-section">
      <h2>Your account</h2>
      <p class="lead">
        Signed in as <strong>{me.name}</strong> ({me.email}, {me.role}).
      </p>
      <fieldset class="field appearance">
        <legend>Appearance on this device</legend>
        {(
          [
            ['system', 'Same as the system'],
            ['light', 'Light'],
            ['dark', 'Dark'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} class="check-field">
            <input
              type="radio"
              name="theme"
              checked={theme === value}
              onChange={() => {
                chooseTheme(value);
                setTheme(value);
              }}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      {done && (
        <p class="notice" role="status">
          Password changed. Your other sessions and your API tokens have ended; this browser stays signed in.
        </p>
      )}
      <form class="card form-grid" onSubmit={submit} aria-label="Change your password">
        <h3>Change your password</h3>
        <p class="muted field-wide">At least 8 characters. Every other session and all your API tokens end when it changes.</p>
        <FormError error={error} />
        <label class="field field-wide">
          <span>Current password</span>
          <input type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>New password</span>
          <input type="password" autocomplete="new-password" required minLength={8} value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>New password again</span>
          <input type="password" autocomplete="new-password" required minLength={8} value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
        </label>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy || !current || next.length < 8 || !again}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </div>
  );
}
