/**
 * An agent's quick replies under their message: reply buttons as chips, or a list opened by the
 * agent's button label whose rows the visitor taps. Loaded (with its styles) only when a message
 * with quick replies is shown; hidden once the visitor answered (chat-panel decides).
 */
import { useState } from 'preact/hooks';
import { quickReplyOffer, type QuickReplyOption } from '@connectdesk/shared/quick-replies';

const CSS = `.qr{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 8px;max-width:85%}
.qr button{font:inherit;font-size:13px;padding:6px 12px;border:1px solid var(--cd-accent);border-radius:16px;background:var(--bg,#fff);color:var(--cd-accent);cursor:pointer}
.qr button:hover{background:var(--cd-accent);color:#fff}
.qr button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.qr ul{list-style:none;margin:0;padding:0;width:100%;border:1px solid #d1d5db;border-radius:10px;background:var(--bg,#fff)}
.qr li+li{border-top:1px solid #e5e7eb}
.qr h4{margin:6px 12px 2px;font-size:12px;color:#6b7280}
.qr ul button{display:block;width:100%;text-align:start;border:0;border-radius:0;background:none;color:var(--fg,#111827)}
.qr ul button:hover{background:var(--hv,#f3f4f6);color:var(--fg,#111827)}
.qr small{display:block;color:#6b7280}`;

export function QuickReplies({ content, onChoose }: { content: unknown; onChoose: (option: QuickReplyOption) => void }) {
  const [open, setOpen] = useState(false);
  const offer = quickReplyOffer(content);
  if (!offer) return null;
  const choice = (o: QuickReplyOption, desc: boolean) => (
    <button type="button" key={o.id} onClick={() => onChoose(o)}>
      {o.title}
      {desc && o.description && <small>{o.description}</small>}
    </button>
  );
  return (
    <div class="qr" role="group" aria-label={offer.body}>
      <style>{CSS}</style>
      {offer.kind === 'buttons' ? (
        offer.sections[0]!.options.map((o) => choice(o, false))
      ) : (
        <>
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {offer.button || '…'}
          </button>
          {open &&
            offer.sections.map((s, i) => (
              <ul key={i} aria-label={s.title}>
                {s.options.map((o, j) => (
                  <li key={o.id}>
                    {j === 0 && s.title && <h4 aria-hidden="true">{s.title}</h4>}
                    {choice(o, true)}
                  </li>
                ))}
              </ul>
            ))}
        </>
      )}
    </div>
  );
}
