/**
 * Canned responses: a shortcut ("/hours") and the text it inserts in the composer — or, with
 * quick-reply buttons, the body of the buttons message the composer then sends.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CannedResponse } from '../../api/types.ts';
import { useApp } from '../../context.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import { FormError } from '../form-error.tsx';
import { optionId } from '../quick-reply-editor.tsx';
import { QUICK_REPLY_LIMITS as L } from '@connectdesk/shared/quick-replies';

export function CannedSection() {
  const { api } = useApp();
  const [list, setList] = useState<CannedResponse[] | null>(null);
  const [editing, setEditing] = useState<CannedResponse | null>(null);
  const [shortcut, setShortcut] = useState('');
  const [text, setText] = useState('');
  const [buttons, setButtons] = useState<string[]>(['', '', '']);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      setList((await api.canned()).data);
    } catch (err) {
      setError((err as Error).message);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  function edit(c: CannedResponse | null) {
    setEditing(c);
    setShortcut(c?.shortcut ?? '');
    setText(c?.text ?? '');
    setButtons([0, 1, 2].map((i) => c?.buttons?.[i]?.title ?? ''));
  }

  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    const titles = buttons.map((b) => b.trim()).filter(Boolean);
    const input = {
      shortcut: shortcut.trim().replace(/^\//, ''),
      text: text.trim(),
      ...(titles.length
        ? { buttons: titles.map((title, i) => ({ id: editing?.buttons?.find((b) => b.title === title)?.id ?? optionId(title, i), title })) }
        : {}),
    };
    try {
      if (editing) await api.updateCanned(editing.id, input);
      else await api.createCanned(input);
      edit(null);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div class="settings-section">
      <h2>Canned responses</h2>
      <p class="lead">
        Type <kbd>/</kbd> and the shortcut in the composer, or pick one from “Canned responses”.
      </p>
      <FormError error={error} />
      <ul class="rows" aria-label="Canned responses">
        {(list ?? []).map((c) => (
          <li key={c.id} class="row">
            <span class="canned-row">
              <strong class="mono">/{c.shortcut}</strong> <span>{c.text}</span>
              {c.buttons && (
                <ul class="qr-chips" aria-label="Quick-reply buttons">
                  {c.buttons.map((b) => (
                    <li key={b.id} class="qr-chip">
                      {b.title}
                    </li>
                  ))}
                </ul>
              )}
            </span>
            <span class="actions">
              <button type="button" class="btn btn-small" onClick={() => edit(c)}>
                Edit
              </button>
              <ConfirmButton
                label="Delete"
                confirmLabel={`Delete /${c.shortcut}`}
                onConfirm={async () => {
                  await api.deleteCanned(c.id).catch((err: Error) => setError(err.message));
                  await load();
                }}
              />
            </span>
          </li>
        ))}
      </ul>
      {list && list.length === 0 && <p class="muted">None yet.</p>}
      <form class="card form-grid" onSubmit={save} aria-label={editing ? 'Edit canned response' : 'Add a canned response'}>
        <h3>{editing ? `Edit /${editing.shortcut}` : 'Add a canned response'}</h3>
        <label class="field">
          <span>Shortcut</span>
          <input required value={shortcut} maxLength={32} pattern="/?[A-Za-z0-9_\-]+" placeholder="hours" onInput={(e) => setShortcut(e.currentTarget.value)} />
        </label>
        <label class="field field-wide">
          <span>Text</span>
          <textarea required rows={3} value={text} maxLength={4096} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <fieldset class="qr-options field-wide">
          <legend>Quick-reply buttons (optional, up to {L.buttons}; the text becomes their message)</legend>
          {buttons.map((b, i) => (
            <input
              key={i}
              aria-label={`Canned button ${i + 1}`}
              value={b}
              maxLength={L.buttonTitle}
              onInput={(e) => setButtons(buttons.map((x, j) => (j === i ? e.currentTarget.value : x)))}
            />
          ))}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={!shortcut.trim() || !text.trim()}>
            {editing ? 'Save' : 'Add'}
          </button>
          {editing && (
            <button type="button" class="btn" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
