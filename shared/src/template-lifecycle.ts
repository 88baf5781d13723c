/**
 * Can a template be sent, and what should an agent know about it? Meta keeps a FLAGGED template
 * APPROVED (sendable) until its disable date; PAUSED, DISABLED, PENDING_DELETION, PENDING and
 * REJECTED ones are refused. LOCKED only means it cannot be edited. A category change Meta
 * announced (`template_category_update` with `correct_category`) is a warning until its date.
 */
export interface TemplateLifecycleFields {
  status: string;
  status_reason?: string | null;
  disable_date?: number | string | null;
  locked?: boolean | number | null;
  category_change?: string | null | { from: string | null; to: string; at: string | null; done: boolean };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const reasonOf = (r: string | null | undefined) => (r && r.toUpperCase() !== 'NONE' ? ` (${r})` : '');

export function templateLifecycle(t: TemplateLifecycleFields): { sendable: boolean; warning: string | null } {
  const status = t.status.toUpperCase();
  const change =
    typeof t.category_change === 'string'
      ? (JSON.parse(t.category_change) as { from: string | null; to: string; at: string | null; done: boolean })
      : t.category_change;
  const notes: string[] = [];
  let sendable = false;
  switch (status) {
    case 'APPROVED':
      sendable = true;
      if (t.disable_date !== null && t.disable_date !== undefined)
        notes.push(`flagged for low quality: WhatsApp will disable it on ${day(Number(t.disable_date))} unless its quality improves`);
      break;
    case 'PAUSED':
      notes.push(`paused by WhatsApp for low quality${reasonOf(t.status_reason)}: it cannot be sent until it is unpaused or reinstated`);
      break;
    case 'DISABLED':
      notes.push(`disabled by WhatsApp for low quality${reasonOf(t.status_reason)}: it can no longer be sent; edit it and submit it again`);
      break;
    case 'PENDING_DELETION':
      notes.push('deleted in WhatsApp Manager: it can no longer be sent');
      break;
    case 'PENDING':
      notes.push('still in review at WhatsApp: it can be sent once approved');
      break;
    case 'REJECTED':
      notes.push(`rejected by WhatsApp${reasonOf(t.status_reason)}: edit it and submit it again`);
      break;
    default:
      notes.push(`${status.toLowerCase().replace(/_/g, ' ')} at WhatsApp: it cannot be sent`);
  }
  if (change && !change.done)
    notes.push(
      `WhatsApp will change its category${change.from ? ` from ${change.from}` : ''} to ${change.to}${change.at ? ` on ${change.at.slice(0, 10)}` : ''}`,
    );
  if (t.locked === true || t.locked === 1) notes.push('locked: it cannot be edited');
  return { sendable, warning: notes.length ? notes.join('; ') : null };
}
