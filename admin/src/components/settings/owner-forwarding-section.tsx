/**
 * Settings → WhatsApp → forwarding to the owner's phone: which visitor messages go there (every
 * one, the first of each conversation, or only while no agent is online), quiet hours in the
 * site's time zone, where the queue and WhatsApp's pair-rate budget stand, and what was sent to
 * the phone and when.
 */
import { useEffect, useState } from 'preact/hooks';
import type { OwnerForwarding, OwnerForwardingStatusJson, OwnerMessageJson, OwnerPolicy } from '../../api/types.ts';
import { useApp } from '../../context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { FormError } from '../form-error.tsx';

const POLICIES: { id: OwnerPolicy; label: string; hint: string }[] = [
  {
    id: 'every',
    label: 'Every visitor message',
    hint: 'Messages that arrive while one waits are merged into it; when WhatsApp’s limit is near, one numbered digest carries them all.',
  },
  {
    id: 'first',
    label: 'The first message of each conversation',
    hint: 'Later messages of a conversation nobody answered yet arrive in a digest, or with its next forward.',
  },
  { id: 'offline', label: 'Only when no agent is online', hint: 'Nothing goes to the phone while someone is signed in to this admin app.' },
];

const KIND_LABEL: Record<OwnerMessageJson['kind'], string> = { forward: 'Forward', digest: 'Digest', list: '#list answer', notice: 'Notice' };
const STATUS_PILL: Record<OwnerMessageJson['status'], string> = {
  queued: 'pill-wait',
  sent: 'pill-muted',
  delivered: 'pill-muted',
  read: 'pill-ok',
  failed: 'pill-bad',
};

