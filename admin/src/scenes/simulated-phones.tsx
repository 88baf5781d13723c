/**
 * Sandbox only: play a customer (any number) or the owner's phone. Send a WhatsApp message to the
 * business number — optionally as a swipe-reply to something the phone received — and see what
 * the phone has received.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PhoneInboxItem } from '../api/types.ts';
import { useApp } from '../context.ts';
import { formatDateTime } from '../lib/format.ts';
import { FormError } from '../components/form-error.tsx';
import { PhoneTyping } from '../components/phone-typing.tsx';

const OWNER_PHONE = '15550100001';
const POLL_MS = 1500;

export function SimulatedPhonesScene() {
  const { mode, me } = useApp();
  const [customer, setCustomer] = useState('15550102030');
  const [customerName, setCustomerName] = useState('Test Customer');

  if (mode !== 'sandbox') {
    return (
      <section class="page">
        <h1>Simulated phones</h1>
        <p>Simulated phones exist only in sandbox mode. This server talks to Meta’s real Cloud API.</p>
      </section>
    );
  }

  if (me.role !== 'admin') {
    return (
      <section class="page">
        <h1>Simulated phones</h1>
        <p>Only admins can use the simulated phones: they read what the business sent and write as any number, the owner’s included.</p>
      </section>
    );
  }

  const digits = customer.replace(/\D/g, '');
  return (
    <section class="page">
      <h1>Simulated phones</h1>
      <p class="lead">
        Sandbox mode: these phones talk to the simulated Cloud API. What they send arrives here as a signed webhook, exactly like a real WhatsApp message.
      </p>
      <div class="phones">
        <div class="phone-col">
          <Phone
            waId={digits}
            valid={digits.length >= 7 && digits.length <= 15 && digits !== OWNER_PHONE}
            title={`Customer +${digits}`}
            profileName={customerName}
            setup={
              <div class="form-grid phone-setup">
                <label class="field">
                  <span>Customer’s number</span>
                  <input type="tel" value={customer} onInput={(e) => setCustomer(e.currentTarget.value)} />
                </label>
                <label class="field">
                  <span>Customer’s profile name</span>
                  <input value={customerName} onInput={(e) => setCustomerName(e.currentTarget.value)} />
                </label>
              </div>
            }
          />
        </div>
        <div class="phone-col">
          <Phone waId={OWNER_PHONE} valid title={`Owner’s phone +${OWNER_PHONE}`} profileName="Owner" />
        </div>
      </div>
    </section>
  );
}

interface Choice {
  kind: 'list_reply' | 'button_reply';
  id: string;
  title: string;
  description?: string;
}

/** The rows of an interactive list, or the reply buttons, a phone can tap. */
function choicesOf(i: PhoneInboxItem): Choice[] {
  const interactive = i.message?.interactive as
    { type?: string; action?: { sections?: { rows?: Omit<Choice, 'kind'>[] }[]; buttons?: { reply?: Omit<Choice, 'kind'> }[] } } | undefined;
  if (interactive?.type === 'list') return (interactive.action?.sections ?? []).flatMap((s) => s.rows ?? []).map((r) => ({ kind: 'list_reply', ...r }));
  if (interactive?.type === 'button')
    return (interactive.action?.buttons ?? []).flatMap((b) => (b.reply ? [{ kind: 'button_reply' as const, ...b.reply }] : []));
  return [];
}

function itemText(i: PhoneInboxItem): string {
  if (i.text) return i.text;
  if (i.template) return i.template.text ?? `Template ${i.template.name}${i.template.parameters?.length ? `: ${i.template.parameters.join(', ')}` : ''}`;
  return `[${i.type}]`;
}

