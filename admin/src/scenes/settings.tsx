/** Settings: WhatsApp, team, API tokens, canned responses, reports, the widget and your own account, as tabs. */
import { useState } from 'preact/hooks';
import { AccountSection } from '../components/settings/account-section.tsx';
import { CannedSection } from '../components/settings/canned-section.tsx';
import { NotificationsSection } from '../components/settings/notifications-section.tsx';
import { ReportsSection } from '../components/settings/reports-section.tsx';
import { TeamSection } from '../components/settings/team-section.tsx';
import { TokensSection } from '../components/settings/tokens-section.tsx';
import { WhatsAppSection } from '../components/settings/whatsapp-section.tsx';
import { WidgetSection } from '../components/settings/widget-section.tsx';

const TABS = [
  { id: 'whatsapp', label: 'WhatsApp', Panel: WhatsAppSection },
  { id: 'widget', label: 'Widget', Panel: WidgetSection },
  { id: 'team', label: 'Team', Panel: TeamSection },
  { id: 'tokens', label: 'API tokens', Panel: TokensSection },
  { id: 'canned', label: 'Canned responses', Panel: CannedSection },
  { id: 'notifications', label: 'Notifications', Panel: NotificationsSection },
  { id: 'reports', label: 'Reports', Panel: ReportsSection },
  { id: 'account', label: 'Your account', Panel: AccountSection },
] as const;

type TabId = (typeof TABS)[number]['id'];

export function SettingsScene() {
  const [tab, setTab] = useState<TabId>(() => {
    const h = location.hash.slice(1);
    return TABS.find((t) => t.id === h)?.id ?? 'whatsapp';
  });
  const current = TABS.find((t) => t.id === tab)!;

  function select(id: TabId) {
    setTab(id);
    history.replaceState(null, '', `#${id}`);
  }

  function onKey(e: KeyboardEvent) {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i - 1 + TABS.length) % TABS.length : -1;
    if (next < 0) return;
    e.preventDefault();
    select(TABS[next]!.id);
    document.getElementById(`tab-${TABS[next]!.id}`)?.focus();
  }

  return (
    <section class="page">
      <h1>Settings</h1>
      <div class="tabs" role="tablist" aria-label="Settings sections" onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={t.id === tab}
            aria-controls={`panel-${t.id}`}
            tabIndex={t.id === tab ? 0 : -1}
            onClick={() => select(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div id={`panel-${current.id}`} role="tabpanel" aria-labelledby={`tab-${current.id}`} class="tab-panel">
        <current.Panel />
      </div>
    </section>
  );
}
