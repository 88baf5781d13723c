/**
 * The lazily loaded chat UI. `mount()` renders the panel with Preact into the loader's shadow
 * root, starts the visitor's session and returns the controls behind ConnectDesk.open/close/identify.
 */
import { render } from 'preact';
import type { HostBridge, MountWidget, WidgetApp } from '../contract.ts';
import { ChatSession } from '../chat/chat-session.ts';
import { loadDict, type Dict } from '../i18n/index.ts';
import { clientInfo } from '../client-info.ts';
import { visitorSocket } from '../socket.ts';
import { browserStore, KEYS } from '../storage.ts';
import { ChatPanel } from './chat-panel.tsx';
import { trapKeydown } from './focus-trap.ts';
import { createNotifier } from './notifier.ts';
import { PANEL_CSS } from './styles.ts';
import { withDefaults } from './default-config.ts';
import { accentOn, textColorOn } from '../loader/contrast.ts';
import type { WidgetConfigJson } from '@connectdesk/shared';
import type { Connection } from '../chat/chat-session.ts';

export const mount: MountWidget = (bridge: HostBridge): WidgetApp => {
  const { root, launcher } = bridge;
  const win = root.ownerDocument.defaultView!;
  const doc = win.document;
  const store = browserStore(win);
  const notifier = createNotifier(win);
  let open = false;
  let dict: Dict | null = null;
  let config: WidgetConfigJson = withDefaults(bridge.config);

  const style = doc.createElement('style');
  style.textContent = PANEL_CSS;
  const container = doc.createElement('div');
  root.append(style, container);

  const session = new ChatSession({
    base: bridge.base,
    win,
    store,
    fetch: win.fetch.bind(win),
    connect: (auth) => visitorSocket(bridge.base, () => ({ ...clientInfo(win), ...auth() })),
    onReply() {
      if (dict) notifier.notify(session.state.unread, dict.newMessage);
    },
    onMessage(m) {
      bridge.emitMessage({ id: m.id, text: m.text, direction: m.direction, sender: m.sender, author_name: m.author_name, created_at: m.created_at });
    },
  });
  // Each (re)connection fetches the settings again: they may have been the loader's fallback
  // while the server was down, and "online" follows business hours. The first connection right
  // after the loader read them (within their 30 s cache lifetime) has nothing newer to find.
  let connection: Connection = session.state.connection;
  let settingsAt = bridge.config.fetchedAt ?? 0;
  session.subscribe(() => {
    bridge.setUnread(session.state.unread);
    const was = connection;
    connection = session.state.connection;
    if (connection === 'online' && was !== 'online') {
      const justRead = Date.now() - settingsAt < 30_000;
      settingsAt = 0; // only the first connection can skip: a reconnection follows an outage
      if (justRead) return;
      bridge.reloadConfig().then(
        (fresh) => {
          config = withDefaults(fresh);
          const host = root.host as HTMLElement;
          host.style.setProperty('--cd-brand', fresh.color);
          host.style.setProperty('--cd-on-brand', textColorOn(fresh.color));
          host.style.setProperty('--cd-accent', accentOn(fresh.color, '#ffffff'));
          launcher.classList.toggle('left', fresh.position === 'left');
          draw();
        },
        () => {},
      );
    }
  });

  const visible = () => open && doc.visibilityState === 'visible';
  const draw = () => {
    if (!dict) return;
    render(
      <ChatPanel
        open={open}
        session={session}
        config={config}
        dict={dict}
        lang={bridge.lang}
        base={bridge.base}
        introDone={store.get(KEYS.intro) === '1'}
        onIntroDone={() => {
          store.set(KEYS.intro, '1');
          draw();
        }}
        onClose={() => setOpen(false)}
      />,
      container,
    );
  };

  const setOpen = (value: boolean) => {
    if (open === value) return;
    const hadFocus = root.activeElement !== null;
    open = value;
    bridge.setOpen(value);
    session.setVisible(visible());
    draw();
    if (value) {
      notifier.stop();
      root.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    } else if (hadFocus) {
      launcher.focus();
    }
  };

  root.addEventListener('keydown', (e) => {
    if (open) trapKeydown(root, e as KeyboardEvent, () => setOpen(false));
  });
  // Sound is only allowed after a gesture: any click or key inside the widget unlocks it.
  root.addEventListener('pointerdown', () => notifier.unlock());
  root.addEventListener('keydown', () => notifier.unlock());
  doc.addEventListener('visibilitychange', () => {
    session.setVisible(visible());
    if (visible()) notifier.stop();
  });

  if (bridge.identity && Object.keys(bridge.identity).length) session.identify(bridge.identity);
  session.start();
  void loadDict(bridge.lang)
    .catch(() => loadDict('en'))
    .then((d) => {
      dict = d;
      draw();
      if (open) root.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    });

  return {
    open: () => setOpen(true),
    close: () => setOpen(false),
    identify: (identity) => session.identify(identity),
  };
};
