/**
 * Pick an approved template (grouped by category, costliest first), fill its parameters and see
 * the rendered message before sending it.
 */
import { countTemplateParams, renderTemplateText } from '@connectdesk/shared/template-render';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { TemplateJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { categoryInfo, groupApproved, templateKey } from '../lib/templates.ts';
import { NavLink } from './nav-link.tsx';
import { FormError } from './form-error.tsx';

export function TemplatePicker({ onSend, autoFocus = false }: { onSend: (t: TemplateJson, params: string[]) => Promise<void>; autoFocus?: boolean }) {
  const { api } = useApp();
  const [templates, setTemplates] = useState<TemplateJson[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [params, setParams] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.templates().then(
      (r) => setTemplates(r.data),
      (err: Error) => setLoadError(err.message),
    );
  }, [api]);

  const groups = useMemo(() => groupApproved(templates ?? []), [templates]);
  const selected = templates?.find((t) => templateKey(t) === key && t.status.toUpperCase() === 'APPROVED') ?? null;
  const count = selected ? Math.max(selected.parameter_count, countTemplateParams(selected.body)) : 0;

  function choose(k: string) {
    setKey(k);
    const t = templates?.find((x) => templateKey(x) === k);
    setParams(Array.from({ length: t ? Math.max(t.parameter_count, countTemplateParams(t.body)) : 0 }, () => ''));
    setError(null);
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!selected) return;
    const missing = params.findIndex((p) => !p.trim());
    if (missing !== -1) {
      setError(`Fill in parameter {{${missing + 1}}}.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSend(
        selected,
        params.map((p) => p.trim()),
      );
      setKey('');
      setParams([]);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (loadError) {
    return (
      <p class="form-error" role="alert">
        Could not load templates: {loadError}
      </p>
    );
  }
  if (!templates) return <p class="muted">Loading templates…</p>;
  if (groups.length === 0) {
    return (
      <p class="muted">
        No approved templates yet. Sync them on the{' '}
        <NavLink to={{ name: 'templates' }} current={false}>
          Templates page
        </NavLink>
        .
      </p>
    );
  }

  return (
    <form class="template-picker" onSubmit={submit}>
      <label class="field">
        <span>Template</span>
        <select aria-label="Template" value={key} onChange={(e) => choose(e.currentTarget.value)} autoFocus={autoFocus}>
          <option value="">Choose an approved template…</option>
          {groups.map((g) => (
            <optgroup key={g.category.id} label={g.category.label}>
              {g.templates.map((t) => (
                <option key={templateKey(t)} value={templateKey(t)}>
                  {t.name} ({t.language})
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {selected && (
        <>
          <p class="template-cost">
            <span class="chip">{categoryInfo(selected.category).label}</span> {categoryInfo(selected.category).cost}
          </p>
          {count > 0 && (
            <fieldset class="template-params">
              <legend>Parameters</legend>
              {params.map((p, i) => (
                <label key={i} class="field field-inline">
                  <span>{`{{${i + 1}}}`}</span>
                  <input
                    type="text"
                    value={p}
                    maxLength={1024}
                    aria-label={`Parameter ${i + 1}`}
                    onInput={(e) => {
                      const v = e.currentTarget.value;
                      setParams((ps) => ps.map((x, j) => (j === i ? v : x)));
                    }}
                  />
                </label>
              ))}
            </fieldset>
          )}
          <div class="template-preview" aria-label="Preview">
            <span class="interactive-kind">Preview</span>
            {selected.header && <p class="tpl-header">{renderTemplateText(selected.header, params)}</p>}
            <p class="msg-text">{renderTemplateText(selected.body, params)}</p>
            {selected.footer && <p class="tpl-footer">{selected.footer}</p>}
            {selected.buttons.length > 0 && (
              <ul class="tpl-buttons">
                {selected.buttons.map((b, i) => (
                  <li key={i}>{b.text}</li>
                ))}
              </ul>
            )}
          </div>
          <FormError error={error} />
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send template'}
          </button>
        </>
      )}
    </form>
  );
}
