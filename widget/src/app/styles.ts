/** The chat panel's CSS, injected into the shadow root (px units only; nothing leaks out or in). */
export const PANEL_CSS = `.p{--bg:#fff;--fg:#1f2937;--mu:#4b5563;--mu2:#5b6472;--ln:#e3e6eb;--lg:#f6f7f9;--lk:#1a4fbf;--bad:#b3261e;--nb:#fff4dc;--nf:#6b3f00;--wb:#e3f6ea;--wf:#0b5a30;--wl:#b9e6cb;--ib:#b8bfca;--hv:#eef0f3;--fc:#1d4ed8;color-scheme:light;position:fixed;bottom:88px;right:20px;box-sizing:border-box;width:370px;height:600px;max-height:calc(100vh - 108px);display:flex;flex-direction:column;overflow:hidden;background:var(--bg);color:var(--fg);border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.22),0 2px 8px rgba(0,0,0,.12);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Bengali","Noto Naskh Arabic",sans-serif;text-align:start;letter-spacing:normal;animation:cd-in .18s ease-out}
.p.left{left:20px;right:auto}
.p[hidden]{display:none}
.p *{box-sizing:border-box}
@keyframes cd-in{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}
.h{flex:none;display:flex;align-items:center;gap:12px;padding:12px 10px 12px 16px;background:var(--cd-brand);color:var(--cd-on-brand)}
.av{flex:none;width:40px;height:40px;border-radius:50%;background:rgba(255,255,255,.22);display:flex;align-items:center;justify-content:center;font-weight:700;font-size:18px}
.ht{flex:1;min-width:0}
.ht h2{margin:0;font-size:16px;font-weight:700;line-height:22px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.ht p{margin:0;font-size:13px;line-height:18px;display:flex;align-items:center;gap:6px}
.dot{flex:none;width:8px;height:8px;border-radius:50%;background:#22c55e;box-shadow:0 0 0 2px rgba(255,255,255,.6)}
.dot.away{background:#f59e0b}
.dot.off{background:#9ca3af}
.x,.ib{flex:none;width:40px;height:40px;margin:0;padding:0;border:0;border-radius:50%;background:transparent;color:inherit;cursor:pointer;display:flex;align-items:center;justify-content:center}
.x:hover{background:rgba(0,0,0,.14)}
.x svg,.ib svg{width:22px;height:22px;fill:currentColor;display:block}
:focus-visible{outline:3px solid var(--fc);outline-offset:2px}
.h :focus-visible{outline-color:var(--cd-on-brand)}
.ban{flex:none;margin:0;padding:8px 14px;font-size:13px;background:var(--nb);color:var(--nf);border-bottom:1px solid var(--ln)}
.log{flex:1;min-height:0;overflow-y:auto;padding:14px 12px 10px;background:var(--lg);display:flex;flex-direction:column;overscroll-behavior:contain}
.m{display:flex;flex-direction:column;align-items:flex-start;max-width:82%;margin-top:8px}
.m.cont{margin-top:3px}
.m.me{align-self:flex-end;align-items:flex-end}
.who{font-size:12px;font-weight:600;color:var(--mu);margin:0 6px 3px}
.bb{padding:8px 12px;border-radius:18px;background:var(--bg);color:var(--fg);border:1px solid var(--ln);white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%}
.me .bb{background:var(--cd-brand);color:var(--cd-on-brand);border-color:transparent}
.bb a{color:var(--lk);text-decoration:underline}
.me .bb a{color:inherit}
.bb img{display:block;max-width:100%;max-height:220px;border-radius:10px;margin:2px 0}
.fl{display:flex;align-items:center;gap:6px;font-weight:600}
.fl svg{width:18px;height:18px;fill:currentColor;flex:none}
.fs{display:block;font-weight:400;opacity:.8}
.q{margin:0 0 6px;padding:2px 8px;border-inline-start:3px solid currentColor;opacity:.8;font-size:13px;overflow:hidden;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical}
.meta{font-size:12px;line-height:16px;color:var(--mu2);margin:3px 6px 0;display:flex;gap:6px;align-items:center}
.bad{color:var(--bad)}
.lnk{margin:0;padding:0;border:0;background:none;font:inherit;color:var(--lk);text-decoration:underline;cursor:pointer}
.rb{text-decoration:none;font-size:15px}
.rx{position:relative;margin:-6px 8px 0;padding:0 4px;font-size:14px;border:1px solid var(--ln);border-radius:10px;background:var(--bg)}
.note{align-self:center;margin:10px 8px 2px;padding:6px 12px;border-radius:12px;background:var(--nb);color:var(--nf);font-size:13px;text-align:center}
.wa{align-self:flex-start;display:inline-flex;align-items:center;gap:8px;margin:10px 0 2px;padding:8px 14px;border-radius:20px;background:var(--wb);color:var(--wf);font-weight:600;font-size:14px;text-decoration:none;border:1px solid var(--wl)}
.wa:hover{filter:brightness(.96)}
.wa svg{width:18px;height:18px;fill:currentColor}
.dots{display:inline-flex;gap:4px;padding:12px 14px}
.dots i{width:7px;height:7px;border-radius:50%;background:var(--mu2);animation:cd-b 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}
.dots i:nth-child(3){animation-delay:.4s}
@keyframes cd-b{0%,60%,100%{opacity:.3}30%{opacity:1}}
.card{align-self:stretch;margin:10px 0 2px;padding:12px 14px;background:var(--bg);border:1px solid var(--ln);border-radius:14px}
.card h3{margin:0 0 8px;font-size:14px;font-weight:600;line-height:20px}
.fd{display:block;margin:0 0 8px;font-size:13px;color:var(--mu)}
.in,.ta{display:block;width:100%;margin:3px 0 0;font:inherit;font-size:16px;color:var(--fg);background:var(--bg);border:1px solid var(--ib);border-radius:10px;padding:8px 10px}
.ck{display:flex;gap:8px;align-items:flex-start;margin:0 0 8px;font-size:14px;color:var(--fg)}
.ck input{flex:none;width:18px;height:18px;margin:1px 0 0;accent-color:var(--cd-accent)}
.row{display:flex;gap:8px;justify-content:flex-end;align-items:center}
.btn{margin:0;font:inherit;font-size:14px;font-weight:600;padding:8px 14px;border-radius:10px;border:0;background:var(--cd-brand);color:var(--cd-on-brand);cursor:pointer}
.btn.ghost{background:transparent;color:var(--mu)}
.err{margin:6px 0 0;color:var(--bad);font-size:13px}
.c{flex:none;display:flex;flex-wrap:wrap;align-items:flex-end;gap:4px;padding:8px;border-top:1px solid var(--ln);background:var(--bg)}
.c .err{flex-basis:100%;margin:0 8px 2px}
.cw{flex:1;min-width:0}
.ta{margin:0;resize:none;line-height:22px;min-height:40px;max-height:120px;padding:8px 14px;border-radius:20px;overflow-y:auto}
.ta:focus{border-color:var(--cd-accent);outline:2px solid var(--cd-accent);outline-offset:-1px}
.ib{color:var(--mu)}
.ib:hover{background:var(--hv)}
.send{background:var(--cd-brand);color:var(--cd-on-brand)}
.send:hover{background:var(--cd-brand);filter:brightness(.93)}
[dir=rtl] .send svg{transform:scaleX(-1)}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.p.dark{--bg:#1c1f26;--fg:#e6e8eb;--mu:#b4bac4;--mu2:#a9b0bb;--ln:#343a46;--lg:#13161b;--lk:#8ab4f8;--bad:#f28b82;--nb:#3a2f12;--nf:#f6d28b;--wb:#12321f;--wf:#7ee2a8;--wl:#1e5a36;--ib:#6b7280;--hv:#2a2f39;--fc:#8ab4f8;--cd-accent:var(--ad);color-scheme:dark}
@media (prefers-color-scheme:dark){.p.auto{--bg:#1c1f26;--fg:#e6e8eb;--mu:#b4bac4;--mu2:#a9b0bb;--ln:#343a46;--lg:#13161b;--lk:#8ab4f8;--bad:#f28b82;--nb:#3a2f12;--nf:#f6d28b;--wb:#12321f;--wf:#7ee2a8;--wl:#1e5a36;--ib:#6b7280;--hv:#2a2f39;--fc:#8ab4f8;--cd-accent:var(--ad);color-scheme:dark}}
@media (max-width:480px){.p{top:0;right:0;bottom:0;left:0;width:100%;height:100%;max-height:none;border-radius:0}.p.left{left:0}}
@media (prefers-reduced-motion:reduce){.p{animation:none}.dots i{animation:none;opacity:.7}}`;
