/**
 * Templates by category, and what each category costs in relative terms. Meta prices templates per
 * delivered message by category and country and changes rates over time, so no prices are shown —
 * only the order and the rules (DESIGN.md, pricing notes).
 */
import type { TemplateJson } from '../api/types.ts';

export interface CategoryInfo {
  id: string;
  label: string;
  /** 3 = most expensive. */
  costRank: number;
  cost: string;
  use: string;
}

export const CATEGORIES: CategoryInfo[] = [
  {
    id: 'MARKETING',
    label: 'Marketing',
    costRank: 3,
    cost: 'Highest cost. Charged for every delivered message, also inside an open window.',
    use: 'Offers, announcements, re-engagement.',
  },
  {
    id: 'UTILITY',
    label: 'Utility',
    costRank: 2,
    cost: 'Lower than marketing. Charged per delivered message; inside an open window it was free until 2026-10-01, when Meta announced charges for it too.',
    use: 'Updates about something the customer asked for: orders, bookings, replies to their messages.',
  },
  {
    id: 'AUTHENTICATION',
    label: 'Authentication',
    costRank: 1,
    cost: 'Usually the lowest template rate.',
    use: 'One-time passcodes.',
  },
];

export const SERVICE_NOTE =
  'Service replies — free-form messages inside the 24-hour window after the customer writes — were free until 2026-10-01, when Meta announced charges for them. Rates depend on the category and the customer’s country: see Meta’s pricing page.';

export const PRICING_URL = 'https://developers.facebook.com/docs/whatsapp/pricing';

export function categoryInfo(category: string): CategoryInfo {
  return (
    CATEGORIES.find((c) => c.id === category.toUpperCase()) ?? {
      id: category,
      label: category.charAt(0) + category.slice(1).toLowerCase(),
      costRank: 0,
      cost: 'Charged by Meta per delivered message.',
      use: '',
    }
  );
}

export function statusTone(status: string): 'ok' | 'wait' | 'bad' | 'muted' {
  const s = status.toUpperCase();
  if (s === 'APPROVED') return 'ok';
  if (s === 'PENDING' || s === 'IN_APPEAL' || s === 'PENDING_DELETION') return 'wait';
  if (s === 'REJECTED' || s === 'DISABLED') return 'bad';
  return 'muted';
}

/** Approved templates grouped by category, most expensive category first, names sorted. */
export function groupApproved(templates: TemplateJson[]): { category: CategoryInfo; templates: TemplateJson[] }[] {
  const groups = new Map<string, TemplateJson[]>();
  for (const t of templates) {
    if (t.status.toUpperCase() !== 'APPROVED') continue;
    const key = t.category.toUpperCase();
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.entries()]
    .map(([key, list]) => ({
      category: categoryInfo(key),
      templates: list.sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language)),
    }))
    .sort((a, b) => b.category.costRank - a.category.costRank || a.category.label.localeCompare(b.category.label));
}

/** The value of the Template control for one template. */
export function templateKey(t: Pick<TemplateJson, 'name' | 'language'>): string {
  return `${t.name}|${t.language}`;
}
