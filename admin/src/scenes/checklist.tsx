/** The go-live checklist: each step Meta and this server need before real customers write in. */
import { useEffect, useState } from 'preact/hooks';
import type { Checklist } from '../api/types.ts';
import { useApp } from '../context.ts';
import { FormError } from '../components/form-error.tsx';
import { AccountEventsPanel } from '../components/account-events-panel.tsx';

const MARK = {
  true: { icon: '✓', label: 'Done', cls: 'ok' },
  false: { icon: '✗', label: 'Needs attention', cls: 'bad' },
  null: { icon: '?', label: 'Check in Meta', cls: 'unknown' },
};

export function ChecklistScene() {
  const { api, me, accountHealth } = useApp();
  const [list, setList] = useState<Checklist | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [fixing, setFixing] = useState(false);

  async function load() {
    setBusy(true);
    try {
      setList(await api.checklist());
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    void load();
  }, []);

  /** The checklist's fix for an unsubscribed app: subscribe it, then check everything again. */
  async function subscribe() {
    setFixing(true);
    try {
      await api.subscribeWebhooks();
      setError(null);
      await Promise.all([load(), accountHealth.refresh()]);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setFixing(false);
    }
  }

  const done = list?.data.filter((i) => i.ok === true).length ?? 0;
  const failing = list?.data.filter((i) => i.ok === false).length ?? 0;

  return (
    <section class="page">
      <div class="page-head">
        <h1>Go-live checklist</h1>
        <button type="button" class="btn" onClick={() => void load()} disabled={busy}>
          {busy ? 'Checking…' : 'Check again'}
        </button>
      </div>
      <FormError error={error} />
      {list && (
        <>
          <p class={`summary ${list.ready ? 'summary-ok' : 'summary-bad'}`} role="status">
            {list.ready
              ? 'Everything ConnectDesk can check is ready. Confirm the remaining steps in Meta’s dashboards.'
              : `${failing} step${failing === 1 ? '' : 's'} need${failing === 1 ? 's' : ''} attention · ${done} of ${list.data.length} done.`}
            {list.mode === 'sandbox' && ' You are in sandbox mode: WhatsApp is simulated.'}
          </p>
          <ol class="checklist">
            {list.data.map((item) => {
              const mark = MARK[String(item.ok) as 'true' | 'false' | 'null'];
              return (
                <li key={item.id} class={`check check-${mark.cls}`} data-check={item.id}>
                  <span class="check-mark" role="img" aria-label={mark.label}>
                    {mark.icon}
                  </span>
                  <div>
                    <h2 class="check-title">{item.title}</h2>
                    <p class="check-detail">{item.detail}</p>
                    {item.ok !== true && (
                      <p class="check-fix">
                        <strong>How: </strong>
                        {item.fix}
                      </p>
                    )}
                    {item.id === 'webhook_subscribed' && item.ok === false && me.role === 'admin' && (
                      <button type="button" class="btn btn-primary btn-small check-action" onClick={() => void subscribe()} disabled={fixing}>
                        {fixing ? 'Subscribing…' : 'Fix: subscribe the app'}
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
        </>
      )}
      {me.role === 'admin' && <AccountEventsPanel />}
    </section>
  );
}
