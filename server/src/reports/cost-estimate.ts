/**
 * The cost estimate: billable messages (per Meta's pricing objects) by the recipient's calling
 * code and pricing category, priced with the rates set in Settings → Reports — the exact calling
 * code first, else the `*` rate of that category. Meta's prices change; ConnectDesk never ships
 * any. Costs are rounded to 6 decimals.
 */
import type { CostLineJson, WhatsAppRates, WhatsAppReportJson } from '@connectdesk/shared';

const round = (n: number) => Math.round(n * 1e6) / 1e6;

function rateFor(rates: WhatsAppRates, country: string | null, category: string): number | null {
  const exact = country ? rates.rates.find((r) => r.country === country && r.category === category) : undefined;
  return (exact ?? rates.rates.find((r) => r.country === '*' && r.category === category))?.price ?? null;
}

/** `billable`: counts per "country:category" key (country '' when WhatsApp did not say). */
export function priceLines(billable: { key: string; count: number }[], rates: WhatsAppRates): WhatsAppReportJson['cost'] {
  const lines: CostLineJson[] = billable
    .map(({ key, count }) => {
      const at = key.indexOf(':');
      const country = key.slice(0, at) || null;
      const category = key.slice(at + 1);
      const rate = rateFor(rates, country, category);
      return { country, category, messages: count, rate, cost: rate === null ? null : round(rate * count) };
    })
    .sort((a, b) => (a.country ?? '').localeCompare(b.country ?? '') || a.category.localeCompare(b.category));
  return {
    currency: rates.currency,
    total: round(lines.reduce((sum, l) => sum + (l.cost ?? 0), 0)),
    lines,
    unpriced_messages: lines.filter((l) => l.rate === null).reduce((n, l) => n + l.messages, 0),
  };
}