export function OwnerForwardingSection() {
  const { api, me } = useApp();
  const isAdmin = me.role === 'admin';
  const [settings, setSettings] = useState<OwnerForwarding | null>(null);
  const [timezone, setTimezone] = useState('UTC');
  const [status, setStatus] = useState<OwnerForwardingStatusJson | null>(null);
  const [log, setLog] = useState<OwnerMessageJson[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function refresh() {
    try {
      const [s, st, page] = await Promise.all([api.ownerForwarding(), api.ownerForwardingStatus(), api.ownerForwardingLog()]);
      setSettings(s.settings);
      setTimezone(s.timezone);
      setStatus(st);
      setLog(page.data);
      setNext(page.next_cursor);
    } catch (err) {
      setError((err as Error).message);
    }
  }
  useEffect(() => {
    void refresh();
  }, []);

  if (!settings) return error ? <p class="form-error">{error}</p> : <p class="muted">Loading…</p>;

  const set = (patch: Partial<OwnerForwarding>) => {
    setSettings({ ...settings, ...patch });
    setSaved(false);
  };
  const quiet = settings.quiet_hours;

  async function save(e: Event) {
    e.preventDefault();
    if (!settings) return;
    setBusy(true);
    setError(null);
    try {
      setSettings((await api.saveOwnerForwarding(settings)).settings);
      setSaved(true);
      setStatus(await api.ownerForwardingStatus());
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function more() {
    try {
      const page = await api.ownerForwardingLog(next);
      setLog([...log, ...page.data]);
      setNext(page.next_cursor);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section class="card" aria-labelledby="owner-forwarding-title">
      <h2 id="owner-forwarding-title">Forwarding to the owner’s phone</h2>
      {status && <OwnerStatusLine status={status} />}
      <form class="owner-form" onSubmit={save} aria-label="Forwarding to the owner’s phone">
        <fieldset disabled={!isAdmin} class="plain">
          <div>
            <fieldset class="field">
              <legend>Send to the phone</legend>
              {POLICIES.map((p) => (
                <label key={p.id} class="check-field policy-choice">
                  <input type="radio" name="owner-policy" checked={settings.policy === p.id} onChange={() => set({ policy: p.id })} />
                  <span>
                    {p.label}
                    <small class="muted">{p.hint}</small>
                  </span>
                </label>
              ))}
            </fieldset>
            {settings.policy === 'first' && (
              <label class="field">
                <span>Digest of later messages every</span>
                <span class="input-unit">
                  <input
                    type="number"
                    min={1}
                    max={1440}
                    value={settings.digest_minutes}
                    onInput={(e) => set({ digest_minutes: Number(e.currentTarget.value) })}
                  />{' '}
                  minutes
                </span>
              </label>
            )}
          </div>
          <fieldset class="field">
            <legend>Quiet hours</legend>
            <label class="check-field">
              <input type="checkbox" checked={quiet.enabled} onChange={(e) => set({ quiet_hours: { ...quiet, enabled: e.currentTarget.checked } })} /> Hold
              forwards during quiet hours; what waited arrives as one digest after
            </label>
            {quiet.enabled && (
              <span class="hours-range">
                <input
                  type="time"
                  aria-label="Quiet from"
                  value={quiet.start}
                  onInput={(e) => set({ quiet_hours: { ...quiet, start: e.currentTarget.value } })}
                />
                <span aria-hidden="true">–</span>
                <input type="time" aria-label="Quiet until" value={quiet.end} onInput={(e) => set({ quiet_hours: { ...quiet, end: e.currentTarget.value } })} />
              </span>
            )}
            <small>In the site’s time zone, {timezone} (Widget → Business hours).</small>
          </fieldset>
        </fieldset>
        <FormError error={error} />
        {isAdmin ? (
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save forwarding'}
            </button>
            {saved && (
              <span class="ok-text" role="status">
                Saved.
              </span>
            )}
          </div>
        ) : (
          <p class="muted">Only admins can change forwarding.</p>
        )}
      </form>
      <p class="muted owner-commands">
        On the phone: swipe-reply to answer, or start with a line number of a digest (“2 yes, 4 left”); <code>#list</code>, <code>#mute 1h</code>,{' '}
        <code>#unmute</code>, <code>#help</code>.
      </p>
      <OwnerLog log={log} hasMore={next !== null} onMore={more} onRefresh={refresh} />
    </section>
  );
}

function OwnerStatusLine({ status }: { status: OwnerForwardingStatusJson }) {
  if (!status.owner) return <p class="muted">No owner’s phone is set: visitor messages are only shown in this app.</p>;
  const parts = [
    `+${status.owner}`,
    status.waiting.messages
      ? `${status.waiting.conversations} conversation${status.waiting.conversations === 1 ? '' : 's'} waiting (${status.waiting.messages} messages)`
      : 'nothing waiting',
    status.sending ? `${status.sending} on the way` : null,
    status.muted_until ? `muted until ${formatDateTime(status.muted_until)}` : null,
    status.quiet_now ? 'quiet hours now' : null,
    status.window_open ? 'owner’s 24-hour window open (free-form)' : 'owner’s window closed (templates)',
    `WhatsApp budget ${status.budget.available} of ${status.budget.burst}, one more every ${Math.round(status.budget.interval_ms / 100) / 10} s`,
  ].filter(Boolean);
  return (
    <p class="owner-status" role="status">
      {parts.join(' · ')}
      {status.pair_limit_hits > 0 && (
        <span class="pill pill-warn">
          Meta refused {status.pair_limit_hits}× (131056), last {formatDateTime(status.last_pair_limit_at)}
        </span>
      )}
    </p>
  );
}

function OwnerLog({ log, hasMore, onMore, onRefresh }: { log: OwnerMessageJson[]; hasMore: boolean; onMore: () => void; onRefresh: () => void }) {
  return (
    <div class="owner-log">
      <div class="owner-log-head">
        <h3>Sent to the phone</h3>
        <button type="button" class="btn btn-small" onClick={onRefresh}>
          Refresh
        </button>
      </div>
      {log.length === 0 ? (
        <p class="muted">Nothing yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table" aria-label="Sent to the owner’s phone">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Conversations</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {log.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(m.sent_at ?? m.created_at)}</td>
                  <td>
                    <span>{KIND_LABEL[m.kind]}</span>
                    {m.via_template && <span class="chip">template</span>}
                    <details>
                      <summary>Text</summary>
                      <p class="owner-log-text">{m.text}</p>
                    </details>
                  </td>
                  <td>{m.lines.length ? m.lines.map((l) => `${l.n ? `${l.n}) ` : ''}${l.name}${l.messages > 1 ? ` ×${l.messages}` : ''}`).join(', ') : '—'}</td>
                  <td>
                    <span class={`pill ${STATUS_PILL[m.status]}`}>{m.status}</span>
                    {m.error && <small class="muted"> {m.error.title}</small>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && (
        <button type="button" class="btn" onClick={onMore}>
          Show older
        </button>
      )}
    </div>
  );
}
