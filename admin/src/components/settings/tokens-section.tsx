/**
 * API tokens for scripts (`Authorization: Bearer …`): created with scopes and an expiry (the token
 * is shown once) and revoked. Tokens can never create tokens or admins, nor change roles.
 */
import { useEffect, useState } from 'preact/hooks';
import { API_SCOPES, API_SCOPE_DESCRIPTIONS, DEFAULT_API_SCOPES, type ApiScope } from '@connectdesk/shared/api-scopes';
import type { ApiTokenJson } from '../../api/types.ts';
import { useApp } from '../../context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import { CopyField } from '../copy-field.tsx';
import { FormError } from '../form-error.tsx';

const EXPIRY_CHOICES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const;

type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

function expiresAt(choice: ExpiryChoice, now = Date.now()): string | null {
  return choice === 'never' ? null : new Date(now + Number(choice) * 86_400_000).toISOString();
}

function expiryText(t: ApiTokenJson, now = Date.now()): string {
  if (!t.expires_at) return 'never expires';
  return Date.parse(t.expires_at) <= now ? `expired ${formatDateTime(t.expires_at)}` : `expires ${formatDateTime(t.expires_at)}`;
}

export function TokensSection() {
  const { api } = useApp();
  const [tokens, setTokens] = useState<ApiTokenJson[] | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>([...DEFAULT_API_SCOPES]);
  const [expiry, setExpiry] = useState<ExpiryChoice>('90');
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

  function toggle(scope: ApiScope, on: boolean) {
    setScopes((current) => (on ? API_SCOPES.filter((s) => s === scope || current.includes(s)) : current.filter((s) => s !== scope)));
  }

  async function create(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const res = await api.createToken({ name: name.trim(), scopes, expires_at: expiresAt(expiry) });
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
        For scripts and integrations: send <code>Authorization: Bearer &lt;token&gt;</code> to <code>/admin/api/…</code>. A token acts as the agent who created
        it, only within its scopes, and can never create tokens or admins.
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
                · {t.user_name ?? 'unknown'} · created {formatDateTime(t.created_at)} ·{' '}
                {t.last_used_at ? `last used ${formatDateTime(t.last_used_at)}` : 'never used'} · {expiryText(t)}
              </span>
              <br />
              <span class="muted">Scopes: {t.scopes.length > 0 ? t.scopes.join(', ') : 'none'}</span>
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
      <form class="card form-grid" onSubmit={create} aria-label="Create an API token">
        <h3>Create a token</h3>
        <label class="field">
          <span>Token name</span>
          <input required value={name} placeholder="e.g. CRM sync" maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Expires after</span>
          <select value={expiry} onChange={(e) => setExpiry(e.currentTarget.value as ExpiryChoice)}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="field field-wide">
          <legend>Scopes</legend>
          {API_SCOPES.map((scope) => (
            <label key={scope} class="check-field">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.currentTarget.checked)} />
              <span>
                <code>{scope}</code> — {API_SCOPE_DESCRIPTIONS[scope]}
              </span>
            </label>
          ))}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={!name.trim() || scopes.length === 0}>
            Create token
          </button>
          {scopes.length === 0 && <small class="muted">Pick at least one scope.</small>}
        </div>
      </form>
    </div>
  );
}
