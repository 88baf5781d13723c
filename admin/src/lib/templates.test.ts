import { describe, expect, it } from 'vitest';
import type { TemplateJson } from '../api/types.ts';
import { categoryInfo, groupApproved, statusTone, templateKey } from './templates.ts';

function tpl(name: string, category: string, status = 'APPROVED', language = 'en_US'): TemplateJson {
  return {
    id: name + language,
    name,
    language,
    category,
    status,
    body: 'Hi {{1}}',
    header: null,
    footer: null,
    buttons: [],
    parameter_count: 1,
    parameter_format: 'POSITIONAL',
    header_format: null,
    variables: ['1'],
    quality: null,
    sendable: status === 'APPROVED',
    warning: null,
    disable_date: null,
    locked: false,
    category_change: null,
    status_reason: null,
    updated_at: '2026-11-27T00:00:00Z',
  };
}

describe('templates by category', () => {
  it('groups approved templates, costliest category first, names sorted', () => {
    const groups = groupApproved([
      tpl('z_util', 'UTILITY'),
      tpl('otp', 'AUTHENTICATION'),
      tpl('promo', 'MARKETING'),
      tpl('a_util', 'UTILITY'),
      tpl('draft', 'MARKETING', 'PENDING'),
    ]);
    expect(groups.map((g) => [g.category.label, g.templates.map(templateKey)])).toEqual([
      ['Marketing', ['promo|en_US']],
      ['Utility', ['a_util|en_US', 'z_util|en_US']],
      ['Authentication', ['otp|en_US']],
    ]);
  });

  it('ranks costs marketing > utility > authentication and never states a price', () => {
    expect(categoryInfo('MARKETING').costRank).toBeGreaterThan(categoryInfo('utility').costRank);
    expect(categoryInfo('UTILITY').costRank).toBeGreaterThan(categoryInfo('AUTHENTICATION').costRank);
    for (const c of ['MARKETING', 'UTILITY', 'AUTHENTICATION']) expect(categoryInfo(c).cost).not.toMatch(/[$€£]|\d+\.\d{2}/);
    expect(categoryInfo('SOMETHING_NEW').label).toBe('Something_new');
  });

  it('status tones', () => {
    expect(statusTone('APPROVED')).toBe('ok');
    expect(statusTone('pending')).toBe('wait');
    expect(statusTone('REJECTED')).toBe('bad');
    expect(statusTone('PAUSED')).toBe('muted');
  });
});
