/**
 * WhatsApp numbers (the access token is write-only: typed in, sealed on the server, never shown
 * again), the owner's target phone, forwarding to it, and what to paste into Meta's webhook
 * configuration.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ConnectInfo, NumberInput, WhatsAppNumberJson } from '../../api/types.ts';
import { useApp } from '../../context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import { CopyField } from '../copy-field.tsx';
import { FormError } from '../form-error.tsx';
import { OwnerForwardingSection } from './owner-forwarding-section.tsx';

export function WhatsAppSection() {
  const { api, me } = useApp();
  const isAdmin = me.role === 'admin';
  const [numbers, setNumbers] = useState<WhatsAppNumberJson[] | null>(null);
  const [connect, setConnect] = useState<ConnectInfo | null>(null);
  const [editing, setEditing] = useState<WhatsAppNumberJson | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      setNumbers((await api.numbers()).data);
      if (isAdmin) setConnect(await api.connectInfo());
    } catch (err) {
      setError((err as Error).message);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  return (
    <div class="settings-section">
      <h2>WhatsApp numbers</h2>
      <p class="lead">The business numbers ConnectDesk sends from. Access tokens are write-only: they are encrypted on the server and never shown again.</p>
      <FormError error={error} />
      {numbers && numbers.length === 0 && <p class="muted">No number set up yet.</p>}
      {numbers && numbers.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="WhatsApp numbers">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Phone number id</th>
                <th scope="col">Number</th>
                <th scope="col">Token</th>
                <th scope="col">Owner’s phone</th>
                <th scope="col">Quality / tier</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {numbers.map((n) => (
                <tr key={n.id}>
                  <th scope="row" class="mono">
                    {n.phone_number_id}
                    {n.is_default && <span class="chip">Default</span>}
                  </th>
                  <td>
                    {n.display_phone_number ?? '—'}
                    {n.verified_name && <span class="muted"> · {n.verified_name}</span>}
                  </td>
                  <td>
                    {n.token_problem ? (
                      <span class="pill pill-bad">Refused (error {n.token_problem.code}) — sending paused</span>
                    ) : n.has_token ? (
                      <span class="pill pill-ok">Saved (hidden)</span>
                    ) : (
                      <span class="muted">Uses WHATSAPP_ACCESS_TOKEN</span>
                    )}
                  </td>
                  <td>{n.target_phone ? `+${n.target_phone}` : '—'}</td>
                  <td>{[n.quality_rating, n.messaging_tier].filter(Boolean).join(' · ') || '—'}</td>
                  <td class="actions">
                    {isAdmin && (
                      <>
                        <button type="button" class="btn btn-small" onClick={() => setEditing(n)}>
                          Edit
                        </button>
                        <ConfirmButton
                          label="Remove"
                          confirmLabel="Remove number"
                          onConfirm={async () => {
                            try {
                              await api.removeNumber(n.id);
                              await load();
                            } catch (err) {
                              setError((err as Error).message);
                            }
                          }}
                        />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isAdmin && editing === null && (
        <button type="button" class="btn" onClick={() => setEditing('new')}>
          Add a number
        </button>
      )}
      {isAdmin && editing !== null && (
        <NumberForm
          number={editing === 'new' ? null : editing}
          onDone={async () => {
            setEditing(null);
            await load();
          }}
        />
      )}

      <OwnerForwardingSection />

      {connect && (
        <div class="card">
          <h2>Connect to Meta</h2>
          <p>
            In your app’s dashboard open <strong>WhatsApp → Configuration → Webhook</strong>, paste these two values, press <strong>Verify and save</strong>,
            then subscribe to the <strong>{connect.webhook_fields.join(', ')}</strong> field.
          </p>
          <CopyField label="Callback URL" value={connect.webhook_url} />
          <CopyField label="Verify token" value={connect.verify_token} secret />
          <p class={connect.verified_at ? 'ok-text' : 'muted'}>
            {connect.verified_at ? `Meta verified this webhook on ${formatDateTime(connect.verified_at)}.` : 'Not verified by Meta yet.'}
          </p>
          {connect.mode === 'sandbox' && <p class="muted">Sandbox mode: the simulated Cloud API delivers webhooks to this server by itself.</p>}
          {connect.env_target_phone && <p class="muted">Default owner’s phone from the environment: +{connect.env_target_phone}</p>}
        </div>
      )}
    </div>
  );
}

function NumberForm({ number, onDone }: { number: WhatsAppNumberJson | null; onDone: () => Promise<void> }) {
  const { api, accountHealth } = useApp();
  const [phoneNumberId, setPhoneNumberId] = useState(number?.phone_number_id ?? '');
  const [wabaId, setWabaId] = useState(number?.waba_id ?? '');
  const [display, setDisplay] = useState(number?.display_phone_number ?? '');
  const [token, setToken] = useState('');
  const [clearToken, setClearToken] = useState(false);
  const [target, setTarget] = useState(number?.target_phone ? `+${number.target_phone}` : '');
  const [isDefault, setIsDefault] = useState(number?.is_default ?? false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const input: NumberInput = {
      waba_id: wabaId.trim() || null,
      display_phone_number: display.trim() || null,
      target_phone: target.trim(),
      is_default: isDefault,
    };
    if (token.trim()) input.access_token = token.trim();
    else if (clearToken) input.access_token = null;
    try {
      if (number) await api.updateNumber(number.id, input);
      else await api.createNumber({ ...input, phone_number_id: phoneNumberId.trim() });
      setToken('');
      // A saved token resumes a paused number: the banner goes as soon as the server says so.
      void accountHealth.refresh();
      await onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form-grid" onSubmit={submit} aria-label={number ? 'Edit WhatsApp number' : 'Add a WhatsApp number'}>
      <h3>{number ? `Edit ${number.phone_number_id}` : 'Add a WhatsApp number'}</h3>
      <label class="field">
        <span>Phone number id</span>
        <input required inputMode="numeric" value={phoneNumberId} disabled={Boolean(number)} onInput={(e) => setPhoneNumberId(e.currentTarget.value)} />
        <small>WhatsApp Manager → API Setup → Phone number ID.</small>
      </label>
      <label class="field">
        <span>WhatsApp Business Account id</span>
        <input inputMode="numeric" value={wabaId} onInput={(e) => setWabaId(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span>Display number</span>
        <input value={display} placeholder="+1 555 010 0000" onInput={(e) => setDisplay(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span>Access token</span>
        <input
          type="password"
          autocomplete="off"
          value={token}
          placeholder={number?.has_token ? 'Saved — leave empty to keep it' : 'Permanent System User token'}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        <small>Write-only. Use a System User token that never expires.</small>
      </label>
      {number?.has_token && (
        <label class="check-field">
          <input type="checkbox" checked={clearToken} onChange={(e) => setClearToken(e.currentTarget.checked)} />
          Forget the saved token (use WHATSAPP_ACCESS_TOKEN)
        </label>
      )}
      <label class="field">
        <span>Owner’s phone (notifications)</span>
        <input type="tel" value={target} placeholder="+44 7700 900123" onInput={(e) => setTarget(e.currentTarget.value)} />
        <small>Visitor messages are forwarded here; reply to them in WhatsApp to answer.</small>
      </label>
      <label class="check-field">
        <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.currentTarget.checked)} />
        Default number
      </label>
      <FormError error={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save number'}
        </button>
        <button type="button" class="btn" onClick={() => void onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
