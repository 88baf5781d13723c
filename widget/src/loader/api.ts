/**
 * The one global, `ConnectDesk`. Works as an object (`ConnectDesk.open()`) and as a function
 * (`ConnectDesk('open')`), so the optional pre-snippet queue —
 *   window.ConnectDesk = window.ConnectDesk || function () { (ConnectDesk.q = ConnectDesk.q || []).push(arguments) };
 * — is replayed in order once widget.js runs. Calls made before the chat UI loads wait for it.
 */
import type { Identity, PublicMessage, WidgetApp } from '../contract.ts';

const ignore = () => {};

type MessageListener = (message: PublicMessage) => void;

export interface ConnectDeskApi {
  (method: string, ...args: unknown[]): unknown;
  open(): void;
  close(): void;
  toggle(): void;
  identify(identity: Identity): void;
  on(event: 'message', fn: MessageListener): () => void;
  off(event: 'message', fn: MessageListener): void;
  loaded: true;
  version: string;
}

export interface ApiBackend {
  /** Loads (once) and resolves the chat UI. */
  load(): Promise<WidgetApp>;
  isOpen(): boolean;
  /** The UI once loading has started, else null (close/identify never force a load). */
  loaded(): Promise<WidgetApp> | null;
  rememberIdentity(identity: Identity): void;
}

export function createApi(backend: ApiBackend, version: string): { api: ConnectDeskApi; emit: (message: PublicMessage) => void } {
  const listeners = new Set<MessageListener>();
  const methods = {
    open() {
      // A failed chunk load leaves the launcher in place; the next click tries again.
      backend.load().then((app) => app.open(), ignore);
    },
    close() {
      backend.loaded()?.then((app) => app.close(), ignore);
    },
    toggle() {
      if (backend.isOpen()) methods.close();
      else methods.open();
    },
    identify(identity: Identity) {
      if (!identity || typeof identity !== 'object') return;
      const clean: Identity = {};
      for (const k of ['name', 'email', 'phone'] as const) if (typeof identity[k] === 'string' && identity[k]) clean[k] = identity[k];
      backend.rememberIdentity(clean);
      backend.loaded()?.then((app) => app.identify(clean), ignore);
    },
    on(event: string, fn: MessageListener) {
      if (event === 'message' && typeof fn === 'function') listeners.add(fn);
      return () => listeners.delete(fn);
    },
    off(event: string, fn: MessageListener) {
      if (event === 'message') listeners.delete(fn);
    },
  };
  const api = function ConnectDesk(method: string, ...args: unknown[]): unknown {
    const fn = (methods as Record<string, unknown>)[method];
    return typeof fn === 'function' ? (fn as (...a: unknown[]) => unknown)(...args) : undefined;
  } as ConnectDeskApi;
  Object.assign(api, methods, { loaded: true, version });
  return {
    api,
    emit(message) {
      for (const fn of listeners) {
        try {
          fn(message);
        } catch (err) {
          // The host's listener failed: report it as theirs without breaking the widget.
          setTimeout(() => {
            throw err;
          });
        }
      }
    },
  };
}
