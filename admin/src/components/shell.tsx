/** The signed-in app: the live socket, the inbox store, navigation and the current scene. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Api } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { AppContext, type AppContextValue } from '../context.ts';
import { currentRoute, type Route } from '../lib/router.ts';
import { NavLink } from './nav-link.tsx';
import { ChecklistScene } from '../scenes/checklist.tsx';
import { InboxScene } from '../scenes/inbox.tsx';
import { SettingsScene } from '../scenes/settings.tsx';
import { SimulatedPhonesScene } from '../scenes/simulated-phones.tsx';
import { TemplatesScene } from '../scenes/templates.tsx';
import { LazyScene } from './lazy-scene.tsx';
import { connectAdminSocket, isUnauthorizedError } from '../socket.ts';
import { Inbox } from '../stores/inbox.ts';
import { AgentDay } from '../stores/agent-day.ts';
import { AccountHealthStore } from '../stores/account-health.ts';
import { SendingPausedBanner } from './sending-paused-banner.tsx';
import { AgentDayEffects } from './agent-day-effects.tsx';
import { PresenceMenu } from './presence-menu.tsx';
import type { Session } from '../stores/session.ts';
import { useStore } from '../stores/store.ts';

type Connection = 'connecting' | 'online' | 'offline';

export function Shell({ api, session, me, mode }: { api: Api; session: Session; me: User; mode: 'live' | 'sandbox' | null }) {
  const socket = useMemo(() => connectAdminSocket(), []);
  const inbox = useMemo(() => new Inbox(api, me, socket), [api, me, socket]);
  const agentDay = useMemo(() => new AgentDay(api, me, socket), [api, me, socket]);
  const accountHealth = useMemo(() => new AccountHealthStore(api, me), [api, me]);
  const [connection, setConnection] = useState<Connection>('connecting');
  const route = useStore(currentRoute);

  useEffect(() => {
    const online = () => setConnection('online');
    const offline = (reason: string) => {
      setConnection('offline');
      // The server cut the socket: this session ended (signed out, removed, role or password
      // changed elsewhere), or this browser's session was replaced (own password change).
      if (reason === 'io server disconnect') void resumeOrExpire(api, session, () => socket.connect());
    };
    const failed = (err: Error) => {
      if (isUnauthorizedError(err)) session.expire();
      else setConnection('offline');
    };
    socket.on('connect', online);
    socket.on('disconnect', offline);
    socket.on('connect_error', failed);
    return () => {
      socket.off('connect', online);
      socket.off('disconnect', offline);
      socket.off('connect_error', failed);
      inbox.dispose();
      agentDay.dispose();
      accountHealth.dispose();
      socket.disconnect();
    };
  }, [socket, inbox, agentDay, accountHealth, session, api]);

  // A page change asks again, so a fix made elsewhere (a token saved) shows at once.
  useEffect(() => void accountHealth.refresh(), [accountHealth, route]);

  const ctx: AppContextValue = { api, session, me, socket, inbox, agentDay, accountHealth, mode };
  return (
    <AppContext.Provider value={ctx}>
      <div class="shell">
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <AgentDayEffects />
        <TopBar route={route} agentDay={agentDay} me={me} session={session} mode={mode} />
        {connection === 'offline' && (
          <div class="banner banner-warn" role="status">
            Connection lost — reconnecting. New messages will appear when it is back.
          </div>
        )}
        <SendingPausedBanner route={route} />
        <main id="main" class="main" tabIndex={-1}>
          <Scene route={route} />
        </main>
      </div>
    </AppContext.Provider>
  );
}

/** After the server cut the socket: reconnect if this browser still has a session, else sign-in. */
async function resumeOrExpire(api: Api, session: Session, reconnect: () => void): Promise<void> {
  try {
    const { user } = await api.currentSession();
    if (user) reconnect();
    else session.expire();
  } catch {
    reconnect(); // the server is unreachable: let the socket retry (a dead session is refused then)
  }
}

