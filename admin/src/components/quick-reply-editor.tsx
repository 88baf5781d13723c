/**
 * The composer's quick replies: a body and up to three button titles, or a list of up to ten rows
 * (title and optional description) opened by a button label. Ids are made from the titles; the
 * server checks Meta's limits and its message is shown when something is over one.
 */
import { useEffect, useState } from 'preact/hooks';
import type { InteractiveSend, ReplyButton } from '../api/types.ts';
import { QUICK_REPLY_LIMITS as L } from '@connectdesk/shared/quick-replies';
import { FormError } from './form-error.tsx';

type Kind = 'buttons' | 'list';
interface Row {
  title: string;
  description: string;
}

/** "Yes, thanks" → "1-yes-thanks": unique by position, readable in webhooks and exports. */
export function optionId(title: string, index: number): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${index + 1}${slug ? `-${slug}` : ''}`.slice(0, 200);
}

export function QuickReplyEditor({
  initial,
  disabled,
  onSend,
}: {
  /** A canned response's body and buttons, when one was inserted. */
  initial?: { body: string; buttons?: ReplyButton[] } | null;
  disabled?: boolean;
  onSend: (interactive: InteractiveSend) => Promise<void>;
}) {
  const [kind, setKind] = useState<Kind>('buttons');
  const [body, setBody] = useState('');
  const [buttons, setButtons] = useState<string[]>(['', '', '']);
  const [label, setLabel] = useState('');
  const [rows, setRows] = useState<Row[]>([{ title: '', description: '' }]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!initial) return;
    setKind('buttons');
    setBody(initial.body);
    setButtons([0, 1, 2].map((i) => initial.buttons?.[i]?.title ?? ''));
  }, [initial]);

  const titles = buttons.map((b) => b.trim()).filter(Boolean);
  const listed = rows.filter((r) => r.title.trim());
  const ready = body.trim() && (kind === 'buttons' ? titles.length > 0 : label.trim() && listed.length > 0);

  async function submit(e: Event) {
    e.preventDefault();
    if (!ready || busy) return;
    const interactive: InteractiveSend =
      kind === 'buttons'
        ? {
            kind,
            body: body.trim(),
            buttons: titles.map((title, i) => ({ id: initial?.buttons?.find((b) => b.title === title)?.id ?? optionId(title, i), title })),
          }
        : {
            kind,
            body: body.trim(),
            button: label.trim(),
            sections: [
              {
                rows: listed.map((r, i) => ({
                  id: optionId(r.title, i),
                  title: r.title.trim(),
                  ...(r.description.trim() ? { description: r.description.trim() } : {}),
                })),
              },
            ],
          };
    setBusy(true);
    setError(null);
    try {
      await onSend(interactive);
      setBody('');
      setButtons(['', '', '']);
      setLabel('');
      setRows([{ title: '', description: '' }]);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="composer-form quick-reply-editor" aria-label="Quick replies" onSubmit={submit}>
      <div class="qr-kind" role="radiogroup" aria-label="Kind">
        {(['buttons', 'list'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="qr-kind" checked={kind === k} onChange={() => setKind(k)} /> {k === 'buttons' ? 'Buttons' : 'List'}
          </label>
        ))}
      </div>
      <label class="field">
        <span>Message</span>
        <textarea
          rows={2}
          value={body}
          maxLength={kind === 'buttons' ? L.buttonsBody : L.listBody}
          onInput={(e) => setBody(e.currentTarget.value)}
          placeholder="Did that solve it?"
        />
      </label>
      {kind === 'buttons' ? (
        <fieldset class="qr-options">
          <legend>Buttons (up to {L.buttons})</legend>
          {buttons.map((b, i) => (
            <input
              key={i}
              aria-label={`Button ${i + 1}`}
              value={b}
              maxLength={L.buttonTitle}
              placeholder={i === 0 ? 'Yes' : i === 1 ? 'No' : 'Optional'}
              onInput={(e) => setButtons(buttons.map((x, j) => (j === i ? e.currentTarget.value : x)))}
            />
          ))}
        </fieldset>
      ) : (
        <fieldset class="qr-options">
          <legend>List (up to {L.rows} rows)</legend>
          <input aria-label="List button" value={label} maxLength={L.listButton} placeholder="Options" onInput={(e) => setLabel(e.currentTarget.value)} />
          {rows.map((r, i) => (
            <div key={i} class="qr-row">
              <input
                aria-label={`Row ${i + 1}`}
                value={r.title}
                maxLength={L.rowTitle}
                placeholder="Title"
                onInput={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, title: e.currentTarget.value } : x)))}
              />
              <input
                aria-label={`Row ${i + 1} description`}
                value={r.description}
                maxLength={L.rowDescription}
                placeholder="Description (optional)"
                onInput={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, description: e.currentTarget.value } : x)))}
              />
            </div>
          ))}
          {rows.length < L.rows && (
            <button type="button" class="btn btn-small" onClick={() => setRows([...rows, { title: '', description: '' }])}>
              Add row
            </button>
          )}
        </fieldset>
      )}
      <FormError error={error} />
      <div class="composer-actions">
        <button type="submit" class="btn btn-primary" disabled={disabled || busy || !ready}>
          {busy ? 'Sending…' : 'Send quick replies'}
        </button>
      </div>
    </form>
  );
}
