/** Templates synced from Meta: category, language, status, what each category costs, and a sync button. */
import { useEffect, useState } from 'preact/hooks';
import type { TemplateJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { formatDateTime } from '../lib/format.ts';
import { CATEGORIES, PRICING_URL, SERVICE_NOTE, categoryInfo, statusTone } from '../lib/templates.ts';
import { FormError } from '../components/form-error.tsx';

function qualityTone(q: string): 'ok' | 'wait' | 'bad' | 'muted' {
  const v = q.toUpperCase();
  return v === 'GREEN' ? 'ok' : v === 'YELLOW' ? 'wait' : v === 'RED' ? 'bad' : 'muted';
}

export function TemplatesScene() {
  const { api } = useApp();
  const [templates, setTemplates] = useState<TemplateJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  async function load() {
    try {
      setTemplates((await api.templates()).data);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  useEffect(() => {
    void load();
  }, []);

  async function sync() {
    setSyncing(true);
    setNotice(null);
    setError(null);
    try {
      await api.syncTemplates();
      await load();
      setNotice('Templates synced from Meta.');
    } catch (err) {
      setError(`Sync failed: ${(err as Error).message}`);
    } finally {
      setSyncing(false);
    }
  }

  const sorted = [...(templates ?? [])].sort(
    (a, b) => categoryInfo(b.category).costRank - categoryInfo(a.category).costRank || a.name.localeCompare(b.name) || a.language.localeCompare(b.language),
  );

  return (
    <section class="page">
      <div class="page-head">
        <h1>Templates</h1>
        <button type="button" class="btn btn-primary" onClick={() => void sync()} disabled={syncing}>
          {syncing ? 'Syncing…' : 'Sync from Meta'}
        </button>
      </div>
      <p class="lead">Outside the 24-hour window WhatsApp only delivers approved templates. Create and edit them in WhatsApp Manager, then sync here.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <FormError error={error} />

      <div class="card">
        <h2>What they cost</h2>
        <ol class="cost-ladder">
          {CATEGORIES.map((c) => (
            <li key={c.id}>
              <span class={`chip chip-cost-${c.costRank}`}>{c.label}</span>
              <span>
                {c.cost} <span class="muted">{c.use}</span>
              </span>
            </li>
          ))}
          <li>
            <span class="chip">Service</span>
            <span>{SERVICE_NOTE}</span>
          </li>
        </ol>
        <p class="muted">
          Marketing costs more than utility, which costs more than authentication; exact rates vary by country and change over time —{' '}
          <a href={PRICING_URL} target="_blank" rel="noopener noreferrer">
            Meta’s pricing page
          </a>
          .
        </p>
      </div>

      {templates === null && !error ? (
        <p class="muted" role="status">
          Loading templates…
        </p>
      ) : sorted.length === 0 ? (
        <p class="empty">No templates yet. Press “Sync from Meta”.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Message templates">
          <table class="table">
            <caption class="visually-hidden">Message templates</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Category</th>
                <th scope="col">Language</th>
                <th scope="col">Status</th>
                <th scope="col">Quality</th>
                <th scope="col">Text</th>
                <th scope="col" class="col-updated">
                  Updated
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((t) => (
                <tr key={t.id}>
                  <th scope="row" class="mono">
                    {t.name}
                  </th>
                  <td>
                    <span class={`chip chip-cost-${categoryInfo(t.category).costRank}`}>{categoryInfo(t.category).label}</span>
                  </td>
                  <td>{t.language}</td>
                  <td>
                    <span class={`pill pill-${t.disable_date ? 'wait' : statusTone(t.status)}`}>
                      {t.disable_date ? 'flagged' : t.status.toLowerCase().replace(/_/g, ' ')}
                    </span>
                    {t.locked && <span class="pill pill-muted">locked</span>}
                  </td>
                  <td>{t.quality ? <span class={`pill pill-${qualityTone(t.quality)}`}>{t.quality.toLowerCase()}</span> : <span class="muted">—</span>}</td>
                  <td class="tpl-body">
                    {t.header && <strong class="tpl-header">{t.header}</strong>}
                    <span>{t.body}</span>
                    {t.parameter_count > 0 && (
                      <span class="muted">
                        {' '}
                        · {t.parameter_count} {t.parameter_format === 'NAMED' ? 'named ' : ''}parameter{t.parameter_count === 1 ? '' : 's'}
                      </span>
                    )}
                    {t.header_format && t.header_format !== 'TEXT' && <span class="muted"> · {t.header_format.toLowerCase()} header</span>}
                    {t.buttons.length > 0 && <span class="muted"> · buttons: {t.buttons.map((b) => b.text).join(', ')}</span>}
                    {t.warning && (
                      <span class="template-warning" role="note">
                        ⚠ {t.warning}
                      </span>
                    )}
                  </td>
                  <td class="nowrap col-updated">{formatDateTime(t.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
