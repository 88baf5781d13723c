/** An agent's buttons or list in the thread: the body, then the options as the customer sees them (not tappable here). */
import type { QuickReplyOffer } from '@connectdesk/shared/quick-replies';
import { LinkedText } from './linked-text.tsx';

export function QuickReplyOfferView({ offer }: { offer: QuickReplyOffer }) {
  return (
    <div class="msg-interactive msg-quick-replies">
      <span class="interactive-kind">{offer.kind === 'buttons' ? 'Quick reply buttons' : `List · ${offer.button ?? ''}`}</span>
      <p class="msg-text">
        <LinkedText text={offer.body} />
      </p>
      {offer.sections.map((s, i) => (
        <ul key={i} class="qr-chips" aria-label={s.title ?? (offer.kind === 'buttons' ? 'Buttons' : 'Rows')}>
          {s.options.map((o) => (
            <li key={o.id} class="qr-chip">
              {o.title}
              {o.description && <small> — {o.description}</small>}
            </li>
          ))}
        </ul>
      ))}
    </div>
  );
}
