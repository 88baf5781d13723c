/** A contact's round avatar: initials on the contact's own stable colour (web visitors), or the channel's. */
import type { ConversationJson } from '../api/types.ts';
import { avatarColor } from '@connectdesk/shared/visitor-names';
import { contactName, initials } from '../lib/format.ts';

export function ContactAvatar({ conversation, size }: { conversation: ConversationJson; size?: 'large' }) {
  const c = conversation.contact;
  const web = conversation.channel === 'web';
  const style = web ? { background: c.color ?? avatarColor(c.id), color: '#fff' } : undefined;
  return (
    <span class={`avatar avatar-${conversation.channel}${size ? ` avatar-${size}` : ''}`} style={style} aria-hidden="true">
      {initials(contactName(c))}
    </span>
  );
}
