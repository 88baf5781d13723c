/**
 * widget.js — the only script a site installs. Draws the launcher and defines `ConnectDesk`;
 * the chat UI (Preact, the socket, dictionaries) is fetched as hashed ES chunks from the
 * same server on intent: hover, focus, touch, click, `ConnectDesk.open()`, or — for a returning
 * visitor with a conversation — at idle time, so replies arrive live and show as unread.
 */
import type { HostBridge, Identity, MountWidget, WidgetApp } from '../contract.ts';
import { browserStore, KEYS } from '../storage.ts';
import { createApi, type ConnectDeskApi } from './api.ts';
import { launcherLabels } from './labels.ts';
import { drawLauncher } from './launcher.ts';
import { findScript, pickLang, readScriptOptions, type ScriptOptions } from './script-options.ts';
import { loadConfig } from './widget-config.ts';

declare const __APP_ENTRY__: string;
declare const __VERSION__: string;

type Pending = ArrayLike<unknown> & { [i: number]: unknown };
type GlobalSlot = Window & { ConnectDesk?: Partial<ConnectDeskApi> & { q?: Pending[] } };

function start(win: GlobalSlot, opts: ScriptOptions): void {
  const doc = win.document;
  const store = browserStore(win);
  const lang = pickLang(opts.lang, win.navigator.languages ?? [win.navigator.language]);
  const queued = win.ConnectDesk?.q ?? [];
  let identity: Identity | null = null;
  let open = false;
  let app: Promise<WidgetApp> | null = null;

  const fetchFn = win.fetch.bind(win);
  const ready = loadConfig(opts, fetchFn).then((config) => {
    const launcher = drawLauncher(doc, { color: config.color, position: config.position, labels: launcherLabels(lang) });
    const bridge: HostBridge = {
      base: opts.base,
      root: launcher.root,
      launcher: launcher.button,
      config,
      reloadConfig: () => loadConfig(opts, fetchFn, true),
      lang,
      identity,
      setUnread: launcher.setUnread,
      setOpen(value) {
        open = value;
        launcher.setOpen(value);
      },
      emitMessage: (m) => emit(m),
    };
    const intent = () => void load().catch(() => {});
    for (const ev of ['pointerenter', 'focus', 'touchstart']) launcher.button.addEventListener(ev, intent, { passive: true });
    launcher.button.addEventListener('click', () => api.toggle());
    // On <html>, not <body>: a transform or filter on the host's body would make it the
    // containing block of our position:fixed launcher and panel, and move them out of view.
    doc.documentElement.appendChild(launcher.host);
    return bridge;
  });

  const load = (): Promise<WidgetApp> =>
    (app ??= ready
      .then(async (bridge) => {
        bridge.identity = identity;
        const mod = (await import(/* @vite-ignore */ `${opts.base}/widget/${__APP_ENTRY__}`)) as { mount: MountWidget };
        return mod.mount(bridge);
      })
      .catch((err: unknown) => {
        app = null; // the next hover or click tries again
        throw err;
      }));

  const { api, emit } = createApi(
    {
      load,
      loaded: () => app,
      isOpen: () => open,
      rememberIdentity(value) {
        identity = { ...identity, ...value };
      },
    },
    __VERSION__,
  );
  win.ConnectDesk = api;
  for (const args of queued) api(...(Array.from(args) as [string, ...unknown[]]));

  if (store.get(KEYS.token) && store.get(KEYS.active)) {
    const later = () => void load().catch(() => {});
    void ready.then(() => (typeof win.requestIdleCallback === 'function' ? win.requestIdleCallback(later, { timeout: 3000 }) : win.setTimeout(later, 1500)));
  }
}

function boot(): void {
  const win = window as GlobalSlot;
  if (win.ConnectDesk?.loaded) return; // installed twice: the first copy keeps running
  const script = findScript(document);
  if (script) start(win, readScriptOptions(script));
}

boot();
