/** The signed-in app: the live socket, the inbox store, navigation and the current scene. */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Api } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { AppContext, type AppContextValue } from '../context.ts';
import { currentRoute, navigate, routePath, type Route } from '../lib/router.ts';
import { ChecklistScene } from '../scenes/checklist.tsx';
import { InboxScene } from '../scenes/inbox.tsx';
import { SettingsScene } from '../scenes/settings.tsx';
import { SimulatedPhonesScene } from '../scenes/simulated-phones.tsx';
import { TemplatesScene } from '../scenes/templates.tsx';
import { connectAdminSocket, isUnauthorizedError } from '../socket.ts';
import { Inbox } from '../stores/inbox.ts';
import { totalUnread } from '../stores/inbox-state.ts';
import type { Session } from '../stores/session.ts';
import { useStore } from '../stores/store.ts';

type Connection = 'connecting' | 'online' | 'offline';

export function Shell({ api, session, me, mode }: { api: Api; session: Session; me: User; mode: 'live' | 'sandbox' | null }) {
  const socket = useMemo(() => connectAdminSocket(), []);
  const inbox = useMemo(() => new Inbox(api, me, socket), [api, me, socket]);
  const [connection, setConnection] = useState<Connection>('connecting');
  const route = useStore(currentRoute);

  useEffect(() => {
    const online = () => setConnection('online');
    const offline = () => setConnection('offline');
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
      socket.disconnect();
    };
  }, [socket, inbox, session]);

  const ctx: AppContextValue = { api, session, me, socket, inbox, mode };
  return (
    <AppContext.Provider value={ctx}>
      <div class="shell">
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <TopBar route={route} inbox={inbox} me={me} session={session} mode={mode} />
        {connection === 'offline' && (
          <div class="banner banner-warn" role="status">
            Connection lost — reconnecting. New messages will appear when it is back.
          </div>
        )}
        <main id="main" class="main" tabIndex={-1}>
          <Scene route={route} />
        </main>
      </div>
    </AppContext.Provider>
  );
}

function Scene({ route }: { route: Route }) {
  switch (route.name) {
    case 'inbox':
      return <InboxScene conversationId={route.conversationId} />;
    case 'templates':
      return <TemplatesScene />;
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

export function NavLink({ to, current, children, class: cls }: { to: Route; current: boolean; children: ComponentChildren; class?: string }) {
  return (
    <a
      href={routePath(to)}
      class={cls}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

function TopBar({ route, inbox, me, session, mode }: { route: Route; inbox: Inbox; me: User; session: Session; mode: 'live' | 'sandbox' | null }) {
  const unread = useStore(inbox.list, (s) => totalUnread(s.conversations));
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ConnectDesk` : 'ConnectDesk';
  }, [unread]);
  const links: { to: Route; label: string; short: string; show: boolean }[] = [
    { to: { name: 'inbox', conversationId: null }, label: 'Inbox', short: 'Inbox', show: true },
    { to: { name: 'templates' }, label: 'Templates', short: 'Templates', show: true },
    { to: { name: 'settings' }, label: 'Settings', short: 'Settings', show: true },
    { to: { name: 'checklist' }, label: 'Go-live checklist', short: 'Checklist', show: true },
    { to: { name: 'phones' }, label: 'Simulated phones', short: 'Phones', show: mode === 'sandbox' },
  ];
  return (
    <header class="topbar">
      <div class="brand" aria-label="ConnectDesk">
        <span class="brand-mark" aria-hidden="true">
          C
        </span>
        <span class="brand-name">ConnectDesk</span>
      </div>
      <nav aria-label="Main" class="nav">
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
      </nav>
      <div class="topbar-end">
        {mode === 'sandbox' && (
          <span class="pill pill-warn" title="WhatsApp is simulated; nothing reaches Meta">
            Sandbox
          </span>
        )}
        <span class="me" title={me.email}>
          {me.name}
        </span>
        <button type="button" class="btn btn-ghost" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
