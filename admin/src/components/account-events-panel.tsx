/**
 * What Meta reported about the business account, newest first: bans, violations, restrictions,
 * quality and messaging-limit changes, throughput upgrades, display-name decisions and alerts,
 * each with its severity. Shown to admins on the go-live checklist.
 */
import type { AccountEventJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { useStore } from '../stores/store.ts';

const SEVERITY = {
  critical: { label: 'Critical', cls: 'pill-bad' },
  warning: { label: 'Warning', cls: 'pill-warn' },
  info: { label: 'Info', cls: 'pill-muted' },
} as const;

const KIND: Record<string, string> = {
  account_update: 'Account',
  phone_number_quality_update: 'Quality and limits',
  phone_number_name_update: 'Display name',
  account_alerts: 'Alert',
};

export function AccountEventsPanel() {
  const { accountHealth } = useApp();
  const account = useStore(accountHealth.state);
  const events = account?.events ?? [];
  return (
    <section class="card account-events" aria-labelledby="account-events-title">
      <h2 id="account-events-title">Account health</h2>
      {account === null ? (
        <p class="muted">Loading what Meta reported…</p>
      ) : events.length === 0 ? (
        <p class="muted">Meta has reported nothing about this account yet: no bans, violations, quality or limit changes, name decisions or alerts.</p>
      ) : (
        <ul class="account-event-list" aria-label="Account events">
          {events.map((e) => (
            <AccountEventRow key={e.id} event={e} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AccountEventRow({ event: e }: { event: AccountEventJson }) {
  const sev = SEVERITY[e.severity];
  const when = new Date(e.occurred_at);
  return (
    <li class="account-event" data-severity={e.severity}>
      <span class={`pill ${sev.cls}`}>{sev.label}</span>
      <div class="account-event-body">
        <p class="account-event-summary">{e.summary}</p>
        <p class="account-event-meta muted">
          {KIND[e.field] ?? e.field}
          {e.event ? ` · ${e.event}` : ''}
          {e.phone_number ? ` · +${e.phone_number}` : ''} · <time dateTime={e.occurred_at}>{when.toLocaleString()}</time>
        </p>
      </div>
    </li>
  );
}
