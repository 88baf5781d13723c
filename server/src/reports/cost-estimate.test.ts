import { describe, expect, it } from 'vitest';
import { priceLines } from './cost-estimate.ts';

describe('cost estimate', () => {
  const rates = {
    currency: 'EUR',
    rates: [
      { country: '44', category: 'marketing' as const, price: 0.0456 },
      { country: '*', category: 'marketing' as const, price: 0.05 },
    ],
  };

  it('prices each country and category with its rate, else the * rate of the category; the rest is unpriced', () => {
    expect(
      priceLines(
        [
          { key: '44:marketing', count: 3 },
          { key: '351:marketing', count: 2 },
          { key: '351:utility', count: 7 },
          { key: ':marketing', count: 1 },
        ],
        rates,
      ),
    ).toEqual({
      currency: 'EUR',
      total: 0.2868,
      unpriced_messages: 7,
      lines: [
        { country: null, category: 'marketing', messages: 1, rate: 0.05, cost: 0.05 },
        { country: '351', category: 'marketing', messages: 2, rate: 0.05, cost: 0.1 },
        { country: '351', category: 'utility', messages: 7, rate: null, cost: null },
        { country: '44', category: 'marketing', messages: 3, rate: 0.0456, cost: 0.1368 },
      ],
    });
  });
});
