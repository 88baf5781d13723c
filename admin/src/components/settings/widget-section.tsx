/** Widget appearance and behaviour, a live preview, and the snippet to paste into the site. */
import { useEffect, useState } from 'preact/hooks';
import { installSnippet } from '@connectdesk/shared/install-snippet';
import type { WidgetSettings } from '../../api/types.ts';
import { useApp } from '../../context.ts';
import { CopyField } from '../copy-field.tsx';
import { FormError } from '../form-error.tsx';

const DAYS = [
  { day: 1, label: 'Monday' },
  { day: 2, label: 'Tuesday' },
  { day: 3, label: 'Wednesday' },
  { day: 4, label: 'Thursday' },
  { day: 5, label: 'Friday' },
  { day: 6, label: 'Saturday' },
  { day: 0, label: 'Sunday' },
];

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

/** The queue line lets the site call ConnectDesk.open() before widget.js has arrived. */
function widgetSnippet(origin: string): string {
  return installSnippet(origin);
}

export function WidgetSection() {
  const { api, me } = useApp();
  const isAdmin = me.role === 'admin';
  const [s, setS] = useState<WidgetSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.widgetSettings().then(
      (r) => setS(r.settings),
      (err: Error) => setError(err.message),
    );
  }, [api]);

  if (!s) return error ? <p class="form-error">{error}</p> : <p class="muted">Loading…</p>;

  const set = (patch: Partial<WidgetSettings>) => {
    setS({ ...s, ...patch });
    setSaved(false);
  };
  const hours = s.business_hours;
  const dayRange = (day: number) => hours.days.find((d) => d.day === day) ?? null;
  const setDay = (day: number, range: { open: string; close: string } | null) =>
    set({
      business_hours: {
        ...hours,
        days: [...hours.days.filter((d) => d.day !== day), ...(range ? [{ day, ...range }] : [])].sort((a, b) => a.day - b.day),
      },
    });

  async function save(e: Event) {
    e.preventDefault();
    if (!s) return;
    setBusy(true);
    setError(null);
    try {
      setS((await api.saveWidgetSettings(s)).settings);
      setSaved(true);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="settings-section">
      <h2>Website widget</h2>
      <div class="widget-layout">
        <form class="form-grid" onSubmit={save} aria-label="Widget settings">
          <fieldset disabled={!isAdmin} class="plain">
            <div class="field">
              <label for="widget-color" class="field-label">
                Colour
              </label>
              <div class="color-row">
                <input id="widget-color" type="color" value={s.color} onInput={(e) => set({ color: e.currentTarget.value })} />
                <input
                  type="text"
                  aria-label="Colour (hex)"
                  value={s.color}
                  pattern="#[0-9a-fA-F]{6}"
                  maxLength={7}
                  onInput={(e) => set({ color: e.currentTarget.value })}
                  class="mono"
                />
              </div>
            </div>
            <fieldset class="field">
              <legend>Position</legend>
              <label class="check-field">
                <input type="radio" name="position" checked={s.position === 'right'} onChange={() => set({ position: 'right' })} /> Bottom right
              </label>
              <label class="check-field">
                <input type="radio" name="position" checked={s.position === 'left'} onChange={() => set({ position: 'left' })} /> Bottom left
              </label>
            </fieldset>
            <label class="field field-wide">
              <span>Greeting</span>
              <textarea rows={2} maxLength={300} value={s.greeting} onInput={(e) => set({ greeting: e.currentTarget.value })} />
            </label>
            <label class="field field-wide">
              <span>Away message</span>
              <textarea rows={2} maxLength={300} value={s.away_message} onInput={(e) => set({ away_message: e.currentTarget.value })} />
            </label>
            <fieldset class="field">
              <legend>Theme</legend>
              {(
                [
                  ['auto', 'Follow the visitor’s system (light or dark)'],
                  ['light', 'Always light'],
                  ['dark', 'Always dark'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} class="check-field">
                  <input type="radio" name="theme" checked={s.theme === value} onChange={() => set({ theme: value })} /> {label}
                </label>
              ))}
            </fieldset>
            <fieldset class="field">
              <legend>Before the first message, ask for</legend>
              <label class="check-field">
                <input type="checkbox" checked={s.ask_name} onChange={(e) => set({ ask_name: e.currentTarget.checked })} /> Name
              </label>
              <label class="check-field">
                <input type="checkbox" checked={s.ask_email} onChange={(e) => set({ ask_email: e.currentTarget.checked })} /> Email
              </label>
              <label class="check-field">
                <input type="checkbox" checked={s.ask_whatsapp} onChange={(e) => set({ ask_whatsapp: e.currentTarget.checked })} /> WhatsApp number (to continue
                there)
              </label>
            </fieldset>
            <fieldset class="field">
              <legend>WhatsApp handoff</legend>
              <label class="check-field">
                <input type="checkbox" checked={s.whatsapp_handoff} onChange={(e) => set({ whatsapp_handoff: e.currentTarget.checked })} /> Offer “Continue on
                WhatsApp” to visitors
              </label>
            </fieldset>
            <fieldset class="field field-wide">
              <legend>Business hours</legend>
              <label class="check-field">
                <input
                  type="checkbox"
                  checked={hours.enabled}
                  onChange={(e) => {
                    const enabled = e.currentTarget.checked;
                    // First time on: start from Monday–Friday, 09:00–17:00.
                    const days = enabled && hours.days.length === 0 ? [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })) : hours.days;
                    set({ business_hours: { ...hours, enabled, days } });
                  }}
                />{' '}
                Show the away message outside these hours
              </label>
              {hours.enabled && (
                <>
                  <label class="field">
                    <span>Time zone</span>
                    <input list="time-zones" value={hours.timezone} onInput={(e) => set({ business_hours: { ...hours, timezone: e.currentTarget.value } })} />
                    <datalist id="time-zones">
                      {timeZones().map((z) => (
                        <option key={z} value={z} />
                      ))}
                    </datalist>
                  </label>
                  <table class="hours">
                    <tbody>
                      {DAYS.map(({ day, label }) => {
                        const r = dayRange(day);
                        return (
                          <tr key={day}>
                            <th scope="row">
                              <label class="check-field">
                                <input
                                  type="checkbox"
                                  checked={Boolean(r)}
                                  onChange={(e) => setDay(day, e.currentTarget.checked ? { open: '09:00', close: '17:00' } : null)}
                                />{' '}
                                {label}
                              </label>
                            </th>
                            <td>
                              {r ? (
                                <span class="hours-range">
                                  <input
                                    type="time"
                                    aria-label={`${label} opens`}
                                    value={r.open}
                                    onInput={(e) => setDay(day, { ...r, open: e.currentTarget.value })}
                                  />
                                  <span aria-hidden="true">–</span>
                                  <input
                                    type="time"
                                    aria-label={`${label} closes`}
                                    value={r.close}
                                    onInput={(e) => setDay(day, { ...r, close: e.currentTarget.value })}
                                  />
                                </span>
                              ) : (
                                <span class="muted">Closed</span>
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </>
              )}
            </fieldset>
          </fieldset>
          <FormError error={error} />
          {isAdmin ? (
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? 'Saving…' : 'Save widget settings'}
              </button>
              {saved && (
                <span class="ok-text" role="status">
                  Saved.
                </span>
              )}
            </div>
          ) : (
            <p class="muted">Only admins can change the widget.</p>
          )}
        </form>
        <div>
          <WidgetPreview s={s} />
          <div class="card">
            <h3>Install</h3>
            <p>Paste this before &lt;/body&gt; on every page of your site:</p>
            <CopyField label="Snippet" value={widgetSnippet(location.origin)} multiline rows={6} />
          </div>
        </div>
      </div>
    </div>
  );
}

function WidgetPreview({ s }: { s: WidgetSettings }) {
  const color = /^#[0-9a-fA-F]{6}$/.test(s.color) ? s.color : '#0b57d0';
  return (
    <div class="widget-preview" aria-label="Preview" role="img">
      <div class={`wp-panel wp-${s.position}`}>
        <div class="wp-head" style={{ background: color }}>
          Chat with us
        </div>
        <div class="wp-body">
          <p class="wp-bubble">{s.greeting}</p>
        </div>
      </div>
      <div class={`wp-launcher wp-${s.position}`} style={{ background: color }} />
    </div>
  );
}
