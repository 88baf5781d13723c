/** API tokens for scripts (`Authorization: Bearer …`): created (shown once) and revoked. */
import { useEffect, useState } from 'preact/hooks';
import type { ApiTokenJson } from '../../api/types.ts';
import { useApp } from '../../context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import { CopyField } from '../copy-field.tsx';
import { FormError } from '../form-error.tsx';

export function TokensSection() {
  const { api } = useApp();
  const [tokens, setTokens] = useState<ApiTokenJson[] | null>(null);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      setTokens((await api.tokens()).data);
    } catch (err) {
      setError((err as Error).message);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function create(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const res = await api.createToken(name.trim());
      setCreated(res.token);
      setName('');
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div class="settings-section">
      <h2>API tokens</h2>
      <p class="lead">
        For scripts and integrations: send <code>Authorization: Bearer &lt;token&gt;</code> to <code>/admin/api/…</code>. A token acts as the agent who
        created it.
      </p>
      <FormError error={error} />
      {created && (
        <div class="card callout" role="status">
          <p>Copy the token now — it is shown only once.</p>
          <CopyField label="New API token" value={created} />
          <button type="button" class="btn btn-small" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      {tokens && tokens.length === 0 && <p class="muted">No tokens.</p>}
      <ul class="rows" aria-label="API tokens">
        {(tokens ?? []).map((t) => (
          <li key={t.id} class="row">
            <span>
              <strong>{t.name}</strong> <span class="mono muted">{t.prefix}…</span>
              <span class="muted">
                {' '}
                · {t.user_name ?? 'unknown'} · created {formatDateTime(t.created_at)} · {t.last_used_at ? `last used ${formatDateTime(t.last_used_at)}` : 'never used'}
              </span>
            </span>
            <ConfirmButton
              label="Revoke"
              confirmLabel={`Revoke ${t.name}`}
              onConfirm={async () => {
                try {
                  await api.revokeToken(t.id);
                  await load();
                } catch (err) {
                  setError((err as Error).message);
                }
              }}
            />
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={create} aria-label="Create an API token">
        <label class="field">
          <span>Token name</span>
          <input required value={name} placeholder="e.g. CRM sync" maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="btn btn-primary" disabled={!name.trim()}>
          Create token
        </button>
      </form>
    </div>
  );
}
