/**
 * Settings → Reports: the satisfaction survey switch (on by default) and the WhatsApp rates the
 * cost estimate uses — a price per billable message for a calling code (or * for every other
 * country) and Meta's pricing category. ConnectDesk ships no prices: Meta's change.
 */
import { useEffect, useState } from 'preact/hooks';
import { PRICING_CATEGORIES } from '@connectdesk/shared/report-constants';
import type { WhatsAppRates } from '@connectdesk/shared';
import { useApp } from '../../context.ts';
import { FormError } from '../form-error.tsx';

type Rate = WhatsAppRates['rates'][number];

export function ReportsSection() {
  const { api, me } = useApp();
  const admin = me.role === 'admin';
  const [survey, setSurvey] = useState<boolean | null>(null);
  const [rates, setRates] = useState<WhatsAppRates | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    api.satisfactionSettings().then(
      (r) => setSurvey(r.settings.enabled),
      (err: Error) => setError(err.message),
    );
    api.whatsappRates().then(
      (r) => setRates(r.rates),
      (err: Error) => setError(err.message),
    );
  }, []);

  async function toggleSurvey(enabled: boolean) {
    setError(null);
    setSaved(null);
    try {
      setSurvey((await api.saveSatisfactionSettings({ enabled })).settings.enabled);
      setSaved(enabled ? 'The survey is on.' : 'The survey is off.');
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function saveRates(e: Event) {
    e.preventDefault();
    if (!rates) return;
    setError(null);
    setSaved(null);
    try {
      setRates((await api.saveWhatsappRates(rates)).rates);
      setSaved('Rates saved.');
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const setRate = (i: number, patch: Partial<Rate>) => rates && setRates({ ...rates, rates: rates.rates.map((r, j) => (j === i ? { ...r, ...patch } : r)) });

  return (
    <div class="settings-section">
      <h2>Reports</h2>
      <FormError error={error} />
      {saved && (
        <p class="notice" role="status">
          {saved}
        </p>
      )}
      <div class="card">
        <h3>Satisfaction survey</h3>
        <p class="lead">
          When an agent resolves a conversation someone answered, the visitor is asked “How did we do?” in the widget (1–5 and a comment), and a WhatsApp
          customer gets a list to tap while their 24-hour window is open. Once per resolution; answers show in the conversation and in Reports.
        </p>
        <label class="check-field">
          <input type="checkbox" checked={survey ?? true} disabled={survey === null || !admin} onChange={(e) => void toggleSurvey(e.currentTarget.checked)} />
          <span>Ask for a rating when a conversation is resolved</span>
        </label>
      </div>
      <form class="card" onSubmit={saveRates} aria-label="WhatsApp rates">
        <h3>WhatsApp rates</h3>
        <p class="lead">
          Meta charges per delivered message by the recipient’s country and the message’s pricing category. Enter the prices from your rate card: a calling code
          (44, 351, 1…) or <code>*</code> for every other country.
        </p>
        {rates && (
          <>
            <label class="field field-inline">
              <span>Currency</span>
              <input
                value={rates.currency}
                maxLength={3}
                size={4}
                disabled={!admin}
                onInput={(e) => setRates({ ...rates, currency: e.currentTarget.value.toUpperCase() })}
              />
            </label>
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Country code</th>
                    <th scope="col">Category</th>
                    <th scope="col">Price per message</th>
                    <th scope="col">
                      <span class="visually-hidden">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rates.rates.map((r, i) => (
                    <tr key={i}>
                      <td>
                        <input
                          aria-label={`Country code of rate ${i + 1}`}
                          value={r.country}
                          size={5}
                          disabled={!admin}
                          onInput={(e) => setRate(i, { country: e.currentTarget.value.replace(/^\+/, '') })}
                        />
                      </td>
                      <td>
                        <select
                          aria-label={`Category of rate ${i + 1}`}
                          value={r.category}
                          disabled={!admin}
                          onChange={(e) => setRate(i, { category: e.currentTarget.value as Rate['category'] })}
                        >
                          {PRICING_CATEGORIES.map((c) => (
                            <option key={c} value={c}>
                              {c}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input
                          aria-label={`Price of rate ${i + 1}`}
                          type="number"
                          min="0"
                          step="0.0001"
                          value={r.price}
                          disabled={!admin}
                          onInput={(e) => setRate(i, { price: Number(e.currentTarget.value) })}
                        />
                      </td>
                      <td>
                        {admin && (
                          <button
                            type="button"
                            class="btn btn-small btn-danger-ghost"
                            onClick={() => setRates({ ...rates, rates: rates.rates.filter((_, j) => j !== i) })}
                          >
                            Remove
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {admin && (
              <div class="form-actions">
                <button
                  type="button"
                  class="btn"
                  onClick={() => setRates({ ...rates, rates: [...rates.rates, { country: '*', category: 'marketing', price: 0 }] })}
                >
                  Add a rate
                </button>
                <button type="submit" class="btn btn-primary">
                  Save rates
                </button>
              </div>
            )}
          </>
        )}
      </form>
    </div>
  );
}
