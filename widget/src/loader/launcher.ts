/** The custom element, its open shadow root and the launcher button: all the loader draws. */
import type { LauncherLabels } from './labels.ts';
import { HOST_CSS } from './launcher-css.ts';
import { accentOn, textColorOn } from './contrast.ts';

const ELEMENT_NAME = 'connectdesk-widget';

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 3C6.5 3 2 6.9 2 11.7c0 2.5 1.2 4.7 3.2 6.3L4.4 21.6c-.1.4.3.7.7.5l4-2c.9.2 1.9.3 2.9.3 5.5 0 10-3.9 10-8.7S17.5 3 12 3z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z"/></svg>';

export interface Launcher {
  host: HTMLElement;
  root: ShadowRoot;
  button: HTMLButtonElement;
  setUnread: (count: number) => void;
  setOpen: (open: boolean) => void;
}

export function drawLauncher(doc: Document, opts: { color: string; position: 'left' | 'right'; labels: LauncherLabels }): Launcher {
  const registry = doc.defaultView?.customElements;
  if (registry && !registry.get(ELEMENT_NAME)) registry.define(ELEMENT_NAME, class extends HTMLElement {});
  const host = doc.createElement(ELEMENT_NAME);
  const root = host.attachShadow({ mode: 'open' });
  host.style.setProperty('--cd-brand', opts.color);
  host.style.setProperty('--cd-on-brand', textColorOn(opts.color));
  host.style.setProperty('--cd-accent', accentOn(opts.color, '#ffffff'));

  const style = doc.createElement('style');
  style.textContent = HOST_CSS;
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = opts.position === 'left' ? 'l left' : 'l';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-describedby', 'cd-unread');
  const icon = doc.createElement('span');
  const badge = doc.createElement('span');
  badge.className = 'b';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  const described = doc.createElement('span');
  described.id = 'cd-unread';
  described.className = 'sr';
  button.append(icon, badge);
  root.append(style, button, described);

  const setOpen = (open: boolean) => {
    button.setAttribute('aria-label', open ? opts.labels.close : opts.labels.open);
    button.setAttribute('aria-expanded', String(open));
    icon.innerHTML = open ? CLOSE_ICON : CHAT_ICON;
    host.toggleAttribute('data-open', open);
  };
  setOpen(false);

  return {
    host,
    root,
    button,
    setOpen,
    setUnread(count) {
      badge.hidden = count <= 0;
      badge.textContent = count > 9 ? '9+' : String(count);
      described.textContent = count > 0 ? `${count} ${opts.labels.unread}` : '';
    },
  };
}
