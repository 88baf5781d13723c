/**
 * The agent's own status (online / away) and who else of the team is here, in the top bar: a button
 * showing this agent's status opens a small panel with the away switch and the team list.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PresenceStatus } from '../api/types.ts';
import { useApp } from '../context.ts';
import { useStore } from '../stores/store.ts';

const LABEL: Record<PresenceStatus, string> = { online: 'Online', away: 'Away', offline: 'Offline' };

function PresenceDot({ status }: { status: PresenceStatus }) {
  return <span class={`presence-dot presence-${status}`} aria-hidden="true" />;
}

export function PresenceMenu() {
  const { me, agentDay } = useApp();
  const team = useStore(agentDay.state, (s) => s.team);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const mine = team.find((a) => a.id === me.id)?.status ?? 'online';
  const others = team.filter((a) => a.id !== me.id);
  const here = others.filter((a) => a.status === 'online').length;

  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  async function set(status: 'online' | 'away') {
    setError(null);
    try {
      await agentDay.setStatus(status);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div class="presence-menu" ref={root}>
      <button type="button" class="btn btn-ghost presence-button" aria-expanded={open} aria-controls="presence-panel" onClick={() => setOpen((v) => !v)}>
        <PresenceDot status={mine} />
        <span class="presence-label">{LABEL[mine]}</span>
        <span class="visually-hidden">, your status; {here} of the team online</span>
      </button>
      {open && (
        <div id="presence-panel" class="presence-panel" role="group" aria-label="Status and team">
          <fieldset class="presence-choice">
            <legend>Your status</legend>
            {(['online', 'away'] as const).map((s) => (
              <label key={s}>
                <input type="radio" name="my-status" value={s} checked={(mine === 'away') === (s === 'away')} onChange={() => void set(s)} />
                {s === 'online' ? 'Online' : 'Away (until you switch back)'}
              </label>
            ))}
          </fieldset>
          {mine === 'away' && (
            <p class="presence-note">Away: you show as away to the team, and visitors see when to expect an answer instead of “Online now”.</p>
          )}
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <p class="presence-heading">Team</p>
          {others.length === 0 ? (
            <p class="presence-note">Nobody else on the team yet.</p>
          ) : (
            <ul class="presence-team" aria-label="Team presence">
              {others.map((a) => (
                <li key={a.id}>
                  <PresenceDot status={a.status} />
                  <span class="presence-name">{a.name}</span>
                  <span class="muted">{LABEL[a.status]}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
