/**
 * Pick an approved template (grouped by category, costliest first), fill it — body and header
 * parameters by position or name, the header's image / video / document (upload a file, pick a
 * saved one, or give a link) or location, button values — and see the message and what WhatsApp
 * would refuse (shared fillTemplate, the server's own check) before sending it.
 */
import { fillTemplate, templateVariables, urlButtonIsDynamic, type TemplateFill, type TemplateHeaderFill } from '@connectdesk/shared/template-fill';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { TemplateJson } from '../api/types.ts';
import { useApp } from '../context.ts';
import { categoryInfo, groupApproved, templateKey } from '../lib/templates.ts';
import { NavLink } from './nav-link.tsx';
import { FormError } from './form-error.tsx';

type MediaKind = 'image' | 'video' | 'document';
interface Saved {
  id: string;
  mime: string;
  filename: string | null;
  url: string;
}

export function TemplatePicker({ onSend, autoFocus = false }: { onSend: (t: TemplateJson, fill: TemplateFill) => Promise<void>; autoFocus?: boolean }) {
  const { api } = useApp();
  const [templates, setTemplates] = useState<TemplateJson[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const [headerParams, setHeaderParams] = useState<Record<string, string>>({});
  const [header, setHeader] = useState<TemplateHeaderFill | null>(null);
  const [buttons, setButtons] = useState<Record<number, string>>({});
  const [saved, setSaved] = useState<Saved[]>([]);
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
  const mediaKind = (
    selected?.header_format && ['IMAGE', 'VIDEO', 'DOCUMENT'].includes(selected.header_format) ? selected.header_format.toLowerCase() : null
  ) as MediaKind | null;

  useEffect(() => {
    setSaved([]);
    if (!mediaKind) return;
    api.savedMedia(mediaKind).then(
      (r) => setSaved(r.data),
      () => setSaved([]),
    );
  }, [api, mediaKind]);

  const fill: TemplateFill = useMemo(
    () => ({
      parameters: params,
      ...(Object.keys(headerParams).length ? { header_parameters: headerParams } : {}),
      ...(header ? { header } : {}),
      buttons: Object.entries(buttons)
        .filter(([, v]) => v.trim())
        .map(([i, v]) => ({ index: Number(i), sub_type: subTypeOf(selected?.buttons[Number(i)]?.type ?? ''), value: v.trim() })),
    }),
    [params, headerParams, header, buttons, selected],
  );
  const filled = selected ? fillTemplate(selected, fill) : null;
  // A message about what was missing goes once the agent changes something.
  useEffect(() => setError(null), [fill]);

  function choose(k: string) {
    setKey(k);
    const t = templates?.find((x) => templateKey(x) === k);
    setParams(Object.fromEntries(templateVariables(t ?? { parameter_format: 'POSITIONAL' }, t?.body).map((v) => [v, ''])));
    setHeaderParams(t?.header_format === 'TEXT' ? Object.fromEntries(templateVariables(t, t.header).map((v) => [v, ''])) : {});
    setHeader(t?.header_format === 'LOCATION' ? { type: 'location', location: { latitude: NaN, longitude: NaN } } : null);
    setButtons({});
    setError(null);
  }

  async function upload(file: File, kind: MediaKind) {
    setError(null);
    try {
      const { media } = await api.uploadMedia(file);
      setHeader({ type: kind, media_id: media.id });
      setSaved((s) => [{ id: media.id, mime: media.mime ?? file.type, filename: media.filename, url: `/admin/api/media/${media.id}` }, ...s]);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!selected || !filled) return;
    const first = filled.problems[0];
    if (first) {
      const missing = /^body\.(.+)$/.exec(first.field);
      setError(
        missing && / is missing$| is empty$/.test(first.message)
          ? `Fill in parameter {{${missing[1]}}}.`
          : `${first.message[0]!.toUpperCase()}${first.message.slice(1)}.`,
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSend(selected, fill);
      setKey('');
      setParams({});
      setHeaderParams({});
      setHeader(null);
      setButtons({});
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

  const location = header?.type === 'location' ? header.location! : null;
  const setLocation = (patch: Partial<NonNullable<TemplateHeaderFill['location']>>) =>
    setHeader((h) => ({ type: 'location', location: { ...(h?.location ?? { latitude: NaN, longitude: NaN }), ...patch } }));
  const valueButtons = (selected?.buttons ?? [])
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.type === 'COPY_CODE' || b.type === 'QUICK_REPLY' || urlButtonIsDynamic(b));

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
      {selected && filled && (
        <>
          <p class="template-cost">
            <span class="chip">{categoryInfo(selected.category).label}</span> {categoryInfo(selected.category).cost}
          </p>
          {selected.warning && (
            <p class="template-warning" role="note">
              ⚠ {selected.warning}
            </p>
          )}
          {Object.keys(headerParams).length > 0 && (
            <fieldset class="template-params">
              <legend>Header</legend>
              {Object.keys(headerParams).map((name) => (
                <ParamInput
                  key={name}
                  name={name}
                  label={`Header parameter ${name}`}
                  value={headerParams[name]!}
                  onInput={(v) => setHeaderParams((p) => ({ ...p, [name]: v }))}
                />
              ))}
            </fieldset>
          )}
          {mediaKind && (
            <fieldset class="template-params template-media">
              <legend>Header {mediaKind}</legend>
              <label class="field">
                <span>Upload</span>
                <input
                  type="file"
                  aria-label={`Upload header ${mediaKind}`}
                  accept={mediaKind === 'document' ? 'application/pdf,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt' : `${mediaKind}/*`}
                  onChange={(e) => {
                    const f = e.currentTarget.files?.[0];
                    if (f) void upload(f, mediaKind);
                  }}
                />
              </label>
              {saved.length > 0 && (
                <div class="media-gallery" role="radiogroup" aria-label="Saved files">
                  {saved.map((m) => (
                    <button
                      type="button"
                      key={m.id}
                      role="radio"
                      aria-checked={header?.media_id === m.id}
                      class={`media-tile${header?.media_id === m.id ? ' is-selected' : ''}`}
                      title={m.filename ?? m.id}
                      onClick={() => setHeader({ type: mediaKind, media_id: m.id })}
                    >
                      {m.mime.startsWith('image/') ? <img src={m.url} alt={m.filename ?? 'saved image'} /> : <span>{m.filename ?? m.id}</span>}
                    </button>
                  ))}
                </div>
              )}
              <label class="field">
                <span>Or a link</span>
                <input
                  type="url"
                  aria-label={`Header ${mediaKind} link`}
                  placeholder="https://…"
                  value={header?.link ?? ''}
                  onInput={(e) => {
                    const v = e.currentTarget.value.trim();
                    setHeader(v ? { type: mediaKind, link: v } : null);
                  }}
                />
              </label>
            </fieldset>
          )}
          {location && (
            <fieldset class="template-params">
              <legend>Header location</legend>
              <ParamInput
                name="latitude"
                label="Latitude"
                value={Number.isNaN(location.latitude) ? '' : String(location.latitude)}
                onInput={(v) => setLocation({ latitude: v === '' ? NaN : Number(v) })}
              />
              <ParamInput
                name="longitude"
                label="Longitude"
                value={Number.isNaN(location.longitude) ? '' : String(location.longitude)}
                onInput={(v) => setLocation({ longitude: v === '' ? NaN : Number(v) })}
              />
              <ParamInput name="name" label="Place name" value={location.name ?? ''} onInput={(v) => setLocation({ name: v || undefined })} />
              <ParamInput name="address" label="Address" value={location.address ?? ''} onInput={(v) => setLocation({ address: v || undefined })} />
            </fieldset>
          )}
          {Object.keys(params).length > 0 && (
            <fieldset class="template-params">
              <legend>Parameters</legend>
              {Object.keys(params).map((name) => (
                <ParamInput key={name} name={name} label={`Parameter ${name}`} value={params[name]!} onInput={(v) => setParams((p) => ({ ...p, [name]: v }))} />
              ))}
            </fieldset>
          )}
          {valueButtons.length > 0 && (
            <fieldset class="template-params">
              <legend>Buttons</legend>
              {valueButtons.map(({ b, i }) => (
                <ParamInput
                  key={i}
                  name={b.type === 'URL' ? `${b.text}: ${b.url ?? ''}` : b.type === 'COPY_CODE' ? `${b.text}: code` : `${b.text}: payload (optional)`}
                  label={`Button ${i + 1}`}
                  value={buttons[i] ?? ''}
                  onInput={(v) => setButtons((bs) => ({ ...bs, [i]: v }))}
                />
              ))}
            </fieldset>
          )}
          <div class="template-preview" aria-label="Preview">
            <span class="interactive-kind">Preview</span>
            {header?.type === 'image' && header.media_id && <img class="tpl-media" src={`/admin/api/media/${header.media_id}`} alt="header image" />}
            {filled.header && !(header?.type === 'image' && header.media_id) && <p class="tpl-header">{filled.header}</p>}
            <p class="msg-text">{filled.text}</p>
            {selected.footer && <p class="tpl-footer">{selected.footer}</p>}
            {selected.buttons.length > 0 && (
              <ul class="tpl-buttons">
                {selected.buttons.map((b, i) => (
                  <li key={i}>{b.text}</li>
                ))}
              </ul>
            )}
          </div>
          {filled.problems.length > 0 && (
            <ul class="template-problems" aria-label="Before sending">
              {filled.problems.map((p) => (
                <li key={p.field + p.message}>{p.message}</li>
              ))}
            </ul>
          )}
          <FormError error={error} />
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send template'}
          </button>
        </>
      )}
    </form>
  );
}

function subTypeOf(type: string): 'url' | 'copy_code' | 'quick_reply' {
  return type === 'COPY_CODE' ? 'copy_code' : type === 'QUICK_REPLY' ? 'quick_reply' : 'url';
}

function ParamInput({ name, label, value, onInput }: { name: string; label: string; value: string; onInput: (v: string) => void }) {
  return (
    <label class="field field-inline">
      <span>{/^\d+$/.test(name) || /^[a-z_][a-z0-9_]*$/.test(name) ? `{{${name}}}` : name}</span>
      <input type="text" value={value} maxLength={1024} aria-label={label} onInput={(e) => onInput(e.currentTarget.value)} />
    </label>
  );
}
