/**
 * Agents: invite (a generated password shown once), change roles and remove; admins only. Changing
 * a role or removing an agent signs them out everywhere and ends their API tokens.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Agent } from '../../api/types.ts';
import { useApp } from '../../context.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import { CopyField } from '../copy-field.tsx';
import { FormError } from '../form-error.tsx';

export function TeamSection() {
  const { api, me } = useApp();
  const isAdmin = me.role === 'admin';
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'agent' | 'admin'>('agent');
  const [created, setCreated] = useState<{ agent: Agent; password: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load() {
    try {
      setAgents((await api.agents()).data);
    } catch (err) {
      setError((err as Error).message);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function invite(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.inviteAgent({ name: name.trim(), email: email.trim(), role });
      setCreated(res);
      setName('');
      setEmail('');
      setRole('agent');
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="settings-section">
      <h2>Agents</h2>
      {isAdmin && <p class="lead">Changing someone’s role or removing them signs them out everywhere and ends their API tokens.</p>}
      <FormError error={error} />
      <ul class="rows" aria-label="Agents">
        {(agents ?? []).map((a) => (
          <li key={a.id} class="row">
            <span>
              <strong>{a.name}</strong> <span class="muted">{a.email}</span> {a.role === 'admin' && <span class="chip">Admin</span>}
              {a.id === me.id && <span class="chip">You</span>}
            </span>
            {isAdmin && a.id !== me.id && (
              <span class="row-actions">
                <ConfirmButton
                  label={a.role === 'admin' ? 'Make agent' : 'Make admin'}
                  confirmLabel={a.role === 'admin' ? `Make ${a.name} an agent` : `Make ${a.name} an admin`}
                  onConfirm={async () => {
                    try {
                      await api.changeRole(a.id, a.role === 'admin' ? 'agent' : 'admin');
                      await load();
                    } catch (err) {
                      setError((err as Error).message);
                    }
                  }}
                />
                <ConfirmButton
                  label="Remove"
                  confirmLabel={`Remove ${a.name}`}
                  onConfirm={async () => {
                    try {
                      await api.removeAgent(a.id);
                      await load();
                    } catch (err) {
                      setError((err as Error).message);
                    }
                  }}
                />
              </span>
            )}
          </li>
        ))}
      </ul>
      {created && (
        <div class="card callout" role="status">
          <p>
            <strong>{created.agent.name}</strong> can now sign in as {created.agent.email} with this password. It is shown only once — send it to them securely.
          </p>
          <CopyField label="Password" value={created.password} />
          <button type="button" class="btn btn-small" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      {isAdmin ? (
        <form class="card form-grid" onSubmit={invite} aria-label="Invite an agent">
          <h3>Invite an agent</h3>
          <label class="field">
            <span>Name</span>
            <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Email</span>
            <input required type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Role</span>
            <select aria-label="Role" value={role} onChange={(e) => setRole(e.currentTarget.value as 'agent' | 'admin')}>
              <option value="agent">Agent — answers conversations</option>
              <option value="admin">Admin — also manages settings and the team</option>
            </select>
          </label>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy || !name.trim() || !email.trim()}>
              {busy ? 'Inviting…' : 'Invite'}
            </button>
          </div>
        </form>
      ) : (
        <p class="muted">Only admins can invite or remove agents.</p>
      )}
    </div>
  );
}
