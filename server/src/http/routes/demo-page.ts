import { installSnippet, QUEUE_STUB } from '@connectdesk/shared/install-snippet';

/**
 * The demo host page at `/`: a small product page that runs the widget exactly as a customer's
 * site would, with the snippet to paste (escaped, with a Copy button) and where agents answer.
 */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f7f8fb}
a{color:#0b57d0}
header{background:#fff;border-bottom:1px solid #e4e7ec}
.bar{max-width:960px;margin:0 auto;padding:14px 20px;display:flex;align-items:center;justify-content:space-between;gap:16px}
.brand{font-weight:700;font-size:18px;display:flex;align-items:center;gap:10px}
.logo{width:28px;height:28px;border-radius:8px;background:#0b57d0;display:inline-block}
nav a{margin-left:18px;text-decoration:none;color:#3e4c59;font-weight:500}
.hero{max-width:960px;margin:0 auto;padding:56px 20px 32px}
.hero h1{font-size:40px;line-height:1.15;margin:0 0 14px;letter-spacing:-.02em}
.hero p{font-size:19px;color:#52606d;max-width:620px;margin:0 0 24px}
.cta{display:inline-block;background:#0b57d0;color:#fff;text-decoration:none;padding:12px 20px;border-radius:10px;font-weight:600}
.grid{max-width:960px;margin:0 auto;padding:8px 20px 24px;display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:16px}
.card{background:#fff;border:1px solid #e4e7ec;border-radius:14px;padding:20px}
.card h2{font-size:17px;margin:0 0 6px}
.card p{margin:0;color:#52606d;font-size:15px}
.install{max-width:960px;margin:0 auto;padding:16px 20px 64px}
.install h2{font-size:24px;margin:0 0 8px}
pre{margin:0;background:#0f172a;color:#e2e8f0;border-radius:12px;padding:16px 18px;white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.snippet{position:relative;margin:0 0 16px}
.snippet pre{padding-right:92px}
.copy{position:absolute;top:10px;right:10px;font:600 14px/1 system-ui,sans-serif;padding:8px 14px;border-radius:8px;border:0;background:#e2e8f0;color:#0f172a;cursor:pointer}
.copy:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
p code{background:#e9edf3;border-radius:6px;padding:1px 6px;font-size:14px}
footer{border-top:1px solid #e4e7ec;color:#52606d;font-size:14px}
footer div{max-width:960px;margin:0 auto;padding:18px 20px}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:600px){.hero{padding:32px 20px 24px}.hero h1{font-size:30px}nav{display:none}.snippet pre{padding:48px 14px 14px}}`;

/** The Copy button: the clipboard API, else a selection and execCommand (plain http on a LAN). */
const COPY_SCRIPT = `document.querySelector('[data-copy]').addEventListener('click',function(e){var b=e.currentTarget,t=document.getElementById(b.dataset.copy).textContent,s=document.getElementById('copied');function done(){b.textContent='Copied';s.textContent='Snippet copied';setTimeout(function(){b.textContent='Copy';s.textContent=''},2000)}function fallback(){var r=document.createRange();r.selectNodeContents(document.getElementById(b.dataset.copy));var sel=getSelection();sel.removeAllRanges();sel.addRange(r);document.execCommand('copy');done()}if(navigator.clipboard){navigator.clipboard.writeText(t).then(done,fallback)}else{fallback()}})`;

export function demoPageHtml(opts: { base: string; siteName: string }): string {
  const snippet = installSnippet(opts.base);
  const site = escapeHtml(opts.siteName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${site} — live chat demo</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%230b57d0'/%3E%3C/svg%3E">
<style>${CSS}</style>
</head>
<body>
<header><div class="bar"><span class="brand"><span class="logo" aria-hidden="true"></span>${site}</span>
<nav aria-label="Main"><a href="#features">Features</a><a href="#install">Install</a><a href="/admin/">Agent inbox</a></nav></div></header>
<main>
<section class="hero">
<h1>Talk to your visitors — on your site and on WhatsApp.</h1>
<p>This page runs the chat widget exactly as your site will. Open the chat in the corner and say hello; answer it from the <a href="/admin/">agent inbox</a> or straight from WhatsApp.</p>
<a class="cta" href="#install">Add it to your site</a>
</section>
<section class="grid" id="features" aria-label="Features">
<div class="card"><h2>One line to install</h2><p>A tiny loader draws the launcher; the chat itself loads only when a visitor reaches for it.</p></div>
<div class="card"><h2>Bridged to WhatsApp</h2><p>Get each new message on your phone and reply with a swipe. Visitors can continue on WhatsApp too.</p></div>
<div class="card"><h2>Nothing lost</h2><p>Messages written offline are sent when the connection returns, exactly once.</p></div>
<div class="card"><h2>Works everywhere</h2><p>Full-screen on phones, keyboard friendly, right-to-left aware, in English, Español, Português, বাংলা and العربية.</p></div>
</section>
<section class="install" id="install">
<h2>Install</h2>
<p>Paste these two lines before <code>&lt;/body&gt;</code> on your site (the first lets your scripts call <code>ConnectDesk</code> before the widget has loaded):</p>
<div class="snippet"><pre id="snippet"><code>${escapeHtml(snippet)}</code></pre><button type="button" class="copy" data-copy="snippet">Copy</button></div>
<p id="copied" role="status" class="sr"></p>
<p>Options go on the same tag: <code>data-position="left"</code>, <code>data-color="#0b57d0"</code>, <code>data-greeting="…"</code>, <code>data-lang="es"</code>. From your own scripts: <code>ConnectDesk.open()</code>, <code>ConnectDesk.close()</code>, <code>ConnectDesk.identify({ name, email, phone })</code> and <code>ConnectDesk.on('message', fn)</code>.</p>
<p>Agents answer at <a href="/admin/">/admin/</a>.</p>
</section>
</main>
<footer><div>${site} · self-hosted live chat</div></footer>
<script>${QUEUE_STUB}</script>
<script src="/widget.js" async></script>
<script>${COPY_SCRIPT}</script>
</body>
</html>`;
}
