/** Delivery state of an outbound message: clock, ✓ sent, ✓✓ delivered, blue ✓✓ read, ! failed. */
import type { MessageStatus } from '../api/types.ts';
import { STATUS_LABEL } from '../lib/message-view.ts';

export function DeliveryTicks({ status }: { status: MessageStatus }) {
  const label = STATUS_LABEL[status] ?? status;
  return (
    <span class={`ticks ticks-${status}`} role="img" aria-label={label} title={label} data-status={status}>
      <svg viewBox="0 0 18 12" width="18" height="12" aria-hidden="true" focusable="false">
        {status === 'queued' && (
          <g fill="none" stroke="currentColor" stroke-width="1.5">
            <circle cx="9" cy="6" r="4.5" />
            <path d="M9 3.5V6l1.8 1.2" stroke-linecap="round" />
          </g>
        )}
        {status === 'sent' && <path d="M3 6.5l3 3 7-7" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />}
        {(status === 'delivered' || status === 'read') && (
          <g fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
            <path d="M1 6.5l3 3 7-7" />
            <path d="M7 9.5l7-7" />
          </g>
        )}
        {status === 'failed' && (
          <g fill="currentColor">
            <circle cx="9" cy="6" r="5.5" />
            <rect x="8.2" y="2.8" width="1.6" height="4" fill="#fff" />
            <rect x="8.2" y="7.8" width="1.6" height="1.6" fill="#fff" />
          </g>
        )}
      </svg>
    </span>
  );
}
