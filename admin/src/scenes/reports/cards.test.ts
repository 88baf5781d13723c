import { describe, expect, it } from 'vitest';
import type { SatisfactionReportJson, WhatsAppReportJson } from '@connectdesk/shared';
import { satisfactionCards, whatsappCards } from './cards.ts';
import { formatDuration } from './format.ts';

const base = {
  period: { from: '2026-03-01', to: '2026-03-02', tz: 'UTC', start: '', end: '', days: ['2026-03-01', '2026-03-02'] },
  filters: { channel: null, agent_id: null },
};

describe('report cards', () => {
  it('WhatsApp: headline shares of what was sent, a table row per day, cost lines with their rate', () => {
    const w: WhatsAppReportJson = {
      ...base,
      messages: { total: 12, queued: 1, sent: 10, delivered: 8, read: 5, failed: 1 },
      failures: [{ code: '131047', title: 'Re-engagement message', explanation: 'More than 24 hours…', count: 1 }],
      templates: [{ category: 'marketing', count: 2 }],
      cost: {
        currency: 'EUR',
        total: 0.1,
        lines: [
          { country: '44', category: 'marketing', messages: 2, rate: 0.05, cost: 0.1 },
          { country: null, category: 'utility', messages: 1, rate: null, cost: null },
        ],
        unpriced_messages: 1,
      },
      daily: [
        { date: '2026-03-01', total: 5, queued: 0, sent: 5, delivered: 4, read: 2, failed: 0 },
        { date: '2026-03-02', total: 7, queued: 1, sent: 5, delivered: 4, read: 3, failed: 1 },
      ],
    };
    const [delivery, failures, templates, cost] = whatsappCards(w, 'x');
    expect(delivery!.summary!.map((k) => [k.label, k.value, k.hint])).toEqual([
      ['Sent', '10', '1 waiting'],
      ['Delivered', '8', '80%'],
      ['Read', '5', '50%'],
      ['Failed', '1', undefined],
    ]);
    expect(delivery!.table.rows).toEqual([
      ['2026-03-01', 5, 4, 2, 0, 0],
      ['2026-03-02', 5, 4, 3, 1, 1],
    ]);
    expect(failures!.table.rows).toEqual([['131047 Re-engagement message', 'More than 24 hours…', 1]]);
    expect(templates!.chart!.series[0]!.values).toEqual([2]);
    expect(cost!.table.rows).toEqual([
      ['+44', 'marketing', 2, '€0.05', '€0.10'],
      ['unknown', 'utility', 1, null, '—'],
    ]);
  });

  it('satisfaction: average of five, answer rate, one bar per rating', () => {
    const s: SatisfactionReportJson = {
      ...base,
      asked: 4,
      responses: 3,
      response_rate: 0.75,
      average: 11 / 3,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 1, '5': 1 },
      daily: [
        { date: '2026-03-01', asked: 4, responses: 3, average: 11 / 3 },
        { date: '2026-03-02', asked: 0, responses: 0, average: null },
      ],
    };
    const [overall, daily] = satisfactionCards(s, 'x');
    expect(overall!.summary!.map((k) => k.value)).toEqual(['3.67 / 5', '3', '75%']);
    expect(overall!.chart!.series[0]!.values).toEqual([0, 1, 0, 1, 1]);
    expect(daily!.table.rows).toEqual([
      ['2026-03-01', 4, 3, 3.67],
      ['2026-03-02', 0, 0, null],
    ]);
  });

  it('durations read as people say them', () => {
    expect([formatDuration(null), formatDuration(42_000), formatDuration(12 * 60_000), formatDuration(185 * 60_000), formatDuration(53 * 3_600_000)]).toEqual([
      '—',
      '42 s',
      '12 min',
      '3 h 05 min',
      '2 d 5 h',
    ]);
  });
});
