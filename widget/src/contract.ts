/**
 * What the loader (widget.js) hands the lazily loaded chat UI, and what the UI gives back.
 * Types only: both sides are bundled separately and meet at runtime through `mount()`.
 */
import type { MessageJson, VisitorClientToServer, WidgetConfigJson } from '@connectdesk/shared';

export type Lang = 'en' | 'es' | 'pt' | 'bn' | 'ar';

/** What the launcher needs; the chat UI fills in the rest (app/default-config.ts). */
export type LoaderConfig = Partial<WidgetConfigJson> &
  Pick<WidgetConfigJson, 'color' | 'position'> & {
    /** When the server's settings were read (Date.now()); absent when these are the loader's fallback. */
    fetchedAt?: number;
  };

/** What `ConnectDesk.identify()` takes: the socket's `identify` payload, without the consent flag. */
export type Identity = Pick<Parameters<VisitorClientToServer['identify']>[0], 'name' | 'email' | 'phone'>;

/** What `ConnectDesk.on('message', fn)` listeners receive: the public part of a message. */
export type PublicMessage = Pick<MessageJson, 'id' | 'text' | 'direction' | 'sender' | 'author_name' | 'created_at'>;

export interface HostBridge {
  /** The server's base URL, derived from the script's own src (no trailing slash). */
  base: string;
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  /** Server settings with the script tag's data-* overrides applied. */
  config: LoaderConfig;
  /** Fetches the settings again (with the same data-* overrides); rejects when the server cannot be reached. */
  reloadConfig(): Promise<LoaderConfig>;
  lang: Lang;
  /** Identity given to ConnectDesk.identify() before the UI loaded. */
  identity: Identity | null;
  setUnread(count: number): void;
  setOpen(open: boolean): void;
  emitMessage(message: PublicMessage): void;
}

export interface WidgetApp {
  open(): void;
  close(): void;
  identify(identity: Identity): void;
}

export type MountWidget = (bridge: HostBridge) => WidgetApp;
