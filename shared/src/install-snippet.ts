/**
 * The install snippet shown to site owners (admin → Settings → Widget, and the demo page). The
 * first tag is a call queue: `ConnectDesk.open()` (or any other method) called before widget.js
 * has arrived is queued on `ConnectDesk.q` and replayed in order by the loader when it runs.
 */

/** The methods a host page may call before the loader has arrived. */
export const QUEUED_METHODS = ['open', 'close', 'toggle', 'identify', 'on', 'off'] as const;

export const QUEUE_STUB =
  'window.ConnectDesk=window.ConnectDesk||function(){(ConnectDesk.q=ConnectDesk.q||[]).push(arguments)};' +
  `${JSON.stringify(QUEUED_METHODS)}.forEach(function(m){ConnectDesk[m]=ConnectDesk[m]||function(){ConnectDesk.apply(null,[m].concat([].slice.call(arguments)))}});`;

/** Both tags, for the server at `origin` (no trailing slash), with optional `data-*` attributes. */
export function installSnippet(origin: string, attrs: Record<string, string> = {}): string {
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${v.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]!)}"`)
    .join('');
  return `<script>${QUEUE_STUB}</script>\n<script src="${origin}/widget.js"${extra} async></script>`;
}
