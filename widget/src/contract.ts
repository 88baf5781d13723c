/**
 * What the loader (widget.js) hands the lazily loaded chat UI, and what the UI gives back.
 * Types only: both sides are bundled separately and meet at runtime through `mount()`.
 */
import type { MessageJson, WidgetConfigJson } from '@connectdesk/shared';

export type Lang = 'en' | 'es' | 'pt' | 'bn' | 'ar';

export interface Identity {
  name?: string;
  email?: string;
  phone?: string;
}

/** What `ConnectDesk.on('message', fn)` listeners receive. */
export interface PublicMessage {
  id: string;
  text: string;
  direction: MessageJson['direction'];
  sender: MessageJson['sender'];
  author_name: string | null;
  created_at: string;
}

export interface HostBridge {
  /** The server's base URL, derived from the script's own src (no trailing slash). */
  base: string;
  root: ShadowRoot;
  launcher: HTMLButtonElement;
  /** Server settings with the script tag's data-* overrides applied. */
  config: WidgetConfigJson;
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
