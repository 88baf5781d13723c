/**
 * Notifications, per agent (stored on the server): desktop notifications (the browser asks for
 * permission only when the agent turns them on here), a sound, e-mail about unanswered
 * conversations, and how long without activity before showing as away. Admins also set the
 * team's "unanswered after" minutes.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AgentPreferences } from '../../api/types.ts';
import { useApp } from '../../context.ts';
import { createChime } from '../../lib/chime.ts';
import { useStore } from '../../stores/store.ts';
import { FormError } from '../form-error.tsx';

type Permission = NotificationPermission | 'unsupported';

const permissionNow = (): Permission => (typeof Notification === 'function' ? Notification.permission : 'unsupported');

export function NotificationsSection() {
  const { api, me, agentDay } = useApp();
  const { preferences, emailConfigured } = useStore(agentDay.state);
  const [permission, setPermission] = useState<Permission>(permissionNow);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [threshold, setThreshold] = useState<string>('');
  const [chime] = useState(() => createChime(window));
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    if (me.role !== 'admin') return;
    api.notificationSettings().then(
      (r) => setThreshold(String(r.settings.unanswered_after_minutes)),
      (err: Error) => setError(err.message),
    );
  }, [api, me.role]);

  async function save(patch: Partial<AgentPreferences>, what: string) {
    setError(null);
    setSaved(null);
    try {
      await agentDay.savePreferences(patch);
      setSaved(what);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function toggleDesktop(on: boolean) {
    if (!on) return save({ desktop: false }, 'Desktop notifications are off.');
    if (permission === 'unsupported') return setError('This browser does not support desktop notifications.');
    // Asked only now, on the agent's own click; the box stays ticked while the browser asks.
    setAsking(true);
    const answer = permission === 'granted' ? 'granted' : await Notification.requestPermission();
    setAsking(false);
    setPermission(answer);
    if (answer !== 'granted') {
      setError('The browser blocks notifications for this site. Allow them in the site settings (the icon left of the address), then try again.');
      return;
    }
    await save({ desktop: true }, 'Desktop notifications are on.');
  }

  async function saveThreshold(e: Event) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    try {
      const r = await api.saveNotificationSettings({ unanswered_after_minutes: Number(threshold) });
      setThreshold(String(r.settings.unanswered_after_minutes));
      setSaved('Saved the team’s e-mail threshold.');
    } catch (err) {
      setError((err as Error).message);
    }
  }

  if (!preferences) return <p class="muted">Loading…</p>;
  return (
    <div class="settings-section">
      <h2>Notifications</h2>
      <p class="lead">
        For new conversations and new messages that are yours or unassigned. These are yours alone and follow you to any browser you sign in on.
      </p>
      <FormError error={error} />
      {saved && (
        <p class="notice" role="status">
          {saved}
        </p>
      )}
      <div class="card form-grid">
        <label class="pref-toggle field-wide">
          <input
            type="checkbox"
            checked={asking || (preferences.desktop && permission === 'granted')}
            onChange={(e) => void toggleDesktop(e.currentTarget.checked)}
          />
          <span>
            Desktop notifications
            <span class="pref-hint">
              {permission === 'denied'
                ? 'Blocked by the browser for this site: allow notifications in the site settings first.'
                : permission === 'unsupported'
                  ? 'Not supported by this browser.'
                  : 'The browser asks for permission when you turn this on. Shown while you look at another tab or conversation.'}
            </span>
          </span>
        </label>
        <label class="pref-toggle field-wide">
          <input
            type="checkbox"
            checked={preferences.sound}
            onChange={(e) => void save({ sound: e.currentTarget.checked }, e.currentTarget.checked ? 'Sound is on.' : 'Sound is off.')}
          />
          <span>
            Sound
            <span class="pref-hint">A short chime with each new message.</span>
          </span>
        </label>
        <div class="field-wide">
          <button type="button" class="btn btn-small" onClick={() => chime.play()}>
            Play the sound
          </button>
        </div>
        <label class="pref-toggle field-wide">
          <input
            type="checkbox"
            checked={preferences.email}
            onChange={(e) =>
              void save({ email: e.currentTarget.checked }, e.currentTarget.checked ? 'E-mail notifications are on.' : 'E-mail notifications are off.')
            }
          />
          <span>
            E-mail me about unanswered conversations
            <span class="pref-hint">
              {emailConfigured
                ? `To ${me.email}, once per conversation that waits too long for an answer (yours, or unassigned).`
                : 'E-mail is not set up on this server yet (SMTP_URL); your choice is kept for when it is.'}
            </span>
          </span>
        </label>
        <label class="field">
          <span>Show me as away after (minutes without activity)</span>
          <input
            type="number"
            min={0}
            max={240}
            step={1}
            value={preferences.away_after_minutes}
            onChange={(e) => void save({ away_after_minutes: Number(e.currentTarget.value) }, 'Saved.')}
          />
          <small>0 = never automatically.</small>
        </label>
      </div>
      {me.role === 'admin' && (
        <form class="card form-grid" onSubmit={saveThreshold} aria-label="Team e-mail threshold">
          <h3>Team: when is a conversation unanswered?</h3>
          <label class="field">
            <span>E-mail after (minutes without an answer)</span>
            <input type="number" min={0.1} max={1440} step="any" required value={threshold} onInput={(e) => setThreshold(e.currentTarget.value)} />
          </label>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary">
              Save
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
