/** Who the agent is talking to: name, number, web visitor details and their past conversations. */
import { useEffect, useState } from 'preact/hooks';
import type { ConversationJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { channelLabel, contactName, contactNumber, formatDateTime, formatListTime } from '../lib/format.ts';
import { languageName, timeThere } from '../lib/visitor-facts.ts';
import { ContactAvatar } from './contact-avatar.tsx';
import { NavLink } from './nav-link.tsx';

/** The page a visitor wrote from: a link only for http(s), never for `javascript:` and friends. */
function PageLink({ url }: { url: string }) {
  let safe: URL | null = null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') safe = parsed;
  } catch {
    // not a URL: shown as text
  }
  if (!safe) return <span title={url}>{url}</span>;
  return (
    <a href={safe.href} target="_blank" rel="noopener noreferrer" title={safe.href}>
      {safe.host + (safe.pathname === '/' ? '' : safe.pathname)}
    </a>
  );
}

/** Whether replies may follow a web visitor to WhatsApp — and, for a number they typed, whether it is proven. */
function ContinueOnWhatsApp({ conversation }: { conversation: ConversationJson }) {
  const c = conversation.contact;
  if (!conversation.whatsapp_consent || !c.phone) return <>No</>;
  if (c.phone_verified) {
    return (
      <>
        <span class="pill pill-ok">Verified</span> Yes — {c.phone} wrote to us with the visitor’s code
        {c.phone_verified_at ? ` on ${formatDateTime(c.phone_verified_at)}` : ''}; replies reach WhatsApp when the visitor has left.
      </>
    );
  }
  return (
    <>
      <span class="pill pill-warn">Unverified</span> Not yet — the visitor typed {c.phone}, but that number has not written to us with the code they were shown,
      so nothing is sent to it (anyone can type any number, and templates are billed). Replies stay in the web chat until it does.
    </>
  );
}

export function ContactPanel({ conversation, onClose }: { conversation: ConversationJson; onClose?: () => void }) {
  const { api } = useApp();
  const c = conversation.contact;
  const [past, setPast] = useState<ConversationJson[] | null>(null);

  useEffect(() => {
    setPast(null);
    api.contactConversations(c.id).then(
      (r) => setPast(r.data),
      () => setPast([]),
    );
  }, [api, c.id, conversation.last_message_at]);

  const number = contactNumber(c);
  const others = (past ?? []).filter((p) => p.id !== conversation.id);

  return (
    <aside class="contact-panel" aria-label="Contact details">
      <div class="panel-head">
        <ContactAvatar conversation={conversation} />
        <h2>{contactName(c)}</h2>
        {onClose && (
          <button type="button" class="btn btn-ghost btn-small contact-close" onClick={onClose}>
            Close
          </button>
        )}
      </div>
      <dl class="details">
        <dt>Channel</dt>
        <dd>{channelLabel(conversation.channel)}</dd>
        {c.name ? (
          <>
            <dt>Name</dt>
            <dd>{c.name}</dd>
          </>
        ) : (
          conversation.channel === 'web' && (
            <>
              <dt>Name</dt>
              <dd>Not given — shown as “{c.generated_name}”, a name made up to tell visitors apart</dd>
            </>
          )
        )}
        <dt>{conversation.channel === 'whatsapp' ? 'WhatsApp number' : 'Phone'}</dt>
        <dd>{number ?? (conversation.channel === 'whatsapp' && c.user_id ? 'Not shared — a username user, reached by their user id' : '—')}</dd>
        {conversation.channel === 'web' && (
          <>
            <dt>Email</dt>
            <dd>{c.email ?? '—'}</dd>
            <dt>Continue on WhatsApp</dt>
            <dd>
              <ContinueOnWhatsApp conversation={conversation} />
            </dd>
            <dt>Page</dt>
            <dd>{c.page_url ? <PageLink url={c.page_url} /> : '—'}</dd>
            <dt>Browser</dt>
            <dd>{c.browser ?? '—'}</dd>
            <dt>Language</dt>
            <dd>{c.language ? `${languageName(c.language)} (${c.language})` : '—'}</dd>
            <dt>Time zone</dt>
            <dd>{c.time_zone ? `${c.time_zone}${timeThere(c.time_zone) ? ` — ${timeThere(c.time_zone)} there now` : ''}` : '—'}</dd>
          </>
        )}
        {c.user_id && (
          <>
            <dt>WhatsApp user id</dt>
            <dd class="mono">{c.user_id}</dd>
          </>
        )}
        {conversation.group && (
          <>
            <dt>WhatsApp group</dt>
            <dd>
              Several members write here; each message shows who sent it, and replies go to the whole group. <span class="mono">{conversation.group.id}</span>
            </dd>
          </>
        )}
        {conversation.channel === 'whatsapp' && !conversation.group && (
          <>
            <dt>Marketing messages</dt>
            <dd>
              {c.marketing_opted_out_at ? (
                <>
                  <span class="pill pill-warn">Stopped</span> They stopped marketing messages on WhatsApp on {formatDateTime(c.marketing_opted_out_at)}:
                  marketing templates are refused until they turn them back on. Utility templates and replies inside the 24-hour window still go.
                </>
              ) : (
                'Subscribed'
              )}
            </dd>
          </>
        )}
        <dt>First contact</dt>
        <dd>{formatDateTime(conversation.created_at)}</dd>
      </dl>
      <h3>Past conversations</h3>
      {past === null ? (
        <p class="muted">Loading…</p>
      ) : others.length === 0 ? (
        <p class="muted">None before this one.</p>
      ) : (
        <ul class="past-list">
          {others.map((p) => (
            <li key={p.id}>
              <NavLink to={{ name: 'inbox', conversationId: p.id }} current={false}>
                <span class="past-top">
                  {channelLabel(p.channel)} · {p.status === 'resolved' ? 'Resolved' : 'Open'}
                  <time dateTime={p.last_message_at ?? undefined}>{formatListTime(p.last_message_at)}</time>
                </span>
                <span class="past-preview">{p.last_message_preview ?? ''}</span>
              </NavLink>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