function Phone({ waId, valid, title, profileName, setup }: { waId: string; valid: boolean; title: string; profileName: string; setup?: ComponentChildren }) {
  const { api } = useApp();
  const [inbox, setInbox] = useState<PhoneInboxItem[]>([]);
  const [typingAt, setTypingAt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [replyTo, setReplyTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);

  useEffect(() => {
    setInbox([]);
    setTypingAt(null);
    setReplyTo('');
    if (!valid) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const phone = await api.sandboxPhone(waId);
        if (!stopped) {
          setInbox(phone.inbox);
          setTypingAt(phone.last_typing_at);
          setError(null);
        }
      } catch (err) {
        if (!stopped) setError((err as Error).message);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, waId, valid]);

  async function send(e: Event) {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await api.sandboxSend(waId, {
        type: 'text',
        text: { body: text.trim() },
        ...(replyTo ? { context: { id: replyTo } } : {}),
        ...(profileName.trim() ? { profile_name: profileName.trim() } : {}),
      });
      setSent(text.trim());
      setText('');
      setReplyTo('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  /** Taps a row of a list, or a reply button, the phone received: WhatsApp sends the choice back. */
  async function tap(item: PhoneInboxItem, choice: Choice) {
    setBusy(true);
    setError(null);
    try {
      const interactive =
        choice.kind === 'list_reply'
          ? { type: 'list_reply' as const, list_reply: { id: choice.id } }
          : { type: 'button_reply' as const, button_reply: { id: choice.id } };
      await api.sandboxSend(waId, {
        type: 'interactive',
        interactive,
        context: { id: item.wamid },
        ...(profileName.trim() ? { profile_name: profileName.trim() } : {}),
      });
      setSent(choice.title);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="phone" aria-label={valid ? title : 'Customer'}>
      {setup}
      {!valid ? (
        <p class="form-error">Enter a customer number in international format (7–15 digits), other than the owner’s.</p>
      ) : (
        <PhoneBody
          waId={waId}
          title={title}
          inbox={inbox}
          typingAt={typingAt}
          error={error}
          text={text}
          setText={setText}
          replyTo={replyTo}
          setReplyTo={setReplyTo}
          busy={busy}
          sent={sent}
          send={send}
          tap={tap}
        />
      )}
    </section>
  );
}

function PhoneBody(p: {
  waId: string;
  title: string;
  inbox: PhoneInboxItem[];
  typingAt: string | null;
  error: string | null;
  text: string;
  setText: (v: string) => void;
  replyTo: string;
  setReplyTo: (v: string) => void;
  busy: boolean;
  sent: string | null;
  send: (e: Event) => void;
  tap: (item: PhoneInboxItem, choice: Choice) => void;
}) {
  const { title, inbox, error, text, setText, replyTo, setReplyTo, busy, sent, send, tap } = p;
  const received = [...inbox].reverse();
  return (
    <>
      <h2>{title}</h2>
      <PhoneTyping at={p.typingAt} inbox={inbox} />
      <ol class="phone-inbox" aria-label={`${title}: received`} tabIndex={0}>
        {received.length === 0 && <li class="muted">Nothing received yet.</li>}
        {received.map((i) => (
          <li key={i.wamid} class="phone-msg">
            <span class="phone-msg-type">
              {i.template ? `Template ${i.template.name}` : i.type}
              {i.status ? ` · ${i.status}` : ''}
            </span>
            <span class="phone-msg-text">{itemText(i)}</span>
            {choicesOf(i).length > 0 && (
              <span class="phone-choices" role="group" aria-label="Choices">
                {choicesOf(i).map((c) => (
                  <button key={c.id} type="button" class="btn btn-small" disabled={busy} title={c.description} onClick={() => tap(i, c)}>
                    {c.title}
                  </button>
                ))}
              </span>
            )}
            <span class="phone-msg-meta mono">{i.timestamp ? formatDateTime(i.timestamp) : ''}</span>
          </li>
        ))}
      </ol>
      <form class="phone-send" onSubmit={send} aria-label={`Send from ${title}`}>
        <label class="field">
          <span>Reply to</span>
          <select aria-label="Reply to" value={replyTo} onChange={(e) => setReplyTo(e.currentTarget.value)}>
            <option value="">Not a reply</option>
            {received.map((i) => (
              <option key={i.wamid} value={i.wamid}>
                {itemText(i).slice(0, 60)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Text</span>
          <textarea rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <FormError error={error} />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy || !text.trim()}>
            {busy ? 'Sending…' : 'Send from this phone'}
          </button>
          {sent && (
            <span class="muted" role="status">
              Sent “{sent.slice(0, 40)}”
            </span>
          )}
        </div>
      </form>
    </>
  );
}