function Scene({ route }: { route: Route }) {
  switch (route.name) {
    case 'inbox':
      return <InboxScene conversationId={route.conversationId} />;
    case 'templates':
      return <TemplatesScene />;
    case 'reports':
      // The charting library and the page load only when someone opens Reports.
      return <LazyScene name="Reports" load={() => import('../scenes/reports/reports-scene.tsx').then((m) => m.ReportsScene)} />;
    case 'settings':
      return <SettingsScene />;
    case 'checklist':
      return <ChecklistScene />;
    case 'phones':
      return <SimulatedPhonesScene />;
    default:
      return (
        <section class="page">
          <h1>Page not found</h1>
          <p>
            <NavLink to={{ name: 'inbox', conversationId: null }} current={false}>
              Back to the inbox
            </NavLink>
          </p>
        </section>
      );
  }
}

function TopBar({ route, agentDay, me, session, mode }: { route: Route; agentDay: AgentDay; me: User; session: Session; mode: 'live' | 'sandbox' | null }) {
  // The server's count for this agent: yours and unassigned, whatever the list is filtered to.
  const unread = useStore(agentDay.state, (s) => s.unread?.conversations ?? 0);
  const [menuOpen, setMenuOpen] = useState(false);
  // The phone menu closes when a page is chosen.
  useEffect(() => setMenuOpen(false), [route]);
  const links: { to: Route; label: string; short: string; show: boolean }[] = [
    { to: { name: 'inbox', conversationId: null }, label: 'Inbox', short: 'Inbox', show: true },
    { to: { name: 'reports' }, label: 'Reports', short: 'Reports', show: true },
    { to: { name: 'templates' }, label: 'Templates', short: 'Templates', show: true },
    { to: { name: 'settings' }, label: 'Settings', short: 'Settings', show: true },
    { to: { name: 'checklist' }, label: 'Go-live checklist', short: 'Checklist', show: true },
    // The sandbox's controls answer admins only (and callers on the server's own machine).
    { to: { name: 'phones' }, label: 'Simulated phones', short: 'Phones', show: mode === 'sandbox' && me.role === 'admin' },
  ];
  const current = links.find((l) => l.to.name === route.name);
  return (
    <header
      class={`topbar${menuOpen ? ' menu-open' : ''}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && menuOpen) {
          setMenuOpen(false);
          document.getElementById('menu-button')?.focus();
        }
      }}
    >
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          C
        </span>
        <span class="brand-name">ConnectDesk</span>
      </div>
      <button
        type="button"
        id="menu-button"
        class="btn btn-ghost menu-button"
        aria-expanded={menuOpen}
        aria-controls="main-nav"
        onClick={() => setMenuOpen((v) => !v)}
      >
        <span class="menu-icon" aria-hidden="true" />
        <span class="visually-hidden">Menu: </span>
        {current?.short ?? 'Menu'}
        {unread > 0 && (
          <span class="badge" aria-label={`${unread} unread`}>
            {unread}
          </span>
        )}
      </button>
      <nav aria-label="Main" class="nav" id="main-nav">
        {links
          .filter((l) => l.show)
          .map((l) => (
            <NavLink key={l.label} to={l.to} current={route.name === l.to.name} class="nav-link">
              {l.short === l.label ? (
                l.label
              ) : (
                <>
                  <span class="label-long">{l.label}</span>
                  <span class="label-short" aria-hidden="true">
                    {l.short}
                  </span>
                </>
              )}
              {l.to.name === 'inbox' && unread > 0 && (
                <span class="badge" aria-label={`${unread} unread`}>
                  {unread}
                </span>
              )}
            </NavLink>
          ))}
        <div class="nav-account">
          <span class="me-menu">Signed in as {me.name}</span>
          <button type="button" class="btn btn-ghost" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </nav>
      <div class="topbar-end">
        {mode === 'sandbox' && (
          <span class="pill pill-warn" title="WhatsApp is simulated; nothing reaches Meta">
            Sandbox
          </span>
        )}
        <PresenceMenu />
        <span class="me" title={me.email}>
          {me.name}
        </span>
        <button type="button" class="btn btn-ghost sign-out" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
