/** The demo host page at `/`: shows the widget live and the exact snippet to paste. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function demoPageHtml(opts: { base: string; siteName: string }): string {
  const snippet = `<script src="${opts.base}/widget.js" async></script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.siteName)} — live chat demo</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 20px;color:#1f2933}
code,pre{background:#f1f5f9;border-radius:6px}pre{padding:12px;overflow:auto}a{color:#0b57d0}
</style>
</head>
<body>
<h1>${escapeHtml(opts.siteName)}</h1>
<p>This page runs the chat widget exactly as your site will. Paste this one line before <code>&lt;/body&gt;</code> on your site:</p>
<pre><code>${escapeHtml(snippet)}</code></pre>
<p>Agents answer at <a href="/admin/">/admin/</a>.</p>
<script src="/widget.js" async></script>
</body>
</html>`;
}
